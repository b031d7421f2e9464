"""The CO account assignment of a G/L line: cost center, order, WBS element, profitability
segment or IAOM key.

A line names at most one CO object, directly (COSTCENTER, ORDERID, WBS_ELEMENT,
PROFIT_SEGM_NO) or through the Account Assignment Manager (BUS_SCENARIO + EXT_OBJECT_ID ->
IAOM_ASSIGNMENTS-OBJECT_NO). Each object is resolved through its owning application's
functions, never its tables. A profitability segment is CO-PA's (costing-based: no CO object,
the line becomes a CO-PA line item of record type B when it is posted).
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.co.api import order
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fi.model import ACCOUNTGL, CoObject, Messages
from sapgw.erp_stub.iaom.api import lookup
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.ps.api import wbs_element

CO_FIELDS = ("COSTCENTER", "ORDERID", "WBS_ELEMENT", "PROFIT_SEGM_NO", "EXT_OBJECT_ID")


def co_fields(item: dict[str, Any]) -> list[str]:
    """The CO account assignment fields the line fills."""
    return [name for name in CO_FIELDS
            if item.get(name) and (name != "PROFIT_SEGM_NO" or str(item[name]).strip("0"))]


def resolve(ctx: CallContext, kokrs: str, item: dict[str, Any], row: int, messages: Messages,
            on_date: str = "") -> CoObject | None:
    """The line's CO object, or None when it names none or names one that is wrong (a cost
    center must be valid on `on_date`, the posting date; blank: today)."""
    given = co_fields(item)
    if not given:
        return None
    if len(given) > 1:
        messages.error("KI", "154", item["ITEMNO_ACC"], parameter=ACCOUNTGL, row=row,
                       field=given[1])
        return None
    field = given[0]
    found: CoObject | None
    if field == "COSTCENTER":
        kostl = alpha(item["COSTCENTER"], 10)
        found = cost_center(ctx, kokrs, kostl, on_date)
        if found is None and kokrs:  # no controlling area: the company code is the error
            messages.error("KI", "100", kostl, kokrs, parameter=ACCOUNTGL, row=row, field=field)
    elif field == "ORDERID":
        aufnr = alpha(item["ORDERID"], 12)
        master = order(ctx, aufnr)
        found = None if master is None else CoObject(master["OBJNR"] or f"OR{aufnr}",
                                                     aufnr=aufnr)
        if found is None:
            messages.error("KO", "013", aufnr, parameter=ACCOUNTGL, row=row, field=field)
    elif field == "PROFIT_SEGM_NO":
        paobjnr = str(item["PROFIT_SEGM_NO"]).zfill(10)
        found = CoObject(f"EO{paobjnr}", paobjnr=paobjnr)
        try:
            copa.existing_segment(ctx, paobjnr)
        except copa.CopaError as error:
            messages.error(error.msg_class, error.number, *error.variables,
                           parameter=ACCOUNTGL, row=row, field=error.field)
            found = None
    elif field == "WBS_ELEMENT":
        wbs = wbs_element(ctx, item["WBS_ELEMENT"])
        found = None if wbs is None else CoObject(wbs["OBJNR"] or f"PR{wbs['PSPNR']}",
                                                  projk=wbs["PSPNR"])
        if found is None:
            messages.error("CJ", "021", item["WBS_ELEMENT"], parameter=ACCOUNTGL, row=row,
                           field=field)
    else:
        found = iaom_object(ctx, item["BUS_SCENARIO"], item["EXT_OBJECT_ID"])
        if found is None:
            messages.error("IAOM", "010", item["BUS_SCENARIO"], item["EXT_OBJECT_ID"],
                           parameter=ACCOUNTGL, row=row, field=field)
    return found


def cost_center(ctx: CallContext, kokrs: str, kostl: str, on_date: str = "") -> CoObject | None:
    """The cost center of the company code's controlling area (CSKS), valid on the date."""
    csks = co.cost_center(ctx, kokrs, kostl, on_date or None) if kokrs else None
    return None if csks is None else CoObject(csks.OBJNR or f"KS{kokrs}{kostl}", kostl=kostl)


def iaom_object(ctx: CallContext, scenario: str, ext_object_id: str) -> CoObject | None:
    """The CO object IAOM assigned to a business key: an order (OR), WBS element (PR) or
    cost center (KS + KOKRS + KOSTL)."""
    assignment = lookup(ctx, scenario, ext_object_id)
    objnr = assignment["OBJECT_NO"] if assignment else ""
    if objnr.startswith("OR") and len(objnr) > 2:
        return CoObject(objnr, aufnr=objnr[2:])
    if objnr.startswith("PR") and len(objnr) > 2:
        return CoObject(objnr, projk=objnr[2:])
    if objnr.startswith("KS") and len(objnr) > 6:
        return CoObject(objnr, kostl=objnr[6:])
    return None
