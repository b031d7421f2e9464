"""SMQ1/SMQ2 as lists: the queries behind every system's queue monitor (REST, CLI, pages).

Written once on a `QueueSchema`, so the gateway's SMQ1/SMQ2 and the ERP's SMQ1 show the same
columns: status (STOP when locked), LUW count, first error, retries, next retry, waiting on.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from sapgw.db import Database
from sapgw.qrfc.schema import QueueSchema
from sapgw.qrfc.status import QueueStatus


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def queue_list(db: Database, s: QueueSchema, direction: str = "out") -> list[dict[str, Any]]:
    stats = (select(s.l.queue.label("queue"), func.count().label("entries"),
                    func.min(s.l.created_at).label("first_at"),
                    func.max(s.l.created_at).label("last_at"))
             .where(*s.l_in(direction)).group_by(s.l.queue).subquery())
    query = (select(s.Q, stats.c.entries, stats.c.first_at, stats.c.last_at)
             .select_from(s.Q.outerjoin(stats, stats.c.queue == s.q.name))
             .where(*s.q_in(direction)).order_by(s.q.name))
    with db.read() as conn:
        rows = conn.execute(query).all()
    return [queue_row({**s.q.read(r._mapping), "entries": r.entries, "first_at": r.first_at,
                       "last_at": r.last_at}) for r in rows]


def queue_row(row: dict[str, Any]) -> dict[str, Any]:
    """A queue as the monitors show it, from logical values."""
    status = QueueStatus.STOP if row["locked"] else QueueStatus(row["status"])
    return {"name": row["name"], "direction": row["direction"], "status": status.value,
            "entries": int(row.get("entries") or 0), "error": row["error"],
            "destination": row["destination"], "retries": row["retries"],
            "next_retry_at": iso(row["next_retry_at"]), "waiting_on": row["waiting_on"],
            "first_at": iso(row.get("first_at")), "last_at": iso(row.get("last_at"))}


def queue_detail(db: Database, s: QueueSchema, name: str, direction: str = "out"
                 ) -> dict[str, Any] | None:
    """The queue with its LUWs in order; None when it neither exists nor holds LUWs."""
    with db.read() as conn:
        queue = conn.execute(select(s.Q).where(*s.queue_key(name, direction))).first()
        luws = [s.l.read(r._mapping) for r in conn.execute(
            select(s.L).where(s.l.queue == name, *s.l_in(direction)).order_by(s.l.id))]
    if queue is None and not luws:
        return None
    detail = (queue_row({**s.q.read(queue._mapping), "entries": len(luws)}) if queue else
              {"name": name, "direction": direction, "status": "READY", "entries": len(luws)})
    detail["luws"] = [{"seq": luw["id"], "tid": luw["tid"], "kind": luw["kind"],
                       "destination": luw["destination"], "bdoc_id": luw["bdoc_id"],
                       "site": luw["site"],
                       "wait_for": [w for w in (luw["wait_for"] or "").split(",") if w],
                       "created_at": iso(luw["created_at"]), "calls": json.loads(luw["calls"])}
                      for luw in luws]
    return detail


def held_leases(conn: Connection, s: QueueSchema, now: datetime) -> list[dict[str, Any]]:
    """Queues a worker holds right now (a lease not yet expired): who, which, until when.
    Reset and restore refuse while there is one, so no worker finds its LUW gone mid-unit."""
    rows = conn.execute(select(s.Q).where(s.q.claimed_by != "", s.q.claimed_until >= now)
                        .order_by(s.q.name)).all()
    return [{"worker": r["claimed_by"], "queue": r["name"], "direction": r["direction"],
             "until": iso(r["claimed_until"])}
            for r in (s.q.read(row._mapping) for row in rows)]


def lease_refusal(action: str, system: str, leases: list[dict[str, Any]]) -> str:
    """The sentence a refused reset or restore answers with, naming every worker and queue."""
    held = "; ".join(f"worker {lease['worker']} holds {system} queue {lease['queue']} "
                     f"({'inbound' if lease['direction'] == 'in' else 'outbound'}) until "
                     f"{lease['until']}" for lease in leases)
    return (f"{action} refused: {held}. Wait until the queue is processed (or stop the "
            "worker; a dead worker's lease expires after [gateway] lease_seconds) and try again")
