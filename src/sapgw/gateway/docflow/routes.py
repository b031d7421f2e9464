"""The document flow over HTTP: `GET /api/flow/{key}` (JSON) and the page `/flow?key=...`.

Both answer `trace.document_flow`; the page is the monitor's kind (server-rendered, escaped,
no JavaScript), one row per object in order, each linked to the page that shows it. A key
nothing answers to is 404 in JSON and a page saying so; a key that cannot be one (empty,
longer than 40 characters) is 400.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse

from sapgw.gateway.docflow.model import KINDS
from sapgw.gateway.docflow.trace import document_flow
from sapgw.gateway.monitor.pages import _e, _gw, _page, _row, _table

router = APIRouter()
TITLE = "Document flow"


def flow_json(gateway: Any, key: str) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of the flow of `key`, as REST answers it."""
    try:
        flow = document_flow(gateway, key)
    except ValueError as exc:
        return 400, {"error": "BAD_REQUEST", "message": str(exc)}
    body = flow.as_dict()
    if not flow:
        why = f" ({'; '.join(flow.problems)})" if flow.problems else ""
        return 404, {"error": "NOT_FOUND", "message": f"nothing found for key {key.strip()!r}: "
                     f"no BDoc, LUW, IDoc or business key of a scenario{why}", **body}
    return 200, body


@router.get("/api/flow/{key:path}", tags=["document flow"])
async def api_flow(request: Request, key: str) -> JSONResponse:
    """Every BDoc, LUW, IDoc and ERP document the key led to, in order, with links."""
    status, body = await run_in_threadpool(flow_json, _gw(request), key)
    return JSONResponse(body, status_code=status)


@router.get("/flow", response_class=HTMLResponse, include_in_schema=False)
def flow_page(request: Request, key: str = "") -> HTMLResponse:
    form = (f'<form method="get" action="/flow"><label>Key <input name="key" size="34" '
            f'value="{_e(key)}"></label> <button>Show</button> <small>a fund usage, fund '
            "posting, trade promotion or customer number, BDoc id, TID or IDoc number"
            "</small></form>")
    if not key.strip():
        return _page(request, TITLE, form)
    status, body = flow_json(_gw(request), key)
    if status == 400:
        return _page(request, TITLE, form, status=400, error=body["message"])
    found = (f"<p>Found as: {_e('; '.join(body['found_as']))}</p>" if body["found_as"]
             else "")
    rows = (_row(f'<span class="nowrap">{_e(_when(e))}</span>', _e(e["seq"]),
                 _e(e["parent"] or ""), _e(e["system"]), _e(KINDS[e["kind"]]),
                 _e(e["object_type"]), _object(e), _e(e["status"]), _e(e["tid"]),
                 _e(e["text"]),
                 cls="error" if e["status"] in ERROR_STATES else "")
            for e in body["entries"])
    table = _table(["Time (UTC)", "#", "From #", "System", "Kind", "Type", "Object", "Status",
                    "TID", "What"], rows, "nothing found")
    error = "; ".join(body["problems"]) or (body["message"] if status == 404 else "")
    return _page(request, f"{TITLE} · {key.strip()}", form + found + table, status=status,
                 error=error)


ERROR_STATES = frozenset({"E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "ERROR",
                          "SYSFAIL", "CPICERR", "51", "56", "02", "not found"})


def _when(entry: dict[str, Any]) -> str:
    if entry["at"] is None:
        return ""
    return entry["at"] if entry["date_only"] else entry["at"][:19].replace("T", " ")


def _object(entry: dict[str, Any]) -> str:
    text = _e(entry["object_id"])
    return f'<a href="{_e(entry["link"])}">{text}</a>' if entry["link"] else text

