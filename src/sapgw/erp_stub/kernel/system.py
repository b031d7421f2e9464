"""The ERP system: its applications, database, clock, table buffer, number ranges, tRFC.

A system is built from application declarations (`kernel/application.py`); it names none.

`execute_unit` is the receiver side of exactly-once: it looks the TID up in ARFCRSTATE,
runs the unit's calls, and records the TID in the same database transaction as their
effects. A second delivery of an executed TID is acknowledged without running anything.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, bindparam, delete, select, update

from sapgw.clock import Clock
from sapgw.db import Database, fetch
from sapgw.driver_insert import insert_rows
from sapgw.erp_stub.kernel import messages
from sapgw.erp_stub.kernel.application import Application, check_applications
from sapgw.erp_stub.kernel.buffer import (
    NEWEST,
    TableBuffer,
    is_buffered,
    table_of,
    write_ddlog,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.dataset import DataSet
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.money import TCURC, TCURX, currency_rows
from sapgw.erp_stub.kernel.numbers import NumberRanges, seed_number_ranges
from sapgw.erp_stub.kernel.outbound import ErpOutbound
from sapgw.erp_stub.kernel.registry import FunctionRegistry
from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, tims
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import ABAPRuntimeError
from sapgw.rfc.structures import check_unit_result
from sapgw.types import RfcCall

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.isolation import ErpIsolation


class LookupCache:
    """Rows that never change once they exist (IAOM assignments), keyed by lookup.

    Only committed rows go in: a row read inside an open batch transaction is put in after
    that transaction commits. Bounded: when full it starts again empty.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        self._rows: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: tuple[Any, ...]) -> Any:
        return self._rows.get(key)

    def put(self, key: tuple[Any, ...], row: Any) -> None:
        with self._lock:
            if len(self._rows) >= self.max_entries:
                self._rows.clear()
            self._rows[key] = row

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


class ARFCRSTATE(ErpTable, table=True):
    """Receiver-side tRFC status: one row per executed TID until it is confirmed and reorganised."""

    __tablename__ = "ARFCRSTATE"
    ARFCTID: str = char(24, key=True)
    ARFCSTATE: str = char(8)
    ARFCQNAME: str = char(24)
    ARFCDATUM: str = dats()
    ARFCUZEIT: str = tims()


# Every ERP system object of this process: a reset or a restore drops the buffers of each
# (`drop_all_buffers`), also of those that share the database through another object.
LIVE_SYSTEMS: weakref.WeakSet[ErpSystem] = weakref.WeakSet()


def drop_all_buffers() -> None:
    for system in list(LIVE_SYSTEMS):
        system.drop_buffers()


