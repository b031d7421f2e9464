"""SM37's table: one row per run of a background job (TBTCO-like, ours in shape).

A run is claimed by inserting its row: the unique key (job name, occurrence) lets exactly one
process run a scheduled occurrence, whichever of `sapgw serve` and the `sapgw worker`s
fires first, on SQLite and on PostgreSQL alike. Status letters are SAP's (TBTCO-STATUS):
R active, F finished, A cancelled.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field

from sapgw.db import Database
from sapgw.gateway.store.tables import GatewayTable

ACTIVE, FINISHED, CANCELLED = "R", "F", "A"
STATUS_TEXT = {ACTIVE: "Active", FINISHED: "Finished", CANCELLED: "Canceled"}


class JobRun(GatewayTable, table=True):
    __tablename__ = "tbtco"
    __table_args__ = (UniqueConstraint("jobname", "occurrence", name="uq_tbtco_occurrence"),)
    jobcount: int | None = Field(default=None, primary_key=True)
    jobname: str = Field(max_length=32, index=True)
    occurrence: str = Field(max_length=40)     # the scheduled moment (ISO, UTC) or manual-…
    function: str = Field(max_length=30)
    destination: str = Field(max_length=32)
    status: str = Field(max_length=1)
    started_at: datetime
    ended_at: datetime | None = None
    errors: int = 0                             # RETURN rows of type E or A
    process: str = Field(default="", max_length=80)
    log: str = Field(default="[]")              # JSON: the RETURN rows, short form
    schema_version: int = 1


_RUNS = JobRun.__table__  # type: ignore[attr-defined]


def claim(db: Database, jobname: str, occurrence: str, function: str, destination: str,
          now: datetime, process: str) -> int | None:
    """Insert the run as active; its JOBCOUNT, or None if another process claimed it."""
    try:
        with db.write() as conn:
            result = conn.execute(_RUNS.insert().values(
                jobname=jobname, occurrence=occurrence, function=function,
                destination=destination, status=ACTIVE, started_at=now, process=process,
                log="[]", errors=0, schema_version=1))
            return int(result.inserted_primary_key[0])
    except IntegrityError:
        return None


def finish(db: Database, jobcount: int, status: str, now: datetime,
           log: list[dict[str, Any]]) -> None:
    errors = sum(1 for row in log if row.get("type") in ("E", "A"))
    with db.write() as conn:
        conn.execute(update(_RUNS).where(_RUNS.c.jobcount == jobcount).values(
            status=status, ended_at=now, errors=errors, log=json.dumps(log)))


def runs(db: Database, jobname: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The latest runs first, each with its log decoded."""
    query = select(_RUNS).order_by(_RUNS.c.jobcount.desc()).limit(limit)
    if jobname:
        query = query.where(_RUNS.c.jobname == jobname)
    with db.read() as conn:
        return [_shape(dict(row)) for row in conn.execute(query).mappings()]


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "status_text": STATUS_TEXT.get(row["status"], row["status"]),
            "log": json.loads(row["log"] or "[]")}
