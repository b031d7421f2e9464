"""The posting date of a period-end run: the last day of the fiscal period."""

from __future__ import annotations

import calendar

from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext

REGULAR_PERIODS = 12


def period_end(ctx: CallContext, periv: str, year: int, period: int) -> str:
    """YYYYMMDD of the period's last day in the fiscal year variant; a special period (13–16)
    posts on the last day of period 12, as SAP's special periods do. The variants here end
    their periods at month ends, so the month ends around the year are the candidates.
    Raises ValueError when no day of the variant falls into the period."""
    regular = min(period, REGULAR_PERIODS)
    found = ""
    for calendar_year in (year - 1, year, year + 1):
        for month in range(1, 13):
            day = calendar.monthrange(calendar_year, month)[1]
            date = f"{calendar_year:04d}{month:02d}{day:02d}"
            if fbas.fiscal_period(ctx, periv, date) == (year, regular):
                found = max(found, date)
    if not found:
        raise ValueError(f"period {period}/{year} of fiscal year variant {periv}")
    return found
