"""RFC functions of settlement (ours: SAP runs KO88/KO8G/KO02 as transactions).

ZKO_SETTLE_ORDER       KO88-like: one order, one period; LINES shows what went where.
ZKO_SETTLE_COLLECTIVE  KO8G-like: every internal order of a controlling area with a
                       settlement rule (status SETC) that is not closed.
ZKO_SETTLE_REVERSE     KO88 "Reverse": the order's last settlement of the period undone
                       (FI, CO, CO-PA and COSBD); LINES show the reversal's segments.
ZKO_RULE_MAINTAIN      KO02-like for testers: (re)generate an order's settlement rule from a
                       settlement profile and strategy sequence, to a cost center, a given
                       profitability segment or the segment of CHARACTERISTICS.

The runs save at their end (COMMIT WORK) unless TESTRUN = 'X'; an order with an error is left
unchanged, the others of a collective run are saved. ZKO_RULE_MAINTAIN leaves the commit to
the caller (BAPI_TRANSACTION_COMMIT), as the BAPIs do.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.settlement.errors import SettlementError
from sapgw.erp_stub.settlement.reversal import reverse
from sapgw.erp_stub.settlement.rules import generate_rule
from sapgw.erp_stub.settlement.run import settle, settlement_orders
from sapgw.rfc.ddic import CHAR, CUKY, CURR, NUMC, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("ZKO")   # ours: SAP's settlement runs are transactions

ZKO_SETTLED = structure(
    "ZKO_SETTLED",
    ("ORDERID", CHAR(12), "Order (sender)"),
    ("KONTY", CHAR(2), "Receiver type: SK G/L (RA data), KS cost center, EO segment"),
    ("RECEIVER", CHAR(22), "G/L account, cost center or profitability segment"),
    ("KSTAR", CHAR(10), "Settlement cost element (RA category for G/L lines)"),
    ("SOURCE", CHAR(10), "Source: cost element or RA category"),
    ("AMOUNT", CURR(23, 2), "Amount (receiver's sign)"), ("CURRENCY", CUKY, "Currency"),
    ("BELNR", CHAR(10), "Settlement document"),
)
ZKO_CHARACTERISTIC = structure(
    "ZKO_CHARACTERISTIC",
    ("FIELDNAME", CHAR(30), "CO-PA characteristic (KNDNR, ARTNR, VKORG …)"),
    ("VALUE", CHAR(40), "Value"),
)
_TODAYS_PERIOD = [
    importing("FISC_YEAR", NUMC(4), text="Fiscal year (blank with PERIOD: today's)"),
    importing("PERIOD", NUMC(3), text="Settlement period (blank with FISC_YEAR: today's)"),
    importing("TESTRUN", CHAR(1), text="X: show what would be settled, post nothing"),
    tables("LINES", ZKO_SETTLED, text="Settled values"),
    tables("RETURN", BAPIRET2, text="Log"),
]
_PERIOD = [
    importing("FISC_YEAR", NUMC(4), optional=False, text="Fiscal year"),
    importing("PERIOD", NUMC(3), optional=False, text="Settlement period"),
    importing("TESTRUN", CHAR(1), text="X: show what would be settled, post nothing"),
    tables("LINES", ZKO_SETTLED, text="Settled values"),
    tables("RETURN", BAPIRET2, text="Log"),
]


@group.function(interface("ZKO_SETTLE_ORDER", [
    importing("ORDERID", CHAR(12), optional=False, text="Order"), *_PERIOD,
], text="Actual settlement, individual processing (KO88-like, ours)"))
def zko_settle_order(ctx: CallContext, ORDERID: str, FISC_YEAR: str, PERIOD: str,
                     TESTRUN: str, LINES: list[dict[str, Any]],
                     RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    period = _period(ctx, FISC_YEAR, PERIOD)
    if isinstance(period, dict):
        return {"LINES": [], "RETURN": [period]}
    outcome = settle(ctx, ORDERID, gjahr=period[0], period=period[1], test=TESTRUN == "X")
    if not outcome.failed and TESTRUN != "X":
        ctx.commit()
    return {"LINES": _rows(outcome), "RETURN": outcome.messages}


@group.function(interface("ZKO_SETTLE_REVERSE", [
    importing("ORDERID", CHAR(12), optional=False, text="Order"), *_PERIOD,
], text="Reverse an order's last settlement of a period (KO88 reverse, ours)"))
def zko_settle_reverse(ctx: CallContext, ORDERID: str, FISC_YEAR: str, PERIOD: str,
                       TESTRUN: str, LINES: list[dict[str, Any]],
                       RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    period = _period(ctx, FISC_YEAR, PERIOD)
    if isinstance(period, dict):
        return {"LINES": [], "RETURN": [period]}
    outcome = reverse(ctx, ORDERID, gjahr=period[0], period=period[1], test=TESTRUN == "X")
    if not outcome.failed and TESTRUN != "X":
        ctx.commit()
    return {"LINES": _rows(outcome), "RETURN": outcome.messages}


@group.function(interface("ZKO_SETTLE_COLLECTIVE", [
    importing("CO_AREA", CHAR(4), optional=False, text="Controlling area"), *_TODAYS_PERIOD,
], text="Actual settlement, collective processing (KO8G-like, ours)"))
def zko_settle_collective(ctx: CallContext, CO_AREA: str, FISC_YEAR: str, PERIOD: str,
                          TESTRUN: str, LINES: list[dict[str, Any]],
                          RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    period = _period(ctx, FISC_YEAR, PERIOD, kokrs=CO_AREA)
    if isinstance(period, dict):
        return {"LINES": [], "RETURN": [period]}
    if co.controlling_area(ctx, CO_AREA) is None:
        return {"LINES": [], "RETURN": [bapiret2(
            "E", "KO", "905", CO_AREA, parameter="CO_AREA", field="CO_AREA",
            system=ctx.logical_system)]}
    messages: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    worklist, failed = settlement_orders(ctx, CO_AREA), 0
    for aufnr in worklist:
        outcome = settle(ctx, aufnr, gjahr=period[0], period=period[1], test=TESTRUN == "X")
        messages += outcome.messages
        rows += _rows(outcome)
        failed += outcome.failed
    if not worklist:
        messages.append(bapiret2("W", "KD", "013", CO_AREA, system=ctx.logical_system))
    messages.append(bapiret2("S", "KD", "010", len(worklist), len(worklist) - failed, failed,
                             system=ctx.logical_system))
    if TESTRUN != "X":
        ctx.commit()
    return {"LINES": rows, "RETURN": messages}


@group.function(interface("ZKO_RULE_MAINTAIN", [
    importing("ORDERID", CHAR(12), optional=False, text="Order"),
    importing("PROFILE", CHAR(6), optional=False, text="Settlement profile"),
    importing("STRATEGY_SEQUENCE", CHAR(8), default="SAPCRM", text="Strategy sequence"),
    importing("COSTCENTER", CHAR(10), text="Receiver cost center"),
    importing("PROFIT_SEGMENT", NUMC(10), text="Receiver profitability segment (PAOBJNR)"),
    tables("CHARACTERISTICS", ZKO_CHARACTERISTIC,
           text="Characteristics of the receiver segment (without receiver)"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Maintain an order's settlement rule (KO02-like, ours)"))
def zko_rule_maintain(ctx: CallContext, ORDERID: str, PROFILE: str, STRATEGY_SEQUENCE: str,
                      COSTCENTER: str, PROFIT_SEGMENT: str,
                      CHARACTERISTICS: list[dict[str, Any]],
                      RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    system = ctx.logical_system
    order = co.order(ctx, ORDERID)
    result: dict[str, Any] = {"CHARACTERISTICS": CHARACTERISTICS}
    if order is None:
        result["RETURN"] = [bapiret2("E", "KD", "904", ORDERID, parameter="ORDERID",
                                     field="ORDERID", system=system)]
        return result
    segment = PROFIT_SEGMENT if PROFIT_SEGMENT and PROFIT_SEGMENT.strip("0") else ""
    receiver = {"KOSTL": COSTCENTER, "PAOBJNR": segment}
    try:
        generate_rule(ctx, order["OBJNR"], profile=PROFILE,
                      strategy_sequence=STRATEGY_SEQUENCE or "SAPCRM", receiver=receiver,
                      characteristics={row["FIELDNAME"]: row["VALUE"]
                                       for row in CHARACTERISTICS})
    except SettlementError as error:
        result["RETURN"] = [error.bapiret2(system=system, parameter="ORDERID")]
        return result
    target = COSTCENTER or segment or "(segment of the characteristics)"
    result["RETURN"] = [bapiret2("S", "KD", "922", order["AUFNR"],
                                 "KS" if COSTCENTER else "EO", target, system=system)]
    return result


def _period(ctx: CallContext, fisc_year: str, period: str, kokrs: str = ""
            ) -> tuple[int, int] | dict[str, Any]:
    """(year, period) of the run (co.api.run_period), or the error row."""
    found = co.run_period(ctx, fisc_year, period, kokrs)
    if found is None:
        return bapiret2("E", "KD", "921", period, fisc_year, parameter="PERIOD",
                        field="PERIOD", system=ctx.logical_system)
    return found


def _rows(outcome: co.RunOutcome) -> list[dict[str, Any]]:
    return [{"ORDERID": outcome.aufnr, "KONTY": line["KONTY"], "RECEIVER": line["RECEIVER"],
             "KSTAR": line["KSTAR"], "SOURCE": line["SOURCE"], "AMOUNT": line["AMOUNT"],
             "CURRENCY": line["CURRENCY"], "BELNR": outcome.belnr}
            for line in outcome.lines]

