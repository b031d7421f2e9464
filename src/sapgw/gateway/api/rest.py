"""REST routes for BDocs (SMW01) and queues (SMQ1/SMQ2), the contract of DESIGN.md §5.

Actions run through the audit log under the authenticated user (`api.auth`); the auth
middleware has already refused callers without the role a method needs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from sapgw.gateway.api.auth import current_user, require_admin
from sapgw.gateway.audit import AuditedActions
from sapgw.gateway.runtime import Gateway

router = APIRouter(prefix="/api")


def _gw(request: Request) -> Gateway:
    return request.app.state.gateway


def _audited(request: Request) -> AuditedActions:
    return request.app.state.audit


class BDocIn(BaseModel):
    type: str = Field(description="BDoc type, e.g. CRM_FM_FPO")
    sender: str = Field("CRM", description="Sender site")
    data: Any = Field(description="Segments: {SEGMENT: {FIELD: value} or [rows]}")
    flow_context: str = Field("MO1", description="Flow context")


class BDocBatchIn(BaseModel):
    type: str = Field(description="BDoc type of every item, e.g. CRM_FM_FPO")
    sender: str = Field("CRM", description="Sender site")
    items: list[Any] = Field(min_length=1, max_length=10_000,
                             description="The BDocs' data, each as `data` of POST /api/bdocs")
    flow_context: str = Field("MO1", description="Flow context")


@router.post("/bdocs", status_code=201, tags=["SMW01"])
async def create_bdoc(request: Request, bdoc: BDocIn) -> JSONResponse:
    """Accept a BDoc: stored (I01) before anything else happens; 201 after the commit."""
    result = await run_in_threadpool(_gw(request).send, bdoc.type, bdoc.data, bdoc.sender,
                                     bdoc.flow_context)
    return JSONResponse(result, status_code=201)


@router.post("/bdocs/batch", status_code=201, tags=["SMW01"])
async def create_bdocs(request: Request, batch: BDocBatchIn) -> JSONResponse:
    """Accept BDocs of one type (a CRM posting run) in one commit: all stored, or none."""
    result = await run_in_threadpool(_gw(request).send_many, batch.type, batch.items,
                                     batch.sender, batch.flow_context)
    return JSONResponse({"bdocs": result}, status_code=201)


@router.get("/bdocs", tags=["SMW01"])
async def list_bdocs(request: Request,
                     state: str | None = Query(None, description="e.g. E06 or E04,E06"),
                     type: str | None = Query(None, description="BDoc type"),
                     sender: str | None = None,
                     key: str | None = Query(None, description="object key, e.g. TPM id"),
                     context: str | None = Query(None, description="flow context, e.g. MO1"),
                     queue: str | None = Query(None, description="a receiver's queue"),
                     bdoc_id: str | None = Query(None, alias="id",
                                                 description="BDoc id or its start"),
                     created_from: datetime | None = Query(None, alias="from"),
                     created_to: datetime | None = Query(None, alias="to"),
                     limit: int = Query(50, ge=1, le=1000),
                     after: str | None = Query(None, description="cursor of the previous page"),
                     ) -> dict[str, Any]:
    return await run_in_threadpool(_gw(request).bdocs_list, state=state, bdoc_type=type,
                                   sender=sender, object_key=key, flow_context=context,
                                   queue=queue, bdoc_id=bdoc_id, created_from=created_from,
                                   created_to=created_to, limit=limit, after=after)


@router.get("/bdocs/{bdoc_id}", tags=["SMW01"])
async def get_bdoc(request: Request, bdoc_id: str) -> dict[str, Any]:
    return await run_in_threadpool(_gw(request).bdoc, bdoc_id.upper())


class DataChangeIn(BaseModel):
    changes: dict[str, str] = Field(min_length=1, description=(
        "fields to set: {\"HEADER.COMP_CODE\": \"1000\", \"ITEMS.1.AMOUNT\": \"250.00\"}"))
    reprocess: bool = Field(False, description="reprocess the BDoc after the change")


@router.patch("/bdocs/{bdoc_id}/data", tags=["SMW01"])
async def change_bdoc_data(request: Request, bdoc_id: str, change: DataChangeIn
                           ) -> dict[str, Any]:
    """Change an erroneous BDoc's data (E04, E08; admin): old and new values go to the BDoc's
    log and the audit log; with `reprocess` the flow runs again on the changed data. 409 in
    another state, 400 for a path that names no segment or row."""
    gw, user, audited = _gw(request), current_user(request), _audited(request)
    bdoc_id = bdoc_id.upper()
    done = await run_in_threadpool(audited.change_data, user.name, bdoc_id, change.changes)
    note = ""
    if change.reprocess:
        note = await run_in_threadpool(audited.bdoc, user.name, "reprocess", bdoc_id)
        gw.schedulers.wake("in")
    detail = await run_in_threadpool(gw.bdoc, bdoc_id)
    return {"bdoc_id": bdoc_id, "state": detail["state"], "message": note or "data changed",
            "changes": {path: {"old": old, "new": new} for path, (old, new) in done.items()}}


@router.post("/bdocs/{bdoc_id}/{action}", tags=["SMW01"])
async def bdoc_action(request: Request, bdoc_id: str, action: str) -> dict[str, Any]:
    """reprocess, discard (F01) or set-processed (F03)."""
    gw, user = _gw(request), current_user(request)
    note = await run_in_threadpool(_audited(request).bdoc, user.name, action, bdoc_id.upper())
    detail = await run_in_threadpool(gw.bdoc, bdoc_id.upper())
    gw.schedulers.wake("in")
    gw.schedulers.wake("out")
    return {"bdoc_id": detail["bdoc_id"], "state": detail["state"], "message": note or action}


@router.get("/queues", tags=["SMQ1/SMQ2"])
async def list_queues(request: Request, direction: str = Query("out", pattern="^(in|out)$")
                      ) -> list[dict[str, Any]]:
    return await run_in_threadpool(_gw(request).queues, direction)


@router.get("/queues/{name}", tags=["SMQ1/SMQ2"])
async def get_queue(request: Request, name: str,
                    direction: str = Query("out", pattern="^(in|out)$")) -> dict[str, Any]:
    detail = await run_in_threadpool(_gw(request).queue, name, direction)
    if detail is None:
        raise LookupError(f"queue {name} ({direction}) does not exist")
    return detail


@router.post("/queues/{name}/{action}", tags=["SMQ1/SMQ2"])
async def queue_action(request: Request, name: str, action: str,
                       direction: str = Query("out", pattern="^(in|out)$")) -> dict[str, Any]:
    """activate, lock (STOP) or unlock a queue."""
    gw, user = _gw(request), current_user(request)
    await run_in_threadpool(_audited(request).queue, user.name, action, name, direction)
    gw.schedulers.wake(direction)
    detail = await run_in_threadpool(gw.queue, name, direction)
    return detail or {"name": name, "direction": direction, "status": "EMPTY", "entries": 0}


@router.delete("/queues/{name}/luws/{tid}", tags=["SMQ1/SMQ2"])
async def delete_luw(request: Request, name: str, tid: str,
                     direction: str = Query("out", pattern="^(in|out)$"),
                     confirm: bool = Query(False, description="must be true: later LUWs of the "
                                           "object will overtake the deleted one")
                     ) -> dict[str, Any]:
    if not confirm:
        return JSONResponse({"error": "CONFIRMATION_REQUIRED", "message": (
            "Deleting an LUW lets later LUWs of the same object overtake it; repeat with "
            "confirm=true if that is what you want")}, status_code=409)  # type: ignore[return-value]
    await run_in_threadpool(_audited(request).delete_luw, current_user(request).name, name,
                            direction, tid)
    return {"deleted": tid, "queue": name}


@router.get("/audit", tags=["audit"], dependencies=[Depends(require_admin)])
async def audit_log(request: Request, limit: int = Query(100, ge=1, le=1000)
                    ) -> list[dict[str, Any]]:
    """Who did which action when, with the object's state before and after; newest first."""
    return await run_in_threadpool(_audited(request).entries, limit)


@router.post("/idle", tags=["testing"])
async def wait_idle(request: Request, timeout: float = Body(30.0, embed=True)) -> dict[str, Any]:
    """Wait until no queue can run now (the schedulers work meanwhile)."""
    await run_in_threadpool(_gw(request).wait_until_idle, timeout)
    return {"idle": True}


class ClockIn(BaseModel):
    moment: datetime = Field(description="ISO date or date-time; the clock runs on from there")
    frozen: bool = Field(False, description="stop the clock at that moment")


@router.get("/erp/clock", tags=["ERP"])
async def get_clock(request: Request) -> dict[str, Any]:
    clock = _gw(request).clock
    return {"now": clock.now().isoformat(), "frozen": clock.frozen}


@router.post("/erp/clock", tags=["ERP"])
async def set_clock(request: Request, setting: ClockIn) -> dict[str, Any]:
    """Move the one clock of the gateway and the ERP (period-end runs, open periods)."""
    clock = _gw(request).clock
    if setting.frozen and not clock.frozen:
        clock.freeze()
    clock.set(setting.moment)
    return {"now": clock.now().isoformat(), "frozen": clock.frozen}
