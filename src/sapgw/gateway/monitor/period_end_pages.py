"""KKA3/KO88-log as a web page: an order's saved results analysis through a period and its
settlement documents with their receiver segments, read over RFC as any client would
(ZKKA_RA_DISPLAY, ours, and RFC_READ_TABLE on AUAK/AUAA), as `sapgw erp kka2/ko88` show them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from sapgw.gateway.cli_support import failed_return, return_lines
from sapgw.gateway.monitor.erp_views import read_table
from sapgw.gateway.monitor.pages import _e, _gw, _page, _row, _table
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
TITLE = "KKA3 / KO88 · results analysis and settlement of an order"


@router.get("/erp/kka3", response_class=HTMLResponse)
def erp_kka3(request: Request, order: str = "", period: str = "") -> HTMLResponse:
    form = (f'<form method="get" action="/erp/kka3"><label>Order <input name="order" '
            f'value="{_e(order)}" size="12"></label> <label>Period YYYY/PP <input '
            f'name="period" value="{_e(period)}" size="8"></label> <button>Display</button>'
            '</form>')
    if not order:
        return _page(request, TITLE, form)
    year, _, number = period.partition("/")
    if len(year) != 4 or not year.isdigit() or not number.isdigit():
        return _page(request, TITLE, form, status=400, error="period: YYYY/PP, e.g. 2026/11")
    gw = _gw(request)
    conn = gw.destination(gw.settings.rfc_destination or "ERP")
    try:
        shown = conn.call("ZKKA_RA_DISPLAY", ORDERID=order, FISC_YEAR=year,
                          PERIOD=f"{int(number):03d}")
        error = failed_return(shown)
        if error:
            return _page(request, TITLE, form, status=400, error=error)
        aufnr = shown["RESULTS"][0]["ORDERID"] if shown["RESULTS"] else order.zfill(12)
        documents = read_table(conn, "AUAK", ["BELNR", "GJAHR", "PERIO", "BUDAT", "BELCO",
                                              "AWKEY", "PABELNR", "STFLG", "STOKZ", "STBEL"],
                               [f"OBJNR = 'OR{aufnr}'"])
        segments = [read_table(conn, "AUAA", ["BELNR", "LFDNR", "KONTY", "EMPGE", "KSTAR",
                                              "SKSTAR", "WKGBTR", "WAERS"],
                               [f"BELNR = '{doc['BELNR']}'"]) for doc in documents]
    except RFCError as exc:
        return _page(request, TITLE, form, status=502, error=f"ERP not reachable: {exc}")
    finally:
        conn.close()
    link = f'<a href="/ko03?aufnr={_e(quote(aufnr))}">{_e(aufnr)}</a>'
    results = _table(["RA category", "ABKAT", "RA cost element", "Cumulative", "Period",
                      "Currency"],
                     [_row(_e(r["CATEGORY"]), _e(r["ABKAT"]), _e(r["KSTAR"]),
                           _money(r["CUMULATIVE"]), _money(r["PERIOD_VALUE"]),
                           _e(r["CURRENCY"])) for r in shown["RESULTS"]],
                     "no results analysis saved")
    settled = _table(["Settlement doc.", "Reversal", "Period", "Posted", "CO doc.", "FI AWKEY",
                      "CO-PA doc.", "#", "Receiver type", "Receiver", "Cost element",
                      "Source", "Amount"],
                     [_row(_e(doc["BELNR"]), _e(_reversal(doc)),
                           _e(f"{doc['GJAHR']}/{doc['PERIO']}"),
                           _e(doc["BUDAT"]), _e(doc["BELCO"]), _e(doc["AWKEY"]),
                           _e(doc["PABELNR"]), _e(seg["LFDNR"]), _e(seg["KONTY"]),
                           _e(seg["EMPGE"]), _e(seg["KSTAR"]), _e(seg["SKSTAR"]),
                           _money(seg["WKGBTR"]))
                      for doc, rows in zip(documents, segments, strict=True) for seg in rows],
                     "not settled")
    body = (form + f"<h2>Order {link}: results analysis through {_e(period)}</h2>" + results
            + "<h2>Settlement documents</h2>" + settled)
    return _page(request, TITLE, body, message="; ".join(return_lines(shown)))


def _money(value: Any) -> str:
    return _e(f"{Decimal(str(value or 0)):,.2f}")


def _reversal(doc: dict[str, str]) -> str:
    """'reverses X' for a reversal document, 'reversed by Y' for a reversed one."""
    if doc.get("STFLG"):
        return f"reverses {doc['STBEL']}"
    return f"reversed by {doc['STBEL']}" if doc.get("STOKZ") else ""
