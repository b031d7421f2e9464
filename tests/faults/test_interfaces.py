"""Rules over REST (admin only), the CLI, the pytest helpers; marks in the cassette; the
served layer's own functions; the BDoc type match."""

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway import cli
from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway
from sapgw.pytest_plugin import injected_fault
from sapgw.rfc.cassette import read_lines
from tests.monitor.test_auth import ALICE, BOB, users_config
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion

# `sapgw` with [auth] users, for the test marked so (the others here run without)
with_users = pytest.mark.parametrize("sapgw_overrides", [{"auth": {
    "users": users_config(), "secret": "a-test-secret-of-some-length"}}], ids=["users"])


@with_users
def test_rest_is_admin_only_and_lists_adds_clears(sapgw: Gateway) -> None:
    with TestClient(create_app(sapgw, run_schedulers=False)) as client:
        assert client.get("/api/admin/faults", auth=BOB).status_code == 403
        refused = client.post("/api/admin/faults", auth=BOB, json={"kind": "down"})
        assert refused.status_code == 403 and sapgw.faults.list() == []
        bad = client.post("/api/admin/faults", auth=ALICE, json={"kind": "return"})
        assert bad.status_code == 400 and "msg_class and msg_number" in bad.json()["message"]
        added = client.post("/api/admin/faults", auth=ALICE, json={
            "kind": "down", "destination": "ERP", "count": 2, "expires_in": 600})
        assert added.status_code == 201, added.text
        assert added.json()["created_by"] == "alice" and added.json()["remaining"] == 2
        assert [r["id"] for r in client.get("/api/admin/faults", auth=ALICE).json()] == ["F1"]
        assert client.get("/api/admin/faults/F1", auth=ALICE).json()["status"] == "active"
        assert client.get("/api/admin/faults/F7", auth=ALICE).status_code == 404
        assert client.delete("/api/admin/faults", auth=ALICE).json() == {"cleared": 1}


def test_cli_add_list_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.ini"
    config.write_text(_config(tmp_path))
    base = ["--config", str(config), "fault"]
    assert cli.main([*base, "add", "return", "--function", "BAPI_ACC_DOCUMENT_POST",
                     "--msg-class", "RW", "--number", "609", "--param",
                     "DOCUMENTHEADER.COMP_CODE=1000"]) == 0
    assert capsys.readouterr().out.startswith("F1: RETURN E RW 609 for function "
                                              "BAPI_ACC_DOCUMENT_POST")
    assert cli.main([*base, "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["params"] == {
        "DOCUMENTHEADER.COMP_CODE": "1000"}
    assert cli.main([*base, "add", "slow"]) == 1  # seconds missing: refused, non-zero
    assert "seconds" in capsys.readouterr().err
    assert cli.main([*base, "clear", "F1"]) == 0
    assert cli.main([*base, "clear", "F1"]) == 1


def _config(tmp_path: Path) -> str:
    return (f"[gateway]\ndb_url = sqlite:///{tmp_path}/gw.db\nserve_rfc = ERP\n"
            f"[erp]\ndb_url = sqlite:///{tmp_path}/erp.db\n"
            "[destination ERP]\ntype = local\nsystem = sapgw.erp_stub\n")


def test_cassette_marks_the_injected_unit(sapgw_clock: Clock, tmp_path: Path) -> None:
    cassette = tmp_path / "erp.jsonl"
    gateway = Gateway.in_memory(clock=sapgw_clock, overrides={
        "gateway": {"serve_rfc": "ERP_LOCAL"},
        "destination ERP_LOCAL": {"type": "local", "system": "sapgw.erp_stub"},
        "destination ERP": {"type": "record", "wraps": "ERP_LOCAL",
                            "cassette": str(cassette)}})
    try:
        gateway.faults.add(kind="exception", destination="ERP", bdoc_type="CRM_FM_FU",
                           exception="NOT_FOUND")
        for payload in (trade_promotion(), fund_usage()):
            gateway.send(payload["type"], payload["data"])
        gateway.run_until_idle()
    finally:
        gateway.close()
    lines = read_lines(cassette)
    marked = [ln for ln in lines if "injected" in ln]
    assert [(ln["function"], ln["injected"]) for ln in marked] == [
        ("CRM_FM_ACCOUNTING_R3_IN", "F1")]
    assert marked[0]["error"]["key"] == "NOT_FOUND"
    assert all("injected" not in ln for ln in lines if ln["function"] == "CRM_MKTPL_R3_IN")


def test_gateway_functions_of_the_served_layer_see_the_rules(sapgw: Gateway) -> None:
    sapgw.faults.add(kind="down", function="IDOC_INBOUND_ASYNCHRONOUS")
    with TestClient(create_app(sapgw, run_schedulers=False)) as client:
        answer = client.post("/sap/bc/rfc/IDOC_INBOUND_ASYNCHRONOUS", json={
            "IDOC_CONTROL_REC_40": [], "IDOC_DATA_REC_40": []})
    assert "partner 'CRM' not reached" in answer.text
    assert "[injected fault F1]" in answer.text


def test_pytest_helpers_add_and_remove(sapgw: Gateway, sapgw_fault) -> None:
    with injected_fault(sapgw, kind="down", destination="ERP") as rule:
        assert sapgw.faults.list()[0]["id"] == rule["id"]
    assert sapgw.faults.list() == []
    sapgw_fault(kind="period", bdoc_type="CRM_FM_FPO", function="BAPI_ACC_DOCUMENT_POST")
    for payload in (trade_promotion(), fund_usage(), fund_posting("FPO1")):
        sent = gateway_send(sapgw, payload)
    sapgw.run_until_idle()
    detail = sapgw.bdoc(sent)
    assert detail["state"] == "E06"
    assert "Posting period 011 2026 is not open [injected fault" in json.dumps(detail["log"])


def gateway_send(gw: Gateway, payload: dict) -> str:
    return gw.send(payload["type"], payload["data"])["bdoc_id"]
