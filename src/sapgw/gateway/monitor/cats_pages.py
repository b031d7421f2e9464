"""CATS and background jobs as pages: /catsdb (time sheet records with their transfer to CO,
read over RFC_READ_TABLE like `sapgw erp catsdb`) and /sm37 (the `[job …]` definitions and
their runs with the log of each, like `sapgw jobs`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from sapgw.gateway.cats_cli import COLUMNS, time_sheet
from sapgw.gateway.monitor.pages import _e, _gw, _page, _row, _table, _ts
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)


@router.get("/catsdb", response_class=HTMLResponse)
def catsdb(request: Request, pernr: str = "", order: str = "") -> HTMLResponse:
    gw = _gw(request)

    def rfc(function: str, **params: Any) -> dict[str, Any]:
        conn = gw.destination(gw.settings.rfc_destination or "ERP")
        try:
            return conn.call(function, **params)
        finally:
            conn.close()

    title = "CATSDB · Time sheet records"
    try:
        rows = time_sheet(rfc, pernr, order)
    except RFCError as exc:
        return _page(request, title, "", status=502, error=f"ERP not reachable: {exc}")
    form = (f'<form method="get">Personnel number <input name="pernr" value="{_e(pernr)}"> '
            f'Order <input name="order" value="{_e(order)}"> <button>Show</button></form>')
    body = form + _table([label for _, label in COLUMNS],
                         (_row(*(_e(row[key]) for key, _ in COLUMNS)) for row in rows),
                         "no time sheet records")
    return _page(request, title, body)


@router.get("/sm37", response_class=HTMLResponse)
def sm37(request: Request, job: str = "") -> HTMLResponse:
    runner = _gw(request).jobs
    definitions = (_row(_e(j.name), _e(j.function), _e(j.destination), _e(j.schedule),
                        "yes" if j.enabled else "no") for j in runner.jobs.values())
    runs = runner.runs(job or None, 50)
    run_rows = (_row(_e(r["jobcount"]), _e(r["jobname"]), _e(r["occurrence"]),
                     _e(r["status_text"]), _e(_ts(str(r["started_at"]))),
                     _e(_ts(str(r["ended_at"] or ""))), _e(r["errors"]),
                     "<br>".join(_e(f"{m['type']} {m['id']} {m['number']} {m['message']}")
                                 for m in r["log"]),
                     cls="error" if r["status"] == "A" or r["errors"] else "")
                for r in runs)
    body = (_table(["Job", "Function", "Destination", "Schedule", "Enabled"], definitions,
                   "no [job …] sections in config.ini")
            + "<h2>Runs</h2>"
            + _table(["Count", "Job", "Occurrence", "Status", "Started (UTC)", "Ended (UTC)",
                      "Errors", "Log"], run_rows, "no runs"))
    return _page(request, "SM37 · Background jobs", body)
