"""What a person does in SMW01 and SMQ1/SMQ2: reprocess, discard, set to processed; activate,
lock and unlock queues. Each action is one transaction and leaves a log line.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sapgw.bdoc.states import TRANSITIONS, BDocState
from sapgw.gateway.flow.engine import FlowEngine
from sapgw.gateway.inputs import InvalidInput
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.queues.store import L, Luw, Q, QueueStore
from sapgw.gateway.store.bdocs import BDocStore, LogEntry
from sapgw.types import new_tid


class ActionRefused(Exception):
    """The action does not apply in the object's current state (HTTP 409)."""


class Actions:
    def __init__(self, bdocs: BDocStore, queues: QueueStore, flow: FlowEngine) -> None:
        self.bdocs = bdocs
        self.queues = queues
        self.flow = flow
        self.db = queues.db

    # -- SMW01 ------------------------------------------------------------------------------
    def reprocess(self, bdoc_id: str, user: str = "") -> str:
        """Restart a failed BDoc: activate the queues holding its LUWs, or rerun its flow."""
        with self.db.write() as conn:
            state = self.bdocs.state(conn, bdoc_id)
            if not state.error:
                raise ActionRefused(f"BDoc {bdoc_id} is in state {state} ({state.text}); "
                                    "only BDocs in an error state can be reprocessed")
            luws = self._luws_of(conn, bdoc_id)
            if luws:
                for queue, direction in sorted({(luw.queue, luw.direction) for luw in luws}):
                    self._activate(conn, queue, direction)
                note = f"queue(s) {', '.join(sorted({luw.queue for luw in luws}))} activated"
            elif state in (BDocState.E04, BDocState.E08, BDocState.E01):
                header = self.bdocs.header(conn, bdoc_id)
                bdoc_type = self.flow.types[header["bdoc_type"]]
                queue, waits = self.flow.flow_queue(bdoc_type, self.bdocs.body(conn, bdoc_id))
                self.queues.enqueue(conn, queue=queue, direction="in", kind="FLOW",
                                    tid=new_tid(), calls=[self.flow.flow_call(bdoc_id)],
                                    bdoc_id=bdoc_id, wait_for=waits)
                note = f"flow restarted in queue {queue}"
            else:
                raise ActionRefused(f"BDoc {bdoc_id} has nothing left to reprocess")
            self.bdocs.log(conn, bdoc_id, LogEntry("SMW01", _by(f"Reprocess: {note}", user)))
        return note

    def change_data(self, bdoc_id: str, changes: dict[str, str], user: str = ""
                    ) -> dict[str, tuple[Any, str]]:
        """SMW01's change of an erroneous BDoc's data: set fields (`HEADER.COMP_CODE`,
        `ITEMS.2.AMOUNT` for the second row) of a BDoc in a data error state (E04, E08), so
        that Reprocess runs the flow on the corrected data. Old and new values go to the
        BDoc's log (and the audit log, through `AuditedActions`). Returns {path: (old, new)}."""
        if not changes:
            raise InvalidInput("changes", changes, "give at least one SEGMENT.FIELD=value")
        with self.db.write() as conn:
            state = self.bdocs.state(conn, bdoc_id)
            if state not in DATA_ERRORS:
                raise ActionRefused(
                    f"BDoc {bdoc_id} is in state {state} ({state.text}); its data can be "
                    f"changed only in {', '.join(DATA_ERRORS)} (a data error): in other states "
                    "the data has left for the receivers already")
            data = self.bdocs.body(conn, bdoc_id)
            done = {path.strip().upper(): (set_field(data, path, value), value)
                    for path, value in changes.items()}
            self.bdocs.set_body(conn, bdoc_id, data)
            text = "; ".join(f"{path} {old!r} -> {new!r}" for path, (old, new) in done.items())
            self.bdocs.log(conn, bdoc_id, LogEntry("SMW01", _by(f"Data changed: {text}", user),
                                                   "W"))
        return done

    def discard(self, bdoc_id: str, user: str = "") -> None:
        self._end(bdoc_id, BDocState.F01, "Discarded", user)

    def set_processed(self, bdoc_id: str, user: str = "") -> None:
        self._end(bdoc_id, BDocState.F03, "Set to processed", user)

    def _end(self, bdoc_id: str, new: BDocState, what: str, user: str) -> None:
        with self.db.write() as conn:
            state = self.bdocs.state(conn, bdoc_id)
            if new not in TRANSITIONS[state]:
                raise ActionRefused(f"BDoc {bdoc_id} in state {state} ({state.text}) cannot be "
                                    f"{what.lower()}; only BDocs in an error state can")
            removed = self._luws_of(conn, bdoc_id)
            for luw in removed:
                self.queues.remove(conn, luw)
                self._activate(conn, luw.queue, luw.direction)
                self.queues.drop_if_empty(conn, luw.queue, luw.direction)
            for receiver in self.bdocs.receivers(conn, bdoc_id):
                if receiver["state"] != "CONFIRMED":
                    self.bdocs.set_receiver(conn, bdoc_id, receiver["site"], "DISCARDED")
            note = f"; {len(removed)} LUW(s) deleted from their queues" if removed else ""
            self.bdocs.change_state(conn, bdoc_id, new, LogEntry("SMW01", _by(what + note, user)))

    def _luws_of(self, conn: Connection, bdoc_id: str) -> list[Luw]:
        rows = conn.execute(select(L).where(L.c.bdoc_id == bdoc_id).order_by(L.c.id)).all()
        return [self.queues.luw_of(r) for r in rows]

    # -- SMQ1 / SMQ2 --------------------------------------------------------------------------
    def activate(self, name: str, direction: str) -> None:
        with self.db.write() as conn:
            if not self.queues.status(conn, name, direction):
                raise LookupError(f"queue {name} ({direction}) does not exist")
            self._activate(conn, name, direction)

    def _activate(self, conn: Connection, name: str, direction: str) -> None:
        conn.execute(update(Q).where(Q.c.name == name, Q.c.direction == direction,
                                     Q.c.status != QueueStatus.RUNNING)
                     .values(status=QueueStatus.READY, error="", error_at=None, retries=0,
                             next_retry_at=None, waiting_on="", updated_at=self.queues.now()))

    def lock(self, name: str, direction: str) -> None:
        """Lock (STOP) a queue; a queue that does not exist yet is created locked."""
        with self.db.write() as conn:
            if self.queues.status(conn, name, direction) is None:
                conn.execute(insert(Q).values(name=name, direction=direction,
                                              status=QueueStatus.READY, locked=True,
                                              updated_at=self.queues.now()))
            else:
                conn.execute(update(Q).where(Q.c.name == name, Q.c.direction == direction)
                             .values(locked=True, updated_at=self.queues.now()))

    def unlock(self, name: str, direction: str) -> None:
        with self.db.write() as conn:
            if self.queues.status(conn, name, direction) is None:
                raise LookupError(f"queue {name} ({direction}) does not exist")
            conn.execute(update(Q).where(Q.c.name == name, Q.c.direction == direction)
                         .values(locked=False, updated_at=self.queues.now()))
            self.queues.drop_if_empty(conn, name, direction)

    def delete_luw(self, name: str, direction: str, tid: str) -> None:
        """Delete one LUW (SMQ1 delete entry): later LUWs of the object will overtake it."""
        with self.db.write() as conn:
            row = conn.execute(select(L).where(L.c.queue == name, L.c.direction == direction,
                                               L.c.tid == tid)).first()
            if row is None:
                raise LookupError(f"queue {name} has no LUW {tid}")
            luw = self.queues.luw_of(row)
            conn.execute(delete(L).where(L.c.id == luw.id))
            self.queues.wake_waiting(conn, name, direction)
            if luw.bdoc_id:
                self.bdocs.log(conn, luw.bdoc_id, LogEntry(
                    "SMQ1", f"LUW {tid} deleted from queue {name}", "W"))


