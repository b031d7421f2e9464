"""Step 5 of IFRS 15: the revenue schedule of a performance obligation, as cumulative
revenue per period, from which the deferral items (FARR_D_DEFITEM) take their deltas.

Periods are calendar months (ours: fiscal year = calendar year), written YYYYPPP.

- Time-based (FULFILL_TYPE T): the allocated amount spread evenly over the months from
  START_DATE to END_DATE, each month rounded half up, the last month taking the residue
  (ours, SAP does not publish its rule), so the schedule adds up to ALLOC_AMT.
- Event-based on fulfilment items (E / FI): cumulative revenue = ALLOC_AMT x cumulative
  fulfilled quantity / quantity (capped at the quantity), rounded half up.
- Event-based on the start date (E / SD, ours: a one-off charge): all at the start month.
- Value-based (E / VB, ours: usage with an estimated quantity): the fulfilments' amounts.

A prospective change from period s (PRO_PERIOD) keeps the revenue of the periods before s
(PRO_AMT_CUMULATE, and the quantity fulfilled before s) and spreads what is left of the new
allocation over what is left of the fulfilment; a retrospective change (no split) recomputes
every period, and the posting run books the difference to what was posted as catch-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sapgw.erp_stub.kernel.money import round_amount

TIME, EVENT = "T", "E"
FULFILMENT_ITEMS, START_DATE, VALUE_BASED = "FI", "SD", "VB"


def period_of(date: str) -> str:
    """YYYYMMDD -> YYYYPPP."""
    return f"{date[:4]}0{date[4:6]}"


def months(start: str, end: str) -> list[str]:
    """The periods from the month of `start` to the month of `end`, both included."""
    year, month = int(start[:4]), int(start[4:6])
    last = (int(end[:4]), int(end[4:6]))
    periods = []
    while (year, month) <= last:
        periods.append(f"{year:04d}{month:03d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods


@dataclass
class PobPlan:
    """What the schedule of one POB depends on."""

    alloc: Decimal
    fulfill_type: str
    event_type: str
    start: str
    end: str
    quantity: Decimal
    # (period, quantity, amount) of each fulfilment
    fulfilments: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)
    pro_period: str = ""
    pro_amount: Decimal = Decimal(0)
    pro_quantity: Decimal = Decimal(0)
    decimals: int = 2


def cumulative(plan: PobPlan, period: str) -> Decimal:
    """Revenue recognised from period s (the split, or the beginning) up to `period`,
    plus the revenue before s."""
    split, before = plan.pro_period, plan.pro_amount if plan.pro_period else Decimal(0)
    if split and period < split:
        raise ValueError("periods before a prospective split keep their stored revenue")
    remaining = plan.alloc - before
    if plan.event_type == VALUE_BASED:
        return sum((amount for p, _q, amount in plan.fulfilments if p <= period), Decimal(0))
    if plan.fulfill_type == TIME:
        periods = [p for p in months(plan.start, plan.end) if not split or p >= split]
        if not periods:  # the change comes after the end: the rest at once
            return before + remaining
        per = round_amount(remaining / len(periods), plan.decimals)
        done = [p for p in periods if p <= period]
        if len(done) == len(periods):
            return before + remaining
        return before + per * len(done)
    if plan.event_type == START_DATE:
        return before + (remaining if period >= max(split, period_of(plan.start)) else 0)
    delivered = min(sum((q for p, q, _a in plan.fulfilments if p <= period), Decimal(0)),
                    plan.quantity)
    base = plan.quantity - (plan.pro_quantity if split else Decimal(0))
    done = delivered - (plan.pro_quantity if split else Decimal(0))
    if base <= 0:
        return before + remaining
    return before + round_amount(remaining * max(done, Decimal(0)) / base, plan.decimals)


def relevant_periods(plan: PobPlan, extra: set[str]) -> list[str]:
    """The periods the schedule has a row for (from the split on), with `extra` ones."""
    periods = set(extra)
    if plan.fulfill_type == TIME and plan.event_type != VALUE_BASED:
        periods |= set(months(plan.start, plan.end))
    elif plan.event_type == START_DATE:
        periods.add(period_of(plan.start))
    periods |= {p for p, _q, _a in plan.fulfilments}
    if plan.pro_period:
        periods.add(plan.pro_period)
        periods = {p for p in periods if p >= plan.pro_period}
    return sorted(periods)


def deltas(plan: PobPlan, extra: set[str] = frozenset()) -> dict[str, Decimal]:  # type: ignore[assignment]
    """Revenue per period (REV_AMT_DELTA) from the split (or the beginning) on."""
    result, previous = {}, plan.pro_amount if plan.pro_period else Decimal(0)
    for period in relevant_periods(plan, set(extra)):
        now = cumulative(plan, period)
        result[period] = now - previous
        previous = now
    return result

