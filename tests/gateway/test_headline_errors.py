"""Rule: the headline error everywhere is the most specific message of the failed call, in
SAP's `ID NUMBER text` form, with the whole RETURN in the log (issue 14).

One failure of each kind is driven through the public interfaces, and every place a person
reads the error is checked: SMW01 list, header and receiver row, SMQ1/SMQ2, SMWP, the CLI's
lists, REST. A new place that shows an error belongs in `_places`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.gateway.api.app import create_app
from sapgw.gateway.cli import main
from sapgw.gateway.monitor import summary
from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.message_line import exception_line, headline, row_line
from sapgw.types import new_tid

CAUSE = "F5 165 Company code 9999 is not defined"
CONTAINER = "Error in document: BKPFF $"

PROMOTION = {"HEADER": {"TPM_ID": "TPM1", "DESCRIPTION": "Summer", "COMP_CODE": "1000",
                        "SALES_ORG": "1000", "VALID_FROM": "2026-06-01",
                        "VALID_TO": "2026-12-31"}}
USAGE = {"HEADER": {"FU_ID": "1791", "FUND_ID": "FUND1", "FUND_TYPE": "TPM", "TPM_ID": "TPM1",
                    "COMP_CODE": "1000", "SALES_ORG": "1000", "CURRENCY": "EUR",
                    "EXPENSE_TYPE": "TPM1"}, "ITEMS": [{"ITEM_ID": "10", "AMOUNT": "1000.00"}]}


def _posting(comp_code: str) -> dict[str, Any]:
    return {"HEADER": {"FPO_ID": "FPO1", "POSTING_TYPE": "ACCRUAL",
                       "POSTING_DATE": "2026-11-22", "FU_ID": "1791", "FU_ITEM": "10",
                       "AMOUNT": "250.00", "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1",
                       "SALES_ORG": "1000", "COMP_CODE": comp_code}}


def test_headline_skips_container_messages_and_keeps_the_key() -> None:
    rows = [{"TYPE": "E", "ID": "RW", "NUMBER": "609", "MESSAGE": "Error in document: X"},
            {"TYPE": "W", "ID": "F5", "NUMBER": "001", "MESSAGE": "a warning"},
            {"TYPE": "E", "ID": "F5", "NUMBER": "165", "MESSAGE": "Company code 9 is not defined"}]
    assert row_line(headline(rows) or {}) == "F5 165 Company code 9 is not defined"
    assert headline(rows[:1]) == rows[0]  # only the container: better than nothing
    assert headline(rows[1:2]) is None


def test_pyrfc_message_form_gets_its_t100_text() -> None:
    exc = ABAPApplicationError("ID:SV Type:E Number:029 NOPE", 5, "TABLE_NOT_AVAILABLE",
                               "SV", "E", "029", "NOPE")
    texts = {("SV", "029"): "Table &1 is not available"}
    assert exception_line(exc, lambda c, n: texts.get((c, n))) == \
        "SV 029 Table NOPE is not available"
    assert exception_line(exc) == "SV 029 NOPE"  # no look-up at hand: still no raw codes


def _cli_on(gw: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sapgw` commands (no --url) on the fixture's databases."""
    monkeypatch.setenv("SAPGW_CONFIG", str(DEFAULT_CONFIG))
    monkeypatch.setenv("SAPGW_DB_URL", gw.settings.db_url)
    monkeypatch.setenv("SAPGW_ERP_DB_URL", gw.settings.erp_db_url)


@pytest.fixture
def failed_posting(sapgw: Gateway) -> str:
    sapgw.send("CRM_MKTPL", PROMOTION)
    sapgw.send("CRM_FM_FU", USAGE)
    bdoc_id = sapgw.send("CRM_FM_FPO", _posting("9999"))["bdoc_id"]
    sapgw.run_until_idle()
    return bdoc_id


def _places(gw: Gateway, bdoc_id: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """Every place a person reads the failed posting's error, as text."""
    web = TestClient(create_app(gw, run_schedulers=False))
    detail = gw.bdoc(bdoc_id)
    queue = detail["receivers"][0]["queue"]
    places = {
        "SMW01 list": gw.bdocs_list(state="E06")["items"][0]["error"],
        "SMW01 header": detail["error"],
        "SMW01 receiver row": detail["receivers"][0]["error"],
        "SMQ1 list": next(q for q in gw.queues("out") if q["name"] == queue)["error"],
        "SMQ1 detail": (gw.queue(queue, "out") or {})["error"],
        "SMWP blocked queues": summary.smwp(gw.db, gw.clock.now())["blocked_queues"][0]["error"],
        "REST list": web.get("/api/bdocs", params={"state": "E06"}).json()["items"][0]["error"],
        "REST BDoc": web.get(f"/api/bdocs/{bdoc_id}").json()["error"],
        "page SMW01": web.get("/smw01").text,
        "page SMQ1": web.get("/smq1").text,
        "page SMWP": web.get("/smwp").text,
    }
    for command in (["smw01"], ["smq1"], ["smw01", bdoc_id]):
        main(command)
        places["CLI " + " ".join(command[:1]) + (" <id>" if len(command) > 1 else "")] = \
            capsys.readouterr().out
    return places


def test_a_failed_posting_names_its_cause_everywhere(
        sapgw: Gateway, failed_posting: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _cli_on(sapgw, monkeypatch)
    for place, text in _places(sapgw, failed_posting, capsys).items():
        assert CAUSE in text, place
        if place != "CLI smw01 <id>":  # the detail shows the whole log, RW 609 included
            assert CONTAINER not in text, place
    log = [(e["id"], e["number"]) for e in sapgw.bdoc(failed_posting)["log"]]
    assert ("RW", "609") in log and ("F5", "165") in log  # the whole RETURN, one click away


def test_send_wait_exits_non_zero_with_the_cause(
        sapgw: Gateway, tmp_path: Any, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _cli_on(sapgw, monkeypatch)
    sapgw.send("CRM_MKTPL", PROMOTION)
    sapgw.send("CRM_FM_FU", USAGE)
    sapgw.run_until_idle()
    outcomes = [("1000", "F04", ""), ("9999", "E06", CAUSE),
                ("1000", "I02", "waits in queue R3AUFMFPO1791")]  # behind the failed one
    for i, (comp_code, state, reason) in enumerate(outcomes):
        file = tmp_path / f"fpo{i}.json"
        data = _posting(comp_code)
        data["HEADER"]["FPO_ID"] = f"FPO{i}"
        file.write_text(json.dumps({"type": "CRM_FM_FPO", "data": data}))
        assert main(["send", str(file), "--wait"]) == (1 if reason else 0)
        out, err = capsys.readouterr()
        assert state in out and reason in err


def test_smq2_and_the_cli_give_t100_texts_not_raw_codes(
        sapgw: Gateway, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    web = TestClient(create_app(sapgw, run_schedulers=False))
    queued = web.post("/sap/bc/rfc/RFC_READ_TABLE", json={"QUERY_TABLE": "NOPE"},
                      headers={"sap-trfc-tid": new_tid(), "sap-qrfc-queue": "ZTEST"})
    assert queued.json()["STATE"] == "QUEUED"
    sapgw.run_until_idle()
    expected = "SV 029 Table NOPE is not available"
    assert (sapgw.queue("ZTEST", "in") or {})["error"] == expected
    assert expected in web.get("/smq2").text
    _cli_on(sapgw, monkeypatch)
    assert main(["erp", "read-table", "BKPFX"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "sapgw: SV 029 Table BKPFX is not available"
