"""BAPI_ACT_PRICE_CHECK_AND_POST and BAPI_CTR_GETACTIVITYPRICES: the RFC side of `prices`.

CHECK_AND_POST takes SAP's index structure: each IDX_STRUCTURE row joins an OBJECT row
(cost center + activity type, by OBJECT_INDEX) with a TOT_VALUE or PER_VALUE row (by
VALUE_INDEX). Every problem of every row is reported; nothing is posted unless all are right,
nothing at all with TESTRUN = 'X'. Parameter and structure names are SAP's (BAPIPLNHDR,
BAPIACPSTRU, BAPIACPOBJ, BAPIACPTOT, BAPIACPVAL); the period fields of BAPIACPVAL
(PRICE_FIX_PERnn, PRICE_VAR_PERnn, PRICE_UNIT_PERnn) follow SAP's pattern, the structure of
ACTPRICES is ours (docs/ERP_STUB.md). Not built: attribute rows (CONTRL), distribution keys
other than 1, plan versions other than 000, currency types other than C.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.co.bapi_support import Problems, check_area, planning_group
from sapgw.erp_stub.co.master_data import activity_type, cost_center
from sapgw.erp_stub.co.price_interfaces import (
    ACTPRICES_INTERFACE,
    CHECK_AND_POST_INTERFACE,
    period_range,
)
from sapgw.erp_stub.co.prices import PERIODS, PLAN_VERSION, prices, save_prices
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount

Planned = dict[tuple[str, str, int], tuple[Decimal, Decimal, Decimal]]


@planning_group.function(CHECK_AND_POST_INTERFACE)
def check_and_post(ctx: CallContext, HEADER_INFO: dict[str, Any], DELTA: str, TESTRUN: str,
                   IDX_STRUCTURE: list[dict[str, Any]], OBJECT: list[dict[str, Any]],
                   PER_VALUE: list[dict[str, Any]], TOT_VALUE: list[dict[str, Any]],
                   RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx, "IDX_STRUCTURE")
    header = "HEADER_INFO"
    area = check_area(ctx, HEADER_INFO["CO_AREA"], header, problems)
    gjahr = HEADER_INFO["FISC_YEAR"]
    if gjahr == "0000":
        problems.required("FISC_YEAR", parameter=header)
    span = period_range(HEADER_INFO["PERIOD_FROM"], HEADER_INFO["PERIOD_TO"], problems, header)
    if (HEADER_INFO["VERSION"] or PLAN_VERSION) != PLAN_VERSION:
        problems.error("KP", "903", HEADER_INFO["VERSION"], parameter=header, field="VERSION")
    if HEADER_INFO["PLAN_CURRTYPE"] not in ("", "C"):
        problems.error("KO", "910", HEADER_INFO["PLAN_CURRTYPE"], "PLAN_CURRTYPE",
                       parameter=header, field="PLAN_CURRTYPE")
    if not IDX_STRUCTURE:
        problems.error("KO", "911", "IDX_STRUCTURE")
    planned: Planned = {}
    if area is not None and span is not None and gjahr != "0000":
        decimals = currency_decimals(ctx, area.WAERS) or 0
        objects = {row["OBJECT_INDEX"]: (number, row) for number, row in enumerate(OBJECT, 1)}
        totals = {row["VALUE_INDEX"]: (number, row) for number, row in enumerate(TOT_VALUE, 1)}
        per_period = {row["VALUE_INDEX"]: (number, row)
                      for number, row in enumerate(PER_VALUE, 1)}
        for number, index in enumerate(IDX_STRUCTURE, start=1):
            found = objects.get(index["OBJECT_INDEX"])
            if found is None:
                problems.error("KP", "908", index["OBJECT_INDEX"], row=number,
                               field="OBJECT_INDEX")
                continue
            key = _object(ctx, area, gjahr, span[0], found, problems)
            values = _values(area, index["VALUE_INDEX"], number, span, totals, per_period,
                             decimals, problems)
            if key is not None and values is not None:
                planned.update({(*key, period): value for period, value in values.items()})
    if not problems.failed:
        if TESTRUN == "X":
            problems.add("S", "KO", "909", len(IDX_STRUCTURE), parameter="")
        elif planned:
            save_prices(ctx, planned, area.KOKRS, gjahr, area.WAERS, DELTA == "X")
            problems.add("S", "KP", "905", len({k[:2] for k in planned}), gjahr, parameter="")
    RETURN[:] = problems.rows
    return {"IDX_STRUCTURE": IDX_STRUCTURE, "OBJECT": OBJECT, "PER_VALUE": PER_VALUE,
            "TOT_VALUE": TOT_VALUE, "RETURN": RETURN}


def _object(ctx: CallContext, area: Any, gjahr: str, first_period: int,
            found: tuple[int, dict[str, Any]], problems: Problems) -> tuple[str, str] | None:
    """(KOSTL, LSTAR) of an OBJECT row, both valid at the start of the first period."""
    number, row = found
    kostl, lstar = alpha(row["COSTCENTER"], 10), row["ACTTYPE"].upper()
    on = f"{gjahr}{min(first_period, 12):02d}01"
    ok = True
    if not kostl:
        problems.required("COSTCENTER", number, parameter="OBJECT")
        ok = False
    elif cost_center(ctx, area.KOKRS, kostl, on) is None:
        problems.error("KI", "100", kostl, area.KOKRS, row=number, field="COSTCENTER",
                       parameter="OBJECT")
        ok = False
    if not lstar:
        problems.required("ACTTYPE", number, parameter="OBJECT")
        ok = False
    elif activity_type(ctx, area.KOKRS, lstar, on) is None:
        problems.error("KL", "906", lstar, area.KOKRS, on, row=number, field="ACTTYPE",
                       parameter="OBJECT")
        ok = False
    return (kostl, lstar) if ok else None


def _values(area: Any, value_index: str, row: int, span: tuple[int, int],
            totals: dict[str, tuple[int, dict[str, Any]]],
            per_period: dict[str, tuple[int, dict[str, Any]]], decimals: int,
            problems: Problems) -> dict[int, tuple[Decimal, Decimal, Decimal]] | None:
    """{period: (total, fixed, unit)} of the value row an index row names."""
    if value_index in totals:
        number, item = totals[value_index]
        if item["DIST_KEY_PRICE_FIX"] not in ("", "1") or item["DIST_KEY_PRICE_VAR"] not in (
                "", "1"):
            problems.error("KP", "909", item["DIST_KEY_PRICE_FIX"] or item["DIST_KEY_PRICE_VAR"],
                           row=number, field="DIST_KEY_PRICE_FIX", parameter="TOT_VALUE")
            return None
        price = _price(area, item, "PRICE_FIX", "PRICE_VAR", "PRICE_UNIT", number, decimals,
                       "TOT_VALUE", problems)
        return None if price is None else {p: price for p in range(span[0], span[1] + 1)}
    if value_index in per_period:
        number, item = per_period[value_index]
        values = {}
        for period in range(span[0], span[1] + 1):
            price = _price(area, item, f"PRICE_FIX_PER{period:02d}",
                           f"PRICE_VAR_PER{period:02d}", f"PRICE_UNIT_PER{period:02d}",
                           number, decimals, "PER_VALUE", problems)
            if price is None:
                return None
            values[period] = price
        return values
    problems.error("KP", "907", value_index, row=row, field="VALUE_INDEX")
    return None


def _price(area: Any, item: dict[str, Any], fix: str, var: str, unit: str, row: int,
           decimals: int, parameter: str, problems: Problems
           ) -> tuple[Decimal, Decimal, Decimal] | None:
    if item["CURRENCY"] and item["CURRENCY"] != area.WAERS:
        problems.error("KP", "904", item["CURRENCY"], area.WAERS, row=row, field="CURRENCY",
                       parameter=parameter)
        return None
    fixed, variable = round_amount(item[fix], decimals), round_amount(item[var], decimals)
    price_unit = item[unit] or Decimal(1)
    for field, value in ((fix, fixed), (var, variable)):
        if value < 0:
            problems.error("KP", "901", value, row=row, field=field, parameter=parameter)
            return None
    if price_unit <= 0:
        problems.error("KP", "902", price_unit, row=row, field=unit, parameter=parameter)
        return None
    return fixed + variable, fixed, price_unit


@planning_group.function(ACTPRICES_INTERFACE)
def get_activity_prices(ctx: CallContext, COAREA: str, FISCYEAR: str, VERSION: str,
                        COSTCENTERFROM: str, COSTCENTERTO: str, COSTCENTERGRP: str,
                        ACTTYPEFROM: str, ACTTYPETO: str, ACTTYPEGRP: str, PERIODFROM: str,
                        PERIODTO: str, ACTPRICES: list[dict[str, Any]],
                        RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx, "")
    area = check_area(ctx, COAREA, "COAREA", problems)
    if FISCYEAR == "0000":
        problems.error("KO", "904", "FISCYEAR", "FISCYEAR", parameter="FISCYEAR")
    for name, value in (("COSTCENTERGRP", COSTCENTERGRP), ("ACTTYPEGRP", ACTTYPEGRP)):
        if value:
            problems.error("KO", "910", value, name, parameter=name)
    low = int(PERIODFROM) or PERIODS[0]
    span = period_range(f"{low:03d}", PERIODTO if int(PERIODTO) else
                        (PERIODFROM if int(PERIODFROM) else "016"), problems, "")
    found = []
    if area is not None and span is not None and not problems.failed:
        kostl_low = alpha(COSTCENTERFROM, 10) if COSTCENTERFROM.strip("0") else ""
        kostl_high = alpha(COSTCENTERTO, 10) if COSTCENTERTO else "\uffff"
        found = prices(ctx, COAREA, FISCYEAR, VERSION or PLAN_VERSION, (kostl_low, kostl_high),
                       (ACTTYPEFROM.upper().strip("0") and ACTTYPEFROM.upper(),
                        ACTTYPETO.upper() or "\uffff"), span)
        if not found:
            problems.add("I", "KP", "906", COAREA, FISCYEAR, VERSION or PLAN_VERSION)
    ACTPRICES[:] = [{
        "CO_AREA": price.kokrs, "FISC_YEAR": price.gjahr, "VERSION": VERSION or PLAN_VERSION,
        "COSTCENTER": price.kostl, "ACTTYPE": price.lstar, "PERIOD": f"{price.period:03d}",
        "PRICE_CCURR_FIX": price.fixed, "PRICE_CCURR_VAR": price.variable,
        "PRICE_UNIT": price.price_unit, "CURR_COAREA": price.currency,
    } for price in found]
    RETURN[:] = problems.rows
    return {"ACTPRICES": ACTPRICES, "RETURN": RETURN}
