"""SMQS and SMQR pages: scheduler state per destination and for the inbound queues."""

from collections import Counter

from starlette.testclient import TestClient

from sapgw.gateway.api.app import create_app
from sapgw.gateway.monitor.scheduler_pages import scheduler_state
from sapgw.gateway.runtime import Gateway
from tests.scenarios.conftest import fund_usage


def test_scheduler_state_follows_the_queues():
    assert scheduler_state(Counter()) == "INACTIVE"
    assert scheduler_state(Counter({"READY": 2, "RUNNING": 1})) == "ACTIVE"
    assert scheduler_state(Counter({"CPICERR": 1, "READY": 1})) == "WAITCONN"
    assert scheduler_state(Counter({"SYSFAIL": 1})) == "WAITING"


def test_smqs_and_smqr_pages(sapgw: Gateway):
    sapgw.send("CRM_FM_FU", fund_usage(tpm_id="TPM9")["data"])
    with TestClient(create_app(sapgw, run_schedulers=False)) as web:
        inbound = web.get("/smqr")
        assert inbound.status_code == 200
        assert "WAITING" in inbound.text and "D (activate at once)" in inbound.text
        sapgw.run_until_idle()
        outbound = web.get("/smqs")
    assert outbound.status_code == 200
    assert "ERP" in outbound.text and "sapgw.erp_stub" in outbound.text
    assert "WAITING" in outbound.text, "a SYSFAIL queue holds an LUW for the destination"
    assert "10 x 5 s (x2)" in outbound.text
