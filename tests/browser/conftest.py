"""A headless Debian Chromium driven by Playwright, for the end-to-end monitor tests.

The browser is the system's (`apt-get install chromium`, done by `make browser` and CI), never
Playwright's own download, which this project does not use. When it is missing or does not
start, the tests fail and say how to install it: a skipped browser test would hide a broken
setup.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SAPGW_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
INSTALL = "install it with `make browser` (apt-get install -y chromium)"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium per test module; fails (never skips) when it cannot start.

    Not per session: while Playwright's sync API is open, asyncio sees its loop as running in
    this thread, and later tests that start their own (the TestClient's anyio) would fail.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: pip install -e '.[dev]'",
                    pytrace=False)
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(f"no Chromium at {CHROMIUM}: {INSTALL}", pytrace=False)
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=FLAGS)
        except Error as exc:
            pytest.fail(f"Chromium at {CHROMIUM} did not start ({exc}); {INSTALL}",
                        pytrace=False)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A fresh page (own cookies) with a desktop-sized viewport."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
