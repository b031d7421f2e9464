"""`sapgw erp ke24`: CO-PA actual line items (KE24-like), read over RFC with
Z_COPA_LINE_ITEMS (ours), as any client would; the monitor page /erp/ke24 shares the reading.

Works on the local ERP (the databases of config.ini) and over `--url` alike. Selections:
record type, period (YYYY/PP), customer, order (internal order or sending order of a
settlement), sales order. An ERP error prints its headline (`sapgw: KE 916 …`) and
exits 1.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sapgw.gateway.cli_support import fail, failed_return, return_lines
from sapgw.gateway.tables_text import render

FUNCTION = "Z_COPA_LINE_ITEMS"
HEAD = [("BELNR", "Document"), ("VRGAR", "Rec"), ("PERIO", "Period"), ("BUDAT", "Posted"),
        ("PAOBJNR", "Segment"), ("KNDNR", "Customer"), ("ARTNR", "Product"),
        ("FKART", "Bill.type"), ("KAUFN", "Sales order"), ("KDPOS", "Item"),
        ("AUFNR", "Order"), ("RKAUFNR", "Sender order"), ("RBELN", "Reference")]
_PERIOD = re.compile(r"^(\d{4})/(\d{1,3})$")

Call = Callable[..., dict[str, Any]]


class SelectionError(ValueError):
    """A selection the command line cannot turn into RFC parameters."""


def period(text: str) -> str:
    """YYYY/PP as CO-PA's PERIO (YYYYPPP); blank stays blank."""
    if not text:
        return ""
    match = _PERIOD.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 16:
        raise SelectionError(f"period must be YYYY/PP with PP 1 to 16, not {text!r}")
    return f"{match.group(1)}{int(match.group(2)):03d}"


def line_items(call: Call, *, record_type: str = "", period_text: str = "", customer: str = "",
               order: str = "", sales_order: str = "") -> dict[str, Any]:
    """{items, value_fields, messages, error}: the RFC answer; messages `ID NUMBER text`,
    error the headline of RETURN (blank when the selection worked)."""
    result = call(FUNCTION, RECORD_TYPE=record_type.upper(), PERIOD=period(period_text),
                  CUSTOMER=customer, ORDERID=order, SALES_ORDER=sales_order)
    return {"items": result["LINE_ITEMS"], "value_fields": result["VALUE_FIELDS"],
            "messages": return_lines(result), "error": failed_return(result) or ""}


def add_parsers(erp_sub: Any, common: argparse.ArgumentParser) -> None:
    ke24 = erp_sub.add_parser("ke24", parents=[common], help="CO-PA actual line items "
                              "(KE24-like: Z_COPA_LINE_ITEMS)")
    ke24.add_argument("--record-type", default="", help="F billing, C settlement, B direct")
    ke24.add_argument("--period", default="", help="YYYY/PP, e.g. 2026/11")
    ke24.add_argument("--customer", default="")
    ke24.add_argument("--order", default="", help="internal order (also as sending order)")
    ke24.add_argument("--sales-order", default="")


def run(args: argparse.Namespace, client: Any, show: Any) -> int:
    try:
        found = line_items(client.rfc, record_type=args.record_type, period_text=args.period,
                           customer=args.customer, order=args.order,
                           sales_order=args.sales_order)
    except SelectionError as error:
        return fail(str(error), 2)
    if found["error"]:
        return fail(found["error"])
    show(found, text(found))
    return 0


def text(found: dict[str, Any]) -> str:
    """The list as a terminal table: head columns, then one column per value field, a totals
    line and the message."""
    fields = found["value_fields"]
    columns = HEAD + [(f["FIENM"], f["KTEXT"] or f["FIENM"]) for f in fields]
    rows = [{**item, **{f["FIENM"]: _money(item[f["FIENM"]]) for f in fields}}
            for item in found["items"]]
    if rows:
        rows.append({"BELNR": "Total", **{f["FIENM"]: _money(f["TOTAL"]) for f in fields}})
    return render(rows, columns, "(no line items)") + "\n" + "\n".join(found["messages"])


def _money(value: Any) -> str:
    """An amount as JSON RFC or a local call gives it (Decimal, number or text)."""
    return f"{Decimal(str(value or 0)):.2f}"
