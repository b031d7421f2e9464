"""KE24-like line item list over RFC: Z_COPA_LINE_ITEMS (ours: SAP's KE24 is a report, no
RFC function), function group COPA (ours).

Selections: operating concern (blank: S001), record type, period YYYYPPP, customer, order
(the characteristic AUFNR or the sending order RKAUFNR of a settlement), sales order. The
answer has the line items with their characteristics and value fields, the operating
concern's value fields with texts (which columns mean what) and the totals per value field.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from sapgw.erp_stub.copa.concern import BUILT, concern, value_fields
from sapgw.erp_stub.copa.errors import CopaError
from sapgw.erp_stub.copa.tables import CE1S001, CHARACTERISTICS, REFERENCE_FIELDS, VALUE_FIELDS
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, INT4, NUMC, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("COPA")
_TABLE = CE1S001.__table__  # type: ignore[attr-defined]

LINE_ITEM = structure(
    "ZCOPA_S_LINE_ITEM",
    ("BELNR", CHAR(10), "Line item document"), ("POSNR", NUMC(6), "Item"),
    ("VRGAR", CHAR(1), "Record type"), ("PERIO", NUMC(7), "Period YYYYPPP"),
    ("GJAHR", NUMC(4), "Fiscal year"), ("PERDE", NUMC(3), "Period"),
    ("BUDAT", DATS, "Posting date"), ("PAOBJNR", NUMC(10), "Profitability segment"),
    *((name, NUMC(length) if name == "KDPOS" else CHAR(length), name)
      for name, length in CHARACTERISTICS.items()),
    *((name, NUMC(length) if name == "RPOSN" else CHAR(length), name)
      for name, length in REFERENCE_FIELDS.items()),
    ("REC_WAERS", CUKY, "Currency"), ("USNAM", CHAR(12), "Created by"),
    ("CPUDT", DATS, "Created on"),
    *((name, CURR(15, 2), name) for name in VALUE_FIELDS),
)
VALUE_FIELD = structure(
    "ZCOPA_S_VALUE_FIELD",
    ("FIENM", CHAR(5), "Value field"), ("KTEXT", CHAR(20), "Short text"),
    ("LTEXT", CHAR(40), "Text"), ("TOTAL", CURR(23, 2), "Total of the selected items"),
    ("WAERS", CUKY, "Currency"),
)
PERIOD = re.compile(r"^\d{4}0(0[1-9]|1[0-6])$")


@group.function(interface("Z_COPA_LINE_ITEMS", [
    importing("OPERATING_CONCERN", CHAR(4), text="Operating concern (blank: S001)"),
    importing("RECORD_TYPE", CHAR(1), text="Record type (F, C, B …; blank: all)"),
    importing("PERIOD", NUMC(7), text="Period YYYYPPP (zero: all)"),
    importing("CUSTOMER", CHAR(10), text="Customer (KNDNR)"),
    importing("ORDERID", CHAR(12), text="Order: characteristic AUFNR or sending order"),
    importing("SALES_ORDER", CHAR(10), text="Sales order (KAUFN)"),
    importing("MAX_ROWS", INT4, text="At most this many line items (0: all)"),
    tables("LINE_ITEMS", LINE_ITEM, text="Line items (KE24)"),
    tables("VALUE_FIELDS", VALUE_FIELD, text="Value fields with texts and totals"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="CO-PA: display actual line items (KE24-like, ours)"))
def z_copa_line_items(ctx: CallContext, OPERATING_CONCERN: str, RECORD_TYPE: str,
                      PERIOD: str, CUSTOMER: str, ORDERID: str, SALES_ORDER: str,
                      MAX_ROWS: int, LINE_ITEMS: list[dict[str, Any]],
                      VALUE_FIELDS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                      ) -> dict[str, Any]:
    erkrs = OPERATING_CONCERN or BUILT
    try:
        found = select_items(ctx, erkrs, record_type=RECORD_TYPE, period=PERIOD,
                             customer=CUSTOMER, order=ORDERID, sales_order=SALES_ORDER,
                             max_rows=MAX_ROWS)
    except CopaError as error:
        LINE_ITEMS[:], VALUE_FIELDS[:] = [], []
        RETURN[:] = [error.bapiret2(system=ctx.logical_system, parameter=error.field)]
        return {"LINE_ITEMS": LINE_ITEMS, "VALUE_FIELDS": VALUE_FIELDS, "RETURN": RETURN}
    LINE_ITEMS[:] = [{f.name: row[f.name] for f in LINE_ITEM.fields} for row in found]
    waers = concern(ctx, erkrs).waers  # type: ignore[union-attr]  # checked in select_items
    VALUE_FIELDS[:] = [{"FIENM": name, "KTEXT": field.KTEXT, "LTEXT": field.LTEXT,
                        "TOTAL": sum((row[name] for row in found), Decimal("0.00")),
                        "WAERS": waers}
                       for name, field in value_fields(ctx, erkrs).items()]
    RETURN[:] = [bapiret2("S", "KE", "913", len(found), erkrs, system=ctx.logical_system)
                 if found else bapiret2("I", "KE", "914", erkrs, system=ctx.logical_system)]
    return {"LINE_ITEMS": LINE_ITEMS, "VALUE_FIELDS": VALUE_FIELDS, "RETURN": RETURN}


def select_items(ctx: CallContext, erkrs: str, *, record_type: str = "", period: str = "",
                 customer: str = "", order: str = "", sales_order: str = "",
                 max_rows: int = 0) -> list[dict[str, Any]]:
    """The committed line items of the selection, in document order."""
    if concern(ctx, erkrs) is None:
        raise CopaError("KE", "915", erkrs, field="OPERATING_CONCERN")
    query = select(_TABLE)
    if record_type:
        query = query.where(_TABLE.c.VRGAR == record_type)
    if period and period.strip("0"):
        if not PERIOD.match(period):
            raise CopaError("KE", "916", period, field="PERIOD")
        query = query.where(_TABLE.c.PERIO == period)
    if customer:
        query = query.where(_TABLE.c.KNDNR == alpha(customer.strip(), 10))
    if order:
        number = alpha(order.strip(), 12)
        query = query.where(or_(_TABLE.c.AUFNR == number, _TABLE.c.RKAUFNR == number))
    if sales_order:
        query = query.where(_TABLE.c.KAUFN == alpha(sales_order.strip(), 10))
    query = query.order_by(_TABLE.c.BELNR, _TABLE.c.POSNR)
    if max_rows > 0:
        query = query.limit(max_rows)
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
