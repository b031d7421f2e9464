"""`sapgw erp fkkbix_s|fkkbix_m|fkkinv_s|fkkinv_m`: Convergent Invoicing runs from the command
line (FKKBIX_S / FKKBIX_M billing, FKKINV_S / FKKINV_M invoicing); `sapgw erp fp_rai_mon`:
the revenue accounting transfer records not yet sent (FP_RAI_MON, RFC FKK_RAI_MON);
`sapgw erp fp_rai_transf`: send them to RAR (FP_RAI_TRANSF, RFC FKK_RAI_TRANSFER), printing
the log per item type and the units queued.

Each command calls its RFC function (FKK_BIX_BILL_SINGLE, FKK_BIX_BILL_MASS,
FKK_INV_INVOICE_SINGLE, FKK_INV_INVOICE_MASS) through the client, as any RFC client would;
the run commits its own work. Prints the documents created and the ERP's messages as
`ID NUMBER text`; exit 1 when the ERP answered an error, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sapgw.gateway.cli_support import choice_arg, fail, failed_return, return_summary
from sapgw.gateway.tables_text import render

RUNS = {
    "fkkbix_s": ("FKK_BIX_BILL_SINGLE", "billing of one contract account (FKKBIX_S)"),
    "fkkbix_m": ("FKK_BIX_BILL_MASS", "mass billing of every contract account (FKKBIX_M)"),
    "fkkinv_s": ("FKK_INV_INVOICE_SINGLE", "invoicing of one contract account (FKKINV_S)"),
    "fkkinv_m": ("FKK_INV_INVOICE_MASS", "mass invoicing under one reconciliation key "
                                         "(FKKINV_M)"),
}
BILLDOC_COLUMNS = [("BILLDOCNO", "Billing doc."), ("VKONT", "Contract acct"),
                   ("BILL_AMOUNT", "Amount"), ("BILL_CURR", "Crcy"),
                   ("BIT_NUMBER", "Billable items")]
INVDOC_COLUMNS = [("INVDOCNO", "Invoicing doc."), ("VKONT", "Contract acct"),
                  ("OPBEL", "FI-CA document"), ("TOTAL_AMT", "Amount"),
                  ("TOTAL_CURR", "Crcy"), ("FIKEY", "Recon. key")]


MON_SUMMARY = [("SRCDOC_TYPE", "Item type"), ("STATUS", "Status"), ("RECORDS", "Records")]
MON_ITEMS = [("RAI_ID", "Transfer record"), ("SRCDOC_TYPE", "Type"), ("SRCDOC_ID", "Source item"),
             ("SERVICE_TYPE", "Service type"), ("PARTNER", "Partner"), ("BUKRS", "CoCd"),
             ("BETRW", "Amount"), ("WAERS", "Crcy"), ("CONDITIONS", "Cond."),
             ("STATUS", "Status")]


SOURCE_TYPES = ("CAOI", "CABO", "CAFI", "CAIN")
TRANSF_LOG = [("SRCDOC_TYPE", "Item type"), ("SENT", "Sent"), ("UNITS", "Units"),
              ("SUPERSEDED", "Superseded"), ("AGGREGATED", "Aggregated"),
              ("FAILED", "Refused"), ("TAKEN", "By other run")]
TRANSF_UNITS = [("SRCDOC_TYPE", "Type"), ("HEADER_ID", "Source document"),
                ("BUKRS", "CoCd"), ("FUNCNAME", "RAR function"), ("QNAME", "Queue"),
                ("ITEMS", "Items"), ("CONDITIONS", "Cond."), ("STATUS", "Status")]


def _types_arg(value: str) -> str:
    """argparse type: source item types, comma-separated; an unknown one lists the valid."""
    one = choice_arg(SOURCE_TYPES, "source item type")
    return ",".join(one(part.strip()).upper() for part in value.split(",") if part.strip())


def _selections(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--type", default="", type=_types_arg,
                        help="source item types, e.g. CAOI,CABO,CAFI,CAIN (default: all)")
    parser.add_argument("--bukrs", default="", help="company codes, comma-separated")
    parser.add_argument("--partner", default="", help="business partners, comma-separated")
    parser.add_argument("--to", default="", help="selection to YYYYMMDD (records created "
                        "up to)")


def add_parsers(erp_sub: Any, common: argparse.ArgumentParser) -> None:
    mon = erp_sub.add_parser("fp_rai_mon", parents=[common], help="revenue accounting transfer "
                             "records per item type and status, and those not yet sent")
    _selections(mon)
    transf = erp_sub.add_parser("fp_rai_transf", parents=[common], help="transfer revenue "
                                "accounting items to RAR (FP_RAI_TRANSF): contract and one-off "
                                "order items, fulfilment items, invoice items")
    _selections(transf)
    transf.add_argument("--test", action="store_true", help="test run: show what would be "
                        "sent, write and send nothing")
    for command, (_, text) in RUNS.items():
        parser = erp_sub.add_parser(command, parents=[common], help=text)
        if command.endswith("_s"):
            parser.add_argument("vkont", help="contract account")
        if command.startswith("fkkbix"):
            parser.add_argument("--date-to", default="", help="bill items dated up to "
                                "YYYYMMDD (default: today)")
            parser.add_argument("--class", dest="bitcat", default="0SAP",
                                help="billable item class (default 0SAP)")
        else:
            parser.add_argument("--budat", default="", help="posting date YYYYMMDD "
                                "(default: today)")
        if command == "fkkinv_s":
            parser.add_argument("--fikey", default="", help="reconciliation key (default: a "
                                "new one, closed after the run)")


def run(args: argparse.Namespace, client: Any, show: Any) -> int | None:
    """Run the command if it is one of these; None otherwise."""
    if args.erp_command == "fp_rai_mon":
        return monitor(args, client, show)
    if args.erp_command == "fp_rai_transf":
        return transfer(args, client, show)
    if args.erp_command not in RUNS:
        return None
    function = RUNS[args.erp_command][0]
    params: dict[str, Any] = {}
    if args.erp_command.endswith("_s"):
        params["VKONT"] = args.vkont
    if args.erp_command.startswith("fkkbix"):
        params.update(DATE_TO=args.date_to, BITCAT=args.bitcat)
        table, columns = "ET_BILLDOCS", BILLDOC_COLUMNS
    else:
        params["BUDAT"] = args.budat
        table, columns = "ET_INVDOCS", INVDOC_COLUMNS
    if args.erp_command == "fkkinv_s":
        params["FIKEY"] = args.fikey
    result = client.rfc(function, **params)
    messages = return_summary(result)
    failed = failed_return(result) is not None
    if failed and not args.json:
        print(messages, file=sys.stderr)
        return 1
    show(result, render(result.get(table, []), columns, "(no documents)") + "\n" + messages)
    return 1 if failed else 0


def _values(text: str) -> list[dict[str, str]]:
    return [{"LOW": value.strip().upper()} for value in text.split(",") if value.strip()]


def monitor(args: argparse.Namespace, client: Any, show: Any) -> int:
    result = client.rfc("FKK_RAI_MON", SEL_TO=args.to, IT_SRCDOC_TYPE=_values(args.type),
                        IT_BUKRS=_values(args.bukrs), IT_PARTNER=_values(args.partner))
    show(result, render(result["ET_SUMMARY"], MON_SUMMARY, "(no transfer records)") + "\n\n"
         + render(result["ET_UNSENT"], MON_ITEMS, "(nothing waiting to be sent)"))
    return 0


def transfer(args: argparse.Namespace, client: Any, show: Any) -> int:
    """FP_RAI_TRANSF: the log per item type, the units queued, the messages; exit 1 on E."""
    result = client.rfc("FKK_RAI_TRANSFER", SEL_TO=args.to, TESTRUN="X" if args.test else "",
                        IT_SRCDOC_TYPE=_values(args.type), IT_BUKRS=_values(args.bukrs),
                        IT_PARTNER=_values(args.partner))
    messages = return_summary(result)
    headline = failed_return(result)
    if headline and not result["ET_LOG"] and not args.json:
        return fail(headline)
    show(result, render(result["ET_LOG"], TRANSF_LOG, "(nothing selected)") + "\n\n"
         + render(result["ET_UNITS"], TRANSF_UNITS, "(no units)") + "\n" + messages)
    return 1 if headline else 0
