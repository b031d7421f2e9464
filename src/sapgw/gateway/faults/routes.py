"""REST for failure injection, admin only: `/api/admin/faults` (list, add, clear all) and
`/api/admin/faults/{id}` (one rule: show, clear). Reads need admin too: rules are test
set-up, not monitoring."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from sapgw.gateway.api.auth import current_user, require_admin
from sapgw.gateway.faults.rules import FaultRuleError
from sapgw.gateway.faults.store import Faults

router = APIRouter(prefix="/api/admin/faults", tags=["failure injection"],
                   dependencies=[Depends(require_admin)])


_EXAMPLE = Body(..., examples=[{"kind": "return", "function": "BAPI_ACC_DOCUMENT_POST",
                                "msg_type": "E", "msg_class": "RW", "msg_number": "609",
                                "count": 1}])


def _faults(request: Request) -> Faults:
    return request.app.state.gateway.faults  # type: ignore[no-any-return]


@router.get("")
async def list_faults(request: Request) -> list[dict[str, Any]]:
    """Every rule with its status (active, used up, expired), hits and remaining count."""
    return await run_in_threadpool(_faults(request).list)


@router.post("", status_code=201)
async def add_fault(request: Request, rule: dict[str, Any] = _EXAMPLE) -> JSONResponse:
    """Add a rule (docs/FAULTS.md lists the fields); 400 names every wrong field."""
    try:
        added = await run_in_threadpool(_faults(request).add, rule,
                                        created_by=current_user(request).name)
    except FaultRuleError as exc:
        return JSONResponse({"error": "BAD_FAULT_RULE", "message": str(exc),
                             "problems": exc.problems}, status_code=400)
    return JSONResponse(added, status_code=201)


@router.delete("")
async def clear_faults(request: Request) -> dict[str, int]:
    """Delete every rule."""
    return {"cleared": await run_in_threadpool(_faults(request).clear)}


@router.get("/{fault_id}")
async def show_fault(request: Request, fault_id: str) -> dict[str, Any]:
    return await run_in_threadpool(_faults(request).get, fault_id)


@router.delete("/{fault_id}")
async def clear_fault(request: Request, fault_id: str) -> dict[str, int]:
    return {"cleared": await run_in_threadpool(_faults(request).clear, fault_id)}
