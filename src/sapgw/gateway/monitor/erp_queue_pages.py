"""The ERP's SMQ1 as a web page: its outbound queues (deltas to CRM), read and acted on over
RFC (TRFC_GET_QUEUE_INFO_DETAILS, TRFC_QOUT_ACTIVATE/STOP/UNLOCK), as `sapgw erp smq1` does.

The ERP keeps its own queues in its own database; the gateway sees them only through the ERP
destination, so the page works for an ERP in this process and one behind `sapgw erp serve`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse

from sapgw.gateway.api import auth
from sapgw.gateway.erp_smq1 import FUNCTIONS
from sapgw.gateway.monitor.pages import (
    ACTION,
    BLOCKED,
    QUEUE_TEXTS,
    _audited,
    _button,
    _e,
    _gw,
    _not_found,
    _page,
    _row,
    _table,
    _ts,
)
from sapgw.gateway.queues.status import QueueStatus
from sapgw.rfc.errors import ABAPApplicationError, RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
TITLE = "ERP SMQ1 · Outbound queues of the ERP"


def _call(request: Request, function: str, **params: Any) -> dict[str, Any]:
    gw = _gw(request)
    conn = gw.destination(gw.settings.rfc_destination or "ERP")
    try:
        return conn.call(function, **params)
    finally:
        conn.close()


def _queues(request: Request, qname: str = "*") -> list[dict[str, Any]]:
    return _call(request, "TRFC_GET_QUEUE_INFO_DETAILS", QNAME=qname)["QVIEW"]


@router.get("/erp/smq1", response_class=HTMLResponse)
def erp_smq1(request: Request, msg: str = "", error: str = "") -> HTMLResponse:
    try:
        queues = _queues(request)
    except RFCError as exc:
        return _page(request, TITLE, "", status=502, error=f"ERP not reachable: {exc}")
    rows = (_row(_e(q["QNAME"]), _e(q["QSTATE"]), _e(_text(q["QSTATE"])), _e(q["QDEEP"]),
                 _e(q["DEST"]), _e(q["RETRIES"]), _e(_ts(q["NEXTRETRY"] or None)),
                 _e(q["ERRMESS"]), " ".join(_button(
                     request, f"/erp/smq1/{quote(q['QNAME'])}/{action}", action.capitalize())
                     for action in FUNCTIONS),
                 cls="error" if q["QSTATE"] in BLOCKED else "")
            for q in queues)
    body = ("<p>LUWs the ERP sends to CRM (delta downloads such as R3AD_CUSTOME…), kept in the "
            "ERP's TRFCQOUT until CRM has them.</p>"
            + _table(["Queue", "Status", "Status text", "Entries", "Destination", "Retries",
                      "Next retry (UTC)", "Error", ""], rows, "no queues"))
    return _page(request, TITLE, body, message=msg, error=error)


def _text(status: str) -> str:
    try:
        return QUEUE_TEXTS[QueueStatus(status)]
    except ValueError:
        return ""


@router.post("/erp/smq1/{name}/{action}", **ACTION)
def erp_smq1_action(request: Request, name: str, action: str
                    ) -> HTMLResponse | RedirectResponse:
    function = FUNCTIONS.get(action)
    if function is None:
        return _not_found(request, f"unknown action {action!r}; use {', '.join(FUNCTIONS)}")

    def state() -> dict[str, Any] | None:
        found = _queues(request, name)
        return found[0] if found else None

    try:
        _audited(request).erp_queue(auth.current_user(request).name, action, name,
                                    lambda: _call(request, function, QNAME=name), state)
    except ABAPApplicationError as exc:
        return _not_found(request, exc.message) if exc.key == "QUEUE_NOT_FOUND" else \
            _redirect(error=exc.message)
    except RFCError as exc:
        return _redirect(error=f"ERP not reachable: {exc}")
    return _redirect(msg=f"ERP queue {name}: {action} done")


def _redirect(**query: str) -> RedirectResponse:
    return RedirectResponse(f"/erp/smq1?{urlencode(query)}", status_code=303)
