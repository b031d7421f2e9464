"""Fixtures of the FI-CA → RAR scenarios: an in-process gateway (ERP with FI-CA, RAR behind
destination RAR) on a clock the tests set, and HTTP against it (REST and JSON RFC); queues
run only when a test calls run_until_idle()."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway


@pytest.fixture
def clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))


@pytest.fixture
def gateway(clock: Clock) -> Iterator[Gateway]:
    gw = Gateway.in_memory(clock=clock)
    yield gw
    gw.close()


@pytest.fixture
def http(gateway: Gateway) -> Iterator[TestClient]:
    with TestClient(create_app(gateway, run_schedulers=False)) as client:
        yield client
