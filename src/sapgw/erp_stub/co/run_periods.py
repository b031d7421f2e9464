"""What the period-end runs (results analysis, settlement) share: the period a run works on,
and what it answers for one order (`RunOutcome`) with its log in the run's message class
(`RunLog`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sapgw.erp_stub.co.master_data import controlling_area
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2


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


@dataclass
class RunOutcome:
    """One order's run: its log (BAPIRET2 rows), the lines to show and the document it
    posted, if the run posts one (settlement)."""

    aufnr: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    belnr: str = ""

    @property
    def failed(self) -> bool:
        return any(row["TYPE"] in ("E", "A") for row in self.messages)


class RunLog:
    """Adds the run's messages to an outcome's log: say("S", "001", ...); a message about
    the order itself names its field (field_name="ORDERID", parameter ORDERID)."""

    def __init__(self, ctx: CallContext, msg_class: str, outcome: RunOutcome) -> None:
        self.system = ctx.logical_system
        self.msg_class = msg_class
        self.messages = outcome.messages

    def __call__(self, kind: str, number: str, *variables: Any, field_name: str = "") -> None:
        self.messages.append(bapiret2(kind, self.msg_class, number, *variables,
                                      parameter="ORDERID" if field_name else "",
                                      field=field_name, system=self.system))
