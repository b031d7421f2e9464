"""The queries behind SMW02 (BDoc summary) and the SMWP cockpit, shared by pages, CLI, metrics.

Counts come from SQL (`GROUP BY` on indexed columns); time series read only the rows of their
window and are bucketed here, because truncating a timestamp to the hour or minute has no
portable SQL between SQLite and PostgreSQL. The backlog series is walked back from the
current backlog (BDocs not final), so only the last hour of headers and log rows is read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from sapgw.bdoc.states import BDocState
from sapgw.db import Database
from sapgw.gateway.monitor.queries import L, Q
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.store.bdocs import G, H

FINAL_STATES = [s.value for s in BDocState if s.final]
ERROR_STATES = [s.value for s in BDocState if s.error]
BLOCKED = (QueueStatus.SYSFAIL, QueueStatus.CPICERR, QueueStatus.STOP)
BACKLOG_WARN = timedelta(minutes=5)  # oldest queued LUW older than this: yellow
BACKLOG_ALERT = timedelta(minutes=30)  # ... and older than this: red


@dataclass(frozen=True)
class Light:
    """One traffic light of the cockpit: what it counts, its colour, and where to look."""

    key: str
    label: str
    light: str  # green, yellow, red
    value: str
    link: str


def utc(value: datetime) -> datetime:
    """Stored timestamps are UTC; SQLite hands them back naive."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime) -> str:
    return utc(value).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- SMW02 ---------------------------------------------------------------------------------------
def bdoc_counts(db: Database) -> list[dict[str, Any]]:
    """BDocs per type and state, with the state's text and light."""
    query = (select(H.c.bdoc_type, H.c.state, func.count()).group_by(H.c.bdoc_type, H.c.state)
             .order_by(H.c.bdoc_type, H.c.state))
    with db.read() as conn:
        rows = conn.execute(query).all()
    return [{"type": t, "state": s, "state_text": BDocState(s).text,
             "light": BDocState(s).light, "count": int(n)} for t, s, n in rows]


