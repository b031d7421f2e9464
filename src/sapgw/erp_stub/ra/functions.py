"""RFC functions of results analysis (all ours: SAP runs KKA2/KKAI/KKA3 as transactions).

ZKKA_RA_ORDER       KKA2-like: one order, one period; RESULTS shows each RA value.
ZKKA_RA_COLLECTIVE  KKAI-like: every internal order of a controlling area with an RA key
                    that is not closed (CLSD).
ZKKA_RA_CANCEL      KKA2 "cancel": the period's RA data of one order reversed (the last
                    period with RA data only).
ZKKA_RA_DISPLAY     KKA3-like: the saved result of an order through a period.

Like the transactions they save at their end (COMMIT WORK) unless TESTRUN = 'X'; an order
with an error is left unchanged, the others of a collective run are saved. RETURN is the log.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.ra import results
from sapgw.erp_stub.ra.cancel import cancel
from sapgw.erp_stub.ra.run import VERSION, analyse, ra_orders
from sapgw.erp_stub.ra.valuation import Category
from sapgw.rfc.ddic import CHAR, CUKY, CURR, NUMC, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("ZRA")   # ours: SAP's RA runs are transactions, not RFC functions

ZRA_RESULT = structure(
    "ZRA_RESULT",
    ("ORDERID", CHAR(12), "Order"), ("ABKAT", NUMC(2), "RA category"),
    ("CATEGORY", CHAR(4), "RA category code (WIPR, RUCR, POCI, POCS, COSR, REVR)"),
    ("KSTAR", CHAR(10), "RA cost element"),
    ("CUMULATIVE", CURR(23, 2), "Cumulative value through the period (CO sign)"),
    ("PERIOD_VALUE", CURR(23, 2), "Change in the period"), ("CURRENCY", CUKY, "Currency"),
)
_PERIOD = [
    importing("FISC_YEAR", NUMC(4), optional=False, text="Fiscal year"),
    importing("PERIOD", NUMC(3), optional=False, text="Period"),
    importing("RA_VERSION", CHAR(3), default=VERSION, text="Results analysis version"),
]
_TODAYS_PERIOD = [
    importing("FISC_YEAR", NUMC(4), text="Fiscal year (blank with PERIOD: today's)"),
    importing("PERIOD", NUMC(3), text="Period (blank with FISC_YEAR: today's)"),
    _PERIOD[2],
]


@group.function(interface("ZKKA_RA_ORDER", [
    importing("ORDERID", CHAR(12), optional=False, text="Order"), *_PERIOD,
    importing("TESTRUN", CHAR(1), text="X: calculate and show, save nothing"),
    tables("RESULTS", ZRA_RESULT, text="Result per RA category"),
    tables("RETURN", BAPIRET2, text="Log"),
], text="Results analysis, individual processing (KKA2-like, ours)"))
def zkka_ra_order(ctx: CallContext, ORDERID: str, FISC_YEAR: str, PERIOD: str,
                  RA_VERSION: str, TESTRUN: str, RESULTS: list[dict[str, Any]],
                  RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    period = _period(ctx, FISC_YEAR, PERIOD)
    if isinstance(period, dict):
        return {"RESULTS": [], "RETURN": [period]}
    outcome = analyse(ctx, ORDERID, gjahr=period[0], period=period[1],
                      versn=RA_VERSION or VERSION, save=TESTRUN != "X")
    if not outcome.failed and TESTRUN != "X":
        ctx.commit()
    return {"RESULTS": _rows(outcome.aufnr, outcome.lines), "RETURN": outcome.messages}


@group.function(interface("ZKKA_RA_CANCEL", [
    importing("ORDERID", CHAR(12), optional=False, text="Order"), *_PERIOD,
    tables("RESULTS", ZRA_RESULT, text="Cancelled values (PERIOD_VALUE: the reversal)"),
    tables("RETURN", BAPIRET2, text="Log"),
], text="Results analysis: cancel a period's result (KKA2 cancel, ours)"))
def zkka_ra_cancel(ctx: CallContext, ORDERID: str, FISC_YEAR: str, PERIOD: str,
                   RA_VERSION: str, RESULTS: list[dict[str, Any]],
                   RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    period = _period(ctx, FISC_YEAR, PERIOD)
    if isinstance(period, dict):
        return {"RESULTS": [], "RETURN": [period]}
    outcome = cancel(ctx, ORDERID, gjahr=period[0], period=period[1],
                     versn=RA_VERSION or VERSION)
    if not outcome.failed:
        ctx.commit()
    return {"RESULTS": _rows(outcome.aufnr, outcome.lines), "RETURN": outcome.messages}


@group.function(interface("ZKKA_RA_COLLECTIVE", [
    importing("CO_AREA", CHAR(4), optional=False, text="Controlling area"), *_TODAYS_PERIOD,
    importing("TESTRUN", CHAR(1), text="X: calculate and show, save nothing"),
    tables("RESULTS", ZRA_RESULT, text="Result per order and RA category"),
    tables("RETURN", BAPIRET2, text="Log"),
], text="Results analysis, collective processing (KKAI-like, ours)"))
def zkka_ra_collective(ctx: CallContext, CO_AREA: str, FISC_YEAR: str, PERIOD: str,
                       RA_VERSION: str, TESTRUN: str, RESULTS: list[dict[str, Any]],
                       RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    period = _period(ctx, FISC_YEAR, PERIOD, kokrs=CO_AREA)
    if isinstance(period, dict):
        return {"RESULTS": [], "RETURN": [period]}
    if co.controlling_area(ctx, CO_AREA) is None:
        return {"RESULTS": [], "RETURN": [bapiret2(
            "E", "KO", "905", CO_AREA, parameter="CO_AREA", field="CO_AREA",
            system=ctx.logical_system)]}
    messages: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    failed = 0
    worklist = ra_orders(ctx, CO_AREA)
    for aufnr in worklist:
        outcome = analyse(ctx, aufnr, gjahr=period[0], period=period[1],
                          versn=RA_VERSION or VERSION, save=TESTRUN != "X")
        messages += outcome.messages
        rows += _rows(aufnr, outcome.lines)
        failed += outcome.failed
    if not worklist:
        messages.append(bapiret2("W", "ZRA", "013", CO_AREA, system=ctx.logical_system))
    messages.append(bapiret2("S", "ZRA", "010", len(worklist), len(worklist) - failed, failed,
                             system=ctx.logical_system))
    if TESTRUN != "X":
        ctx.commit()
    return {"RESULTS": rows, "RETURN": messages}


@group.function(interface("ZKKA_RA_DISPLAY", [
    importing("ORDERID", CHAR(12), optional=False, text="Order"), *_PERIOD,
    tables("RESULTS", ZRA_RESULT, text="Saved result per RA category"),
    tables("RETURN", BAPIRET2, text="Messages"),
], text="Results analysis: display the saved result (KKA3-like, ours)"))
def zkka_ra_display(ctx: CallContext, ORDERID: str, FISC_YEAR: str, PERIOD: str,
                    RA_VERSION: str, RESULTS: list[dict[str, Any]],
                    RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    period = _period(ctx, FISC_YEAR, PERIOD)
    if isinstance(period, dict):
        return {"RESULTS": [], "RETURN": [period]}
    order = co.order(ctx, ORDERID)
    if order is None:
        return {"RESULTS": [], "RETURN": [bapiret2(
            "E", "ZRA", "912", ORDERID, parameter="ORDERID", field="ORDERID",
            system=ctx.logical_system)]}
    versn, (year, number) = RA_VERSION or VERSION, period
    now = results.cumulative(ctx, order["OBJNR"], versn, year, number)
    before = results.cumulative(ctx, order["OBJNR"], versn, year, number - 1)
    zero = Decimal(0)
    lines = [{"ABKAT": abkat, "CATEGORY": Category(abkat).name, "KSTAR": kstar,
              "CUMULATIVE": now.get((abkat, kstar), zero),
              "PERIOD": now.get((abkat, kstar), zero) - before.get((abkat, kstar), zero),
              "CURRENCY": order["WAERS"]} for abkat, kstar in sorted({*now, *before})]
    message = bapiret2("S", "ZRA", "014", order["AUFNR"], f"{number:03d}", f"{year:04d}",
                       len(lines), system=ctx.logical_system)
    return {"RESULTS": _rows(order["AUFNR"], lines), "RETURN": [message]}


def _period(ctx: CallContext, fisc_year: str, period: str, kokrs: str = ""
            ) -> tuple[int, int] | dict[str, Any]:
    """(year, period) of the run (co.api.run_period), or the error row."""
    found = co.run_period(ctx, fisc_year, period, kokrs)
    if found is None:
        return bapiret2("E", "ZRA", "908", period, fisc_year, parameter="PERIOD",
                        field="PERIOD", system=ctx.logical_system)
    return found


def _rows(aufnr: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"ORDERID": aufnr, "ABKAT": line["ABKAT"], "CATEGORY": line["CATEGORY"],
             "KSTAR": line["KSTAR"], "CUMULATIVE": line["CUMULATIVE"],
             "PERIOD_VALUE": line["PERIOD"], "CURRENCY": line["CURRENCY"]} for line in lines]
