"""The LUW: work of one RFC session, pending until commit (ABAP's update task).

Application functions validate and read at once but only *register* their writes here;
`BAPI_TRANSACTION_COMMIT` (or the end of a tRFC/qRFC unit) writes them all in one database
transaction, `BAPI_TRANSACTION_ROLLBACK` forgets them. A document is all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table

from sapgw.driver_insert import insert_rows

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

    def insert(self, table: Table | type, rows: dict[str, Any] | list[dict[str, Any]]) -> None:
        """Register rows to insert into an ERP table (a model class or a Table)."""
        target: Table = getattr(table, "__table__", table)  # type: ignore[assignment]
        batch = [rows] if isinstance(rows, dict) else list(rows)
        last = self._steps[-1] if self._steps else None
        if isinstance(last, tuple) and last[0] is target:
            last[1].extend(batch)
        else:
            self._steps.append((target, batch))

    def task(self, task: Task) -> None:
        """Register any other write (an update, a delete) to run at commit."""
        self._steps.append(task)

    @property
    def empty(self) -> bool:
        return not self._steps

    def flush(self, conn: Connection) -> None:
        """Run every registered write on `conn`, inside the caller's transaction.

        The LUW is empty afterwards whatever happens: a failed commit loses its work, as a
        failed update task does, and is never replayed by a later commit.
        """
        steps, self._steps = self._steps, []
        for step in steps:
            if isinstance(step, tuple):
                table, rows = step
                insert_rows(conn, table, rows)
            else:
                step(conn)

    def clear(self) -> None:
        self._steps.clear()
