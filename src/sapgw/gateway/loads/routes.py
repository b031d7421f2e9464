"""HTTP for loads: REST under /api/loads and the R3AM1 page with R3AS / R3AR4 forms.

A start answers 202 at once with the load's monitor line; the extraction runs in a thread of
the server (the ERP is called a few blocks at a time), the server's schedulers move the
blocks. Starting a load whose extraction has not ended, with the same settings, goes on with
it (after a restart of the server too). Refusals are 400 `{"error": "SMOF 910", "message"}`.
"""

from __future__ import annotations

import logging
import threading
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse

from sapgw.gateway.api import auth
from sapgw.gateway.loads.service import LoadError, Loads
from sapgw.gateway.monitor.pages import ACTION, _button, _e, _page, _row, _table

router = APIRouter()
log = logging.getLogger("sapgw.loads")


def _loads(request: Request) -> Loads:
    return request.app.state.gateway.loads  # type: ignore[no-any-return]


def _refused(error: LoadError, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": f"{error.msg_class} {error.number}", "message": error.text},
                        status_code=status)


def run_in_background(loads: Loads, load_id: int) -> None:
    """Drive the extraction in a thread; what stops it is stored on the load (R3AM1)."""
    def drive() -> None:
        try:
            loads.run(load_id, process=False)
        except LoadError:
            pass  # stored on the load by `run`
        except Exception as exc:  # the monitor shows it; the next start goes on
            log.exception("load %s stopped", load_id)
            loads.store.refused(load_id, f"{type(exc).__name__}: {exc}")

    threading.Thread(target=drive, daemon=True, name=f"sapgw-load-{load_id}").start()


class RangeBody(BaseModel):
    field: str = Field(min_length=1, description="a filter field of the load object")
    option: str = Field(default="EQ", pattern="^(EQ|BT|eq|bt)$")
    low: str = ""
    high: str = ""


class StartBody(BaseModel):
    object: str = Field(min_length=1, description="load object (R3AC1), e.g. CUSTOMER_MAIN")
    source: str = Field(default="", description="source site (blank: the only R/3 site)")
    target: str = Field(default="CRM")
    block_size: int = Field(default=0, ge=0, description="0: the load object's default")
    filters: list[RangeBody] = []


class RequestBody(BaseModel):
    object: str = Field(min_length=1)
    source: str = ""
    text: str = ""
    filters: list[RangeBody] = Field(min_length=1)


class RequestStartBody(BaseModel):
    block_size: int = Field(default=0, ge=0)


@router.get("/api/loads", tags=["loads"])
def list_loads(request: Request, limit: int = 100) -> dict[str, Any]:
    """R3AM1: the loads, newest first, with blocks sent, processed and in error."""
    loads = _loads(request)
    return {"loads": loads.monitor(max(1, min(limit, 1000))),
            "objects": [vars(o) for o in loads.objects.values()]}


@router.get("/api/loads/requests", tags=["loads"])
def list_requests(request: Request) -> list[dict[str, Any]]:
    """R3AR3: the requests defined."""
    return _loads(request).store.requests()


@router.put("/api/loads/requests/{name}", tags=["loads"], response_model=None)
def define_request(request: Request, name: str, body: RequestBody) -> Any:
    """R3AR2: define (or replace) a request: a load object with ranges."""
    try:
        return _loads(request).define_request(name, body.object, [f.model_dump() for f in
                                                                  body.filters],
                                              body.source, body.text)
    except LoadError as error:
        return _refused(error)


@router.post("/api/loads/requests/{name}/start", tags=["loads"], status_code=202,
             response_model=None)
def start_request(request: Request, name: str, body: RequestStartBody) -> Any:
    """R3AR4: start the request (queue R3AR_<OBJECT>), or go on with it."""
    loads = _loads(request)
    try:
        load = loads.start_request(name, body.block_size)
    except LoadError as error:
        return _refused(error, 404 if error.number == "921" else 400)
    run_in_background(loads, load["load_id"])
    return loads.status(load["load_id"])


@router.get("/api/loads/{load_id}", tags=["loads"], response_model=None)
def one_load(request: Request, load_id: str) -> Any:
    """R3AM1 for one load."""
    try:
        return _loads(request).status(int(load_id) if load_id.isdigit() else -1)
    except LoadError as error:
        return _refused(error, 404)


@router.post("/api/loads", tags=["loads"], status_code=202, response_model=None)
def start_load(request: Request, body: StartBody) -> Any:
    """R3AS: start an initial load (or go on with the unfinished one of the same settings)."""
    loads = _loads(request)
    try:
        load = loads.start(body.object, body.source, body.target, body.block_size,
                           [f.model_dump() for f in body.filters])
    except LoadError as error:
        return _refused(error)
    run_in_background(loads, load["load_id"])
    return loads.status(load["load_id"])


