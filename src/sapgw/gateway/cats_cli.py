"""`sapgw erp cat7` (CATS transfer to CO) and `sapgw erp catsdb` (time sheet records).

Both go through the client's RFC like any other client (the local ERP of config.ini, or a
server at --url): cat7 calls CATS_TRANSFER_TO_CO, catsdb reads CATSDB and CATSCO with
RFC_READ_TABLE. cat7 prints its log in SAP's message terms (type, class, number, text) and
exits 1 when a record was not transferred.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

from sapgw.gateway.cli_support import failed_return, return_summary
from sapgw.gateway.monitor.erp_views import read_table
from sapgw.gateway.tables_text import render
from sapgw.rfc.connection import RfcConnection

CATSDB_FIELDS = ["COUNTER", "PERNR", "WORKDATE", "CATSHOURS", "MEINH", "SKOSTL", "LSTAR",
                 "RAUFNR", "RKOSTL", "STATUS", "BELNR", "EXTDOCUMENTNO"]
COLUMNS = [("COUNTER", "Counter"), ("PERNR", "Pers.no."), ("WORKDATE", "Date"),
           ("CATSHOURS", "Hours"), ("MEINH", "Unit"), ("SKOSTL", "Sender CC"),
           ("LSTAR", "Act.type"), ("RAUFNR", "Order"), ("RKOSTL", "Rec. CC"),
           ("STATUS", "Status"), ("BELNR", "CATS doc."), ("TRANSFER", "To CO"),
           ("CO_BELNR", "CO doc.")]
RESULT_COLUMNS = [("COUNTER", "Counter"), ("WORKDATE", "Date"), ("CATSHOURS", "Hours"),
                  ("RAUFNR", "Order"), ("RKOSTL", "Rec. CC"), ("TYPE", "T"),
                  ("CO_BELNR", "CO doc.")]
COMMANDS = ("cat7", "catsdb")


def add_parsers(erp_sub: Any, common: argparse.ArgumentParser) -> None:
    cat7 = erp_sub.add_parser("cat7", parents=[common], help="CATS: transfer approved time "
                              "sheet records to CO as activity allocations (exit 1 if one "
                              "was not transferred)")
    cat7.add_argument("--test", action="store_true", help="test run: check, post nothing")
    catsdb = erp_sub.add_parser("catsdb", parents=[common], help="CATS: time sheet records "
                                "with their transfer to CO")
    catsdb.add_argument("--pernr", help="personnel number (leading zeros optional)")
    catsdb.add_argument("--order", help="receiver order (leading zeros optional)")


def run(args: argparse.Namespace, client: Any, show: Any) -> int | None:
    """The command's exit code, or None when it is not one of these."""
    if args.erp_command == "cat7":
        return cat7(args, client, show)
    if args.erp_command == "catsdb":
        return catsdb(args, client, show)
    return None


def cat7(args: argparse.Namespace, client: Any, show: Any) -> int:
    result = client.rfc("CATS_TRANSFER_TO_CO", TESTRUN="X" if args.test else "")
    log = return_summary(result)
    text = (render(result["RESULTS"], RESULT_COLUMNS) + "\n\n" + log) if result["RESULTS"] \
        else log
    show(result, text)
    return 1 if failed_return(result) is not None else 0


def catsdb(args: argparse.Namespace, client: Any, show: Any) -> int:
    rows = time_sheet(client.rfc, args.pernr or "", args.order or "")
    show(rows, render(rows, COLUMNS, "(no time sheet records)"))
    return 0


def time_sheet(rfc: Callable[..., dict[str, Any]], pernr: str = "", order: str = ""
               ) -> list[dict[str, str]]:
    """CATSDB rows (of one employee and/or order; ALPHA applied) with their CATSCO transfer
    flag and CO document, read over RFC_READ_TABLE: what `catsdb` and the /catsdb page show."""
    conditions = []
    if pernr:
        conditions.append(f"PERNR = '{alpha(pernr, 8)}'")
    if order:
        conditions.append(f"RAUFNR = '{alpha(order, 12)}'")
    where = [" AND ".join(conditions)] if conditions else []
    connection = cast(RfcConnection, SimpleNamespace(call=rfc))
    records = read_table(connection, "CATSDB", CATSDB_FIELDS, where)
    transfers = {row["COUNTER"]: row for row in read_table(
        connection, "CATSCO", ["COUNTER", "TRANSFER", "CO_BELNR"], ["STOKZ = ' '"])}
    return [{**record, "TRANSFER": transfers.get(record["COUNTER"], {}).get("TRANSFER", ""),
             "CO_BELNR": transfers.get(record["COUNTER"], {}).get("CO_BELNR", "")}
            for record in records]


def alpha(value: str, width: int) -> str:
    """Conversion exit ALPHA on input: numbers get their leading zeros."""
    value = value.strip()
    return value.zfill(width) if value.isdigit() else value.upper()