# The states whose cause is the BDoc's own data: the flow stopped before anything was sent.
DATA_ERRORS = (BDocState.E04, BDocState.E08)


def field_value(data: dict[str, Any], path: str) -> Any:
    """The value at `SEGMENT.FIELD` or `SEGMENT.ROW.FIELD` (rows from 1); None if unset."""
    holder, field = _holder(data, path)
    return holder.get(field)


def set_field(data: dict[str, Any], path: str, value: str) -> Any:
    """Set a field of a segment (a field missing so far may be added); the old value."""
    holder, field = _holder(data, path)
    old = holder.get(field)
    holder[field] = value
    return old


def _holder(data: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    parts = path.strip().upper().split(".")
    expected = "SEGMENT.FIELD, or SEGMENT.ROW.FIELD for a segment of rows (rows from 1)"
    if len(parts) not in (2, 3) or parts[0] not in data:
        raise InvalidInput("path", path, f"{expected}; segments: {', '.join(data)}")
    segment = data[parts[0]]
    if isinstance(segment, list):
        # One row past the last adds a row (a missing company code, say): ROW = len + 1.
        if len(parts) != 3 or not parts[1].isdigit() or \
                not 1 <= int(parts[1]) <= len(segment) + 1:
            raise InvalidInput("path", path, f"{parts[0]} has rows 1 to {len(segment)} "
                                             f"(row {len(segment) + 1} adds one): "
                                             f"{parts[0]}.ROW.FIELD")
        if int(parts[1]) == len(segment) + 1:
            segment.append({})
        return segment[int(parts[1]) - 1], parts[2]
    if len(parts) != 2 or not isinstance(segment, dict):
        raise InvalidInput("path", path, expected)
    return segment, parts[1]


def _by(text: str, user: str) -> str:
    return f"{text} (by {user})" if user else text
