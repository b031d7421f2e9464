"""`sapgw erp mb51`: the material document list (MB51-like) through ZMB51_LIST.

Selections by material, plant, movement type, order and posting date range, each optional;
keys get SAP's ALPHA conversion at the door, dates are checked there (YYYYMMDD or
YYYY-MM-DD). A selection the ERP refuses prints its headline `ID NUMBER text` and exits 1.
The /erp/mb51 page shows the same list (monitor/mb51_pages.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from sapgw.gateway.cli_support import alpha_arg, fail, failed_return
from sapgw.gateway.tables_text import render

COLUMNS = [("BUDAT", "Pstg date"), ("MBLNR", "Mat. doc."), ("MJAHR", "Year"),
           ("ZEILE", "Item"), ("BWART", "MvT"), ("MATNR", "Material"), ("WERKS", "Plnt"),
           ("LGORT", "SLoc"), ("SHKZG", "D/C"), ("MENGE", "Quantity"), ("MEINS", "BUn"),
           ("DMBTR", "Amount LC"), ("WAERS", "Crcy"), ("AUFNR", "Order"),
           ("KOSTL", "Cost ctr"), ("KUNNR", "Customer"), ("XBLNR", "Reference")]


def date_arg(value: str) -> str:
    """argparse type: a date as YYYYMMDD (also given as YYYY-MM-DD)."""
    digits = value.replace("-", "")
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if len(digits) != 8 or not digits.isdigit():
            raise ValueError(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYYMMDD)") from None
    return digits


def add_parsers(erp_sub: Any, common: argparse.ArgumentParser) -> None:
    mb51 = erp_sub.add_parser("mb51", parents=[common], help="MM: material document list "
                              "(MB51-like: ZMB51_LIST), newest first")
    mb51.add_argument("--material", type=alpha_arg(18), help="material, e.g. SP-2000")
    mb51.add_argument("--plant", help="plant, e.g. 1000")
    mb51.add_argument("--movement-type", dest="move_type", help="movement type, e.g. 601")
    mb51.add_argument("--order", type=alpha_arg(12), help="order (leading zeros optional)")
    mb51.add_argument("--from", dest="date_from", type=date_arg, help="posting date from")
    mb51.add_argument("--to", dest="date_to", type=date_arg, help="posting date to")


def run(args: argparse.Namespace, client: Any, show: Any) -> int | None:
    """The command's exit code, or None when it is not this one."""
    if args.erp_command != "mb51":
        return None
    result = material_documents(client.rfc, material=args.material or "",
                                plant=args.plant or "", move_type=args.move_type or "",
                                order=args.order or "", date_from=args.date_from or "",
                                date_to=args.date_to or "")
    error = failed_return(result)
    if error is not None:
        return fail(error)
    show(result["LIST"], render(result["LIST"], COLUMNS, "(no material documents found)"))
    return 0


def material_documents(rfc: Callable[..., dict[str, Any]], *, material: str = "",
                       plant: str = "", move_type: str = "", order: str = "",
                       date_from: str = "", date_to: str = "") -> dict[str, Any]:
    """ZMB51_LIST's answer (LIST, RETURN): what `mb51` and the /erp/mb51 page show."""
    return rfc("ZMB51_LIST", MATERIAL=material.upper(), PLANT=plant, MOVE_TYPE=move_type,
               ORDERID=order, DATE_FROM=date_from, DATE_TO=date_to)
