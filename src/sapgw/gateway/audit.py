"""The audit log: who did which action to which object, when, and its state before and after.

Every SMW01 and SMQ1/SMQ2 action of a page or of REST goes through `AuditedActions`: it
reads the object's state, runs the action of `gateway.actions`, reads the state again and
writes one `audit_log` row, also when the action was refused (with the reason), so an
attempt leaves a trace as well as a change. The row is written after the action's own
transaction: a crash in between loses the row, never the action.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Index, insert, select
from sqlmodel import Field

from sapgw.gateway.actions import field_value
from sapgw.gateway.monitor import queries
from sapgw.gateway.store.tables import GatewayTable

if TYPE_CHECKING:  # runtime may import this module to create its table with the others
    from sapgw.gateway.runtime import Gateway

BDOC_ACTIONS = ("reprocess", "discard", "set-processed")
QUEUE_ACTIONS = ("activate", "lock", "unlock", "reprocess")
T = TypeVar("T")


class AuditEntry(GatewayTable, table=True):
    """One action: `before`/`after` are JSON snapshots; `outcome` is empty when it was done."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    user_name: str = Field(max_length=64)
    action: str = Field(max_length=20)
    object_type: str = Field(max_length=10)  # BDOC, QUEUE or LUW
    object_id: str = Field(max_length=80)
    before: str = Field(default="null")
    after: str = Field(default="null")
    outcome: str = Field(default="")
    schema_version: int = 1


A = AuditEntry.__table__  # type: ignore[attr-defined]


class AuditedActions:
    """The actions of `gateway.actions`, each written to the audit log under a user name."""

    def __init__(self, gateway: Gateway) -> None:
        self.gw = gateway
        # Gateway creates the tables it imported; this one is created here in case the
        # gateway was built before this module was imported.
        with gateway.db.engine.begin() as conn:
            A.create(conn, checkfirst=True)

    def bdoc(self, user: str, action: str, bdoc_id: str) -> str:
        """reprocess, discard (F01) or set-processed (F03); the action's note."""
        actions = self.gw.actions
        handlers: dict[str, Callable[[str, str], str | None]] = {
            "reprocess": actions.reprocess, "discard": actions.discard,
            "set-processed": actions.set_processed}
        if action not in handlers:
            raise LookupError(f"unknown action {action!r}; use one of {', '.join(handlers)}")
        note = self._audited(user, action, "BDOC", bdoc_id, lambda: self._bdoc_state(bdoc_id),
                             lambda: handlers[action](bdoc_id, user))
        return note or ""

    def change_data(self, user: str, bdoc_id: str, changes: dict[str, str]
                    ) -> dict[str, tuple[Any, str]]:
        """SMW01's data change of an erroneous BDoc (admin): before and after hold the state
        and the changed fields' old and new values."""
        changes = {path.strip().upper(): value for path, value in changes.items()}

        def values() -> dict[str, Any] | None:
            state = self._bdoc_state(bdoc_id)
            if state is None:
                return None
            with self.gw.db.read() as conn:
                data = self.gw.bdocs.body(conn, bdoc_id)
            shown = {}
            for path in changes:
                try:
                    shown[path] = field_value(data, path)
                except ValueError:
                    shown[path] = None
            return {"state": state["state"], "data": shown}

        return self._audited(user, "change-data", "BDOC", bdoc_id, values,
                             lambda: self.gw.actions.change_data(bdoc_id, changes, user))

    def queue(self, user: str, action: str, name: str, direction: str) -> None:
        """activate, lock (STOP), unlock or reprocess a queue.

        Reprocess restarts a blocked queue (SYSFAIL, CPICERR, WAITING) from its first LUW
        now, as SMQ1's activation does; a locked queue stays locked."""
        actions = self.gw.actions
        handlers: dict[str, Callable[[str, str], None]] = {
            "activate": actions.activate, "lock": actions.lock, "unlock": actions.unlock,
            "reprocess": actions.activate}
        if action not in handlers:
            raise LookupError(f"unknown action {action!r}; use one of {', '.join(handlers)}")
        self._audited(user, action, "QUEUE", f"{name} ({direction})",
                      lambda: self._queue_state(name, direction),
                      lambda: handlers[action](name, direction))

    def erp_queue(self, user: str, action: str, name: str, run: Callable[[], Any],
                  state: Callable[[], Any]) -> None:
        """An action on one of the ERP's outbound queues (its SMQ1), done over RFC by `run`."""
        self._audited(user, action, "ERP_QUEUE", f"{name} (ERP out)", state, run)

    def delete_luw(self, user: str, name: str, direction: str, tid: str) -> None:
        self._audited(user, "delete-luw", "LUW", f"{name} ({direction}) {tid}",
                      lambda: self._luw_state(name, direction, tid),
                      lambda: self.gw.actions.delete_luw(name, direction, tid))

    def system(self, user: str, action: str, object_id: str, run: Callable[[], T]) -> T:
        """An action on the whole system (reset, snapshot, restore: docs/ISOLATION.md)."""
        return self._audited(user, action, "SYSTEM", object_id, lambda: None, run)

    def entries(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest `limit` rows, newest first."""
        query = select(A).order_by(A.c.at.desc(), A.c.id.desc()).limit(limit)
        with self.gw.db.read() as conn:
            rows = conn.execute(query).mappings().all()
        return [{"id": r["id"], "at": _iso(r["at"]), "user": r["user_name"],
                 "action": r["action"], "object_type": r["object_type"],
                 "object_id": r["object_id"], "before": json.loads(r["before"]),
                 "after": json.loads(r["after"]), "outcome": r["outcome"]} for r in rows]

    # -- internals ---------------------------------------------------------------------------
    def _audited(self, user: str, action: str, object_type: str, object_id: str,
                 state: Callable[[], Any], run: Callable[[], T]) -> T:
        before = state()
        try:
            result = run()
        except Exception as exc:
            self._write(user, action, object_type, object_id, before, before,
                        f"refused: {exc}")
            raise
        self._write(user, action, object_type, object_id, before, state(), "")
        return result

    def _write(self, user: str, action: str, object_type: str, object_id: str, before: Any,
               after: Any, outcome: str) -> None:
        with self.gw.db.write() as conn:
            conn.execute(insert(A).values(
                at=self.gw.clock.now(), user_name=user[:64], action=action,
                object_type=object_type, object_id=object_id[:80],
                before=json.dumps(before, default=str), after=json.dumps(after, default=str),
                outcome=outcome))

    def _bdoc_state(self, bdoc_id: str) -> dict[str, Any] | None:
        try:
            b = queries.bdoc_detail(self.gw.db, bdoc_id)
        except LookupError:
            return None
        return {"state": b["state"], "error": b["error"],
                "receivers": {r["site"]: r["state"] for r in b["receivers"]}}

    def _queue_state(self, name: str, direction: str) -> dict[str, Any] | None:
        q = queries.queue_detail(self.gw.db, name, direction)
        if q is None:
            return None
        return {"status": q["status"], "entries": q["entries"], "error": q.get("error", "")}

    def _luw_state(self, name: str, direction: str, tid: str) -> dict[str, Any] | None:
        q = queries.queue_detail(self.gw.db, name, direction)
        luw = next((u for u in (q or {}).get("luws", []) if u["tid"] == tid), None)
        if luw is None:
            return None
        return {"seq": luw["seq"], "bdoc_id": luw["bdoc_id"],
                "functions": [call[0] for call in luw["calls"]]}


def _iso(value: datetime) -> str:
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
