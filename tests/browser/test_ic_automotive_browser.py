"""The Automotive IC in a real browser: an agent finds a customer's vehicle and opens its view.

VMS's side goes over JSON RFC to the running gateway (create, GRCV, CRMV, CRMS with
IV_COMMIT = X); the ERP's outbound queue and the gateway's flow bring the vehicle into the
CDB; the agent's side is the page as a person uses it: the search form, the result's link,
the vehicle view with its sections and links.
"""

from typing import Any

import httpx
import pytest

from tests.browser.test_smw01_browser import snapshot, wait_idle

pytestmark = pytest.mark.server

VIN = "WAUZZZ8K9BA123456"


def rfc(url: str, function: str, **params: Any) -> dict[str, Any]:
    answer = httpx.post(f"{url}/sap/bc/rfc/{function}", json=params, timeout=30)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert all(row["TYPE"] not in "EA" for row in result["RETURN"]), result["RETURN"]
    return result


def test_agent_finds_the_vehicle_by_customer_and_sees_its_view(sapgw_server: str,
                                                               browser_page: Any):
    url, page = sapgw_server, browser_page
    rfc(url, "VLC_VEHICLE_CREATE", IV_COMMIT="X", IS_VEHICLE={
        "VHVIN": VIN, "VLC_MATNR": "VLC-SEDAN-A4", "DEALER": "3100"},
        IT_CONFIG=[{"ATNAM": "COLOR", "ATWRT": "Daytona grey"}])
    for action, extra in (("GRCV", {}), ("CRMS", {"IV_CRM_ORDER": "5000123",
                                                   "IS_PARTNERS": {"ENDCUST": "3200"}}),
                          ("CRMV", {})):  # CRMS sends the assignment, CRMV the partners
        rfc(url, "VLC_ACTION_EXECUTE", IV_VHVIN=VIN, IV_ACTION=action, IV_COMMIT="X", **extra)
    wait_idle(url)

    page.goto(f"{url}/smwp")
    page.get_by_role("link", name="Automotive IC").click()
    page.wait_for_url("**/ic/automotive")
    page.fill("input[name=customer]", "Autohaus")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/ic/automotive?*customer=Autohaus*")
    row = page.locator("tr", has_text=VIN)
    assert row.count() == 1 and "Autohaus Nord" in row.inner_text()
    assert "Sabine Krueger" in row.inner_text() and "RESV" in row.inner_text()
    snapshot(page, "ic_automotive_1_search")

    page.get_by_role("link", name=VIN).click()
    page.wait_for_url(f"**/ic/automotive/vehicles/{VIN}")
    content = page.content()
    assert "Daytona grey" in content and "VLC-SEDAN-A4" in content
    assert page.get_by_role("link", name="5000123").count() == 1   # the CRM document
    history = page.locator("h2:text-is('History') + table").inner_text()
    assert [line.split("\t")[1] for line in history.splitlines()[1:]] == [
        "CRMV", "CRMS", "GRCV", "CREA"]
    snapshot(page, "ic_automotive_2_vehicle")

    page.get_by_role("link", name="3200").click()  # the end customer's other vehicles
    page.wait_for_url("**/ic/automotive?customer=3200")
    assert page.locator("tr", has_text=VIN).count() == 1

    page.goto(f"{url}/ic/automotive/vehicles/WAUZZZ8K9BA000000")
    assert "No individual object (vehicle) WAUZZZ8K9BA000000" in page.content()
    page.goto(f"{url}/ic/automotive?vehicle=12ab")
    assert "vehicle" in page.locator(".msg.err").inner_text()
