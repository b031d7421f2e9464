"""KE24 as a web page: CO-PA actual line items with their characteristics and value fields,
read over RFC (Z_COPA_LINE_ITEMS, ours), as `sapgw erp ke24` does.

The gateway sees the ERP only through its destination, so the page works for an ERP in
this process and one behind `sapgw erp serve`. Selections arrive as query parameters; an
order links to KO03.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from sapgw.gateway.ke24 import HEAD, SelectionError, line_items
from sapgw.gateway.monitor.pages import _e, _gw, _page, _row, _table
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
TITLE = "KE24 · CO-PA actual line items (operating concern S001)"
SELECTIONS = (("Record type", "record_type", 2), ("Period YYYY/PP", "period", 8),
              ("Customer", "customer", 10), ("Order", "order", 12),
              ("Sales order", "sales_order", 10))


@router.get("/erp/ke24", response_class=HTMLResponse)
def erp_ke24(request: Request, record_type: str = "", period: str = "", customer: str = "",
             order: str = "", sales_order: str = "") -> HTMLResponse:
    values = {"record_type": record_type, "period": period, "customer": customer,
              "order": order, "sales_order": sales_order}
    form = _form(values)
    gw = _gw(request)
    conn = gw.destination(gw.settings.rfc_destination or "ERP")
    try:
        found = line_items(conn.call, record_type=record_type, period_text=period,
                           customer=customer, order=order, sales_order=sales_order)
    except SelectionError as exc:
        return _page(request, TITLE, form, status=400, error=str(exc))
    except RFCError as exc:
        return _page(request, TITLE, form, status=502, error=f"ERP not reachable: {exc}")
    finally:
        conn.close()
    if found["error"]:
        return _page(request, TITLE, form, status=400, error=found["error"])
    return _page(request, TITLE, form + _list(found), message="; ".join(found["messages"]))


def _form(values: dict[str, str]) -> str:
    inputs = "".join(f'<label>{_e(label)} <input name="{name}" value="{_e(values[name])}" '
                     f'size="{size}"></label> ' for label, name, size in SELECTIONS)
    return (f'<form method="get" action="/erp/ke24">{inputs}<button>Display</button> '
            '<a href="/erp/ke24">clear</a></form>')


def _list(found: dict[str, Any]) -> str:
    fields = found["value_fields"]
    headers = [heading for _, heading in HEAD] + [
        f"{f['KTEXT'] or f['FIENM']} ({f['FIENM']})" for f in fields]
    rows = [_row(*(_cell(name, item[name]) for name, _ in HEAD),
                 *(_money(item[f["FIENM"]]) for f in fields)) for item in found["items"]]
    if found["items"]:
        rows.append(_row("<b>Total</b>", *([""] * (len(HEAD) - 1)),
                         *(f"<b>{_money(f['TOTAL'])}</b>" for f in fields)))
    currency = fields[0]["WAERS"] if fields else ""
    return (f"<p>Values in {_e(currency)}; revenue positive, costs positive.</p>"
            + _table(headers, rows, "no line items match"))


def _cell(name: str, value: Any) -> str:
    if name in ("AUFNR", "RKAUFNR") and value:
        return f'<a href="/ko03?aufnr={_e(quote(str(value)))}">{_e(value)}</a>'
    return _e(value)


def _money(value: Any) -> str:
    return _e(f"{Decimal(value or 0):,.2f}")
