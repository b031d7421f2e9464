"""`sapgw flow KEY` (table, --json, exit codes), the /flow page and SMW01's link to it, and
the registry's check of the scenarios' flow keys."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from sapgw.adapters import funds
from sapgw.adapters.registry import ScenarioError, Scenarios
from sapgw.adapters.scenario import FlowKey
from sapgw.adapters.scenarios import SCENARIOS
from sapgw.gateway.cli import build_parser, dispatch
from sapgw.gateway.client import LocalClient
from sapgw.gateway.runtime import Gateway
from tests.docflow.test_funds_flow import funds_end_to_end


def sapgw_flow(gw: Gateway, capsys: pytest.CaptureFixture[str], *args: str
               ) -> tuple[int, str, str]:
    """`sapgw flow ...` on this gateway's databases (the CLI's local client)."""
    code = dispatch(build_parser().parse_args(["flow", *args]), LocalClient(gw))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_prints_the_flow_as_a_table_and_as_json(sapgw: Gateway,
                                                             capsys: pytest.CaptureFixture[str]):
    ids = funds_end_to_end(sapgw)
    code, out, err = sapgw_flow(sapgw, capsys, "FPO1")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Document flow of FPO1 (found as: fund posting (CRM_FM_FPO HEADER.FPO_ID))"
    assert lines[1].split() == ["Time", "(UTC)", "#", "From", "System", "Kind", "Type",
                                "Object", "Status", "TID", "What"]
    assert ids["FPO1"] in lines[3] and "CRM_FM_FPO" in lines[3] and "F04" in lines[3]
    assert any(" BKPF " in line and "reference FPO1" in line for line in lines)

    code, out, _ = sapgw_flow(sapgw, capsys, "FPO1", "--json")
    body = json.loads(out)
    assert code == 0 and body["key"] == "FPO1"
    assert [e["kind"] for e in body["entries"]][:3] == ["BDOC", "LUW", "LUW"]


def test_nothing_found_exits_1_and_a_bad_key_2(sapgw: Gateway,
                                               capsys: pytest.CaptureFixture[str]):
    code, out, err = sapgw_flow(sapgw, capsys, "NOSUCHKEY")
    assert (code, out) == (1, "")
    assert err.startswith("sapgw: nothing found for key 'NOSUCHKEY'")
    code, out, err = sapgw_flow(sapgw, capsys, "NOSUCHKEY", "--json")
    assert code == 1 and json.loads(out)["entries"] == []
    assert sapgw_flow(sapgw, capsys, "X" * 41)[0] == 2


def test_the_page_lists_the_flow_and_smw01_links_to_it(sapgw: Gateway, http: TestClient):
    ids = funds_end_to_end(sapgw)
    detail = http.get(f"/smw01/{ids['FU']}").text
    links = re.findall(r'<h2>Document flow</h2><p>(.*?)</p>', detail, re.S)[0]
    assert f'href="/flow?key={ids["FU"]}"' in links and 'href="/flow?key=1791"' in links
    page = http.get("/flow?key=1791")
    assert page.status_code == 200
    assert "Found as: fund usage (CRM_FM_FU HEADER.FU_ID)" in page.text
    for bdoc in (ids["FU"], ids["FPO1"], ids["FPO2"]):
        assert f'<a href="/smw01/{bdoc}">{bdoc}</a>' in page.text
    assert 'href="/ko03?aufnr=' in page.text and 'href="/fb03?bukrs=1000&amp;belnr=' in page.text
    assert '<a href="/flow">Document flow</a>' in page.text  # in the navigation

    assert http.get("/flow").status_code == 200  # the form alone
    missing = http.get("/flow?key=NOSUCHKEY")
    assert missing.status_code == 404 and "nothing found for key" in missing.text


def test_the_registry_refuses_a_flow_key_on_a_field_the_type_lacks():
    broken = replace(funds.SCENARIO, flow=(
        FlowKey("fund usage", "CRM_FM_FU", "HEADER.NOPE"),
        FlowKey("fund usage", "CRM_NOSUCHTYPE", "HEADER.FU_ID")))
    with pytest.raises(ScenarioError) as refused:
        Scenarios([broken if s is funds.SCENARIO else s for s in SCENARIOS])
    assert refused.value.problems == [
        "scenario CRMFM: flow key 'fund usage': 'HEADER.NOPE' is not a field of BDoc type "
        "CRM_FM_FU (SEGMENT.FIELD)",
        "scenario CRMFM: flow key 'fund usage' names BDoc type CRM_NOSUCHTYPE, which "
        "funds.toml does not declare"]


def test_a_new_scenarios_flow_key_is_found_without_changing_the_flow(sapgw: Gateway,
                                                                     http: TestClient,
                                                                     monkeypatch):
    """Extensible per scenario: declaring a key (here the fund id) is all it takes."""
    funds_end_to_end(sapgw)
    extended = replace(funds.SCENARIO, flow=(
        *funds.SCENARIO.flow, FlowKey("fund", "CRM_FM_FU", "HEADER.FUND_ID")))
    monkeypatch.setattr(sapgw, "scenarios", Scenarios(
        [extended if s is funds.SCENARIO else s for s in SCENARIOS]))
    body = http.get("/api/flow/FUND1").json()
    assert body["found_as"] == ["fund (CRM_FM_FU HEADER.FUND_ID)"]
    assert [e["object_type"] for e in body["entries"] if e["kind"] == "BDOC"] == ["CRM_FM_FU"]


def test_the_command_reads_a_running_server_with_url(sapgw: Gateway, http: TestClient,
                                                     capsys: pytest.CaptureFixture[str]):
    """--url: the same answer from GET /api/flow/{key} (the TestClient is an httpx client)."""
    from sapgw.gateway.client import HttpClient

    funds_end_to_end(sapgw)
    client = HttpClient("http://testserver")
    client.http = http
    assert dispatch(build_parser().parse_args(["flow", "FPO1", "--json"]), client) == 0
    remote = json.loads(capsys.readouterr().out)
    assert remote == http.get("/api/flow/FPO1").json()
    assert dispatch(build_parser().parse_args(["flow", "NOSUCHKEY"]), client) == 1
    assert "nothing found for key 'NOSUCHKEY'" in capsys.readouterr().err
