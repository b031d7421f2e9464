"""Idle polls without a transaction: a claim that found nothing is not repeated in vain.

The schedulers (the gateway's QIN/QOUT, the ERP's QOUT) poll every `poll_interval` for work
nobody woke them for: another process's commit on SQLite, a retry falling due, a lease
expiring. Each poll was a claim, a write transaction (BEGIN IMMEDIATE, the runnable-queue
SELECT, the DELETE of abandoned queues): ~2.5 ms of CPU holding the GIL and SQLite's write
lock, three threads twice a second, in a server that has nothing to do (issue 15).

A claim can only find something that an empty one did not if a transaction was committed
since, or if time passed a queue's retry time or lease end. So after an empty claim on a
SQLite file the store remembers the database's `PRAGMA data_version` (read on the
Database's peek connection, which never writes, before that claim's transaction began) and
the earliest retry time or lease end among the direction's queues; the next claim is skipped
while the version is the same and that time has not come. Any commit of any connection or
process changes the version, so the skip is exact: it answers what the claim would have
answered. PostgreSQL and in-memory databases always claim (their wake-ups are LISTEN/NOTIFY
and in-process events).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sapgw.db import Database


class IdleClaims:
    """Per direction: the version and due time of the last claim that found nothing."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._idle: dict[str, tuple[int, datetime | None]] = {}

    def version(self) -> int | None:
        """The database's change counter (None: not tracked, see `Database.data_version`)."""
        return self._db.data_version()

    def unchanged(self, direction: str, version: int | None, now: datetime) -> bool:
        """May the claim be skipped? Nothing committed since the empty one, nothing due."""
        idle = self._idle.get(direction)
        if version is None or idle is None or idle[0] != version:
            return False
        due = idle[1]
        return due is None or _utc(now) < _utc(due)

    def found_nothing(self, direction: str, version: int | None, due: datetime | None
                      ) -> None:
        """The claim begun at `version` found nothing; `due` is its queues' next time."""
        if version is not None:
            self._idle[direction] = (version, due)


def _utc(moment: datetime) -> datetime:
    """Naive UTC for comparing: SQLite gives back what was stored (UTC) without its zone."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
