"""`sapgw erp kka2|kkai|ko88|ko8g`: results analysis and settlement at period end.

Each command calls its RFC function (ZKKA_RA_ORDER, ZKKA_RA_COLLECTIVE, ZKO_SETTLE_ORDER,
ZKO_SETTLE_COLLECTIVE; `kka2 --cancel` ZKKA_RA_CANCEL, `ko88 --reverse` ZKO_SETTLE_REVERSE;
ours, docs/CONTRACT.md) through the client like any RFC client, prints
the log in SAP's message terms (`TYPE ID NUMBER text`) and the result table, or the whole
answer with --json. Exit 0 when the log has no error, 1 when it has one, 2 for a period that
is not YYYY/PP.
"""

from __future__ import annotations

import argparse
from typing import Any

from sapgw.gateway.cli_support import fail, failed_return, return_summary
from sapgw.gateway.tables_text import render

COMMANDS = ("kka2", "kkai", "ko88", "ko8g")
RA_COLUMNS = [("ORDERID", "Order"), ("CATEGORY", "RA cat."), ("ABKAT", "ABKAT"),
              ("KSTAR", "RA cost elem."), ("CUMULATIVE", "Cumulative"),
              ("PERIOD_VALUE", "Period"), ("CURRENCY", "Crcy")]
SETTLEMENT_COLUMNS = [("ORDERID", "Sender"), ("KONTY", "Rec. type"), ("RECEIVER", "Receiver"),
                      ("KSTAR", "Cost elem."), ("SOURCE", "Source"), ("AMOUNT", "Amount"),
                      ("CURRENCY", "Crcy"), ("BELNR", "Settlement doc.")]
HELP = {
    "kka2": "results analysis of one internal order (KKA2-like: ZKKA_RA_ORDER)",
    "kkai": "results analysis of the area's internal orders (KKAI-like: ZKKA_RA_COLLECTIVE)",
    "ko88": "settlement of one internal order (KO88-like: ZKO_SETTLE_ORDER)",
    "ko8g": "settlement of the area's internal orders (KO8G-like: ZKO_SETTLE_COLLECTIVE)",
}


def add_parsers(erp_sub: Any, common: argparse.ArgumentParser) -> None:
    for name in COMMANDS:
        command = erp_sub.add_parser(name, parents=[common], help=HELP[name])
        if name in ("kka2", "ko88"):
            command.add_argument("order", help="internal order number, e.g. 100000")
        if name == "kka2":
            command.add_argument("--cancel", action="store_true",
                                 help="cancel the period's results (ZKKA_RA_CANCEL)")
        elif name == "ko88":
            command.add_argument("--reverse", action="store_true",
                                 help="reverse the period's last settlement "
                                      "(ZKO_SETTLE_REVERSE)")
        else:
            command.add_argument("--area", default="1000", help="controlling area")
        command.add_argument("--period", required=True, help="fiscal year/period: 2026/11")
        command.add_argument("--test", action="store_true", help="test run: save nothing")


def run(args: argparse.Namespace, client: Any, show: Any) -> int:
    period = _period(args.period)
    if period is None:
        return fail(f"--period {args.period!r} is not YYYY/PP", 2)
    year, number = period
    params: dict[str, Any] = {"FISC_YEAR": year, "PERIOD": number,
                              "TESTRUN": "X" if args.test else ""}
    if args.erp_command == "kka2" and args.cancel:
        if args.test:
            return fail("--cancel has no --test run", 2)
        result = client.rfc("ZKKA_RA_CANCEL", ORDERID=args.order, FISC_YEAR=year,
                            PERIOD=number)
    elif args.erp_command == "kka2":
        result = client.rfc("ZKKA_RA_ORDER", ORDERID=args.order, **params)
    elif args.erp_command == "ko88" and args.reverse:
        result = client.rfc("ZKO_SETTLE_REVERSE", ORDERID=args.order, **params)
    elif args.erp_command == "kkai":
        result = client.rfc("ZKKA_RA_COLLECTIVE", CO_AREA=args.area, **params)
    elif args.erp_command == "ko88":
        result = client.rfc("ZKO_SETTLE_ORDER", ORDERID=args.order, **params)
    else:
        result = client.rfc("ZKO_SETTLE_COLLECTIVE", CO_AREA=args.area, **params)
    ra = args.erp_command.startswith("kka")
    rows = result.get("RESULTS" if ra else "LINES", [])
    show(result, return_summary(result) + "\n\n"
         + render(rows, RA_COLUMNS if ra else SETTLEMENT_COLUMNS, "(no values)"))
    return 1 if failed_return(result) is not None else 0


def _period(text: str) -> tuple[str, str] | None:
    """('2026', '011') of '2026/11', None when it is not YYYY/PP with a period 1..16."""
    year, _, period = text.partition("/")
    if len(year) != 4 or not year.isdigit() or not period.isdigit():
        return None
    if not 1 <= int(period) <= 16:
        return None
    return year, f"{int(period):03d}"
