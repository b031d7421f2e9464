"""Monitor test fixtures: a frozen clock and the app over HTTP, posting as the pages' forms do."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway.api import auth
from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=NOW)


class FormClient(TestClient):
    """Posts as the pages' forms do: with the CSRF token of the user (anonymous@loopback)."""

    def post(self, url: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("data", {auth.CSRF_FIELD: self.app.state.auth.csrf_token(
            auth.ANONYMOUS)})
        return super().post(url, **kwargs)


@pytest.fixture
def web(sapgw: Gateway) -> Iterator[TestClient]:
    """Every page and route of `sapgw serve`; queues run on `run_until_idle()` only."""
    with FormClient(create_app(sapgw, run_schedulers=False), follow_redirects=False) as client:
        yield client


def send(gw: Gateway, payload: dict[str, Any]) -> str:
    return gw.send(payload["type"], payload["data"], payload["sender"])["bdoc_id"]


def row_of(html: str, needle: str) -> str:
    """The table row that contains `needle`."""
    rows = [r for r in re.findall(r"<tr.*?</tr>", html, re.S) if needle in r]
    assert len(rows) == 1, f"{len(rows)} rows contain {needle!r}"
    return rows[0]
