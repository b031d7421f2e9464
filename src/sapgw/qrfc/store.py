"""The queue store: LUWs in queues, claimed a whole queue at a time under a lease.

Semantics (EOIO, dependencies, retries) live here once, above plain SQL on a system's pair of
queue tables (`QueueSchema`: the gateway's, the ERP's); the same statements serve SQLite and
PostgreSQL. A claim takes the queue whose head LUW is oldest among the runnable ones (READY, a
due retry, or RUNNING with an expired lease, i.e. abandoned by a dead worker).
"""

from __future__ import annotations

import json
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
from sapgw.qrfc.idle import IdleClaims
from sapgw.qrfc.schema import Luw, QueueSchema
from sapgw.qrfc.status import QueueStatus
from sapgw.types import RfcCall


class QueueStore:
    def __init__(self, db: Database, clock: Clock, schema: QueueSchema) -> None:
        self.db = db
        self.clock = clock
        self.schema = schema
        self.idle = IdleClaims(db)  # skips an idle poll's claim while nothing changed
        s = schema
        # A queue row for each LUW's queue, unless it exists (it may hold a status, a lock).
        self._insert_queue = {"sqlite": sqlite_insert(s.Q).on_conflict_do_nothing(),
                              "postgresql": pg_insert(s.Q).on_conflict_do_nothing()}
        self._first = select(func.min(s.l.id)).where(
            *s.l_in(bindparam("d")), s.l.queue == bindparam("q"))  # type: ignore[arg-type]
        self._heads = (select(s.L).where(*s.l_in(bindparam("d")),  # type: ignore[arg-type]
                                         s.l.queue == bindparam("q"))
                       .order_by(s.l.id).limit(bindparam("n")))

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
        """A LUW row for `enqueue_many` (keys: the LUW table's columns)."""
        return self.schema.l.values(
            queue=queue, direction=direction, kind=kind, tid=tid, destination=destination,
            bdoc_id=bdoc_id, site=site, wait_for=",".join(wait_for), created_at=self.now(),
            calls=json.dumps([c.to_json() for c in calls], default=str))

    def enqueue_many(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        """Append LUWs (rows from `luw_row`, in order) and create the queue rows missing."""
        if not rows:
            return
        s = self.schema
        insert_rows(conn, s.L, rows)
        direction = s.l.key("direction") if s.l.has("direction") else None
        wanted = {(r[s.l.key("queue")], r[direction] if direction else "out"):
                  r[s.l.key("destination")] for r in rows}
        now = self.now()
        conn.execute(self._insert_queue[conn.dialect.name], [
            s.q.values(name=name, direction=dirn, destination=destination,
                       status=QueueStatus.READY, updated_at=now)
            for (name, dirn), destination in sorted(wanted.items())])

    def remove(self, conn: Connection, luw: Luw) -> None:
        """Take an executed (or deleted) LUW out of its queue and wake queues waiting on it."""
        self.remove_many(conn, [luw])

    def remove_many(self, conn: Connection, luws: list[Luw]) -> None:
        conn.execute(delete(self.schema.L).where(self.schema.l.id.in_([luw.id for luw in luws])))
        for queue, direction in {(luw.queue, luw.direction) for luw in luws}:
            self.wake_waiting(conn, queue, direction)

    def wake_waiting(self, conn: Connection, queue: str, direction: str) -> None:
        s = self.schema
        conn.execute(update(s.Q).where(*s.q_in(direction), s.q.waiting_on == queue,
                                       s.q.status == QueueStatus.WAITING)
                     .values(s.q.values(status=QueueStatus.READY, waiting_on="",
                                        updated_at=self.now())))

    # -- claiming -------------------------------------------------------------------------
    @retry_storage()
    def claim(self, direction: str, owner: str, lease: float,
              max_connections: dict[str, int] | None = None) -> str | None:
        """Lease the runnable queue with the oldest head LUW; None when nothing can run.

        `max_connections` (SMQS, per destination): a destination that already has that many
        queues leased by any worker gets no further one until a lease ends.
        """
        s = self.schema
        now = self.now()
        version = self.idle.version()  # before the transaction: a later commit changes it
        if self.idle.unchanged(direction, version, now):
            return None  # what the claim would answer: nothing committed, nothing fell due
        head = self._head()
        with self.db.write() as conn:
            saturated = self._saturated(conn, direction, now, max_connections or {})
            query = (select(s.q.name, head.label("head"))
                     .where(*s.q_in(direction), self._runnable(now),
                            s.q.destination.not_in(saturated))
                     .order_by(head).limit(1))
            if not self.db.is_sqlite:  # lock only the row taken: others skip just that one
                query = query.with_for_update(skip_locked=True, of=s.Q)
            for _ in range(20):  # a blocked head turns its queue WAITING: try the next one
                row = conn.execute(query).first()
                if row is None:
                    self._drop_abandoned(conn, direction, now)
                    self.idle.found_nothing(direction, version,
                                            self._next_due(conn, direction, now))
                    return None
                name, head_id = row
                luw = self.luw(conn, head_id)
                blocker = self.blocked_by(conn, luw) if luw else None
                where = s.queue_key(name, direction)
                if blocker:
                    conn.execute(update(s.Q).where(*where).values(s.q.values(
                        status=QueueStatus.WAITING, waiting_on=blocker, updated_at=now)))
                    continue
                conn.execute(update(s.Q).where(*where).values(s.q.values(
                    status=QueueStatus.RUNNING, waiting_on="", claimed_by=owner,
                    claimed_until=now + timedelta(seconds=lease), updated_at=now)))
                return str(name)
        return None

    def _saturated(self, conn: Connection, direction: str, now: datetime,
                   limits: dict[str, int]) -> list[str]:
        """Destinations whose leased queues reach their maximum connections."""
        if not limits:
            return []
        s = self.schema
        if not self.db.is_sqlite:  # claims take turns, so two cannot both take the last slot
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                         {"name": f"sapgw-claim-{s.Q.name}-{direction}"})
        leased = conn.execute(select(s.q.destination, func.count()).where(
            *s.q_in(direction), s.q.status == QueueStatus.RUNNING,
            s.q.claimed_until >= now).group_by(s.q.destination)).all()
        return [destination for destination, count in leased
                if destination in limits and count >= limits[destination]]

    def _next_due(self, conn: Connection, direction: str, now: datetime) -> datetime | None:
        """The earliest time a queue of `direction` may become claimable without a commit:
        a retry falling due (CPICERR, ARETRY) or a lease ending (RUNNING). Times already
        past are left out: a queue they did not make claimable now (stopped, locked) needs a
        commit to become so, and that moves the version anyway."""
        s = self.schema
        retry = select(func.min(s.q.next_retry_at)).where(
            *s.q_in(direction), s.q.status.in_([QueueStatus.CPICERR, QueueStatus.ARETRY]),
            s.q.next_retry_at > now)
        lease = select(func.min(s.q.claimed_until)).where(
            *s.q_in(direction), s.q.status == QueueStatus.RUNNING, s.q.claimed_until >= now)
        times = conn.execute(select(retry.scalar_subquery(), lease.scalar_subquery())).one()
        return min((t for t in times if t is not None), default=None)

    def _drop_abandoned(self, conn: Connection, direction: str, now: datetime) -> None:
        """Drop empty queues whose worker died between their last LUW and the release."""
        s = self.schema
        conn.execute(delete(s.Q).where(
            *s.q_in(direction), s.q.status == QueueStatus.RUNNING,
            s.q.claimed_until < now, _unlocked(s), self._head().is_(None)))

    @retry_storage()
    def renew(self, name: str, direction: str, owner: str, lease: float) -> bool:
        s = self.schema
        with self.db.write() as conn:
            result = conn.execute(update(s.Q).where(
                *s.queue_key(name, direction), s.q.claimed_by == owner)
                .values(s.q.values(claimed_until=self.now() + timedelta(seconds=lease))))
        return bool(result.rowcount)

    @retry_storage()
    def release(self, name: str, direction: str, owner: str) -> None:
        """End a lease: a still-RUNNING queue becomes READY, an empty unlocked one disappears."""
        with self.db.write() as conn:
            self.release_in(conn, name, direction, owner)

    def release_in(self, conn: Connection, name: str, direction: str, owner: str) -> None:
        s = self.schema
        where = (*s.queue_key(name, direction), s.q.claimed_by == owner)
        conn.execute(update(s.Q).where(*where, s.q.status == QueueStatus.RUNNING)
                     .values(s.q.values(status=QueueStatus.READY, updated_at=self.now())))
        held = conn.execute(update(s.Q).where(*where).values(
            s.q.values(claimed_by="", claimed_until=None)))
        if held.rowcount:  # a worker whose lease was taken over leaves the queue alone
            self.drop_if_empty(conn, name, direction)

    def drop_if_empty(self, conn: Connection, name: str, direction: str) -> None:
        s = self.schema
        if conn.execute(select(s.l.id).where(*s.l_in(direction), s.l.queue == name)
                        .limit(1)).first() is None:
            conn.execute(delete(s.Q).where(*s.queue_key(name, direction), _unlocked(s)))

    # -- reading ----------------------------------------------------------------------------
    def luw(self, conn: Connection, luw_id: int) -> Luw | None:
        row = conn.execute(select(self.schema.L).where(self.schema.l.id == luw_id)).first()
        return self.luw_of(row) if row else None

    def luw_of(self, row: Any) -> Luw:
        return Luw.from_values(self.schema.l.read(row._mapping))

    def head(self, conn: Connection, name: str, direction: str) -> Luw | None:
        batch = self.heads(conn, name, direction, 1)
        return batch[0] if batch else None

    def heads(self, conn: Connection, name: str, direction: str, limit: int) -> list[Luw]:
        """The first `limit` LUWs of a queue, in order."""
        rows = conn.execute(self._heads, {"d": direction, "q": name, "n": limit}).all()
        return [self.luw_of(row) for row in rows]

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
                first_ids[other] = conn.execute(self._first, {"d": luw.direction, "q": other}
                                                ).scalar()
            first = first_ids[other]
            if first is not None and first < luw.id:
                return other
        return None

    def status(self, conn: Connection, name: str, direction: str) -> dict[str, Any] | None:
        """The queue's row as logical values (name, status, locked, retries, ...)."""
        s = self.schema
        row = conn.execute(select(s.Q).where(*s.queue_key(name, direction))).first()
        return s.q.read(row._mapping) if row else None

    def set_status(self, conn: Connection, name: str, direction: str, status: QueueStatus,
                   error: str = "", **values: Any) -> None:
        s = self.schema
        now = self.now()
        conn.execute(update(s.Q).where(*s.queue_key(name, direction)).values(s.q.values(
            status=status, error=error, error_at=now if error else None, updated_at=now,
            **values)))

    def pending(self) -> int:
        """LUWs that the schedulers could run now or later (for idle detection)."""
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(self.schema.L)).scalar()
                       or 0)

    def runnable_exists(self) -> bool:
        """Is there a queue a claim would consider now (runnable status, unlocked, unleased)?"""
        with self.db.read() as conn:
            return conn.execute(select(self.schema.q.name).where(self._runnable(self.now()))
                                .limit(1)).first() is not None

    # -- SMQ1 / SMQ2 actions (in the caller's transaction) ---------------------------------
    def activate(self, conn: Connection, name: str, direction: str) -> bool:
        """Make a failed or waiting queue READY again, retries reset; False if unknown.

        A RUNNING queue is left alone (its worker holds it); a lock stays until unlocked.
        """
        s = self.schema
        if self.status(conn, name, direction) is None:
            return False
        conn.execute(update(s.Q).where(*s.queue_key(name, direction),
                                       s.q.status != QueueStatus.RUNNING)
                     .values(s.q.values(status=QueueStatus.READY, error="", error_at=None,
                                        retries=0, next_retry_at=None, waiting_on="",
                                        updated_at=self.now())))
        return True

    def lock(self, conn: Connection, name: str, direction: str) -> None:
        """Lock (STOP) a queue; a queue that does not exist yet is created locked."""
        s = self.schema
        if self.status(conn, name, direction) is None:
            conn.execute(s.Q.insert().values(s.q.values(
                name=name, direction=direction, status=QueueStatus.READY, locked=True,
                updated_at=self.now())))
        else:
            conn.execute(update(s.Q).where(*s.queue_key(name, direction))
                         .values(s.q.values(locked=True, updated_at=self.now())))

    def unlock(self, conn: Connection, name: str, direction: str) -> bool:
        """Unlock a queue (it keeps its status); False if unknown."""
        s = self.schema
        if self.status(conn, name, direction) is None:
            return False
        conn.execute(update(s.Q).where(*s.queue_key(name, direction))
                     .values(s.q.values(locked=False, updated_at=self.now())))
        self.drop_if_empty(conn, name, direction)
        return True

    # -- the claim's conditions -----------------------------------------------------------
    def _head(self) -> Any:
        """The id of the queue row's first LUW (a correlated subquery); NULL for an empty
        queue."""
        s = self.schema
        same_direction = ([s.l.direction == s.q.direction]
                          if s.l.has("direction") and s.q.has("direction") else [])
        return (select(func.min(s.l.id)).where(*same_direction, s.l.queue == s.q.name)
                .correlate(s.Q).scalar_subquery())

    def _runnable(self, now: datetime) -> ColumnElement[bool]:
        """What a claim may take: an unlocked queue holding LUWs that is READY, due for a
        retry, abandoned by a dead worker (lease expired), or WAITING on a queue that no
        longer holds an older LUW (so a wake-up lost to a concurrent claim on PostgreSQL
        cannot strand it)."""
        s = self.schema
        blocking = s.L.alias("blocking")
        head = self._head()
        same_direction = ([blocking.c[s.l.key("direction")] == s.q.direction]
                          if s.l.has("direction") and s.q.has("direction") else [])
        return and_(_unlocked(s), head.is_not(None), or_(
            s.q.status == QueueStatus.READY,
            and_(s.q.status.in_([QueueStatus.CPICERR, QueueStatus.ARETRY]),
                 s.q.next_retry_at <= now),
            and_(s.q.status == QueueStatus.RUNNING, s.q.claimed_until < now),
            and_(s.q.status == QueueStatus.WAITING, ~exists().where(
                *same_direction, blocking.c[s.l.key("queue")] == s.q.waiting_on,
                blocking.c[s.l.key("id")] < head)),
        ))


def _unlocked(s: QueueSchema) -> ColumnElement[bool]:
    """Not locked (STOP). Compared as a bound value, so a flag column (X/blank) works too."""
    return s.q.locked == bindparam(None, False, type_=s.q.locked.type)
