"""The Interaction Center's tests run on the plugin's `sapgw`, its clock frozen at START."""

from datetime import UTC, datetime

import pytest

from sapgw.clock import Clock

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=START)
