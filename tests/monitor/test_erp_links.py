"""SMW01's "In the ERP" links come from the scenario declarations, not from the monitor."""

import re
from dataclasses import replace
from html import unescape

from starlette.testclient import TestClient

from sapgw.adapters import funds
from sapgw.adapters.registry import Scenarios
from sapgw.adapters.scenario import ErpLink
from sapgw.adapters.scenarios import SCENARIOS
from sapgw.gateway.runtime import Gateway
from tests.monitor.conftest import send
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion


def erp_section(html: str) -> str:
    found = re.search(r"<h2>In the ERP</h2><p>(.*?)</p>", html, re.S)
    return unescape(found.group(1)) if found else ""


def test_each_funds_and_marketing_bdoc_links_to_what_it_produced(sapgw: Gateway,
                                                                 web: TestClient):
    ids = [send(sapgw, p) for p in (trade_promotion(), fund_usage(), fund_posting("FPO1"))]
    sapgw.run_until_idle()
    tpm, fu, fpo = (erp_section(web.get(f"/smw01/{b}").text) for b in ids)
    assert tpm == '<a href="/cj20n?project=TPM1">CJ20N project TPM1</a>'
    assert fu == ('<a href="/iaomc?scenario=CRMFM&key=00000000000000001791%2F10">IAOMC CRMFM '
                  '00000000000000001791/10</a>')
    assert fpo == ('<a href="/iaomc?scenario=CRMFM&key=00000000000000001791%2F10">IAOMC CRMFM '
                   '00000000000000001791/10</a> · <a href="/fb03?bukrs=1000&xblnr=FPO1">FB03 '
                   'accrual document FPO1</a>')
    # Each link opens a page that finds the object.
    for href in re.findall(r'href="([^"]+)"', tpm + fu + fpo):
        assert web.get(href).status_code == 200, href


def test_the_page_renders_whatever_the_scenario_declares(sapgw: Gateway, web: TestClient,
                                                          monkeypatch):
    def links(bdoc_type: str, data: dict) -> list[ErpLink]:
        kunnr = data["HEADER"]["FU_ID"][-4:]
        return [ErpLink("KO03", "order 400001", {"aufnr": "400001"}),
                ErpLink("XD03", f"customer {kunnr}", {"kunnr": kunnr})]

    declared = [replace(funds.SCENARIO, links=links) if s is funds.SCENARIO else s
                for s in SCENARIOS]
    monkeypatch.setattr(sapgw, "scenarios", Scenarios(declared))
    fu = send(sapgw, fund_usage())
    shown = erp_section(web.get(f"/smw01/{fu}").text)
    # KO03 has a page in the monitor, but the ERP has no order 400001 (the fund usage has not
    # run): named, not linked. XD03 has no page, so it is named without a link.
    assert shown == ('KO03 order 400001 <small class="missing">(not in the ERP)</small> · '
                     'XD03 customer 1791')


def test_a_failed_posting_links_only_to_what_exists(sapgw: Gateway, web: TestClient):
    send(sapgw, trade_promotion())
    send(sapgw, fund_usage())
    payload = fund_posting("FPO7")
    payload["data"]["HEADER"]["COMP_CODE"] = "9999"
    bdoc = send(sapgw, payload)
    sapgw.run_until_idle()
    shown = erp_section(web.get(f"/smw01/{bdoc}").text)
    assert shown.startswith('<a href="/iaomc?')  # the fund usage's assignment exists
    assert shown.endswith('FB03 accrual document FPO7 <small class="missing">(not in the ERP)'
                          '</small>')


def test_a_bdoc_that_failed_validation_has_no_erp_links(sapgw: Gateway, web: TestClient):
    payload = fund_posting("FPO9")
    payload["data"]["HEADER"]["AMOUNT"] = "not a number"
    bdoc = send(sapgw, payload)
    sapgw.run_until_idle()
    page = web.get(f"/smw01/{bdoc}").text
    assert "E04" in page and "In the ERP" not in page
