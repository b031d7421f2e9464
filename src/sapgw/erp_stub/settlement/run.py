"""Settlement of one internal order for one period (KO88) and of all of them (KO8G).

What is settled (reference/controlling.md §7, §10), always only the difference to what
earlier settlements took:
(a) RA data to FI: each balance-sheet RA category (WIPR, RUCR, POCI, POCS) of the order's
    FI-relevant RA version, cumulative in COSB through the period, minus the settled portion
    in COSBD, is posted through the posting rules (ZKKA_POSTING): balance-sheet account with
    the change, P&L account with its opposite, one balanced FI document (document type of
    the settlement profile, AWTYP AUAK). This does not touch the order's CO balance.
(b) To the receiver of the settlement rule: with RA, the cost of sales and the calculated
    revenue (COSB RA categories COSR/REVR minus COSBD); without RA, the order's actual balance
    per cost element minus what earlier settlement documents took (AUAA). Each source cost
    element is settled under the allocation structure's settlement cost element for the
    receiver type or by cost element. One CO document (VRGNG KOAO, REFBT A): the order
    credited (BEKNZ A), a cost center receiver debited; a profitability segment receives a
    CO-PA line item of record type C through the rule's PA transfer structure.
The settlement document (AUAK, AUAA) and COSBD are written in the same LUW. Every error is
found before anything is registered: the FI document is checked first, CO-PA refuses before
it registers, and then nothing else can fail but a number range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.ra import api as ra
from sapgw.erp_stub.settlement import customizing, ra_settled
from sapgw.erp_stub.settlement.documents import (
    SETTLEMENT,
    FiLine,
    ReceiverLine,
    co_document,
    fi_document,
    post_fi,
    to_segment,
)
from sapgw.erp_stub.settlement.errors import SettlementError
from sapgw.erp_stub.settlement.outcome import log, present
from sapgw.erp_stub.settlement.periods import period_end
from sapgw.erp_stub.settlement.rules import SEGMENT, receiver_of, rule
from sapgw.erp_stub.settlement.tables import AUAA, AUAK, COBRA, COBRB

ZERO = Decimal(0)
_AUAK: Any = AUAK.__table__  # type: ignore[attr-defined]
_AUAA: Any = AUAA.__table__  # type: ignore[attr-defined]


@dataclass
class _Plan:
    """What a settlement will post, computed before anything is registered."""

    # (account, amount, RA category): the FI document's lines
    fi_lines: list[tuple[str, Decimal, str]] = field(default_factory=list)
    # (RA category, RA cost element) -> change to settle; ("", cost element) without RA
    ra_changes: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    # (source cost element, settlement cost element, amount) to the receiver
    receiver_lines: list[tuple[str, str, Decimal]] = field(default_factory=list)
    # the RA version read from COSB, kept in COSBD
    versn: str = ""


def settle(ctx: CallContext, aufnr: str, *, gjahr: int, period: int, test: bool = False,
           usnam: str = "") -> co.RunOutcome:
    """KO88 for one order (see the module): the outcome; registered in the caller's LUW
    unless `test` or an error."""
    outcome = co.RunOutcome(aufnr)
    say = log(ctx, outcome)

    order = co.order(ctx, aufnr)
    if order is None:
        say("E", "904", aufnr, field_name="ORDERID")
        return outcome
    outcome.aufnr = order["AUFNR"]
    objnr, kokrs = order["OBJNR"], order["KOKRS"]
    found = rule(ctx, objnr)
    company = fbas.company_code(ctx, order["BUKRS"])
    if found is None:
        say("E", "910", order["AUFNR"], field_name="ORDERID")
        return outcome
    if company is None:
        say("E", "904", objnr, field_name="ORDERID")
        return outcome
    head, rows = found
    valid = [row for row in rows if (row["GABJA"], row["GABPE"]) <= (f"{gjahr:04d}",
                                                                      f"{period:03d}")]
    if len(valid) != 1:
        say("E", "914", order["AUFNR"], len(valid), f"{period:03d}", f"{gjahr:04d}")
        return outcome
    receiver = receiver_of(valid[0])
    budat = period_end(ctx, company.PERIV, gjahr, period)
    say("S", "001", order["AUFNR"], f"{period:03d}", f"{gjahr:04d}", budat)
    plan = _Plan()
    if order["ABGSL"]:
        _ra_values(ctx, order, company.BUKRS, gjahr, period, plan, say)
    else:
        first_year = int(order["ERDAT"][:4]) if order["ERDAT"] else gjahr
        _actual_balance(ctx, objnr, first_year, gjahr, period, plan)
    for source, amount in _sources(plan):
        settle_ce = customizing.settlement_element(ctx, kokrs, head["ABSCH"], source,
                                                   receiver.konty)
        if settle_ce is None:
            say("E", "912", source, head["ABSCH"], receiver.konty)
            continue
        plan.receiver_lines.append((source, settle_ce, amount))
    if outcome.failed:
        return outcome
    if not plan.fi_lines and not plan.receiver_lines:
        say("S", "920", order["AUFNR"], f"{period:03d}", f"{gjahr:04d}")
        return outcome
    fi_params = _fi_document(ctx, order, company, head, budat, plan, usnam)
    if not present(ctx, outcome, say, fi_params, _display(order, receiver, plan),
                   order, test):
        return outcome
    outcome.belnr = belnr = ctx.numbers.next("AUAK", "", "01")
    lines = [ReceiverLine(receiver.konty, receiver.name, settle_ce, amount)
             for _, settle_ce, amount in plan.receiver_lines]
    try:
        pa_belnr = to_segment(ctx, order, paobjnr=receiver.paobjnr, structure=head["ERSCH"],
                              lines=lines, budat=budat, belnr=belnr, usnam=usnam) \
            if receiver.konty == SEGMENT and lines else ""
    except (copa.CopaError, SettlementError) as refused:
        outcome.messages.append(refused.bapiret2(system=ctx.logical_system))
        return outcome
    awkey = post_fi(ctx, fi_params, belnr) if fi_params is not None else ""
    co_belnr = co_document(
        ctx, order, lines=lines, budat=budat, usnam=usnam, line_text=f"Settlement {belnr}",
        reference=co.CoReference("A", belnr, order["BUKRS"], f"{gjahr:04d}", "AUAK", belnr),
        text=f"Settlement of order {order['AUFNR']}") if lines else ""
    _register(ctx, order, receiver, plan, belnr, gjahr, period, budat, co_belnr, awkey,
              pa_belnr, usnam)
    say("S", "005", belnr, order["AUFNR"])
    return outcome


def _ra_values(ctx: CallContext, order: dict[str, Any], bukrs: str, gjahr: int, period: int,
               plan: _Plan, say: co.RunLog) -> None:
    """The RA changes to settle: balance-sheet categories to FI lines, income categories
    to the receiver (`plan.ra_changes` keeps them all for COSBD)."""
    versn = plan.versn = ra_settled.version(ctx, order["KOKRS"])
    if not versn:
        say("E", "915", order["KOKRS"])
        return
    current = ra.cumulative(ctx, order["OBJNR"], versn, gjahr, period)
    settled = ra_settled.settled(ctx, order["OBJNR"], versn, gjahr, period)
    balance_sheet = {category.value for category in ra.BALANCE_SHEET}
    for key in sorted({*current, *settled}):
        change = current.get(key, ZERO) - settled.get(key, ZERO)
        if not change:
            continue
        plan.ra_changes[key] = change
        abkat, kstar = key
        if abkat not in balance_sheet:
            continue
        posting = customizing.posting_rule(ctx, order["KOKRS"], bukrs, versn, abkat)
        if posting is None:
            say("E", "911", ra.Category(abkat).name, kstar, bukrs, versn)
            continue
        plan.fi_lines += [(posting.HKONT_B, change, abkat), (posting.HKONT_P, -change, abkat)]


def _actual_balance(ctx: CallContext, objnr: str, first_year: int, gjahr: int, period: int,
                    plan: _Plan) -> None:
    """Without RA: the actual balance per cost element through the period, less what
    earlier settlement documents of the order took from that cost element."""
    for kstar, value in co.actual_balance(ctx, objnr, first_year, gjahr, period).items():
        key = ("", kstar)
        plan.ra_changes[key] = plan.ra_changes.get(key, ZERO) + value
    for source, taken in _settled_by_source(ctx, objnr).items():
        key = ("", source)
        plan.ra_changes[key] = plan.ra_changes.get(key, ZERO) - taken


def _settled_by_source(ctx: CallContext, objnr: str) -> dict[str, Decimal]:
    with ctx.read() as conn:
        rows = conn.execute(select(_AUAA.c.SKSTAR, _AUAA.c.WKGBTR).join(
            _AUAK, _AUAK.c.BELNR == _AUAA.c.BELNR).where(_AUAK.c.OBJNR == objnr)).all()
    taken: dict[str, Decimal] = {}
    for source, amount in rows:
        taken[source] = taken.get(source, ZERO) + amount
    return taken


def _sources(plan: _Plan) -> list[tuple[str, Decimal]]:
    """(source cost element, amount) to settle to the receiver: the income RA categories,
    or (without RA, ABKAT blank) the cost elements' balances."""
    income = {category.value for category in ra.INCOME} | {""}
    return [(kstar, amount) for (abkat, kstar), amount in sorted(plan.ra_changes.items())
            if abkat in income and amount]


