"""Fault tests run on the scenario tests' frozen day (2026-11-22) with their payloads."""

from datetime import UTC, datetime

import pytest

from sapgw.clock import Clock


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
