"""The queries behind SMW01 (BDocs) and SMQ1/SMQ2 (queues), shared by REST and CLI.

The BDoc list reads the header table only and pages by keyset (created_at, bdoc_id), newest
first; a detail loads receivers, log and body on demand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, literal, select, tuple_

from sapgw.bdoc.states import BDocState
from sapgw.db import Database
from sapgw.gateway import inputs
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.store.bdocs import B, BDocNotFound, G, H, R
from sapgw.gateway.store.tables import QrfcLuw, QrfcQueue

Q = QrfcQueue.__table__  # type: ignore[attr-defined]
L = QrfcLuw.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class BDocFilter:
    state: str | None = None
    bdoc_type: str | None = None
    sender: str | None = None
    object_key: str | None = None
    flow_context: str | None = None
    queue: str | None = None  # BDocs with a receiver in this queue
    bdoc_id: str | None = None  # a BDoc id or the start of one
    created_from: datetime | None = None
    created_to: datetime | None = None
    limit: int = 50
    after: str | None = None  # keyset cursor from the previous page

    def __post_init__(self) -> None:
        """A state that cannot match is an error listing the valid ones, not an empty list."""
        object.__setattr__(self, "state", inputs.states("state", self.state))
        if self.after:
            _cursor(self.after)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _conditions(f: BDocFilter) -> list[Any]:
    """The WHERE conditions of a filter, without its state and cursor."""
    conditions: list[Any] = []
    if f.bdoc_type:
        conditions.append(H.c.bdoc_type == f.bdoc_type.upper())
    if f.sender:
        conditions.append(H.c.sender == f.sender)
    if f.object_key:
        conditions.append(H.c.object_key == f.object_key)
    if f.flow_context:
        conditions.append(H.c.flow_context == f.flow_context.upper())
    if f.queue:
        conditions.append(H.c.bdoc_id.in_(select(R.c.bdoc_id).where(R.c.queue == f.queue)))
    if f.bdoc_id:  # a prefix as a key range, so the primary key index serves it
        prefix = f.bdoc_id.strip().upper()
        conditions.extend([H.c.bdoc_id >= prefix, H.c.bdoc_id < prefix + "~"])
    if f.created_from:
        conditions.append(H.c.created_at >= f.created_from)
    if f.created_to:
        conditions.append(H.c.created_at < f.created_to)
    return conditions


COUNT_CAP = 100_000  # the count line reads at most this many headers


def state_counts(db: Database, f: BDocFilter, cap: int = COUNT_CAP
                 ) -> tuple[dict[str, int], bool]:
    """BDocs per state for the filter without its state and cursor (SMW01's count line),
    over the newest `cap` matching headers at most; True when the cap was reached."""
    newest = (select(H.c.state).where(*_conditions(f))
              .order_by(H.c.created_at.desc()).limit(cap + 1).subquery())
    query = select(newest.c.state, func.count()).group_by(newest.c.state)
    with db.read() as conn:
        counts = dict(sorted((state, int(n)) for state, n in conn.execute(query).all()))
    return counts, sum(counts.values()) > cap


def _cursor(after: str) -> tuple[datetime, str]:
    """(created_at, bdoc_id) of a cursor printed under the previous page."""
    stamp, _, last_id = after.partition("|")
    try:
        return datetime.fromisoformat(stamp), last_id
    except ValueError:
        raise inputs.InvalidInput("after", after, "it is not a cursor of this list (give the "
                                  "one printed under the previous page)") from None


def bdoc_list(db: Database, f: BDocFilter) -> dict[str, Any]:
    query = select(H.c.bdoc_id, H.c.bdoc_type, H.c.state, H.c.flow_context, H.c.sender,
                   H.c.object_key, H.c.error, H.c.created_at, H.c.updated_at)
    conditions = _conditions(f)
    if f.state:
        conditions.append(H.c.state.in_(f.state.split(",")))
    if f.after:
        at, last_id = _cursor(f.after)
        # A row-value comparison, so the (created_at, bdoc_id) index seeks to the page.
        conditions.append(tuple_(H.c.created_at, H.c.bdoc_id)
                          < tuple_(literal(at, H.c.created_at.type), literal(last_id)))
    limit = max(1, min(f.limit, 1000))
    query = (query.where(*conditions).order_by(H.c.created_at.desc(), H.c.bdoc_id.desc())
             .limit(limit + 1))
    with db.read() as conn:
        rows = conn.execute(query).all()
    items = [_bdoc_row(r._mapping) for r in rows[:limit]]
    cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        cursor = f"{_iso(last.created_at)}|{last.bdoc_id}"
    return {"items": items, "next": cursor}


def _bdoc_row(row: Any) -> dict[str, Any]:
    state = BDocState(row["state"])
    return {"bdoc_id": row["bdoc_id"], "type": row["bdoc_type"], "state": state.value,
            "state_text": state.text, "light": state.light, "flow_context": row["flow_context"],
            "sender": row["sender"], "object_key": row["object_key"], "error": row["error"],
            "created_at": _iso(row["created_at"]), "updated_at": _iso(row["updated_at"])}


def bdoc_detail(db: Database, bdoc_id: str) -> dict[str, Any]:
    with db.read() as conn:
        header = conn.execute(select(H).where(H.c.bdoc_id == bdoc_id)).first()
        if header is None:
            raise BDocNotFound(bdoc_id)
        receivers = conn.execute(select(R).where(R.c.bdoc_id == bdoc_id)
                                 .order_by(R.c.site)).all()
        log = conn.execute(select(G).where(G.c.bdoc_id == bdoc_id).order_by(G.c.id)).all()
        body = conn.execute(select(B.c.data).where(B.c.bdoc_id == bdoc_id)).scalar()
    detail = _bdoc_row(header._mapping)
    detail["receivers"] = [{"site": r.site, "state": r.state, "queue": r.queue, "tid": r.tid,
                            "error": r.error} for r in receivers]
    detail["log"] = [{"time": _iso(e.at), "service": e.service, "state_from": e.state_from,
                      "state_to": e.state_to, "type": e.msg_type, "id": e.msg_class,
                      "number": e.msg_number, "message": e.message} for e in log]
    detail["data"] = json.loads(body) if body else None
    return detail


def queue_list(db: Database, direction: str = "out") -> list[dict[str, Any]]:
    stats = (select(L.c.queue, func.count().label("entries"),
                    func.min(L.c.created_at).label("first_at"),
                    func.max(L.c.created_at).label("last_at"))
             .where(L.c.direction == direction).group_by(L.c.queue).subquery())
    query = (select(Q, stats.c.entries, stats.c.first_at, stats.c.last_at)
             .select_from(Q.outerjoin(stats, stats.c.queue == Q.c.name))
             .where(Q.c.direction == direction).order_by(Q.c.name))
    with db.read() as conn:
        rows = conn.execute(query).all()
    return [_queue_row(r._mapping) for r in rows]


def _queue_row(row: Any) -> dict[str, Any]:
    status = QueueStatus.STOP if row["locked"] else QueueStatus(row["status"])
    return {"name": row["name"], "direction": row["direction"], "status": status.value,
            "entries": int(row.get("entries") or 0), "error": row["error"],
            "destination": row["destination"], "retries": row["retries"],
            "next_retry_at": _iso(row["next_retry_at"]), "waiting_on": row["waiting_on"],
            "first_at": _iso(row.get("first_at")), "last_at": _iso(row.get("last_at"))}


def queue_detail(db: Database, name: str, direction: str = "out") -> dict[str, Any] | None:
    with db.read() as conn:
        queue = conn.execute(select(Q).where(Q.c.name == name, Q.c.direction == direction)
                             ).first()
        luws = conn.execute(select(L).where(L.c.queue == name, L.c.direction == direction)
                            .order_by(L.c.id)).all()
    if queue is None and not luws:
        return None
    detail = (_queue_row({**queue._mapping, "entries": len(luws)}) if queue else
              {"name": name, "direction": direction, "status": "READY", "entries": len(luws)})
    detail["luws"] = [{"seq": luw.id, "tid": luw.tid, "kind": luw.kind,
                       "destination": luw.destination, "bdoc_id": luw.bdoc_id, "site": luw.site,
                       "wait_for": [w for w in luw.wait_for.split(",") if w],
                       "created_at": _iso(luw.created_at), "calls": json.loads(luw.calls)}
                      for luw in luws]
    return detail
