"""What a function handler sees: the system's services and the LUW of its caller's session."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row

from sapgw.erp_stub.kernel.buffer import table_of
from sapgw.erp_stub.kernel.luw import Luw, Task
from sapgw.erp_stub.kernel.numbers import BoundNumbers
from sapgw.erp_stub.kernel.outbound import Build

if TYPE_CHECKING:
    from sapgw.clock import Clock
    from sapgw.erp_stub.kernel.system import ErpSystem


class CallContext:
    def __init__(self, system: ErpSystem, luw: Luw, in_unit: bool = False) -> None:
        self.system = system
        self.luw = luw
        self.in_unit = in_unit

    @property
    def clock(self) -> Clock:
        return self.system.clock

    @property
    def numbers(self) -> BoundNumbers:
        return BoundNumbers(self.system.numbers, self.luw.writer)

    @property
    def logical_system(self) -> str:
        return self.system.logical_system

    def call(self, function: str, **params: Any) -> dict[str, Any]:
        """Call another function of this system in the same LUW (CALL FUNCTION)."""
        hook = self.system.local_call_hook
        if hook is not None:
            return hook(function, params,
                        lambda: self.system.call(function, params, self.luw, self.in_unit))
        return self.system.call(function, params, self.luw, self.in_unit)

    def forward(self, function: str, **values: Any) -> dict[str, Any]:
        """CALL FUNCTION with the caller's own parameters, already checked by an interface
        of the same types: passed as they are, as ABAP passes typed data to a local call."""
        hook = self.system.local_call_hook
        if hook is not None:
            return hook(function, values, lambda: self.system.call(
                function, values, self.luw, self.in_unit, checked=True))
        return self.system.call(function, values, self.luw, self.in_unit, checked=True)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reads: the unit's shared one inside a tRFC unit, else a fresh one."""
        if self.luw.reader is not None:
            yield self.luw.reader
            return
        with self.system.db.read() as conn:
            yield conn

    def buffered(self, model: Any) -> Buffered:
        """A customizing table as this process's table buffer holds it (SAP's buffered read)."""
        return Buffered(self, model)

    def insert(self, table: Any, rows: dict[str, Any] | list[dict[str, Any]]) -> None:
        self.luw.insert(table, rows)

    def update(self, table: Any, key: dict[str, Any], values: dict[str, Any]) -> None:
        self.luw.update(table, key, values)

    def delete(self, table: Any, key: dict[str, Any]) -> None:
        self.luw.delete(table, key)

    def task(self, task: Task) -> None:
        self.luw.task(task)

    def call_in_background_task(self, function: str, *, destination: str, queue: str,
                                build: Build | None = None, **params: Any) -> None:
        """CALL FUNCTION ... IN BACKGROUND TASK DESTINATION, queue set by TRFC_SET_QUEUE_NAME:
        sent as a qRFC unit after this LUW commits (`kernel.outbound`)."""
        self.system.outbound.call_in_background_task(self.luw, function, destination, queue,
                                                     params, build)

    def commit(self) -> None:
        """COMMIT WORK: inside a tRFC unit the unit's end commits, so this waits for it."""
        if not self.in_unit:
            self.system.commit(self.luw)

    def rollback(self) -> None:
        self.luw.clear()


class Buffered:
    """Reads of one buffered table: by full primary key, or all rows in key order."""

    __slots__ = ("ctx", "model")

    def __init__(self, ctx: CallContext, model: Any) -> None:
        self.ctx = ctx
        self.model = model

    def _rows(self) -> dict[tuple[Any, ...], Row[Any]]:
        buffer = self.ctx.system.buffer
        loaded = buffer.loaded(self.model)
        if loaded is not None:  # a dictionary look-up, no connection needed
            return loaded
        with self.ctx.read() as conn:
            return buffer.rows(conn, self.model)

    def get(self, *key: Any) -> Row[Any] | None:
        return self._rows().get(key)

    def rows(self) -> Mapping[tuple[Any, ...], Row[Any]]:
        """The whole table by primary key, as buffered: the same object until it is dropped,
        so a caller may keep values derived from it while `rows()` stays identical."""
        return self._rows()

    def all(self) -> list[Row[Any]]:
        return list(self._rows().values())

    def where(self, **fields: Any) -> list[Row[Any]]:
        """The rows whose fields have these values, in key order (an index, built once)."""
        rows = self._rows()
        index = self.ctx.system.buffer.index(table_of(self.model).name, rows, tuple(fields))
        return list(index.get(tuple(fields.values()), ()))
