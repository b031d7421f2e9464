"""SMW01 in a real browser: a basis user finds the failed fund usage, repairs it, sees F04.

The gateway runs behind uvicorn with its schedulers (`sapgw_server`); CRM's side (sending
BDocs) goes over REST, the monitor side through the page as a person uses it: the filter form,
the link to the BDoc, the Reprocess button with its CSRF token.
"""

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import ARTIFACTS
from tests.scenarios.conftest import fund_usage, trade_promotion

pytestmark = pytest.mark.server

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def wait_idle(url: str) -> None:
    answer = httpx.post(f"{url}/api/idle", json={"timeout": 30}, timeout=60)
    assert answer.json() == {"idle": True}, answer.text


def header_value(page: Any, field: str) -> Any:
    """The value cell of a row of the BDoc header table."""
    return page.locator(f"tr:has(> td:text-is('{field}')) > td").nth(1)


def snapshot(page: Any, name: str) -> Path:
    """A full-page PNG in test-artifacts/, checked to be a real, non-empty PNG."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000 and shot.read_bytes()[:8] == PNG_SIGNATURE
    return shot


def test_missing_trade_promotion_repaired_in_the_browser(sapgw_server: str, browser_page: Any):
    url, page = sapgw_server, browser_page
    sent = httpx.post(f"{url}/api/bdocs", json=fund_usage(tpm_id="TPM9"), timeout=30)
    assert sent.status_code == 201, sent.text
    fu = sent.json()["bdoc_id"]
    wait_idle(url)

    page.goto(f"{url}/smw01")
    page.fill("input[name=state]", "E06")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/smw01?state=E06*")
    row = page.locator("tr", has_text=fu)
    assert row.count() == 1 and row.locator(".light-red").count() == 1
    assert "CRM_FM_FU" in row.inner_text()
    snapshot(page, "smw01_1_filtered")

    page.get_by_role("link", name=fu).click()
    page.wait_for_url(f"**/smw01/{fu}")
    assert "E06" in header_value(page, "State").inner_text()
    assert "project TPM9 missing" in header_value(page, "Error").inner_text()
    snapshot(page, "smw01_2_failed")

    replicated = httpx.post(f"{url}/api/bdocs", json=trade_promotion("TPM9"), timeout=30)
    assert replicated.status_code == 201, replicated.text
    wait_idle(url)

    page.get_by_role("button", name="Reprocess").click()
    page.wait_for_url(f"**/smw01/{fu}?msg=*")
    assert "Reprocess" in page.locator(".msg.ok").inner_text()
    wait_idle(url)
    page.reload()

    state = header_value(page, "State")
    assert "F04" in state.inner_text() and state.locator(".light-green").count() == 1
    assert header_value(page, "Error").inner_text().strip() == ""
    assert "Actions apply to BDocs in an error state only" in page.content()
    assert snapshot(page, "smw01_3_repaired").is_file()
