"""SMQS (QOUT scheduler per destination) and SMQR (QIN scheduler registrations) as pages.

sapgw has no separate registration step: every destination of config.ini is registered for
the QOUT scheduler with its SM59/SMQS settings, and the QIN scheduler serves every inbound
queue (`*`). The state column says what the scheduler does with it right now.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from sapgw.gateway.monitor import queries
from sapgw.gateway.monitor.pages import _e, _gw, _page, _row, _table
from sapgw.gateway.queues.worker import FLOW_TIME_SLICE

router = APIRouter(tags=["monitor pages"], include_in_schema=False)


def scheduler_state(statuses: Counter[str]) -> str:
    """SMQS-like state from the statuses of a destination's queues."""
    if not statuses:
        return "INACTIVE"
    if statuses["RUNNING"]:
        return "ACTIVE"
    if statuses["CPICERR"]:
        return "WAITCONN"
    return "WAITING"


def destinations(gateway: Any) -> list[dict[str, Any]]:
    queues = queries.queue_list(gateway.db, "out")
    rows = []
    for name, dest in gateway.settings.destinations.items():
        mine = [q for q in queues if q["destination"] == name]
        rows.append({"destination": name, "type": dest.type, "target": dest.url or dest.system,
                     "state": scheduler_state(Counter(q["status"] for q in mine)),
                     "queues": len(mine), "luws": sum(q["entries"] for q in mine),
                     "max_connections": dest.max_connections, "max_runtime": dest.max_runtime,
                     "retry": f"{dest.retry_count} x {dest.retry_interval:g} s "
                              f"(x{dest.retry_backoff:g})"})
    return rows


@router.get("/smqs", response_class=HTMLResponse)
def smqs(request: Request) -> HTMLResponse:
    rows = destinations(_gw(request))
    table = _table(["Destination", "Type", "Target", "State", "Queues", "LUWs", "Max. conn.",
                    "Max. time (s)", "Retries (CPICERR)"], (_row(
        _e(r["destination"]), _e(r["type"]), _e(r["target"]), _e(r["state"]),
        f'<a href="/smq1">{_e(r["queues"])}</a>', _e(r["luws"]), _e(r["max_connections"]),
        _e(f"{r['max_runtime']:g}"), _e(r["retry"]),
        cls="error" if r["state"] == "WAITCONN" else "") for r in rows), "no destinations")
    return _page(request, "SMQS · QOUT scheduler", table)


@router.get("/smqr", response_class=HTMLResponse)
def smqr(request: Request) -> HTMLResponse:
    gw = _gw(request)
    queues = queries.queue_list(gw.db, "in")
    statuses = Counter(q["status"] for q in queues)
    state = "ACTIVE" if statuses["RUNNING"] else "INACTIVE" if not queues else "WAITING"
    table = _table(["Queue name", "Mode", "Max. time (s)", "State", "Queues", "LUWs",
                    "Blocked"], [_row(
        "*", "D (activate at once)", _e(f"{FLOW_TIME_SLICE:g}"), _e(state),
        f'<a href="/smq2">{len(queues)}</a>', _e(sum(q["entries"] for q in queues)),
        _e(statuses["SYSFAIL"] + statuses["STOP"]))])
    note = (f"<p><small>Poll interval {gw.settings.poll_interval:g} s, lease "
            f"{gw.settings.lease_seconds:g} s per claimed queue.</small></p>")
    return _page(request, "SMQR · QIN scheduler", table + note)
