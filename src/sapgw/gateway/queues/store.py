"""The queue store: LUWs in queues, claimed a whole queue at a time under a lease.

Semantics (EOIO, dependencies, retries) live here once, above plain SQL on the tables of
`gateway/store/tables.py`; the same statements serve SQLite and PostgreSQL. A claim takes
the queue whose head LUW is oldest among the runnable ones (READY, a due retry, or RUNNING
with an expired lease, i.e. abandoned by a dead worker).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sapgw.clock import Clock
from sapgw.db import Database, retry_storage
from sapgw.driver_insert import insert_rows
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.store.tables import QrfcLuw, QrfcQueue
from sapgw.types import RfcCall

Q = QrfcQueue.__table__  # type: ignore[attr-defined]
L = QrfcLuw.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Luw:
    id: int
    queue: str
    direction: str
    kind: str
    tid: str
    destination: str
    calls: list[RfcCall]
    bdoc_id: str
    site: str
    wait_for: tuple[str, ...]
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Luw:
        return cls(row.id, row.queue, row.direction, row.kind, row.tid, row.destination,
                   [RfcCall.from_json(c) for c in json.loads(row.calls)], row.bdoc_id, row.site,
                   tuple(w for w in row.wait_for.split(",") if w), row.created_at)


class QueueStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def now(self) -> datetime:
        return self.clock.now()

    # -- writing LUWs ---------------------------------------------------------------------
    def enqueue(self, conn: Connection, *, queue: str, direction: str, kind: str, tid: str,
                calls: list[RfcCall], destination: str = "", bdoc_id: str = "",
                site: str = "", wait_for: tuple[str, ...] = ()) -> None:
        """Append a LUW to its queue (in the caller's transaction), creating the queue row."""
        self.enqueue_many(conn, [self.luw_row(
            queue=queue, direction=direction, kind=kind, tid=tid, calls=calls,
            destination=destination, bdoc_id=bdoc_id, site=site, wait_for=wait_for)])

    def luw_row(self, *, queue: str, direction: str, kind: str, tid: str,
                calls: list[RfcCall], destination: str = "", bdoc_id: str = "",
                site: str = "", wait_for: tuple[str, ...] = ()) -> dict[str, Any]:
        return {"queue": queue, "direction": direction, "kind": kind, "tid": tid,
                "destination": destination, "bdoc_id": bdoc_id, "site": site,
                "calls": json.dumps([c.to_json() for c in calls], default=str),
                "wait_for": ",".join(wait_for), "created_at": self.now()}

    def enqueue_many(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        """Append LUWs (rows from `luw_row`, in order) and create the queue rows missing."""
        if not rows:
            return
        insert_rows(conn, L, rows)
        wanted = {(r["queue"], r["direction"]): r["destination"] for r in rows}
        now = self.now()
        conn.execute(_INSERT_QUEUE[conn.dialect.name], [
            {"name": name, "direction": direction, "destination": destination,
             "status": QueueStatus.READY, "updated_at": now}
            for (name, direction), destination in sorted(wanted.items())])

    def remove(self, conn: Connection, luw: Luw) -> None:
        """Take an executed (or deleted) LUW out of its queue and wake queues waiting on it."""
        self.remove_many(conn, [luw])

    def remove_many(self, conn: Connection, luws: list[Luw]) -> None:
        conn.execute(delete(L).where(L.c.id.in_([luw.id for luw in luws])))
        for queue, direction in {(luw.queue, luw.direction) for luw in luws}:
            self.wake_waiting(conn, queue, direction)

    def wake_waiting(self, conn: Connection, queue: str, direction: str) -> None:
        conn.execute(update(Q).where(Q.c.direction == direction, Q.c.waiting_on == queue,
                                     Q.c.status == QueueStatus.WAITING)
                     .values(status=QueueStatus.READY, waiting_on="", updated_at=self.now()))

    # -- claiming -------------------------------------------------------------------------
    @retry_storage()
    def claim(self, direction: str, owner: str, lease: float,
              max_connections: dict[str, int] | None = None) -> str | None:
        """Lease the runnable queue with the oldest head LUW; None when nothing can run.

        `max_connections` (SMQS, per destination): a destination that already has that many
        queues leased by any worker gets no further one until a lease ends.
        """
        now = self.now()
        head = _head()
        with self.db.write() as conn:
            saturated = self._saturated(conn, direction, now, max_connections or {})
            query = (select(Q.c.name, head.label("head"))
                     .where(Q.c.direction == direction, _runnable(now),
                            Q.c.destination.not_in(saturated))
                     .order_by(head).limit(1))
            if not self.db.is_sqlite:  # lock only the row taken: others skip just that one
                query = query.with_for_update(skip_locked=True, of=Q)
            for _ in range(20):  # a blocked head turns its queue WAITING: try the next one
                row = conn.execute(query).first()
                if row is None:
                    self._drop_abandoned(conn, direction, now)
                    return None
                name, head_id = row
                luw = self.luw(conn, head_id)
                blocker = self.blocked_by(conn, luw) if luw else None
                if blocker:
                    conn.execute(update(Q).where(Q.c.name == name, Q.c.direction == direction)
                                 .values(status=QueueStatus.WAITING, waiting_on=blocker,
                                         updated_at=now))
                    continue
                conn.execute(update(Q).where(Q.c.name == name, Q.c.direction == direction)
                             .values(status=QueueStatus.RUNNING, waiting_on="", claimed_by=owner,
                                     claimed_until=now + timedelta(seconds=lease),
                                     updated_at=now))
                return str(name)
        return None

    def _saturated(self, conn: Connection, direction: str, now: datetime,
                   limits: dict[str, int]) -> list[str]:
        """Destinations whose leased queues reach their maximum connections."""
        if not limits:
            return []
        if not self.db.is_sqlite:  # claims take turns, so two cannot both take the last slot
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                         {"name": f"sapgw-claim-{direction}"})
        leased = conn.execute(select(Q.c.destination, func.count()).where(
            Q.c.direction == direction, Q.c.status == QueueStatus.RUNNING,
            Q.c.claimed_until >= now).group_by(Q.c.destination)).all()
        return [destination for destination, count in leased
                if destination in limits and count >= limits[destination]]

    def _drop_abandoned(self, conn: Connection, direction: str, now: datetime) -> None:
        """Drop empty queues whose worker died between their last LUW and the release."""
        conn.execute(delete(Q).where(
            Q.c.direction == direction, Q.c.status == QueueStatus.RUNNING,
            Q.c.claimed_until < now, Q.c.locked.is_(False), _head().is_(None)))

    @retry_storage()
    def renew(self, name: str, direction: str, owner: str, lease: float) -> bool:
        with self.db.write() as conn:
            result = conn.execute(update(Q).where(
                Q.c.name == name, Q.c.direction == direction, Q.c.claimed_by == owner)
                .values(claimed_until=self.now() + timedelta(seconds=lease)))
        return bool(result.rowcount)

    @retry_storage()
    def release(self, name: str, direction: str, owner: str) -> None:
        """End a lease: a still-RUNNING queue becomes READY, an empty unlocked one disappears."""
        with self.db.write() as conn:
            self.release_in(conn, name, direction, owner)

    def release_in(self, conn: Connection, name: str, direction: str, owner: str) -> None:
        where = (Q.c.name == name, Q.c.direction == direction, Q.c.claimed_by == owner)
        conn.execute(update(Q).where(*where, Q.c.status == QueueStatus.RUNNING)
                     .values(status=QueueStatus.READY, updated_at=self.now()))
        held = conn.execute(update(Q).where(*where).values(claimed_by="", claimed_until=None))
        if held.rowcount:  # a worker whose lease was taken over leaves the queue alone
            self.drop_if_empty(conn, name, direction)

    def drop_if_empty(self, conn: Connection, name: str, direction: str) -> None:
        if conn.execute(select(L.c.id).where(L.c.direction == direction, L.c.queue == name)
                        .limit(1)).first() is None:
            conn.execute(delete(Q).where(Q.c.name == name, Q.c.direction == direction,
                                         Q.c.locked.is_(False)))

    # -- reading ----------------------------------------------------------------------------
    def luw(self, conn: Connection, luw_id: int) -> Luw | None:
        row = conn.execute(select(L).where(L.c.id == luw_id)).first()
        return Luw.from_row(row) if row else None

    def head(self, conn: Connection, name: str, direction: str) -> Luw | None:
        batch = self.heads(conn, name, direction, 1)
        return batch[0] if batch else None

    def heads(self, conn: Connection, name: str, direction: str, limit: int) -> list[Luw]:
        """The first `limit` LUWs of a queue, in order."""
        rows = conn.execute(_HEADS, {"d": direction, "q": name, "n": limit}).all()
        return [Luw.from_row(row) for row in rows]

    def blocked_by(self, conn: Connection, luw: Luw,
                   first_ids: dict[str, int | None] | None = None) -> str | None:
        """The first queue this LUW depends on that still holds an older LUW, if any.

        `first_ids` keeps each queue's first LUW id between calls in one read transaction,
        so a batch of LUWs waiting on the same queue costs one query.
        """
        first_ids = {} if first_ids is None else first_ids
        for other in luw.wait_for:
            if other == luw.queue:
                continue
            if other not in first_ids:
                first_ids[other] = conn.execute(_FIRST, {"d": luw.direction, "q": other}
                                                ).scalar()
            first = first_ids[other]
            if first is not None and first < luw.id:
                return other
        return None

    def status(self, conn: Connection, name: str, direction: str) -> dict[str, Any] | None:
        row = conn.execute(select(Q).where(Q.c.name == name, Q.c.direction == direction)).first()
        return dict(row._mapping) if row else None

    def set_status(self, conn: Connection, name: str, direction: str, status: QueueStatus,
                   error: str = "", **values: Any) -> None:
        now = self.now()
        conn.execute(update(Q).where(Q.c.name == name, Q.c.direction == direction).values(
            status=status, error=error, error_at=now if error else None, updated_at=now,
            **values))

    def pending(self) -> int:
        """LUWs that the schedulers could run now or later (for idle detection)."""
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(L)).scalar() or 0)

    def runnable_exists(self) -> bool:
        """Is there a queue a claim would consider now (runnable status, unlocked, unleased)?"""
        with self.db.read() as conn:
            return conn.execute(select(Q.c.name).where(_runnable(self.now())).limit(1)
                                ).first() is not None


