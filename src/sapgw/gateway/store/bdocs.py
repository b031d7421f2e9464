"""The BDoc message store: headers, bodies, receivers and the log of every state change.

`change_state` is the only way a state changes: it checks the transition, updates the header
and writes the log row, all in the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from sapgw.bdoc.message import SCHEMA_VERSION, MBDoc
from sapgw.bdoc.states import BDocState, check_transition
from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.driver_insert import insert_rows
from sapgw.gateway.store.tables import BDocBody, BDocHeader, BDocLog, BDocReceiver

H = BDocHeader.__table__  # type: ignore[attr-defined]
B = BDocBody.__table__  # type: ignore[attr-defined]
G = BDocLog.__table__  # type: ignore[attr-defined]
R = BDocReceiver.__table__  # type: ignore[attr-defined]


class BDocNotFound(LookupError):
    """No BDoc with this id is stored."""


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
        self.insert_many(conn, [(bdoc, object_key)])

    def insert_many(self, conn: Connection, received: list[tuple[MBDoc, str]]) -> None:
        """Store received BDocs (I01): one executemany per table, in the caller's transaction."""
        insert_rows(conn, H, [{
            "bdoc_id": bdoc.bdoc_id, "bdoc_type": bdoc.bdoc_type, "state": BDocState.I01,
            "flow_context": bdoc.flow_context, "sender": bdoc.sender,
            "object_key": object_key[:40], "error": "", "created_at": bdoc.created_at,
            "updated_at": bdoc.created_at, "schema_version": SCHEMA_VERSION}
            for bdoc, object_key in received])
        insert_rows(conn, B, [{"bdoc_id": bdoc.bdoc_id,
                                     "data": json.dumps(bdoc.data, default=str)}
                                    for bdoc, _ in received])
        insert_rows(conn, G, [{
            "bdoc_id": bdoc.bdoc_id, "at": bdoc.created_at, "service": "RECEIVE",
            "state_from": "", "state_to": BDocState.I01, "msg_type": "I", "msg_class": "",
            "msg_number": "",
            "message": f"BDoc {bdoc.bdoc_type} received from site {bdoc.sender}"}
            for bdoc, _ in received])

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

    def set_body(self, conn: Connection, bdoc_id: str, data: dict[str, Any]) -> None:
        """Replace the data (SMW01's change of an erroneous BDoc; the log says what changed)."""
        conn.execute(update(B).where(B.c.bdoc_id == bdoc_id).values(data=json.dumps(data)))

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
        return state_from_receiver_states([r["state"] for r in self.receivers(conn, bdoc_id)])

    def log_entries(self, conn: Connection, bdoc_id: str) -> list[dict[str, Any]]:
        rows = conn.execute(select(G).where(G.c.bdoc_id == bdoc_id).order_by(G.c.id)).all()
        return [dict(r._mapping) for r in rows]


def state_from_receiver_states(states: list[str]) -> BDocState:
    """The BDoc state its receivers' states add up to (F04, O01, E02, E06, I02)."""
    done = sum(s in ("CONFIRMED", "DISCARDED") for s in states)
    failed = states.count("ERROR")
    if done == len(states):
        return BDocState.F04
    if failed:
        return BDocState.E02 if done else BDocState.E06
    return BDocState.O01 if done else BDocState.I02


_UPDATE_STATE = (update(H).where(H.c.bdoc_id == bindparam("b_id"))
                 .values(state=bindparam("b_state"), updated_at=bindparam("b_at")))
_UPDATE_STATE_ERROR = (update(H).where(H.c.bdoc_id == bindparam("b_id"))
                       .values(state=bindparam("b_state"), updated_at=bindparam("b_at"),
                               error=bindparam("b_error")))
_SET_RECEIVER = (update(R).where(R.c.bdoc_id == bindparam("b_id"), R.c.site == bindparam("b_site"))
                 .values(state=bindparam("b_state"), error=bindparam("b_error"),
                         updated_at=bindparam("b_at")))


class BDocChanges:
    """State changes and log lines of many BDocs in one transaction, written in a few
    executemany statements. Each change is checked against the state machine when it is
    made, so an illegal one raises before anything is written."""

    def __init__(self, now: datetime, states: dict[str, BDocState]) -> None:
        self.now = now
        self.states = dict(states)
        self._logs: list[dict[str, Any]] = []
        self._updates: dict[str, dict[str, Any]] = {}

    def log(self, bdoc_id: str, entry: LogEntry, old: BDocState | None = None,
            new: BDocState | None = None) -> None:
        self._logs.append({
            "bdoc_id": bdoc_id, "at": self.now, "service": entry.service[:40],
            "state_from": old or "", "state_to": new or "", "msg_type": entry.msg_type,
            "msg_class": entry.msg_class[:20], "msg_number": entry.msg_number[:3],
            "message": entry.message})

    def change(self, bdoc_id: str, new: BDocState, entry: LogEntry, error: str | None = None
               ) -> BDocState:
        old = self.states[bdoc_id]
        check_transition(old, new)
        self.states[bdoc_id] = new
        update_row = self._updates.setdefault(bdoc_id, {"b_id": bdoc_id, "b_at": self.now})
        update_row["b_state"] = new
        if error is not None:
            update_row["b_error"] = error[:255]
        self.log(bdoc_id, entry, old, new)
        return old

    def flush(self, conn: Connection) -> None:
        plain = [u for u in self._updates.values() if "b_error" not in u]
        with_error = [u for u in self._updates.values() if "b_error" in u]
        if plain:
            conn.execute(_UPDATE_STATE, plain)
        if with_error:
            conn.execute(_UPDATE_STATE_ERROR, with_error)
        if self._logs:
            insert_rows(conn, G, self._logs)
        self._updates.clear()
        self._logs.clear()


def load_many(conn: Connection, bdoc_ids: list[str]) -> dict[str, tuple[dict[str, Any], Any]]:
    """Headers and bodies of several BDocs in one statement: {id: (header, data)}."""
    rows = conn.execute(select(H, B.c.data).join(B, B.c.bdoc_id == H.c.bdoc_id)
                        .where(H.c.bdoc_id.in_(bdoc_ids))).all()
    return {r.bdoc_id: (dict(r._mapping), json.loads(r.data)) for r in rows}


def states_of(conn: Connection, bdoc_ids: list[str]) -> dict[str, BDocState]:
    rows = conn.execute(select(H.c.bdoc_id, H.c.state).where(H.c.bdoc_id.in_(bdoc_ids))).all()
    return {r.bdoc_id: BDocState(r.state) for r in rows}


def receiver_states_of(conn: Connection, bdoc_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {b: [] for b in bdoc_ids}
    for r in conn.execute(select(R.c.bdoc_id, R.c.state).where(R.c.bdoc_id.in_(bdoc_ids))):
        found[r.bdoc_id].append(r.state)
    return found


def replace_receivers(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Receivers of freshly mapped BDocs: any left from an earlier run are replaced."""
    if not rows:
        return
    conn.execute(delete(R).where(R.c.bdoc_id.in_({r["bdoc_id"] for r in rows})))
    insert_rows(conn, R, rows)


def set_receivers(conn: Connection, rows: list[tuple[str, str, str, str]], now: datetime
                  ) -> None:
    """(bdoc_id, site, state, error) for several receivers in one executemany."""
    if rows:
        conn.execute(_SET_RECEIVER, [{"b_id": b, "b_site": s, "b_state": st, "b_error": e,
                                      "b_at": now} for b, s, st, e in rows])
