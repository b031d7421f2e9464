"""Planned activity prices (KP26): BAPI_ACT_PRICE_CHECK_AND_POST writes them,
BAPI_CTR_GETACTIVITYPRICES and `activity_price` read them back.

A price belongs to a cost center, an activity type, a fiscal year, the plan version (only 000
here) and a period (001..016: the K4 variant's 12 periods and 4 special periods). It has a
fixed and a variable part and refers to a price unit; value of an allocation = quantity x
price / price unit. Amounts are in the controlling area's currency (PLAN_CURRTYPE C), rounded
half-up to its decimals. TOT_VALUE gives one price for every period PERIOD_FROM..PERIOD_TO
(distribution key 1, the only one built); PER_VALUE gives each period its own. DELTA = 'X'
adds the values to the prices already planned. Stored in ZCO_ACT_PRICE (ours, master_tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from sapgw.erp_stub.co.master_tables import ZCO_ACT_PRICE
from sapgw.erp_stub.kernel.context import CallContext

PLAN_VERSION = "000"
PERIODS = range(1, 17)
_PRICES = ZCO_ACT_PRICE.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ActivityPrice:
    """The planned price of one cost center / activity type in one period."""

    kokrs: str
    kostl: str
    lstar: str
    gjahr: str
    period: int
    total: Decimal            # fixed + variable, per price unit
    fixed: Decimal
    price_unit: Decimal
    currency: str

    @property
    def variable(self) -> Decimal:
        return self.total - self.fixed

    def value(self, quantity: Decimal) -> Decimal:
        """Allocation value of a quantity (unrounded): quantity x price / price unit."""
        return quantity * self.total / self.price_unit


def kl_object(kokrs: str, kostl: str, lstar: str) -> str:
    """OBJNR of a cost center / activity type combination: KL + KOKRS + KOSTL + LSTAR."""
    return f"KL{kokrs}{kostl}{lstar}"


def activity_price(ctx: CallContext, kokrs: str, kostl: str, lstar: str, gjahr: str,
                   period: int, version: str = PLAN_VERSION) -> ActivityPrice | None:
    """The committed planned price, or None when none is planned for that period."""
    rows = prices(ctx, kokrs, gjahr, version, kostls=(kostl, kostl), lstars=(lstar, lstar),
                  periods=(period, period))
    return rows[0] if rows else None


def prices(ctx: CallContext, kokrs: str, gjahr: str, version: str,
           kostls: tuple[str, str], lstars: tuple[str, str], periods: tuple[int, int]
           ) -> list[ActivityPrice]:
    """Committed planned prices in key order, cost centers, activity types and periods
    within the (low, high) ranges."""
    query = select(_PRICES).where(
        _PRICES.c.KOKRS == kokrs, _PRICES.c.GJAHR == gjahr, _PRICES.c.VERSN == version,
        _PRICES.c.KOSTL.between(*kostls), _PRICES.c.LSTAR.between(*lstars),
        _PRICES.c.PERIO.between(f"{periods[0]:03d}", f"{periods[1]:03d}"),
    ).order_by(_PRICES.c.KOSTL, _PRICES.c.LSTAR, _PRICES.c.PERIO)
    with ctx.read() as conn:
        rows = conn.execute(query).all()
    return [ActivityPrice(row.KOKRS, row.KOSTL, row.LSTAR, row.GJAHR, int(row.PERIO),
                          row.TKGBTR, row.TKFBTR, row.TKEBTR, row.TWAER) for row in rows]


def save_prices(ctx: CallContext, planned: dict[tuple[str, str, int], tuple[Decimal, Decimal,
                Decimal]], kokrs: str, gjahr: str, currency: str, delta: bool) -> None:
    """Register the prices {(KOSTL, LSTAR, period): (total, fixed, unit)} in the LUW:
    replacing (or, with delta, adding to) those already planned."""
    kostls = sorted({kostl for kostl, _, _ in planned})
    lstars = sorted({lstar for _, lstar, _ in planned})
    existing = {(p.kostl, p.lstar, p.period): p for p in prices(
        ctx, kokrs, gjahr, PLAN_VERSION, (kostls[0], kostls[-1]), (lstars[0], lstars[-1]),
        (1, 16))}
    today = ctx.clock.today().strftime("%Y%m%d")
    for (kostl, lstar, period), (total, fixed, unit) in sorted(planned.items()):
        old = existing.get((kostl, lstar, period))
        if old is not None and delta:
            total, fixed = old.total + total, old.fixed + fixed
        values = {"TKGBTR": total, "TKFBTR": fixed, "TKEBTR": unit, "TWAER": currency,
                  "AEDAT": today}
        key = {"KOKRS": kokrs, "KOSTL": kostl, "LSTAR": lstar, "GJAHR": gjahr,
               "VERSN": PLAN_VERSION, "PERIO": f"{period:03d}"}
        if old is None:
            ctx.insert(ZCO_ACT_PRICE, {**key, **values,
                                       "OBJNR": kl_object(kokrs, kostl, lstar)})
        else:
            ctx.update(ZCO_ACT_PRICE, key=key, values=values)
