"""The BDoc message store: headers, bodies, receivers and the log of every state change.

`change_state` is the only way a state changes: it checks the transition, updates the header
and writes the log row, all in the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sapgw.bdoc.message import MBDoc
from sapgw.bdoc.states import BDocState, check_transition
from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.store.tables import BDocBody, BDocHeader, BDocLog, BDocReceiver

H = BDocHeader.__table__  # type: ignore[attr-defined]
B = BDocBody.__table__  # type: ignore[attr-defined]
G = BDocLog.__table__  # type: ignore[attr-defined]
R = BDocReceiver.__table__  # type: ignore[attr-defined]


class BDocNotFound(LookupError):
    pass


@dataclass(frozen=True)
class LogEntry:
    """One line of a BDoc's log: a state change or a message of a service."""

    service: str
    message: str
    msg_type: str = "I"
    msg_class: str = ""
    msg_number: str = ""


class BDocStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def now(self) -> datetime:
        return self.clock.now()

    def insert(self, conn: Connection, bdoc: MBDoc, object_key: str) -> None:
        """Store a received BDoc (I01) with its body and first log row."""
        now = bdoc.created_at
        conn.execute(insert(H).values(
            bdoc_id=bdoc.bdoc_id, bdoc_type=bdoc.bdoc_type, state=BDocState.I01,
            flow_context=bdoc.flow_context, sender=bdoc.sender, object_key=object_key[:40],
            created_at=now, updated_at=now))
        conn.execute(insert(B).values(bdoc_id=bdoc.bdoc_id,
                                      data=json.dumps(bdoc.data, default=str)))
        conn.execute(insert(G).values(
            bdoc_id=bdoc.bdoc_id, at=now, service="RECEIVE", state_to=BDocState.I01,
            message=f"BDoc {bdoc.bdoc_type} received from site {bdoc.sender}"))

    def state(self, conn: Connection, bdoc_id: str) -> BDocState:
        value = conn.execute(select(H.c.state).where(H.c.bdoc_id == bdoc_id)).scalar()
        if value is None:
            raise BDocNotFound(bdoc_id)
        return BDocState(value)

    def change_state(self, conn: Connection, bdoc_id: str, new: BDocState, entry: LogEntry,
                     error: str | None = None) -> BDocState:
        """Move to `new` (checked), log it; `error` sets or clears the header's error text."""
        old = self.state(conn, bdoc_id)
        check_transition(old, new)
        now = self.now()
        values: dict[str, Any] = {"state": new, "updated_at": now}
        if error is not None:
            values["error"] = error[:255]
        conn.execute(update(H).where(H.c.bdoc_id == bdoc_id).values(**values))
        self.log(conn, bdoc_id, entry, old, new)
        return old

    def log(self, conn: Connection, bdoc_id: str, entry: LogEntry,
            old: BDocState | None = None, new: BDocState | None = None) -> None:
        conn.execute(insert(G).values(
            bdoc_id=bdoc_id, at=self.now(), service=entry.service[:40],
            state_from=old or "", state_to=new or "", msg_type=entry.msg_type,
            msg_class=entry.msg_class[:20], msg_number=entry.msg_number[:3],
            message=entry.message))

    def body(self, conn: Connection, bdoc_id: str) -> dict[str, Any]:
        raw = conn.execute(select(B.c.data).where(B.c.bdoc_id == bdoc_id)).scalar()
        if raw is None:
            raise BDocNotFound(bdoc_id)
        return dict(json.loads(raw))

    def header(self, conn: Connection, bdoc_id: str) -> dict[str, Any]:
        row = conn.execute(select(H).where(H.c.bdoc_id == bdoc_id)).first()
        if row is None:
            raise BDocNotFound(bdoc_id)
        return dict(row._mapping)

    # -- receivers --------------------------------------------------------------------------
    def add_receiver(self, conn: Connection, bdoc_id: str, site: str, queue: str, tid: str
                     ) -> None:
        existing = conn.execute(select(R.c.site).where(R.c.bdoc_id == bdoc_id,
                                                       R.c.site == site)).first()
        values = {"state": "QUEUED", "queue": queue, "tid": tid, "error": "",
                  "updated_at": self.now()}
        if existing:
            conn.execute(update(R).where(R.c.bdoc_id == bdoc_id, R.c.site == site)
                         .values(**values))
        else:
            conn.execute(insert(R).values(bdoc_id=bdoc_id, site=site, **values))

    def set_receiver(self, conn: Connection, bdoc_id: str, site: str, state: str,
                     error: str = "") -> None:
        conn.execute(update(R).where(R.c.bdoc_id == bdoc_id, R.c.site == site)
                     .values(state=state, error=error, updated_at=self.now()))

    def receivers(self, conn: Connection, bdoc_id: str) -> list[dict[str, Any]]:
        rows = conn.execute(select(R).where(R.c.bdoc_id == bdoc_id).order_by(R.c.site)).all()
        return [dict(r._mapping) for r in rows]

    def state_from_receivers(self, conn: Connection, bdoc_id: str) -> BDocState:
        """The BDoc state its receivers' states add up to (F04, O01, E02, E06, I02)."""
        states = [r["state"] for r in self.receivers(conn, bdoc_id)]
        done = sum(s in ("CONFIRMED", "DISCARDED") for s in states)
        failed = states.count("ERROR")
        if done == len(states):
            return BDocState.F04
        if failed:
            return BDocState.E02 if done else BDocState.E06
        return BDocState.O01 if done else BDocState.I02

    def log_entries(self, conn: Connection, bdoc_id: str) -> list[dict[str, Any]]:
        rows = conn.execute(select(G).where(G.c.bdoc_id == bdoc_id).order_by(G.c.id)).all()
        return [dict(r._mapping) for r in rows]