def _fi_document(ctx: CallContext, order: dict[str, Any], company: Any, head: dict[str, Any],
                 budat: str, plan: _Plan, usnam: str) -> dict[str, Any] | None:
    if not plan.fi_lines:
        return None
    profile = customizing.profile(ctx, head["APROF"])
    lines = [FiLine(account, amount, order["WAERS"],
                    f"{ra.Category(abkat).name} order {order['AUFNR']}")
             for account, amount, abkat in plan.fi_lines]
    return fi_document(ctx, bukrs=company.BUKRS, aufnr=order["AUFNR"], lines=lines,
                       budat=budat, doc_type=profile.BLART if profile is not None else "SA",
                       header_text=f"Settlement {order['AUFNR']}", usnam=usnam)


def _display(order: dict[str, Any], receiver: Any, plan: _Plan) -> list[dict[str, Any]]:
    currency = order["WAERS"]
    lines = [{"KONTY": "SK", "RECEIVER": account, "KSTAR": ra.Category(abkat).name,
              "SOURCE": abkat, "AMOUNT": amount, "CURRENCY": currency}
             for account, amount, abkat in plan.fi_lines]
    lines += [{"KONTY": receiver.konty, "RECEIVER": receiver.name, "KSTAR": settle_ce,
               "SOURCE": source, "AMOUNT": amount, "CURRENCY": currency}
              for source, settle_ce, amount in plan.receiver_lines]
    return lines