class ErpSystem:
    def __init__(self, db: Database, applications: Sequence[Application],
                 data: DataSet | None = None, clock: Clock | None = None,
                 logical_system: str = "ERPCLNT100", client: str = "100") -> None:
        check_applications(applications)
        self.db = db
        self.applications = tuple(applications)
        self.data = data or DataSet.load(
            path for app in applications for path in app.data)
        self.clock = clock or Clock()
        self.logical_system = logical_system
        self.client = client
        self.registry = FunctionRegistry(group for app in applications for group in app.groups)
        # Set by whoever runs this system (the gateway's failure injection, docs/FAULTS.md):
        # (function, params, run) -> result, around every CALL FUNCTION between functions
        # of this system (CallContext.call/forward). The kernel knows nothing behind it.
        self.local_call_hook: Callable[[str, dict[str, Any], Callable[[], dict[str, Any]]],
                                       dict[str, Any]] | None = None
        for app in applications:
            messages.register(app.messages)
            for model in app.customizing:
                table_of(model).info["buffered"] = True
        self.buffer = TableBuffer()
        self.numbers = NumberRanges(db, self.buffer)
        self.cache = LookupCache()
        self.outbound = ErpOutbound(db, self.clock)  # SMQ1, SM59 and the QOUT scheduler
        self._confirm_lock = threading.Lock()
        self._confirmations: list[str] = []
        self.buffer.on_sync += [self.numbers.forget, self.cache.clear]
        LIVE_SYSTEMS.add(self)

    def drop_buffers(self) -> None:
        """Forget everything held from the database: the table buffer, the numbers drawn
        ahead (they become gaps), the lookup cache, confirmations not yet written. After a
        reset or a restore nothing read before it may be used again."""
        self.buffer.invalidate()
        self.numbers.forget()
        self.cache.clear()
        with self._confirm_lock:
            self._confirmations.clear()

    @cached_property
    def isolation(self) -> ErpIsolation:
        """Reset, snapshots and restore of this system's database (kernel/isolation.py)."""
        from sapgw.erp_stub.kernel.isolation import ErpIsolation

        return ErpIsolation(self)

    def own_tables(self) -> list[Table]:
        """The kernel's tables and those of this system's applications (each table records
        its owner, `Application`): the ERP's database holds no FARR_* table, the Revenue
        Accounting system's no FI-CA or other ERP table, although one process imports both."""
        own = {app.name for app in self.applications}
        return [table for table in ErpTable.metadata.sorted_tables
                if table.info.get("application") in (None, *own)]

    def create_tables(self) -> None:
        """Create (or upgrade) this system's own tables, then seed the kernel's rows and each
        application's."""
        self.db.create_all(ErpTable.metadata, self.own_tables())
        with self.db.serialized("sapgw-erp-seed"):  # processes starting together seed once
            self.seed_rows(messages.T100, self._t100_rows(), update_existing=True)
            tcurc, tcurx = currency_rows(self.data.table("currencies"))
            self.seed_rows(TCURC, tcurc)
            self.seed_rows(TCURX, tcurx, update_existing=True)
            seed_number_ranges(self, self.data)
            for app in self.applications:
                if app.seed is not None:
                    app.seed(self, self.data)
        self.buffer.invalidate()

    def _t100_rows(self) -> list[dict[str, Any]]:
        rows = messages.t100_rows(messages.KERNEL_MESSAGES)
        for app in self.applications:
            rows += messages.t100_rows(app.messages)
        return rows

    def seed_rows(self, model: Any, rows: list[dict[str, Any]],
                  update_existing: bool = False) -> int:
        """Write rows whose primary key the table lacks (and, with `update_existing`, bring
        the others up to date): how data files reach a new or an older database. Answers how
        many rows were written; a buffered table's change is logged in DDLOG."""
        table = table_of(model)
        keys = [column.name for column in table.primary_key.columns]
        written = 0
        with self.db.write() as conn:
            existing = {tuple(getattr(row, key) for key in keys): row._mapping
                        for row in conn.execute(select(table))}
            new = [row for row in rows if tuple(row[key] for key in keys) not in existing]
            if new:
                conn.execute(table.insert(), new)
                written += len(new)
            for row in rows if update_existing else ():
                key = tuple(row[name] for name in keys)
                old = existing.get(key)
                if old is not None and any(old[k] != v for k, v in row.items()):
                    conn.execute(update(table).where(*(table.c[n] == v for n, v in zip(
                        keys, key, strict=True))).values(**row))
                    written += 1
            if written and is_buffered(table):
                write_ddlog(conn, [table.name], self.clock.now())
        return written

    def preload_buffer(self) -> int:
        """Load every buffered (customizing) table into the table buffer now, as a server
        that starts (`sapgw serve`), so its first call does not pay for the loads (issue 15:
        the first posting took ~18 ms, the later ones ~0.5 ms). Answers how many tables."""
        tables = [table for table in self.own_tables() if is_buffered(table)]
        with self.db.read() as conn:
            self.buffer.sync(conn)
            for table in tables:
                self.buffer.rows(conn, table)
        return len(tables)

    def sync_buffer(self) -> None:
        """Drop buffered tables changed by any process since the last look (DDLOG): the
        newest DDLOG number read on its own (`Database.peek`), a read transaction only when
        it moved."""
        if self.buffer.current(self.db.peek(NEWEST)[0][0]):
            return
        with self.db.read() as conn:
            self.buffer.sync(conn)

    def connect(self) -> LocalConnection:
        return LocalConnection(self)

    # -- synchronous calls -------------------------------------------------------------
    def call(self, function: str, params: dict[str, Any], luw: Luw, in_unit: bool = False,
             checked: bool = False) -> dict[str, Any]:
        """Run a function; `checked` params are already in its interface's internal form."""
        entry = self.registry.get(function)
        values = (entry.interface.complete(dict(params)) if checked
                  else entry.interface.check_call(params))
        try:
            exports = entry.handler(CallContext(self, luw, in_unit), **values) or {}
        except ABAPRuntimeError:
            luw.clear()  # a message of type A/E/X ends the session and its LUW
            raise
        return entry.interface.shape_result(exports)

    def commit(self, luw: Luw) -> None:
        if luw.empty:
            return
        with self.db.write() as conn:
            luw.flush(conn)
        luw.committed()

    # -- tRFC / qRFC units -------------------------------------------------------------
    def execute_unit(self, tid: str, calls: list[RfcCall], queue: str | None = None) -> bool:
        """Run a unit once per TID. True if it ran now, False if it had run before."""
        luw = Luw()
        shared = not self.db.single_connection
        self.sync_buffer()
        with self.db.read() as conn:
            if fetch(conn, _TID_SEEN, {"tid": tid}):
                return False
            if shared:  # the unit's reads share this connection
                self._run_calls(luw, calls, conn)
        if not shared:
            self._run_calls(luw, calls, None)
        with self.db.write() as conn:
            if fetch(conn, _TID_SEEN, {"tid": tid}):
                return False
            self._record(conn, luw, tid, queue)
            self._write_confirmations(conn)
        luw.committed()
        return True

    def execute_units(self, units: list[tuple[str, list[RfcCall], str | None]]
                      ) -> tuple[int, Exception | None]:
        """Run several units in order in ONE transaction, each in a savepoint.

        Answers how many ran (or had run before) and the failure that stopped the batch, if
        any: the units before it stay executed, the failing one leaves no trace. A unit sees
        the writes of the units before it, as it would have after their commits.
        """
        if self.db.single_connection:
            return self._execute_one_by_one(units)
        done, failure = 0, None
        tids = [tid for tid, _, _ in units]
        committed: list[Luw] = []
        executed: list[dict[str, str]] = []
        try:
            with self.db.write() as conn:
                self.buffer.sync(conn)  # the DDLOG check in this transaction, not one more
                seen = {tid for tid in set(tids) if fetch(conn, _TID_SEEN, {"tid": tid})}
                for tid, calls, queue in units:
                    if tid not in seen:
                        _savepoint(conn, "SAVEPOINT sapgw_unit")
                        luw = Luw()
                        luw.writer = conn
                        try:
                            self._run_calls(luw, calls, conn)
                            luw.flush(conn)
                            _savepoint(conn, "RELEASE SAVEPOINT sapgw_unit")
                            committed.append(luw)
                            executed.append(self._tid_row(tid, queue))
                            seen.add(tid)  # the same TID later in the batch: executed once
                        except Exception as exc:  # the unit's own failure ends the batch
                            _savepoint(conn, "ROLLBACK TO SAVEPOINT sapgw_unit")
                            _savepoint(conn, "RELEASE SAVEPOINT sapgw_unit")
                            self.numbers.forget()
                            self.buffer.invalidate()  # it may hold rows read from the unit
                            failure = exc
                            break
                    done += 1
                if executed:  # compiled once, on the driver (driver_insert)
                    insert_rows(conn, _ARFC, executed)
                self._write_confirmations(conn)
        except Exception:
            self.numbers.forget()
            self.buffer.invalidate()
            raise
        for luw in committed:
            luw.committed()
            for key, row in luw.cache_after_commit:
                self.cache.put(key, row)
        return done, failure

    def _execute_one_by_one(self, units: list[tuple[str, list[RfcCall], str | None]]
                            ) -> tuple[int, Exception | None]:
        for done, (tid, calls, queue) in enumerate(units):
            try:
                self.execute_unit(tid, calls, queue)
            except Exception as exc:  # reported to the caller with the count before it
                return done, exc
        return len(units), None

    def _record(self, conn: Connection, luw: Luw, tid: str, queue: str | None) -> None:
        """The unit's writes and its TID, in the caller's transaction."""
        luw.flush(conn)
        insert_rows(conn, _ARFC, [self._tid_row(tid, queue)])

    def _tid_row(self, tid: str, queue: str | None) -> dict[str, str]:
        """ARFCRSTATE's record of an executed unit: its TID is never executed again."""
        now = self.clock.now()
        return {"ARFCTID": tid, "ARFCSTATE": "EXECUTED", "ARFCQNAME": (queue or "")[:24],
                "ARFCDATUM": now.strftime("%Y%m%d"), "ARFCUZEIT": now.strftime("%H%M%S")}

    def _run_calls(self, luw: Luw, calls: list[RfcCall], reader: Connection | None) -> None:
        luw.reader = reader
        try:
            for call in calls:
                result = self.call(call.function, call.params, luw, in_unit=True)
                check_unit_result(call.function, result)
        finally:
            luw.reader = None

    def confirm_unit(self, tid: str) -> None:
        """ARFC_DEST_CONFIRM: the sender committed; the TID may be forgotten.

        Recorded lazily, with the next unit's transaction or `flush_confirmations` (the
        reorganisation job calls it): an unconfirmed TID is only kept a little longer.
        """
        with self._confirm_lock:
            self._confirmations.append(tid)

    def flush_confirmations(self) -> None:
        with self.db.write() as conn:
            self._write_confirmations(conn)

    def _write_confirmations(self, conn: Connection) -> None:
        with self._confirm_lock:
            tids, self._confirmations = self._confirmations, []
        if tids:
            conn.execute(_TID_CONFIRM, [{"tid": tid} for tid in tids])

    def reorganize_tids(self, before: datetime) -> int:
        """RSTRFCEU-like: delete confirmed TIDs recorded before `before`."""
        table = ARFCRSTATE.__table__  # type: ignore[attr-defined]
        with self.db.write() as conn:
            self._write_confirmations(conn)
            result = conn.execute(delete(table).where(
                table.c.ARFCSTATE == "CONFIRMD",
                table.c.ARFCDATUM < before.strftime("%Y%m%d")))
        return result.rowcount or 0


