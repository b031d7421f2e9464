"""`sapgw erp crmsrv ID`: what a CRM service document produced in the ERP (CRMSRV, ours), read
over RFC as the monitor page /crmsrv reads it: the document's record, its internal orders,
the CO line items, CATS rows and goods issues on them. Exit 1 when the ERP does not know the
document, 2 on a malformed number."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sapgw.gateway.tables_text import render
from sapgw.rfc.errors import RFCError

# The client and the monitor's views are imported where used: `add_parsers` runs for every
# command, and importing them there cost `sapgw serve` 0.8 s before it listened (issue 15).


class _Caller:
    """The CLI client's `rfc` as the `call` the monitor's views use."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def call(self, function: str, **params: Any) -> dict[str, Any]:
        from sapgw.gateway.client import ClientError

        try:
            return dict(self.client.rfc(function, **params))
        except ClientError as error:  # the ERP's answer, e.g. a table it does not have
            raise RFCError(str(error)) from error


def add_parsers(erp_sub: Any, common: argparse.ArgumentParser) -> None:
    crmsrv = erp_sub.add_parser("crmsrv", parents=[common], help="a CRM service document in "
                                "the ERP: orders, CO line items, CATS rows, goods issues")
    crmsrv.add_argument("object_id", help="the CRM transaction number (OBJECT_ID)")


def run(args: argparse.Namespace, client: Any, show: Any) -> int:
    from sapgw.gateway.monitor.crmsrv_pages import service_document

    try:
        found = service_document(_Caller(client), args.object_id)  # type: ignore[arg-type]
    except ValueError as error:
        print(f"sapgw: {error}", file=sys.stderr)
        return 2
    if found is None:
        print(f"CRM service document {args.object_id} is not in the ERP (CRMSRV_DOCS)",
              file=sys.stderr)
        return 1
    doc = found["doc"]
    text = "\n".join([
        f"{doc['PROCESS_TYPE']} {doc['OBJECT_ID'].lstrip('0')}  company code {doc['BUKRS']}  "
        f"sales document {doc['VBELN'] or '-'}  predecessor "
        f"{doc['PREDECESSOR'].lstrip('0') or '-'}",
        "Internal orders: " + (", ".join(a.lstrip("0") for a in found["orders"]) or "none"),
        render(found["coep"], [("BELNR", "CO doc"), ("BUZEI", "Item"), ("PERIO", "Period"),
                               ("VRGNG", "Trans."), ("KSTAR", "Cost elem."),
                               ("WKGBTR", "Value"), ("SGTXT", "Text")], "(no CO line items)"),
        render(found["cats"], [("COUNTER", "Counter"), ("PERNR", "Pers.no."),
                               ("WORKDATE", "Date"), ("CATSHOURS", "Hours"),
                               ("LSTAR", "Activity"), ("STATUS", "Status")],
               found["cats_error"] or "(no time sheet records)"),
        render(found["mseg"], [("MBLNR", "Mat. doc"), ("BWART", "Mvt"), ("MATNR", "Material"),
                               ("MENGE", "Quantity"), ("DMBTR", "Value")],
               "(no goods movements)")])
    show(found, text)
    return 0
