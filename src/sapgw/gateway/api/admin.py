"""REST routes of isolation (docs/ISOLATION.md): reset, snapshots, restore; admin role only.

POST and DELETE need the admin role already (the auth middleware); the reads here do too
(`require_admin`), since snapshot names and states are the administrator's business. Every
action is written to the audit log (object type SYSTEM), refused ones with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from sapgw.gateway.api.auth import User, current_user, require_admin
from sapgw.gateway.audit import AuditedActions
from sapgw.gateway.runtime import Gateway
from sapgw.snapshots import RestoreRefused, SnapshotError, UnknownSnapshot

router = APIRouter(prefix="/api/admin", tags=["isolation"])


def _gw(request: Request) -> Gateway:
    return request.app.state.gateway


async def _run(request: Request, action: str, object_id: str, work: Callable[[], Any],
               status: int = 200) -> JSONResponse:
    """The action in a worker thread, audited; refusals in the API's error shape."""
    audit: AuditedActions = request.app.state.audit
    user: User = current_user(request)
    try:
        result = await run_in_threadpool(audit.system, user.name, action, object_id, work)
    except RestoreRefused as exc:
        return JSONResponse({"error": "RESTORE_REFUSED", "message": str(exc)}, 409)
    except UnknownSnapshot as exc:
        return JSONResponse({"error": "NOT_FOUND", "message": str(exc)}, 404)
    except SnapshotError as exc:
        return JSONResponse({"error": "BAD_REQUEST", "message": str(exc)}, 400)
    return JSONResponse(result, status)


@router.post("/reset")
async def reset(request: Request, state: str | None = Body(
        None, embed=True, description="a named state (states_dir), a path, a snapshot, or "
                                      "none for the demo")) -> JSONResponse:
    """Reset the gateway and the ERP stub to the demo or a named state (409 while a worker
    holds a queue lease)."""
    gateway = _gw(request)
    return await _run(request, "reset", state or "demo", lambda: gateway.reset(state))


@router.get("/snapshots", dependencies=[Depends(require_admin)])
async def snapshots(request: Request) -> list[dict[str, Any]]:
    return await run_in_threadpool(_gw(request).snapshots)


@router.post("/snapshots", status_code=201)
async def save(request: Request, name: str = Body(..., embed=True,
                                                  description="a-z, 0-9, _ and -")
               ) -> JSONResponse:
    """Save both databases under `name` (replacing one of that name)."""
    gateway = _gw(request)
    return await _run(request, "snapshot", name, lambda: gateway.snapshot(name), 201)


@router.post("/snapshots/{name}/restore")
async def restore(request: Request, name: str) -> JSONResponse:
    """Both databases as saved under `name` (409 while a worker holds a queue lease)."""
    gateway = _gw(request)
    return await _run(request, "restore", name, lambda: gateway.restore(name))


@router.delete("/snapshots/{name}")
async def delete(request: Request, name: str) -> JSONResponse:
    gateway = _gw(request)
    return await _run(request, "del-snapshot", name,
                      lambda: {"deleted": gateway.isolation.delete(name), "name": name})


@router.get("/states", dependencies=[Depends(require_admin)])
async def states(request: Request) -> dict[str, Any]:
    """The named states of `[gateway] states_dir` (each a folder of TOML files)."""
    return {"states": _gw(request).isolation.states(), "default": "demo"}
