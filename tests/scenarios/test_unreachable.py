"""ERP unreachable: queues go CPICERR, retry with back-off and catch up when it returns."""

from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette

from sapgw.clock import Clock
from sapgw.erp_stub import create_system
from sapgw.gateway.runtime import Gateway
from sapgw.pytest_plugin import free_port, live_server
from sapgw.rfc.jsonrfc_server import rfc_routes

from .conftest import fund_posting, fund_usage, trade_promotion


@pytest.mark.server
def test_cpicerr_retries_with_backoff_and_catches_up_in_order(tmp_path):
    clock = Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    port = free_port()
    gateway = Gateway.in_memory(clock=clock, overrides={
        "gateway": {"serve_rfc": ""},
        "destination ERP": {"type": "http", "url": f"http://127.0.0.1:{port}",
                            "timeout": "2", "retry_interval": "10", "retry_backoff": "2",
                            "retry_count": "5"}})
    with ExitStack() as stack:
        stack.callback(gateway.close)
        ids = [gateway.send(p["type"], p["data"])["bdoc_id"] for p in (
            trade_promotion(), fund_usage(), fund_posting("FPO1"), fund_posting("FPO2"))]
        gateway.run_until_idle()

        queue = {q["name"]: q for q in gateway.queues()}["R3AUMKTPLTPM1"]
        assert queue["status"] == "CPICERR"
        assert queue["retries"] == 1
        assert queue["next_retry_at"] == "2026-11-22T12:00:10.000000Z"
        assert gateway.bdoc(ids[0])["state"] == "I02"
        assert any(e["type"] == "W" and "Communication error" in e["message"]
                   for e in gateway.bdoc(ids[0])["log"])

        clock.advance(timedelta(seconds=11))
        gateway.run_until_idle()
        queue = {q["name"]: q for q in gateway.queues()}["R3AUMKTPLTPM1"]
        assert queue["retries"] == 2
        assert queue["next_retry_at"] == "2026-11-22T12:00:31.000000Z", "back-off doubles"

        erp = create_system(f"sqlite:///{tmp_path}/erp.db", clock=clock)
        stack.enter_context(live_server(Starlette(routes=rfc_routes(erp.connect)), port))

        clock.advance(timedelta(seconds=30))
        gateway.run_until_idle()
        assert [gateway.bdoc(i)["state"] for i in ids] == ["F04"] * 4
        assert gateway.queues() == []
        connection = erp.connect()
        posted = connection.call("RFC_READ_TABLE", QUERY_TABLE="BKPF",
                                 FIELDS=[{"FIELDNAME": "XBLNR"}, {"FIELDNAME": "BELNR"}],
                                 DELIMITER="|")
        order = [row["WA"].split("|")[0].strip() for row in posted["DATA"]]
        assert order == ["FPO1", "FPO2"], "nothing is reordered"
