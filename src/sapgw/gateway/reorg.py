"""Reorganisation of the BDoc store (SMO6_REORG-like).

Final BDocs (F01 discarded, F03 set to processed, F04 confirmed, F05 information only)
created before the retention limit are deleted with their body, log and receivers. Error
BDocs (E..) and BDocs still in process stay, however old: a person has to see and repair
them. A BDoc that a queue still refers to is kept too. Deletion runs in chunks, one
transaction each, so a large backlog never holds the write lock for long; a crash between
chunks leaves whole BDocs, never half of one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, exists, func, select

from sapgw.bdoc.states import BDocState
from sapgw.db import Database
from sapgw.gateway.config import Settings
from sapgw.gateway.store.tables import BDocBody, BDocHeader, BDocLog, BDocReceiver, QrfcLuw

FINAL_STATES = (BDocState.F01, BDocState.F03, BDocState.F04, BDocState.F05)
CHUNK = 500

H = BDocHeader.__table__  # type: ignore[attr-defined]
DEPENDENTS = [t.__table__ for t in (BDocBody, BDocLog, BDocReceiver)]  # type: ignore[attr-defined]
L = QrfcLuw.__table__  # type: ignore[attr-defined]


@dataclass
class ReorgResult:
    """What a run deleted (or, dry, would delete), by BDoc state."""

    before: datetime
    dry_run: bool
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.deleted.values())

    def as_dict(self) -> dict[str, object]:
        return {"before": self.before.isoformat(), "dry_run": self.dry_run,
                "deleted": self.deleted, "total": self.total}


def reorganize_bdocs(db: Database, now: datetime, retention_days: int,
                     dry_run: bool = False) -> ReorgResult:
    """Delete final BDocs created more than `retention_days` before `now`; count by state."""
    result = ReorgResult(now - timedelta(days=retention_days), dry_run)
    if dry_run:
        with db.read() as conn:
            counts = conn.execute(select(H.c.state, func.count()).where(
                _expired(result.before)).group_by(H.c.state)).all()
        result.deleted = {str(state): int(n) for state, n in counts}
        return result
    while True:
        with db.write() as conn:
            rows = conn.execute(select(H.c.bdoc_id, H.c.state).where(
                _expired(result.before)).limit(CHUNK)).all()
            if not rows:
                break
            _delete(conn, [row.bdoc_id for row in rows])
        for row in rows:
            result.deleted[str(row.state)] = result.deleted.get(str(row.state), 0) + 1
        if len(rows) < CHUNK:
            break
    return result


def _expired(before: datetime) -> object:
    queued = exists().where(L.c.bdoc_id == H.c.bdoc_id)
    return (H.c.state.in_([str(s) for s in FINAL_STATES]) & (H.c.created_at < before)
            & ~queued)


def _delete(conn: Connection, ids: list[str]) -> None:
    for table in DEPENDENTS:
        conn.execute(delete(table).where(table.c.bdoc_id.in_(ids)))
    conn.execute(delete(H).where(H.c.bdoc_id.in_(ids)))


def reorg_command(settings: Settings, dry_run: bool, as_json: bool) -> int:
    """`sapgw reorg [--dry-run] [--json]` on the gateway database of config.ini."""
    from sapgw.gateway.runtime import Gateway

    gateway = Gateway(settings)
    try:
        result = gateway.reorganize_bdocs(dry_run=dry_run)
    finally:
        gateway.close()
    if as_json:
        print(json.dumps(result.as_dict(), indent=2))
        return 0
    verb = "would delete" if dry_run else "deleted"
    per_state = ", ".join(f"{state} {n}" for state, n in sorted(result.deleted.items()))
    sys.stdout.write(f"SMO6_REORG: {verb} {result.total} final BDocs created before "
                     f"{result.before:%Y-%m-%d %H:%M} UTC"
                     f"{f' ({per_state})' if per_state else ''}; error BDocs are kept\n")
    return 0
