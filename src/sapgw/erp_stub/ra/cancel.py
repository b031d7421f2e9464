"""Cancellation of an order's results analysis for one period (KKA2 "cancel").

The period's RA data go: COSB's period columns back to 0, so WIP, reserves and the other
RA values are cumulatively what the previous period left, and the period's line items are
reversed by COEPB lines of opposite sign (`results.cancel_period`). Only the last period with
RA data can be cancelled (ZRA 915 names the later one); a period without RA data answers
ZRA 917. Settlement is not asked: a settlement of the cancelled values is taken back by the
next settlement, which settles the difference to COSBD (or reverse it first with KO88).
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.ra import results
from sapgw.erp_stub.ra.run import MESSAGE_CLASS, VERSION
from sapgw.erp_stub.ra.valuation import Category

ZERO = Decimal(0)


def cancel(ctx: CallContext, aufnr: str, *, gjahr: int, period: int, versn: str = VERSION,
           usnam: str = "") -> co.RunOutcome:
    """Cancel the order's RA result of the period (see the module): messages and the
    cancelled values (PERIOD: the change the cancellation makes), registered in the
    caller's LUW unless an error occurred."""
    outcome = co.RunOutcome(aufnr)
    say = co.RunLog(ctx, MESSAGE_CLASS, outcome)
    order = co.order(ctx, aufnr)
    if order is None:
        say("E", "912", aufnr, field_name="ORDERID")
        return outcome
    outcome.aufnr = order["AUFNR"]
    objnr, year, perio = order["OBJNR"], f"{gjahr:04d}", f"{period:03d}"
    if "CLSD" in co.statuses(ctx, objnr):
        say("E", "907", order["AUFNR"])
        return outcome
    later = results.later_period(ctx, objnr, versn, gjahr, period)
    if later is not None:
        say("E", "915", order["AUFNR"], f"{later[1]:03d}", f"{later[0]:04d}")
        return outcome
    now = results.cumulative(ctx, objnr, versn, gjahr, period)
    before = results.cumulative(ctx, objnr, versn, gjahr, period - 1)
    changes = {key: now.get(key, ZERO) - before.get(key, ZERO) for key in {*now, *before}}
    changes = {key: value for key, value in changes.items() if value}
    if not changes:
        say("E", "917", order["AUFNR"], perio, year, field_name="ORDERID")
        return outcome
    say("S", "015", order["AUFNR"], perio, year, versn)
    for abkat, kstar in sorted(changes):
        name = Category(abkat).name
        outcome.lines.append({"ABKAT": abkat, "CATEGORY": name, "KSTAR": kstar,
                              "CUMULATIVE": before.get((abkat, kstar), ZERO),
                              "PERIOD": -changes[(abkat, kstar)],
                              "CURRENCY": order["WAERS"]})
    belnr = results.cancel_period(ctx, kokrs=order["KOKRS"], objnr=objnr, versn=versn,
                                  gjahr=gjahr, period=period, changes=changes,
                                  currency=order["WAERS"], usnam=usnam)
    say("S", "016", order["AUFNR"], perio, year, belnr)
    return outcome
