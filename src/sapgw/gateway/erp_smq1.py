"""`sapgw erp smq1`: the ERP's outbound queues, through its qRFC API over RFC.

Works on the local ERP (the databases of config.ini) and over `--url` alike, since it only
calls TRFC_GET_QUEUE_INFO_DETAILS and TRFC_QOUT_ACTIVATE/STOP/UNLOCK (erp_stub/basis/qrfc_api).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sapgw.gateway.tables_text import render
from sapgw.rfc.errors import RFCLibError

COLUMNS = [("QNAME", "Queue"), ("QSTATE", "Status"), ("QDEEP", "Entries"),
           ("DEST", "Destination"), ("RETRIES", "Retries"), ("NEXTRETRY", "Next retry (UTC)"),
           ("ERRMESS", "Error")]
FUNCTIONS = {"activate": "TRFC_QOUT_ACTIVATE", "lock": "TRFC_QOUT_STOP",
             "unlock": "TRFC_QOUT_UNLOCK"}


def queues(client: Any, qname: str = "*") -> list[dict[str, Any]]:
    """SMQ1's rows as the monitor and --json show them (name, status, entries, error, ...)."""
    rows = client.rfc("TRFC_GET_QUEUE_INFO_DETAILS", QNAME=qname)["QVIEW"]
    return [{"name": r["QNAME"], "status": r["QSTATE"], "entries": r["QDEEP"],
             "destination": r["DEST"], "retries": r["RETRIES"],
             "next_retry_at": r["NEXTRETRY"] or None, "waiting_on": r["QWAITING"],
             "first_at": r["FIRSTTIME"] or None, "error": r["ERRMESS"]} for r in rows]


def smq1_command(args: argparse.Namespace, client: Any, show: Any) -> int:
    if args.action and not args.queue:
        print(f"sapgw: erp smq1 --{args.action} needs a queue name", file=sys.stderr)
        return 2
    if args.action:
        try:
            client.rfc(FUNCTIONS[args.action], QNAME=args.queue)
        except RFCLibError as error:
            print(f"sapgw: {error.message}", file=sys.stderr)
            return 1
    found = queues(client, args.queue or "*")
    if args.queue and not found:
        if args.action == "unlock":  # an unlocked queue without LUWs is gone: fine
            show([], f"queue {args.queue}: unlocked, empty")
            return 0
        print(f"sapgw: the ERP has no outbound queue {args.queue}", file=sys.stderr)
        return 1
    show(found, render([{"QNAME": q["name"], "QSTATE": q["status"], "QDEEP": q["entries"],
                         "DEST": q["destination"], "RETRIES": q["retries"],
                         "NEXTRETRY": q["next_retry_at"] or "", "ERRMESS": q["error"]}
                        for q in found], COLUMNS, "(no queues)"))
    return 0
