"""`sapgw rar process|contracts|pobs|schedule|post|postings|check`: the Revenue Accounting
system (destination RAR, docs/RAR.md) from the command line.

In-process the commands call the RAR system over its destination (`--destination`, default
RAR); with `--url` they call a served RAR (`sapgw erp serve --system
sapgw.erp_stub.rar_system`) over JSON RFC. `check` in-process first reads what FI-CA sent
(DFKKRA_RAI_MI rows with a send date, RFC_READ_TABLE over the ERP's destination) and gives
it to FARR_CHECK_CONS; with `--url` it checks RAR alone. Messages print as `ID NUMBER text`;
exit 1 when RAR answered an error or the check has findings, 0 otherwise.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from sapgw.gateway.cli_support import alpha_arg, fail, failed_return, return_summary
from sapgw.gateway.tables_text import render

CONTRACTS = [("CONTRACT_ID", "Contract"), ("COMPANY_CODE", "CoCd"),
             ("REFERENCE_TYPE", "Ref.type"), ("REFERENCE_ID", "Reference"),
             ("PARTNER", "Partner"), ("TRX_PRICE", "Trans. price"),
             ("ALLOC_DIFFER", "Alloc. effect"), ("TRX_PRICE_CURK", "Crcy"),
             ("NUM_OF_POB", "POBs")]
POBS = [("POB_ID", "POB"), ("CONTRACT_ID", "Contract"), ("SERVICE_TYPE", "Service type"),
        ("FULFILL_TYPE", "Fulf."), ("EVENT_TYPE", "Event"), ("QUANTITY", "Qty"),
        ("TRX_PRICE", "Price"), ("SSP", "SSP"), ("ALLOC_AMT", "Allocated"),
        ("START_DATE", "Start"), ("END_DATE", "End"), ("PRO_PERIOD", "Prosp. from")]
SCHEDULE = [("POB_ID", "POB"), ("GJAHR", "Year"), ("POPER", "Per."),
            ("REV_AMT_DELTA", "Revenue"), ("REV_QTY_DELTA", "Qty"),
            ("INV_AMT_DELTA", "Invoiced"), ("REV_AMT_POSTED", "Rev. posted"),
            ("REV_AMT_CATCHUP", "Catch-up"), ("INV_AMT_POSTED", "Inv. posted"),
            ("RECON_KEY", "Recon. key")]
POSTINGS = [("RECON_KEY", "Recon. key"), ("CONTRACT_ID", "Contract"), ("POB_ID", "POB"),
            ("POST_CAT", "Cat."), ("SHKZG", "S/H"), ("BETRW", "Amount"), ("WAERS", "Crcy")]
FINDINGS = [("CHECK", "Check"), ("CONTRACT_ID", "Contract"), ("POB_ID", "POB"),
            ("SRCDOC_TYPE", "Type"), ("SRCDOC_ID", "Source item"), ("MESSAGE", "Finding")]
ITEMS = [("SRCDOC_TYPE", "Type"), ("SRCDOC_ID", "Source item"), ("RAI_CLASS", "Class"),
         ("STATUS", "Status"), ("BETRW", "Amount"), ("WAERS", "Crcy"),
         ("CONTRACT_ID", "Contract"), ("REASON", "Why raw")]


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    rar = sub.add_parser("rar", help="Revenue Accounting (destination RAR): process items, "
                         "contracts, POBs, schedule, posting run, consistency check")
    rar_sub = rar.add_subparsers(dest="rar_command", required=True, metavar="RAR_COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        parser = rar_sub.add_parser(name, parents=[common], help=text)
        parser.add_argument("--destination", default="RAR", help="the RAR system's "
                            "destination in config.ini (default RAR)")
        parser.add_argument("--bukrs", default="", help="company code (default: all)")
        return parser

    command("process", "raw items to processable (FARR_RAI_TRANS), then processable to "
                       "processed (FARR_RAI_PROC)")
    command("items", "revenue accounting items not yet processed, with why they are raw")
    for name, text in (("contracts", "revenue contracts"),
                       ("pobs", "performance obligations with their allocation"),
                       ("schedule", "revenue schedule: deferral items per POB and period"),
                       ("postings", "postings of the revenue posting runs")):
        command(name, text).add_argument("contract", nargs="?", type=alpha_arg(14),
                                         help="one revenue contract")
    post = command("post", "revenue posting run of one period (FARR_REV_POST)")
    post.add_argument("period", help="YYYYMM")
    post.add_argument("--test", action="store_true", help="simulate, post nothing")
    check = command("check", "consistency check: FI-CA sent vs RAR stored, allocation, "
                             "revenue schedule (every finding; exit 1 if any)")
    check.add_argument("contract", nargs="?", type=alpha_arg(14), help="one revenue contract")
    check.add_argument("--sender", default="ERP", help="destination of FI-CA whose transfer "
                       "records are compared (default ERP; in-process only)")


def _call(args: argparse.Namespace, client: Any, function: str, **params: Any
          ) -> dict[str, Any]:
    gateway = getattr(client, "gateway", None)
    if gateway is None:  # --url: the served RAR system itself
        return dict(client.rfc(function, **params))
    connection = gateway.destination(args.destination)
    try:
        return dict(connection.call(function, **params))
    finally:
        connection.close()


def _returned(*results: dict[str, Any]) -> dict[str, Any]:
    """RAR's ET_RETURN rows of one or more calls as a RETURN (what the CLI helpers read)."""
    return {"RETURN": [row for result in results for row in result.get("ET_RETURN", [])]}


