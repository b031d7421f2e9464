"""ERP stub test fixtures: a fresh in-memory ERP, demo customizing, a frozen clock."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.erp_stub.kernel.system import LocalConnection


@pytest.fixture
def clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture
def erp(clock: Clock) -> Iterator[ErpSystem]:
    system = create_system("sqlite://", clock=clock)
    yield system
    system.db.dispose()


@pytest.fixture
def conn(erp: ErpSystem) -> LocalConnection:
    return erp.connect()
