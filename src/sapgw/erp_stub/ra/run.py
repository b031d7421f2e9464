"""Results analysis of one internal order for one period (KKA2) and of all of them (KKAI).

The run reads the order (AUFK: RA key ABGSL, controlling area, currency), its active system
statuses (JEST), its cumulative actual cost and revenue through the period
(`co.api.actual_balance`: COSP/COSS, value type 04, version 000; settlement postings KOAO
left out: they move values off the order, they are no cost of it) and its planned cost and
revenue over its life (value type 01, `co.api.plan_totals`). Each cost element is classed by
its line ID (TKKAZ: K/A costs, E revenue, N not included). It valuates by the RA key's method
for those statuses (`valuation`), stores each value under the RA cost element of its
category (ZRA_UPDATE) and writes the change against the cumulative result through the
previous period into the period (`results.replace_period`).

Every problem is answered as a message in SAP's terms (class ZRA, ours) and leaves the order
unchanged; a collective run processes every other order.
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.money import currency_decimals
from sapgw.erp_stub.ra import customizing, results
from sapgw.erp_stub.ra.valuation import Category, Inputs, PlanMissing, valuate

VERSION = "000"
MESSAGE_CLASS = "ZRA"
COSTS, SETTLED_COSTS, REVENUE = "K", "A", "E"
ZERO = Decimal(0)


def analyse(ctx: CallContext, aufnr: str, *, gjahr: int, period: int, versn: str = VERSION,
            save: bool = True, usnam: str = "") -> co.RunOutcome:
    """KKA2 for one order: messages and result lines; the result is registered in the
    caller's LUW when `save` and no error occurred."""
    outcome = co.RunOutcome(aufnr)
    say = co.RunLog(ctx, MESSAGE_CLASS, outcome)
    order = co.order(ctx, aufnr)
    if order is None:
        say("E", "912", aufnr, field_name="ORDERID")
        return outcome
    outcome.aufnr = aufnr = order["AUFNR"]
    kokrs, objnr, abgsl, currency = order["KOKRS"], order["OBJNR"], order["ABGSL"], \
        order["WAERS"]
    active = co.statuses(ctx, objnr)
    decimals = currency_decimals(ctx, currency)
    if not abgsl:
        say("E", "901", aufnr)
    elif not customizing.ra_key_defined(ctx, abgsl):
        say("E", "902", abgsl, aufnr)
    elif "CLSD" in active:
        say("E", "907", aufnr)
    elif customizing.version(ctx, kokrs, versn) is None:
        say("E", "909", versn, kokrs)
    elif decimals is None:
        say("E", "910", currency)
    if outcome.failed:
        return outcome
    rule = customizing.valuation(ctx, kokrs, versn, abgsl, active)
    if rule is None:
        say("E", "903", abgsl, versn, kokrs)
        return outcome
    say("S", "001", aufnr, f"{period:03d}", f"{gjahr:04d}", versn)
    first_year = int(order["ERDAT"][:4]) if order["ERDAT"] else gjahr
    actual = _classified(ctx, kokrs, versn,
                         co.actual_balance(ctx, objnr, first_year, gjahr, period), say)
    plan = _classified(ctx, kokrs, versn, co.plan_totals(ctx, objnr), say)
    if outcome.failed:
        return outcome
    given = Inputs(cost=actual[COSTS], revenue=-actual[REVENUE], plan_cost=plan[COSTS],
                   plan_revenue=-plan[REVENUE])
    try:
        result = valuate(rule.method, given, decimals or 0, cancel=rule.cancel)
    except PlanMissing as missing:
        say("E", "905", missing.which, aufnr, rule.method)
        return outcome
    except ValueError:
        say("E", "911", rule.method, abgsl)
        return outcome
    new: results.Values = {}
    for category, value in result.values.items():
        kstar = customizing.ra_cost_element(ctx, kokrs, versn, category.value)
        if kstar is None:
            say("E", "906", category.value, versn)
            continue
        new[(category.value, kstar)] = new.get((category.value, kstar), ZERO) + value
    if outcome.failed:
        return outcome
    before = results.cumulative(ctx, objnr, versn, gjahr, period - 1)
    changes = {key: new.get(key, ZERO) - before.get(key, ZERO) for key in {*new, *before}}
    poc = "" if result.poc is None else f"{result.poc * 100:.2f}"
    say("S", "002", rule.method, poc or "-", f"{result.cost_of_sales:.{decimals}f}",
        f"{result.calculated_revenue:.{decimals}f}")
    if rule.cancel:
        say("S", "004", rule.status)
    for (abkat, kstar) in sorted({*new, *before}):
        name = Category(abkat).name
        outcome.lines.append({"ABKAT": abkat, "CATEGORY": name, "KSTAR": kstar,
                              "CUMULATIVE": new.get((abkat, kstar), ZERO),
                              "PERIOD": changes[(abkat, kstar)], "CURRENCY": currency})
        say("S", "003", name, kstar, f"{new.get((abkat, kstar), ZERO):.{decimals}f}", currency)
    if save:
        results.replace_period(ctx, kokrs=kokrs, objnr=objnr, versn=versn, gjahr=gjahr,
                               period=period, changes=changes, currency=currency, usnam=usnam)
        say("S", "005", aufnr, f"{period:03d}", f"{gjahr:04d}")
    else:
        say("S", "006", aufnr)
    return outcome


def _classified(ctx: CallContext, kokrs: str, versn: str, values: dict[str, Decimal],
                say: co.RunLog) -> dict[str, Decimal]:
    """{K: costs (line IDs K and A), E: revenue (CO sign)} by the line IDs of the cost
    elements; a cost element with a value and no line ID is an error (ZRA 904)."""
    summed = {COSTS: ZERO, REVENUE: ZERO}
    for kstar, value in sorted(values.items()):
        if not value:
            continue
        category = customizing.line_category(ctx, kokrs, versn, kstar)
        if category is None:
            say("E", "904", kstar, versn)
        elif category in (COSTS, SETTLED_COSTS):
            summed[COSTS] += value
        elif category == REVENUE:
            summed[REVENUE] += value
    return summed


def ra_orders(ctx: CallContext, kokrs: str) -> list[str]:
    """KKAI's worklist: the area's internal orders with an RA key that are not closed."""
    return [order["AUFNR"] for order in co.orders(ctx, kokrs=kokrs)
            if order["ABGSL"] and "CLSD" not in co.statuses(ctx, order["OBJNR"])]
