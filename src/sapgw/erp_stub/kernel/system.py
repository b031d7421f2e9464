"""The ERP system: registry, database, clock, customizing, number ranges, tRFC execution.

`execute_unit` is the receiver side of exactly-once: it looks the TID up in ARFCRSTATE,
runs the unit's calls, and records the TID in the same database transaction as their
effects. A second delivery of an executed TID is acknowledged without running anything.
"""

from __future__ import annotations

import importlib
import threading
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.customizing import Customizing
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.numbers import NumberRanges
from sapgw.erp_stub.kernel.outbound import ErpOutbound
from sapgw.erp_stub.kernel.registry import FunctionRegistry
from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, tims
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import ABAPRuntimeError
from sapgw.rfc.structures import check_unit_result
from sapgw.types import RfcCall

# Modules with a `group` of functions; each application owns its tables and functions.
APPLICATIONS = [
    "sapgw.erp_stub.basis.connection",
    "sapgw.erp_stub.basis.read_table",
    "sapgw.erp_stub.basis.qrfc_api",
    "sapgw.erp_stub.fi.document",
    "sapgw.erp_stub.co.functions",
    "sapgw.erp_stub.ps.functions",
    "sapgw.erp_stub.iaom.functions",
    "sapgw.erp_stub.funds.accounting",
    "sapgw.erp_stub.funds.accrual",
    "sapgw.erp_stub.masterdata.functions",
    "sapgw.erp_stub.masterdata.customer_bapi",
    "sapgw.erp_stub.mm.functions",
]
# Modules whose tables belong to the ERP database (imported so create_tables sees them);
# a module's `seed(system)`, if it has one, then writes its demo rows from the customizing.
TABLE_MODULES = [
    "sapgw.erp_stub.fi.tables",
    "sapgw.erp_stub.ps.tables",
    "sapgw.erp_stub.co.tables",
    "sapgw.erp_stub.iaom.tables",
    "sapgw.erp_stub.masterdata.tables",
    "sapgw.erp_stub.masterdata.crm_delta",
    "sapgw.erp_stub.mm.tables",
]


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


class ARFCRSTATE(ErpTable, table=True):
    """Receiver-side tRFC status: one row per executed TID until it is confirmed and reorganised."""

    __tablename__ = "ARFCRSTATE"
    ARFCTID: str = char(24, key=True)
    ARFCSTATE: str = char(8)
    ARFCQNAME: str = char(24)
    ARFCDATUM: str = dats()
    ARFCUZEIT: str = tims()


class ErpSystem:
    def __init__(self, db: Database, customizing: Customizing | None = None,
                 clock: Clock | None = None, logical_system: str = "ERPCLNT100",
                 client: str = "100") -> None:
        self.db = db
        self.customizing = customizing or Customizing.load()
        self.clock = clock or Clock()
        self.logical_system = logical_system
        self.client = client
        self.registry = FunctionRegistry(
            importlib.import_module(name).group for name in APPLICATIONS)
        self.numbers = NumberRanges(db, self.customizing)
        self.cache = LookupCache()
        self.outbound = ErpOutbound(db, self.clock)  # SMQ1, SM59 and the QOUT scheduler
        self._confirm_lock = threading.Lock()
        self._confirmations: list[str] = []

    def create_tables(self) -> None:
        modules = [importlib.import_module(name) for name in TABLE_MODULES]
        self.db.create_all(ErpTable.metadata)
        for module in modules:
            if hasattr(module, "seed"):
                module.seed(self)

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
        with self.db.read() as conn:
            if conn.execute(_TID_SEEN, {"tid": tid}).first():
                return False
            if shared:  # the unit's reads share this connection
                self._run_calls(luw, calls, conn)
        if not shared:
            self._run_calls(luw, calls, None)
        with self.db.write() as conn:
            if conn.execute(_TID_SEEN, {"tid": tid}).first():
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
                seen = {row.ARFCTID for row in conn.execute(_TIDS_SEEN, {"tids": tids})}
                for tid, calls, queue in units:
                    if tid not in seen:
                        # Plain SQL savepoints: SQLAlchemy's nested transactions cost more
                        # than the unit's inserts.
                        conn.exec_driver_sql("SAVEPOINT sapgw_unit")
                        luw = Luw()
                        luw.writer = conn
                        try:
                            self._run_calls(luw, calls, conn)
                            luw.flush(conn)
                            conn.exec_driver_sql("RELEASE SAVEPOINT sapgw_unit")
                            committed.append(luw)
                            executed.append(self._tid_row(tid, queue))
                        except Exception as exc:  # the unit's own failure ends the batch
                            conn.exec_driver_sql("ROLLBACK TO SAVEPOINT sapgw_unit")
                            conn.exec_driver_sql("RELEASE SAVEPOINT sapgw_unit")
                            self.numbers.forget()
                            failure = exc
                            break
                    done += 1
                if executed:
                    conn.execute(_TID_INSERT, executed)
                self._write_confirmations(conn)
        except Exception:
            self.numbers.forget()
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
        conn.execute(_TID_INSERT, self._tid_row(tid, queue))

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


_ARFC = ARFCRSTATE.__table__  # type: ignore[attr-defined]
_TID_SEEN = select(_ARFC.c.ARFCTID).where(_ARFC.c.ARFCTID == bindparam("tid"))
_TIDS_SEEN = select(_ARFC.c.ARFCTID).where(_ARFC.c.ARFCTID.in_(bindparam("tids",
                                                                          expanding=True)))
_TID_INSERT = _ARFC.insert()
_TID_CONFIRM = (_ARFC.update().where(_ARFC.c.ARFCTID == bindparam("tid"))
                .values(ARFCSTATE="CONFIRMD"))


class LocalConnection(RfcConnection):
    """An in-process connection: one session with its own LUW, like one pyrfc Connection."""

    def __init__(self, system: ErpSystem) -> None:
        self.system = system
        self.luw = Luw()

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
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


def create_system(db_url: str, schema: str | None = None, customizing_dir: Any = None,
                  clock: Clock | None = None, logical_system: str = "ERPCLNT100") -> ErpSystem:
    """Build the ERP system a `type = local` destination loads, with its tables created."""
    system = ErpSystem(Database(db_url, schema), Customizing.load(customizing_dir), clock,
                       logical_system)
    system.create_tables()
    return system
