"""CRMSRV (ours): what a CRM service document produced in the ERP, as one page.

A BDoc BUS_TRANS_MSG links here (adapters/service.py). The page reads over RFC, as KO03
does: the document's record (CRMSRV_DOCS), its internal order(s) with a link to KO03, the
CO line items on them (COEP), the time sheet records with the order as receiver (CATSDB),
the goods issues to it (MSEG) and the sales document that bills it (VBAK).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from sapgw.gateway.monitor.cockpit_pages import _erp, _fields, _form
from sapgw.gateway.monitor.erp_views import key, read_table
from sapgw.gateway.monitor.pages import _e, _page, _row, _table
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
SCENARIO = "CRMSRV"
TITLE = "CRMSRV · CRM service document in the ERP"


def service_document(conn: RfcConnection, object_id: str) -> dict[str, Any] | None:
    """The document's record, orders, CO line items, CATS rows, goods issues, or None."""
    number = key(object_id, "OBJECT_ID", 10, alpha=True)
    docs = read_table(conn, "CRMSRV_DOCS", ["OBJECT_ID", "PROCESS_TYPE", "OBJECT_NO", "VBELN",
                                            "PREDECESSOR", "BUKRS", "KOKRS", "ERDAT"],
                      [f"OBJECT_ID = '{number}'"])
    if not docs:
        return None
    doc = docs[0]
    objects = {doc["OBJECT_NO"]} - {""}
    short = number.lstrip("0")
    for row in read_table(conn, "IAOM_ASSIGNMENTS", ["EXT_OBJECT_ID", "OBJECT_NO"],
                          [f"BUS_SCENARIO_ID = '{SCENARIO}' AND EXT_OBJECT_ID LIKE '{short}/%'"]):
        objects.add(row["OBJECT_NO"])
    orders = sorted(o[2:] for o in objects if o.startswith("OR"))
    found: dict[str, Any] = {"doc": doc, "orders": orders, "coep": [], "cats": [], "mseg": [],
                             "cats_error": ""}
    for aufnr in orders:
        found["coep"] += read_table(conn, "COEP", ["BELNR", "BUZEI", "PERIO", "VRGNG", "KSTAR",
                                                   "WKGBTR", "SGTXT"],
                                    [f"OBJNR = 'OR{aufnr}'"])
        found["mseg"] += read_table(conn, "MSEG", ["MBLNR", "ZEILE", "BWART", "MATNR", "MENGE",
                                                   "DMBTR", "AUFNR"], [f"AUFNR = '{aufnr}'"])
        try:
            found["cats"] += read_table(conn, "CATSDB", [
                "COUNTER", "PERNR", "WORKDATE", "CATSHOURS", "SKOSTL", "LSTAR", "STATUS",
                "EXTDOCUMENTNO"], [f"RAUFNR = '{aufnr}'"])
        except RFCError as exc:  # an ERP without CATS
            found["cats_error"] = str(exc)
    return found


def _render(found: dict[str, Any]) -> str:
    doc = found["doc"]
    orders = " · ".join(f'<a href="/ko03?aufnr={_e(a)}">KO03 order {_e(a.lstrip("0"))}</a> '
                        f'(<a href="/catsdb?order={_e(a)}">CATSDB</a>)'
                        for a in found["orders"]) or "none (mass-object controlling: CO-PA)"
    coep = _table(["CO document", "Item", "Period", "Transaction", "Cost element", "Value",
                   "Text"], (_row(*(_e(x[f]) for f in ("BELNR", "BUZEI", "PERIO", "VRGNG",
                                                        "KSTAR", "WKGBTR", "SGTXT")))
                             for x in found["coep"]), "no CO line items")
    cats = _table(["Counter", "Personnel no.", "Work date", "Hours", "Sender", "Activity",
                   "Status", "Sender document"], (_row(*(_e(x[f]) for f in (
                       "COUNTER", "PERNR", "WORKDATE", "CATSHOURS", "SKOSTL", "LSTAR",
                       "STATUS", "EXTDOCUMENTNO"))) for x in found["cats"]),
                  found["cats_error"] or "no time sheet records")
    mseg = _table(["Material document", "Item", "Movement", "Material", "Quantity", "Value"],
                  (_row(*(_e(x[f]) for f in ("MBLNR", "ZEILE", "BWART", "MATNR", "MENGE",
                                             "DMBTR"))) for x in found["mseg"]),
                  "no goods movements")
    return (_fields(list(doc.items())) + f"<h2>Internal orders</h2><p>{orders}</p>"
            f"<h2>CO line items</h2>{coep}<h2>Time sheet (CATSDB)</h2>{cats}"
            f"<h2>Goods movements (MSEG)</h2>{mseg}")


@router.get("/crmsrv", response_class=HTMLResponse)
def crmsrv(request: Request, object_id: str = "") -> HTMLResponse:
    form = _form("/crmsrv", ("Transaction", "object_id", object_id, 10))
    if not object_id:
        return _page(request, TITLE, form)
    return _erp(request, f"CRMSRV · {object_id}", lambda c: service_document(c, object_id),
                _render, form, f"CRM service document {object_id} is not in the ERP")