def run(args: argparse.Namespace, client: Any, show: Any) -> int:
    command = args.rar_command
    if command == "process":
        transfer = _call(args, client, "FARR_RAI_TRANSFER", IV_BUKRS=args.bukrs)
        result = _call(args, client, "FARR_RAI_PROCESS", IV_BUKRS=args.bukrs)
        show({"transfer": transfer, "process": result},
             render(result["ET_CONTRACTS"], [("CONTRACT_ID", "Contract changed")],
                    "(no contract changed)") + "\n" + return_summary(_returned(transfer, result)))
        return 0
    if command == "post":
        period = args.period.strip()
        if len(period) != 6 or not period.isdigit():
            return fail(f"period {args.period!r}: expected YYYYMM, e.g. 202701", 2)
        result = _call(args, client, "FARR_REVENUE_POSTING", IV_BUKRS=args.bukrs or "1000",
                       IV_GJAHR=period[:4], IV_POPER=period[4:], IV_TEST="X" if args.test else "")
        error = failed_return(_returned(result))
        if error and not args.json:
            return fail(error)
        show(result, render(result["ET_POSTINGS"], POSTINGS, "(nothing to post)") + "\n"
             + return_summary(_returned(result)))
        return 1 if error else 0
    if command == "check":
        return _check(args, client, show)
    contract = getattr(args, "contract", None) or ""
    data = _call(args, client, "FARR_CONTRACT_READ", IV_BUKRS=args.bukrs,
                 IV_CONTRACT_ID=contract)
    if contract and not data["ET_CONTRACTS"]:
        return fail(f"revenue contract {contract} does not exist")
    table, columns, empty = {
        "contracts": ("ET_CONTRACTS", CONTRACTS, "(no revenue contracts)"),
        "pobs": ("ET_POBS", POBS, "(no performance obligations)"),
        "schedule": ("ET_DEFITEMS", SCHEDULE, "(no deferral items)"),
        "postings": ("ET_POSTINGS", POSTINGS, "(no postings)"),
        "items": ("ET_ITEMS", ITEMS, "(no items waiting)"),
    }[command]
    rows = data[table]
    if command == "items":
        rows = [row for row in rows if row["STATUS"] != "4"]
    show(rows, render(rows, columns, empty))
    return 0


def _sent(args: argparse.Namespace, client: Any) -> list[dict[str, Any]]:
    """FI-CA's transfer records with a send date, read over the sender's destination."""
    gateway = getattr(client, "gateway", None)
    if gateway is None:
        return []
    fields = ("SRCDOC_COMP", "SRCDOC_LOGSYS", "SRCDOC_TYPE", "SRCDOC_ID", "TIMESTAMP_UTC",
              "BETRW", "SENTDATE", "BUKRS")
    connection = gateway.destination(args.sender)
    try:
        answer = connection.call("RFC_READ_TABLE", QUERY_TABLE="DFKKRA_RAI_MI", DELIMITER="|",
                                 FIELDS=[{"FIELDNAME": name} for name in fields])
    finally:
        connection.close()
    rows = [dict(zip(fields, (v.strip() for v in line["WA"].split("|")), strict=True))
            for line in answer["DATA"]]
    return [{**{k: row[k] for k in fields[:4]}, "TIMESTAMP_UTC": Decimal(row["TIMESTAMP_UTC"]),
             "BETRW": Decimal(row["BETRW"] or 0)} for row in rows
            if row["SENTDATE"] and (not args.bukrs or row["BUKRS"] == args.bukrs)]


def _check(args: argparse.Namespace, client: Any, show: Any) -> int:
    sent = [] if args.contract else _sent(args, client)
    result = _call(args, client, "FARR_CHECK_CONS", IV_BUKRS=args.bukrs,
                   IV_CONTRACT_ID=args.contract or "", IT_SENT=sent)
    error = failed_return(_returned(result))
    if error and not args.json:
        return fail(error)
    show(result, render(result["ET_FINDINGS"], FINDINGS, "(no findings)") + "\n"
         + return_summary(_returned(result)))
    return 1 if error or result["ET_FINDINGS"] else 0