# -- the page ----------------------------------------------------------------------------------
def _filters_text(filters: list[dict[str, Any]]) -> str:
    return ", ".join(f"{f['FIELDNAME']}={f['LOW']}" + (f"..{f['HIGH']}" if f["OPTION"] == "BT"
                                                        else "") for f in filters) or "(none)"


def _start_form(request: Request, loads: Loads) -> str:
    if not auth.current_user(request).is_admin:
        return "<p><small>Starting loads needs the admin role.</small></p>"
    options = "".join(f'<option value="{_e(o.name)}">{_e(o.name)}</option>'
                      for o in loads.objects.values())
    return (f'<h2>R3AS · Start initial load</h2><form method="post" action="/r3as">'
            f'<input type="hidden" name="{auth.CSRF_FIELD}" value="{auth.csrf_token(request)}">'
            f'<label>Load object <select name="object">{options}</select></label> '
            '<label>Source site <input name="source" size="8" placeholder="ERP"></label> '
            '<label>Block size <input name="block_size" size="5" placeholder="100"></label> '
            '<label>Filters <input name="filters" size="30" placeholder="KUNNR=1..2000 '
            'LAND1=DE"></label> <button>Start</button></form>')


def r3am1_body(request: Request, loads: Loads) -> str:
    rows = loads.monitor()
    table = _table(["Load", "Type", "Load object", "Request", "Source", "Target", "Queue",
                    "Status", "Blocks sent", "Processed", "In error", "Objects sent",
                    "Received", "Filters", "Started (UTC)", "Message"], (_row(
        _e(r["load_id"]), _e(r["kind_text"]), _e(r["object"]), _e(r["request"]),
        _e(r["source_site"]), _e(r["target_site"]),
        f'<a href="/smq2?queue={_e(r["queue"])}">{_e(r["queue"])}</a>', _e(r["status"]),
        _e(r["blocks_sent"]), _e(r["blocks_processed"]), _e(r["blocks_in_error"]),
        _e(r["objects_sent"]), _e(r["objects_received"]), _e(_filters_text(r["filters"])),
        _e(str(r["started_at"])[:19]), _e(r["message"]),
        cls="error" if r["status"] == "ERROR" else "") for r in rows), "no loads yet")
    requests = _table(["Request", "Load object", "Source", "Ranges", "Text", ""], (_row(
        _e(q["name"]), _e(q["objname"]), _e(q["source_site"]), _e(_filters_text(q["filters"])),
        _e(q["text"]), _button(request, f"/r3ar4/{q['name']}", "Start (R3AR4)"))
        for q in loads.store.requests()), "no requests defined (R3AR2: sapgw load request "
                                          "define, PUT /api/loads/requests/NAME)")
    return (table + _start_form(request, loads) + "<h2>R3AR3 · Requests</h2>" + requests)


@router.get("/r3am1", response_class=HTMLResponse)
def r3am1(request: Request, msg: str = "", error: str = "") -> HTMLResponse:
    """R3AM1: the load monitor, with R3AS and R3AR4 for admins."""
    return _page(request, "R3AM1 · Monitor loads", r3am1_body(request, _loads(request)),
                 message=msg, error=error)


def _back(**message: str) -> RedirectResponse:
    return RedirectResponse(f"/r3am1?{urlencode(message)}", status_code=303)


@router.post("/r3as", **ACTION)
async def r3as(request: Request) -> RedirectResponse:
    """The start form: object, source, block size, filters (FIELD=LOW[..HIGH], blank-separated)."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    value = {k: v[0].strip() for k, v in form.items()}
    loads = _loads(request)
    size = value.get("block_size", "")
    if size and not size.isdigit():
        return _back(error=f"SMOF 914 Block size {size} is not valid; give a number of "
                           "objects of 1 or more")
    try:
        load = await run_in_threadpool(loads.start, value.get("object", ""),
                                       value.get("source", ""), "CRM", int(size or 0),
                                       value.get("filters", "").split())
    except LoadError as error:
        return _back(error=str(error))
    run_in_background(loads, load["load_id"])
    return _back(msg=f"Load {load['load_id']} of {load['objname']} started")


@router.post("/r3ar4/{name}", **ACTION)
def r3ar4(request: Request, name: str) -> RedirectResponse:
    loads = _loads(request)
    try:
        load = loads.start_request(name)
    except LoadError as error:
        return _back(error=str(error))
    run_in_background(loads, load["load_id"])
    return _back(msg=f"Request {name.upper()} started as load {load['load_id']}")