# A queue row for each LUW's queue, unless it exists (it may hold a status, a lock).
_INSERT_QUEUE = {"sqlite": sqlite_insert(Q).on_conflict_do_nothing(),
                 "postgresql": pg_insert(Q).on_conflict_do_nothing()}
_FIRST = select(func.min(L.c.id)).where(L.c.direction == bindparam("d"),
                                        L.c.queue == bindparam("q"))
_HEADS = (select(L).where(L.c.direction == bindparam("d"), L.c.queue == bindparam("q"))
          .order_by(L.c.id).limit(bindparam("n")))


def _head() -> Any:
    """The id of the queue row's first LUW (a correlated subquery); NULL for an empty queue."""
    return (select(func.min(L.c.id)).where(L.c.direction == Q.c.direction, L.c.queue == Q.c.name)
            .correlate(Q).scalar_subquery())


def _runnable(now: datetime) -> ColumnElement[bool]:
    """What a claim may take: an unlocked queue holding LUWs that is READY, due for a retry,
    abandoned by a dead worker (lease expired), or WAITING on a queue that no longer holds an
    older LUW (so a wake-up lost to a concurrent claim on PostgreSQL cannot strand it)."""
    blocking = L.alias("blocking")
    head = _head()
    return and_(Q.c.locked.is_(False), head.is_not(None), or_(
        Q.c.status == QueueStatus.READY,
        and_(Q.c.status.in_([QueueStatus.CPICERR, QueueStatus.ARETRY]), Q.c.next_retry_at <= now),
        and_(Q.c.status == QueueStatus.RUNNING, Q.c.claimed_until < now),
        and_(Q.c.status == QueueStatus.WAITING, ~exists().where(
            blocking.c.direction == Q.c.direction, blocking.c.queue == Q.c.waiting_on,
            blocking.c.id < head)),
    ))
