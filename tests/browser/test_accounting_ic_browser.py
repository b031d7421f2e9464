"""The Accounting IC in a real browser: an agent searches a partner by company code and city,
opens it, sees balance and open items, launches FB03 on a recent document (a service request
is stored) and comes back to find the request listed. Screenshots go to the test's tmp dir."""

from pathlib import Path
from typing import Any

import httpx
import pytest

from sapgw.gateway.runtime import Gateway
from tests.ic.support import NUMBER, customer, invoice

pytestmark = pytest.mark.server

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def snapshot(page: Any, directory: Path, name: str) -> Path:
    shot = directory / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000 and shot.read_bytes()[:8] == PNG_SIGNATURE
    return shot


def test_an_agent_finds_the_partner_and_launches_fb03(sapgw: Gateway, sapgw_server: str,
                                                      browser_page: Any, tmp_path: Path):
    url, page = sapgw_server, browser_page
    sent = httpx.post(f"{url}/api/bdocs", timeout=30,
                      json={"type": "BUPA_MAIN", "sender": "CRM", "data": customer()})
    assert sent.status_code == 201, sent.text
    assert httpx.post(f"{url}/api/idle", json={"timeout": 30}, timeout=60).json() == {
        "idle": True}
    invoice(sapgw, NUMBER, "250.00", sapgw.clock.today().strftime("%Y%m%d"), "INV-77")

    page.goto(f"{url}/smw01")
    page.get_by_role("link", name="Accounting IC").click()
    page.fill("input[name=bukrs]", "1000")
    page.fill("input[name=city]", "Hamburg")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/ic/accounting?*city=Hamburg*")
    row = page.locator("tr", has_text="Aurora Tools")
    assert row.count() == 1 and "customer" in row.inner_text()
    snapshot(page, tmp_path, "aic_1_search")

    row.get_by_role("link", name=NUMBER).click()
    page.wait_for_url("**/ic/accounting/partner?*")
    assert "250.00" in page.content()
    assert page.locator("tr", has_text="INV-77").count() >= 1
    snapshot(page, tmp_path, "aic_2_partner")

    page.locator("tr", has_text="INV-77").last.get_by_role("button", name="FB03").click()
    page.wait_for_url("**/fb03?*")
    assert "250.00" in page.content()
    snapshot(page, tmp_path, "aic_3_fb03")

    page.go_back()
    page.reload()
    requests = page.locator("tr", has_text="SRVR")
    assert requests.count() == 1 and "FB03" in requests.inner_text()
    assert NUMBER in requests.inner_text()
    snapshot(page, tmp_path, "aic_4_service_request")
