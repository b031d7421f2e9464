"""The LUW: work of one RFC session, pending until commit (ABAP's update task).

Application functions validate and read at once but only *register* their writes here;
`BAPI_TRANSACTION_COMMIT` (or the end of a tRFC/qRFC unit) writes them all in one database
transaction, `BAPI_TRANSACTION_ROLLBACK` forgets them. A document is all or nothing.
Calls IN BACKGROUND TASK (`kernel.outbound`) are written last, in the same transaction, and
their sender is told after the commit (`committed`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, and_, delete, update

from sapgw.driver_insert import insert_rows
from sapgw.erp_stub.kernel.buffer import is_buffered, table_of, write_ddlog

if TYPE_CHECKING:
    from sapgw.types import RfcCall

Task = Callable[[Connection], None]


class Luw:
    def __init__(self) -> None:
        self._steps: list[tuple[Table, list[dict[str, Any]]] | Task] = []
        # While a tRFC unit runs, its reads share one connection.
        self.reader: Connection | None = None
        # In a batch of units, the batch's write transaction: numbers are drawn on it.
        self.writer: Connection | None = None
        # Lookups read inside an open batch transaction: cached once it has committed.
        self.cache_after_commit: list[tuple[tuple[Any, ...], Any]] = []
        # Buffered (customizing) tables written: a DDLOG row each at commit.
        self.buffered_changes: set[str] = set()
        # Calls IN BACKGROUND TASK per (destination, queue): one unit each (kernel.outbound).
        self.background: dict[tuple[str, str], list[RfcCall]] = {}
        self._final: list[Task] = []
        # ABAP memory of the LUW: what one function leaves for a later one of the same LUW
        # before the commit writes it (an order created and not yet committed), by owner.
        self.memory: dict[str, dict[Any, Any]] = {}
        # Run once the LUW's transaction has committed (wake the QOUT scheduler).
        self.after_commit: list[Callable[[], None]] = []
        self._committing: list[Callable[[], None]] = []

    def insert(self, table: Table | type, rows: dict[str, Any] | list[dict[str, Any]]) -> None:
        """Register rows to insert into an ERP table (a model class or a Table)."""
        target = table_of(table)
        self._touch(target)
        batch = [rows] if isinstance(rows, dict) else list(rows)
        last = self._steps[-1] if self._steps else None
        if isinstance(last, tuple) and last[0] is target:
            last[1].extend(batch)
        else:
            self._steps.append((target, batch))

    def task(self, task: Task) -> None:
        """Register any other write to run at commit (it must not touch a buffered table:
        use `update`/`delete`, which the buffer synchronisation sees)."""
        self._steps.append(task)

    def update(self, table: Table | type, key: dict[str, Any], values: dict[str, Any]) -> None:
        """Register an UPDATE of the row(s) matching `key` (field -> value)."""
        target = table_of(table)
        self._touch(target)
        statement = update(target).where(_matches(target, key)).values(**values)
        self._steps.append(lambda conn: conn.execute(statement))

    def delete(self, table: Table | type, key: dict[str, Any]) -> None:
        """Register a DELETE of the row(s) matching `key` (field -> value)."""
        target = table_of(table)
        self._touch(target)
        statement = delete(target).where(_matches(target, key))
        self._steps.append(lambda conn: conn.execute(statement))

    def _touch(self, table: Table) -> None:
        if is_buffered(table):
            self.buffered_changes.add(table.name)

    def finally_task(self, task: Task) -> None:
        """Register a write that runs after every other one of the LUW (its qRFC units)."""
        self._final.append(task)

    @property
    def empty(self) -> bool:
        return not self._steps and not self._final

    def flush(self, conn: Connection) -> None:
        """Run every registered write on `conn`, inside the caller's transaction.

        The LUW is empty afterwards whatever happens: a failed commit loses its work, as a
        failed update task does, and is never replayed by a later commit.
        """
        steps, self._steps = self._steps, []
        changed, self.buffered_changes = self.buffered_changes, set()
        final, self._final = self._final, []
        self._committing, self.after_commit = self.after_commit, []
        self.memory = {}
        try:
            for step in steps:
                if isinstance(step, tuple):
                    table, rows = step
                    insert_rows(conn, table, rows)
                else:
                    step(conn)
            for task in final:
                task(conn)
            write_ddlog(conn, changed, datetime.now(UTC))
        finally:
            self.background.clear()

    def committed(self) -> None:
        """The transaction of the last `flush` committed: run what waited for it."""
        hooks, self._committing = self._committing, []
        for hook in hooks:
            hook()

    def clear(self) -> None:
        self.memory.clear()
        self._steps.clear()
        self._final.clear()
        self.background.clear()
        self.after_commit.clear()
        self.buffered_changes.clear()


def _matches(table: Table, key: dict[str, Any]) -> Any:
    return and_(*(table.c[name] == value for name, value in key.items()))