def _register(ctx: CallContext, order: dict[str, Any], receiver: Any, plan: _Plan,
              belnr: str, gjahr: int, period: int, budat: str, co_belnr: str, awkey: str,
              pa_belnr: str, usnam: str) -> None:
    year, perio = f"{gjahr:04d}", f"{period:03d}"
    ctx.insert(AUAK, {"BELNR": belnr, "KOKRS": order["KOKRS"], "OBJNR": order["OBJNR"],
                      "GJAHR": year, "PERIO": perio, "BUDAT": budat, "VRGNG": SETTLEMENT,
                      "BELCO": co_belnr, "AWKEY": awkey, "PABELNR": pa_belnr,
                      "CPUDT": ctx.clock.now().strftime("%Y%m%d"), "USNAM": usnam})
    segments = [("SK", account, ra.Category(abkat).name, abkat, amount)
                for account, amount, abkat in plan.fi_lines if amount and account]
    segments += [(receiver.konty, receiver.name, settle_ce, source, amount)
                 for source, settle_ce, amount in plan.receiver_lines]
    ctx.insert(AUAA, [{"BELNR": belnr, "LFDNR": f"{number:03d}", "KONTY": konty,
                       "EMPGE": name, "KSTAR": kstar, "SKSTAR": source, "WKGBTR": amount,
                       "WAERS": order["WAERS"]}
                      for number, (konty, name, kstar, source, amount)
                      in enumerate(segments, start=1)])
    changes = {key: value for key, value in plan.ra_changes.items() if key[0]}
    if changes:
        ra_settled.register_taken(ctx, belnr=belnr, objnr=order["OBJNR"], versn=plan.versn,
                                  year=year, period=period, currency=order["WAERS"],
                                  changes=changes)
    ctx.update(COBRA, {"OBJNR": order["OBJNR"]}, {"LETJA": year, "LETPE": perio})
    ctx.task(_rule_used(order["OBJNR"], year, perio))


def _rule_used(objnr: str, year: str, perio: str) -> Any:
    """Update task: first and last use of the distribution rules (COBRB ERSJA/LETJA)."""
    table: Any = COBRB.__table__  # type: ignore[attr-defined]

    def run(conn: Connection) -> None:
        conn.execute(update(table).where(table.c.OBJNR == objnr, table.c.ERSJA == "0000")
                     .values(ERSJA=year, ERSPE=perio))
        conn.execute(update(table).where(table.c.OBJNR == objnr)
                     .values(LETJA=year, LETPE=perio))

    return run


def settlement_orders(ctx: CallContext, kokrs: str) -> list[str]:
    """KO8G's worklist: the area's internal orders with a settlement rule, not closed."""
    return [order["AUFNR"] for order in co.orders(ctx, kokrs=kokrs)
            if "SETC" in (active := co.statuses(ctx, order["OBJNR"])) and "CLSD" not in active]
