"""Repair where the error is (issue 14): SMW01's rules for which state allows which action,
the data change of an erroneous BDoc (audited, old and new values kept) and its reprocessing,
and the confirmation before Discard."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from sapgw.bdoc.states import BDocState
from sapgw.gateway.actions import DATA_ERRORS, ActionRefused
from sapgw.gateway.api import auth
from sapgw.gateway.cli import main
from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway
from sapgw.gateway.store.bdocs import H
from tests.monitor.conftest import send
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion


def _bad_posting(gw: Gateway) -> str:
    """A fund posting whose amount is no number: E04, nothing sent."""
    send(gw, trade_promotion())
    send(gw, fund_usage())
    bdoc = send(gw, fund_posting("FPO1", amount="25O.00"))
    gw.run_until_idle()
    assert gw.bdoc(bdoc)["state"] == "E04"
    return bdoc


@pytest.mark.parametrize("state", list(BDocState))
def test_each_state_allows_the_actions_smw01_allows(sapgw: Gateway, state: BDocState) -> None:
    """Discard and set processed only in an error state; data changes only in a data error."""
    bdoc = send(sapgw, trade_promotion())
    with sapgw.db.write() as conn:
        conn.execute(update(H).where(H.c.bdoc_id == bdoc).values(state=state.value))
    actions = sapgw.actions
    for _action, act, allowed in (
            ("change data", lambda: actions.change_data(bdoc, {"HEADER.DESCRIPTION": "x"}),
             state in DATA_ERRORS),
            ("set processed", lambda: actions.set_processed(bdoc), state.error),
            ("discard", lambda: actions.discard(bdoc), state.error)):
        if allowed:
            act()
            break  # the BDoc has moved on: the next action would see another state
        with pytest.raises(ActionRefused):
            act()
    if not state.error:
        with pytest.raises(ActionRefused, match="only BDocs in an error state"):
            actions.reprocess(bdoc)


def test_an_e04_bdoc_is_corrected_audited_and_reprocessed(sapgw: Gateway,
                                                          web: TestClient) -> None:
    bdoc = _bad_posting(sapgw)
    page = web.get(f"/smw01/{bdoc}").text
    assert "<h2>Change data</h2>" in page
    wrong = web.patch(f"/api/bdocs/{bdoc}/data", json={"changes": {"NOSEG.X": "1"}})
    assert wrong.status_code == 400 and "segments: HEADER" in wrong.json()["message"]
    changed = web.patch(f"/api/bdocs/{bdoc}/data", json={
        "changes": {"HEADER.AMOUNT": "250.00"}, "reprocess": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["changes"] == {"HEADER.AMOUNT": {"old": "25O.00", "new": "250.00"}}
    sapgw.run_until_idle()
    detail = sapgw.bdoc(bdoc)
    assert detail["state"] == "F04"
    assert any("Data changed: HEADER.AMOUNT '25O.00' -> '250.00'" in e["message"]
               for e in detail["log"])
    entry = next(e for e in web.get("/api/audit").json() if e["action"] == "change-data")
    assert entry["before"] == {"state": "E04", "data": {"HEADER.AMOUNT": "25O.00"}}
    assert entry["after"] == {"state": "E04", "data": {"HEADER.AMOUNT": "250.00"}}
    again = web.patch(f"/api/bdocs/{bdoc}/data", json={"changes": {"HEADER.AMOUNT": "1"}})
    assert again.status_code == 409 and "data can be changed only in E04, E08" in \
        again.json()["message"]


def test_the_page_form_and_the_cli_change_data(sapgw: Gateway, web: TestClient,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bdoc = _bad_posting(sapgw)
    token = web.app.state.auth.csrf_token(auth.ANONYMOUS)
    answer = web.post(f"/smw01/{bdoc}/change-data", data={
        "path": "HEADER.AMOUNT", "value": "251.00", auth.CSRF_FIELD: token})
    assert answer.status_code == 303 and "Data+changed" in answer.headers["location"]
    monkeypatch.setenv("SAPGW_CONFIG", str(DEFAULT_CONFIG))
    monkeypatch.setenv("SAPGW_DB_URL", sapgw.settings.db_url)
    monkeypatch.setenv("SAPGW_ERP_DB_URL", sapgw.settings.erp_db_url)
    assert main(["change-data", bdoc, "header.amount=250.00", "--reprocess"]) == 0
    assert "HEADER.AMOUNT: '251.00' -> '250.00'" in capsys.readouterr().out
    sapgw.run_until_idle()
    assert sapgw.bdoc(bdoc)["state"] == "F04"
    assert main(["change-data", bdoc, "HEADER.AMOUNT=1"]) == 1
    assert "can be changed only in E04, E08" in capsys.readouterr().err


def test_discard_on_the_page_asks_first(sapgw: Gateway, web: TestClient) -> None:
    bdoc = _bad_posting(sapgw)
    asked = web.post(f"/smw01/{bdoc}/discard")
    assert "Discard BDoc" in asked.text and "discard?confirm=yes" in asked.text
    assert sapgw.bdoc(bdoc)["state"] == "E04"
    done = web.post(f"/smw01/{bdoc}/discard?confirm=yes")
    assert done.status_code == 303 and sapgw.bdoc(bdoc)["state"] == "F01"


def test_not_found_keeps_the_search(web: TestClient) -> None:
    answer = web.get("/smw01/0123456789ABCDEF")
    assert answer.status_code == 404
    assert '<form method="get" action="/smw01">' in answer.text
    assert 'value="0123456789ABCDEF"' in answer.text
    ko03 = web.get("/ko03", params={"aufnr": "1"})
    assert ko03.status_code == 404 and '<form method="get" action="/ko03">' in ko03.text