def bdoc_hourly(db: Database, now: datetime, hours: int = 24) -> list[dict[str, Any]]:
    """BDocs received per hour over the last `hours` (this hour included), by light."""
    first = utc(now).replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours - 1)
    query = select(H.c.created_at, H.c.state).where(H.c.created_at >= first)
    with db.read() as conn:
        rows = conn.execute(query).all()
    buckets = [{"hour": iso(first + timedelta(hours=i)), "total": 0, "green": 0, "yellow": 0,
                "red": 0} for i in range(hours)]
    for created_at, state in rows:
        index = int((utc(created_at) - first) // timedelta(hours=1))
        if 0 <= index < hours:
            buckets[index]["total"] += 1
            buckets[index][BDocState(state).light] += 1
    return buckets


def smw02(db: Database, now: datetime, hours: int = 24) -> dict[str, Any]:
    return {"read_at": iso(now), "counts": bdoc_counts(db),
            "hourly": bdoc_hourly(db, now, hours)}


# -- queues ----------------------------------------------------------------------------------------
def _queue_status(status: str, locked: bool | None) -> str:
    return QueueStatus.STOP.value if locked else (status or QueueStatus.READY.value)


def queue_stats(db: Database, now: datetime) -> list[dict[str, Any]]:
    """Per direction and queue status: queues, LUWs waiting and the oldest LUW's age."""
    query = (select(L.c.direction, Q.c.status, Q.c.locked, func.count(func.distinct(L.c.queue)),
                    func.count(), func.min(L.c.created_at))
             .select_from(L.outerjoin(Q, (Q.c.name == L.c.queue)
                                      & (Q.c.direction == L.c.direction)))
             .group_by(L.c.direction, Q.c.status, Q.c.locked))
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    with db.read() as conn:
        rows = conn.execute(query).all()
    for direction, status, locked, queues, luws, oldest in rows:
        key = (direction, _queue_status(status, locked))
        entry = merged.setdefault(key, {"direction": key[0], "status": key[1], "queues": 0,
                                        "luws": 0, "oldest_age": 0.0})
        entry["queues"] += int(queues)
        entry["luws"] += int(luws)
        age = max((utc(now) - utc(oldest)).total_seconds(), 0.0)
        entry["oldest_age"] = max(entry["oldest_age"], age)
    return [merged[k] for k in sorted(merged)]


def blocked_queues(db: Database) -> list[dict[str, Any]]:
    """Queues in SYSFAIL or CPICERR, or locked (STOP), both directions."""
    query = (select(Q.c.name, Q.c.direction, Q.c.status, Q.c.locked, Q.c.destination,
                    Q.c.error)
             .where(Q.c.status.in_([QueueStatus.SYSFAIL, QueueStatus.CPICERR])
                    | Q.c.locked.is_(True))
             .order_by(Q.c.direction, Q.c.name))
    with db.read() as conn:
        rows = conn.execute(query).all()
    return [{"name": r.name, "direction": r.direction,
             "status": _queue_status(r.status, r.locked), "destination": r.destination,
             "error": r.error} for r in rows]


def oldest_luw(db: Database, now: datetime) -> dict[str, Any] | None:
    """The first LUW still queued (the sequence is global, so the lowest id is the oldest)."""
    query = select(L.c.queue, L.c.direction, L.c.tid, L.c.created_at).order_by(L.c.id).limit(1)
    with db.read() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return {"queue": row.queue, "direction": row.direction, "tid": row.tid,
            "created_at": iso(row.created_at),
            "age_seconds": max((utc(now) - utc(row.created_at)).total_seconds(), 0.0)}


def unreachable_destinations(blocked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Destinations with queues in CPICERR: the communication failed, retries are running."""
    found: dict[str, dict[str, Any]] = {}
    for queue in blocked:
        if queue["status"] == QueueStatus.CPICERR:
            entry = found.setdefault(queue["destination"], {
                "destination": queue["destination"], "queues": 0, "error": queue["error"]})
            entry["queues"] += 1
    return [found[k] for k in sorted(found)]


# -- SMWP ----------------------------------------------------------------------------------------
def last_hour(db: Database, now: datetime) -> dict[str, list[Any]]:
    """Per minute of the last hour: BDocs that reached F04 and BDocs open at the minute's end."""
    now = utc(now)
    first = now.replace(second=0, microsecond=0) - timedelta(minutes=59)
    with db.read() as conn:
        open_now = conn.execute(select(func.count()).select_from(H)
                                .where(H.c.state.not_in(FINAL_STATES))).scalar_one()
        created = sorted(utc(t) for (t,) in conn.execute(
            select(H.c.created_at).where(H.c.created_at >= first)))
        finals = conn.execute(select(G.c.at, G.c.state_to).where(
            G.c.at >= first, G.c.state_to.in_(FINAL_STATES))).all()
    closed = sorted(utc(at) for at, _ in finals)
    reached = Counter(int((utc(at) - first) // timedelta(minutes=1))
                      for at, state in finals if state == BDocState.F04)
    minutes, throughput, backlog = [], [], []
    for i in range(60):
        # A minute is [start, end); the current minute ends now, and includes now.
        end = min(first + timedelta(minutes=i + 1), now)
        cut = bisect_right if end == now else bisect_left
        later_created = len(created) - cut(created, end)
        later_closed = len(closed) - cut(closed, end)
        minutes.append(iso(first + timedelta(minutes=i)))
        throughput.append(reached.get(i, 0))
        backlog.append(max(int(open_now) - later_created + later_closed, 0))
    return {"minutes": minutes, "throughput": throughput, "backlog": backlog}


def _count_errors(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(H)
                                .where(H.c.state.in_(ERROR_STATES))).scalar_one())


def smwp(db: Database, now: datetime) -> dict[str, Any]:
    """The cockpit: four traffic lights, what lies behind them, and the last hour's series."""
    blocked = blocked_queues(db)
    errors = _count_errors(db)
    oldest = oldest_luw(db, now)
    unreachable = unreachable_destinations(blocked)
    failing = [q for q in blocked if q["status"] != QueueStatus.STOP]
    age = timedelta(seconds=oldest["age_seconds"]) if oldest else timedelta(0)
    oldest_link = (f"/{'smq1' if oldest['direction'] == 'out' else 'smq2'}/{oldest['queue']}"
                   if oldest else "/smq1")
    lights = [
        Light("blocked_queues", "Blocked queues (SYSFAIL, CPICERR, STOP)",
              "red" if failing else "yellow" if blocked else "green", str(len(blocked)),
              "/smq1"),
        Light("bdocs_in_error", "BDocs in error", "red" if errors else "green", str(errors),
              "/smw01?state=" + ",".join(ERROR_STATES)),
        Light("oldest_backlog", "Oldest queued LUW",
              "red" if age >= BACKLOG_ALERT else "yellow" if age >= BACKLOG_WARN else "green",
              _age_text(age) if oldest else "no LUWs queued", oldest_link),
        Light("destinations_unreachable", "Destinations unreachable",
              "red" if unreachable else "green",
              ", ".join(d["destination"] for d in unreachable) or "none", "/smq1"),
    ]
    return {"read_at": iso(now), "lights": [asdict(light) for light in lights],
            "blocked_queues": blocked, "bdocs_in_error": errors, "oldest_luw": oldest,
            "unreachable": unreachable, "last_hour": last_hour(db, now)}


def _age_text(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min" if hours else f"{rest // 60} min {rest % 60} s"