def _savepoint(conn: Connection, sql: str) -> None:
    """A plain SQL savepoint statement: on SQLite straight to the driver, since SQLAlchemy's
    nested transactions, and even its exec_driver_sql, cost more than the unit's inserts."""
    if conn.dialect.name == "sqlite":
        conn.connection.driver_connection.execute(sql)  # type: ignore[union-attr]
    else:
        conn.exec_driver_sql(sql)


_ARFC = ARFCRSTATE.__table__  # type: ignore[attr-defined]
_TID_SEEN = select(_ARFC.c.ARFCTID).where(_ARFC.c.ARFCTID == bindparam("tid"))
_TID_CONFIRM = (_ARFC.update().where(_ARFC.c.ARFCTID == bindparam("tid"))
                .values(ARFCSTATE="CONFIRMD"))


class LocalConnection(RfcConnection):
    """An in-process connection: one session with its own LUW, like one pyrfc Connection."""

    def __init__(self, system: ErpSystem) -> None:
        self.system = system
        self.luw = Luw()

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        self.system.sync_buffer()
        return self.system.call(function, params, self.luw)

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> None:
        self.system.execute_unit(tid, calls, queue)

    def _confirm(self, tid: str) -> None:
        self.system.confirm_unit(tid)

    def submit_units(self, units: list[tuple[str, list[RfcCall], str | None]]
                     ) -> tuple[int, Exception | None]:
        return self.system.execute_units(units)

    def close(self) -> None:
        self.luw.clear()
        super().close()
