"""SMW02, the SMWP cockpit and the ERP displays in-process, on the seed 004 fund scenario."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway.monitor import cockpit_pages, erp_views, summary
from sapgw.gateway.runtime import Gateway
from tests.monitor.conftest import NOW, row_of, send
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion


def cells(row: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


@pytest.fixture
def funds(sapgw: Gateway) -> Gateway:
    """Trade promotion TPM1, fund usage 1791 and accrual FPO1, all through to the ERP."""
    for payload in (trade_promotion(), fund_usage(), fund_posting("FPO1")):
        send(sapgw, payload)
    sapgw.run_until_idle()
    return sapgw


def test_smw02_counts_by_type_state_and_hour(funds: Gateway, web: TestClient):
    send(funds, fund_usage(fu_id="1792", tpm_id="TPM9"))  # no such project: E06
    funds.run_until_idle()

    counts = {(c["type"], c["state"]): c["count"] for c in summary.bdoc_counts(funds.db)}
    assert counts == {("CRM_FM_FPO", "F04"): 1, ("CRM_FM_FU", "E06"): 1,
                      ("CRM_FM_FU", "F04"): 1, ("CRM_MKTPL", "F04"): 1}
    hourly = summary.bdoc_hourly(funds.db, NOW)
    assert len(hourly) == 24 and hourly[-1]["hour"] == "2026-11-22T12:00:00Z"
    assert (hourly[-1]["total"], hourly[-1]["green"], hourly[-1]["red"]) == (4, 3, 1)
    assert sum(h["total"] for h in hourly[:-1]) == 0

    page = web.get("/smw02")
    assert page.status_code == 200 and "Read at 2026-11-22 12:00:00 UTC" in page.text
    assert cells(row_of(page.text, ">CRM_FM_FU<")) == ["CRM_FM_FU", "1", "1", "2"]
    assert 'href="/smw01?type=CRM_FM_FU&amp;state=E06"' in page.text
    assert cells(row_of(page.text, "2026-11-22 12:00"))[1:] == ["4", "3", "0", "1"]


def test_smwp_lights_turn_red_after_a_failed_fund_usage(sapgw: Gateway, web: TestClient):
    send(sapgw, trade_promotion())
    sapgw.run_until_idle()
    calm = summary.smwp(sapgw.db, NOW)
    assert [x["light"] for x in calm["lights"]] == ["green"] * 4
    assert calm["last_hour"]["throughput"][-1] == 1 and calm["last_hour"]["backlog"][-1] == 0

    send(sapgw, fund_usage(tpm_id="TPM9"))
    sapgw.run_until_idle()
    data = summary.smwp(sapgw.db, NOW)
    lights = {x["key"]: x for x in data["lights"]}
    assert lights["blocked_queues"]["light"] == "red"
    assert lights["bdocs_in_error"]["light"] == "red" and lights["bdocs_in_error"]["value"] == "1"
    assert lights["destinations_unreachable"]["light"] == "green"
    assert data["oldest_luw"]["queue"] == "R3AUFMFU1791"
    assert data["last_hour"]["backlog"][-1] == 1  # the failed BDoc is not final

    page = web.get("/smwp").text
    assert "light-red" in row_of(page, "Blocked queues (SYSFAIL")
    assert "light-red" in row_of(page, "BDocs in error")
    assert 'href="/smq1/R3AUFMFU1791"' in page
    assert 'href="/smw01?state=E01,E02,E04,E06,E08"' in page
    assert page.count("<svg") == 2 and "<polyline" in page


def test_backlog_series_walks_back_from_now(sapgw: Gateway, sapgw_clock: Clock):
    sapgw_clock.advance(timedelta(minutes=-30))
    send(sapgw, trade_promotion())
    sapgw_clock.advance(timedelta(minutes=20))
    sapgw.run_until_idle()  # final 10 minutes before NOW
    sapgw_clock.advance(timedelta(minutes=10))
    series = summary.last_hour(sapgw.db, NOW)
    assert series["backlog"][29] == 1 and series["backlog"][48] == 1
    assert series["backlog"][49] == 0 and series["backlog"][-1] == 0
    assert series["backlog"][28] == 0
    assert series["throughput"][49] == 1 and sum(series["throughput"]) == 1


def test_svg_chart_escapes_and_scales():
    svg = cockpit_pages.svg_chart("<b>x</b>", [0, 5, 10], "#2a2", width=134, height=118)
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert 'points="34.0,100.0 80.0,60.0 126.0,20.0"' in svg


def test_fb03_shows_the_accrual_document_with_two_lines(funds: Gateway, web: TestClient):
    found = web.get("/fb03", params={"xblnr": "FPO1"})
    assert found.status_code == 200
    link = re.search(r'href="(/fb03\?[^"]*)">0100000000<', found.text)
    assert link, found.text
    page = web.get(unescape(link.group(1)))
    assert page.status_code == 200
    assert cells(row_of(page.text, "<td>001</td>"))[:5] == ["001", "40", "S", "250.00",
                                                            "0000477000"]
    assert cells(row_of(page.text, "<td>002</td>"))[:5] == ["002", "50", "H", "250.00",
                                                            "0000196000"]
    assert 'href="/ko03?aufnr=000000100000"' in page.text
    assert "Debit 250.00 · Credit 250.00 EUR" in page.text
    short = web.get("/fb03", params={"bukrs": "1000", "belnr": "100000000", "gjahr": "2026"})
    assert short.status_code == 200 and "Fund posting FPO1" in short.text


def test_ko03_shows_the_coep_line_and_totals(funds: Gateway, web: TestClient):
    page = web.get("/ko03", params={"aufnr": "100000"})
    assert page.status_code == 200
    assert "Fund usage 1791/10" in page.text
    line = cells(row_of(page.text, "Fund posting FPO1"))
    assert line[4:7] == ["0000477000", "250.00", "250.00"]
    assert cells(row_of(page.text, "<b>Total</b>")) == ["Total", "250.00"]
    with funds.destination("ERP") as conn:
        order = erp_views.internal_order(conn, "100000")
    assert order is not None
    assert order["totals"] == [{"KSTAR": "0000477000", "WKGBTR": Decimal("250.00")}]
    # COSP holds what the line items add up to, in the line's year and period.
    [item] = order["items"]
    assert order["periods"] == [{"GJAHR": item["GJAHR"], "PERIO": item["PERIO"],
                                 "KSTAR": "0000477000", "COSP": Decimal("250.00"),
                                 "COSS": Decimal("0.00"), "WKG": Decimal("250.00")}]
    assert "Totals by cost element and period (COSP/COSS)" in page.text


def test_iaomc_and_cj20n(funds: Gateway, web: TestClient):
    page = web.get("/iaomc", params={"scenario": "CRMFM", "key": "00000000000000001791/10"})
    assert page.status_code == 200
    assert cells(row_of(page.text, "<td>OBJECT_NO</td>")) == ["OBJECT_NO", "OR000000100000"]
    assert 'href="/ko03?aufnr=000000100000"' in page.text

    project = web.get("/cj20n", params={"project": "TPM1"})
    assert project.status_code == 200
    assert cells(row_of(project.text, "TPM1.01"))[:2] == ["TPM1.01", "Summer promotion"]
    assert "PR00000001" in project.text


@pytest.mark.parametrize(("path", "params", "says"), [
    ("/fb03", {"bukrs": "1000", "belnr": "4711", "gjahr": "2026"}, "document 4711"),
    ("/fb03", {"xblnr": "NOPE"}, "reference NOPE"),
    ("/ko03", {"aufnr": "999"}, "internal order 999 does not exist"),
    ("/iaomc", {"key": "00000000000000009999/10"}, "key 00000000000000009999/10"),
    ("/cj20n", {"project": "TPM404"}, "project TPM404 does not exist"),
])
def test_unknown_keys_answer_not_found(sapgw: Gateway, web: TestClient, path: str,
                                       params: dict[str, str], says: str):
    page = web.get(path, params=params)
    assert page.status_code == 404
    assert says in unescape(page.text)


def test_bad_keys_are_refused_and_escaped(sapgw: Gateway, web: TestClient):
    page = web.get("/fb03", params={"belnr": "1' OR '1'='1", "gjahr": "2026"})
    assert page.status_code == 400 and "without quotes" in page.text
    assert "1' OR" not in page.text
    year = web.get("/fb03", params={"belnr": "1", "gjahr": "26"})
    assert year.status_code == 400 and "four digits" in year.text


def test_forms_without_keys(sapgw: Gateway, web: TestClient):
    for path in ("/fb03", "/ko03", "/iaomc", "/cj20n"):
        page = web.get(path)
        assert page.status_code == 200 and f'action="{path}"' in page.text
