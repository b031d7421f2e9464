"""Document flow fixtures: a frozen clock and the app in-process over HTTP."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture
def http(sapgw: Gateway) -> Iterator[TestClient]:
    """HTTP against the gateway; queues run only when the test calls run_until_idle()."""
    with TestClient(create_app(sapgw, run_schedulers=False), follow_redirects=False) as client:
        yield client
