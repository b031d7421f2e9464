"""The period a period-end run (results analysis, settlement) works on."""

from __future__ import annotations

from sapgw.erp_stub.co.master_data import controlling_area
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext


def run_period(ctx: CallContext, fisc_year: str, period: str, kokrs: str = ""
               ) -> tuple[int, int] | None:
    """(year, period), or None for a period outside 001..016 or no year (the caller says so
    in its own message class). A collective run (`kokrs` given) without year and period
    takes today's period in the controlling area's fiscal year variant: what a background
    job (SM36) runs with."""
    year = int(fisc_year) if str(fisc_year).strip().isdigit() else 0
    number = int(period) if str(period).strip().isdigit() else 0
    area = controlling_area(ctx, kokrs) if kokrs else None
    if not year and not number and area is not None:
        return fbas.fiscal_period(ctx, area.LMONA, ctx.clock.today().strftime("%Y%m%d"))
    if not year or not 1 <= number <= 16:
        return None
    return year, number
