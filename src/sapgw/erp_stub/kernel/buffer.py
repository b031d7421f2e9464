"""SAP's table buffer for customizing tables, synchronised between processes by DDLOG.

Customizing is read on every posting (company code, document type, G/L account, …) and
changed rarely, so each process keeps whole customizing tables in memory, as SAP's
application servers do with "fully buffered" tables (SE13). A committed change of a buffered
table writes a DDLOG row in the same transaction; each process compares the newest DDLOG
number with the one it last saw at the start of every outside call or batch of units and
drops the tables changed since. A closed posting period or a new cost center is therefore
seen by every process.

How stale a buffer may be: by what another process commits between that check and the
call's last read, no more (a call never starts on a buffer older than the last commit before
it). SAP's application servers look at DDLOG only every rdisp/bufreftime seconds (60-120 s
by default) and live with a change reaching the other servers that late; we check per call,
so that a test sees a change made through another process at once. The check is one
SELECT of max(SEQNO) on the primary key: `current` answers from it without a transaction
(`Database.peek`, ~5 µs on SQLite against ~50 µs for a pooled read transaction, issue 15),
and only when the number moved does `sync` read which tables changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, Row, Table, func, select
from sqlmodel import Field

from sapgw.db import fetch
from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, tims
from sapgw.rfc.ddic import INT4


class DDLOG(ErpTable, table=True):
    """Buffer synchronisation: one row per committed change of a buffered table (ours: SAP's
    DDLOG holds the changed keys too; we drop the whole table)."""

    __tablename__ = "DDLOG"
    SEQNO: int | None = Field(default=None, primary_key=True,
                              sa_column_kwargs={"info": {"ddic": INT4}})
    TABNAME: str = char(30)
    DATUM: str = dats()
    UZEIT: str = tims()


_DDLOG: Table = DDLOG.__table__  # type: ignore[attr-defined]
NEWEST = select(func.max(_DDLOG.c.SEQNO))
# Ours: a DDLOG row of this name drops every buffer of every process, number-range buffers
# and caches included (what SAP's /$SYNC does on one application server). A reset or a
# restore of the database writes it, since it changes every table at once.
SYNC = "$SYNC"


def is_buffered(table: Table) -> bool:
    return bool(table.info.get("buffered"))


def table_of(model: Any) -> Table:
    return getattr(model, "__table__", model)  # type: ignore[no-any-return]


class TableBuffer:
    """Whole buffered tables by primary key, loaded on first read."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[tuple[Any, ...], Row[Any]]] = {}
        # Secondary indexes by field names, each tied to the loaded rows it was built from.
        self._indexes: dict[tuple[str, tuple[str, ...]], tuple[Any, dict[Any, list[Any]]]] = {}
        self._seen: int | None = None
        self._lock = threading.Lock()
        # Counts every change of what the buffer holds (a table loaded or dropped): one
        # number for a reader of several tables to see that none of them changed.
        self.generation = 0
        # Called when a $SYNC row is seen: what else the process holds from the database
        # (the number-range buffer, lookup caches) goes too.
        self.on_sync: list[Callable[[], None]] = []

    def current(self, newest: int | None) -> bool:
        """Is the buffer up to date with this newest DDLOG number (`NEWEST`)?"""
        return (newest or 0) == self._seen

    def sync(self, conn: Connection) -> None:
        """Drop the tables that another process (or this one) changed since the last sync."""
        newest = fetch(conn, NEWEST)[0][0] or 0
        if newest == self._seen:
            return
        if self._seen is None:
            changed: Iterable[str] | None = None
        else:
            changed = conn.execute(select(_DDLOG.c.TABNAME).where(
                _DDLOG.c.SEQNO > self._seen)).scalars().all()
        with self._lock:
            held = len(self._tables)
            if changed is None or SYNC in changed:
                self._tables.clear()
            else:
                for name in changed:
                    self._tables.pop(name, None)
            if len(self._tables) != held:
                self.generation += 1
            self._seen = newest
        if changed is not None and SYNC in changed:
            for drop in self.on_sync:
                drop()

    def invalidate(self) -> None:
        with self._lock:
            self._tables.clear()
            self._seen = None
            self.generation += 1

    def index(self, name: str, rows: dict[tuple[Any, ...], Row[Any]],
              fields: tuple[str, ...]) -> dict[tuple[Any, ...], list[Row[Any]]]:
        """`rows` grouped by the values of `fields`, built once per loaded table: a buffered
        read by a partial key (cost centers of a controlling area) stays a dict look-up."""
        cached = self._indexes.get((name, fields))
        if cached is not None and cached[0] is rows:
            return cached[1]
        grouped: dict[tuple[Any, ...], list[Row[Any]]] = {}
        for row in rows.values():
            grouped.setdefault(tuple(getattr(row, f) for f in fields), []).append(row)
        with self._lock:
            self._indexes[(name, fields)] = (rows, grouped)
        return grouped

    def loaded(self, model: Any) -> dict[tuple[Any, ...], Row[Any]] | None:
        """The table's rows if this process holds it, else None (load it with `rows`)."""
        name = getattr(model, "__tablename__", None)  # a model class; else a Table
        return self._tables.get(name if name is not None else model.name)

    def rows(self, conn: Connection, model: Any) -> dict[tuple[Any, ...], Row[Any]]:
        """The table's rows, loaded in the caller's transaction when not held. They are kept
        only if that transaction saw the DDLOG number the buffer was synchronised to: rows
        read on an older snapshot (another thread synchronised past a change meanwhile) or
        with the caller's own uncommitted change would otherwise stay until the table next
        changed."""
        table = table_of(model)
        loaded = self._tables.get(table.name)
        if loaded is None:
            keys = [column.name for column in table.primary_key.columns]
            result = conn.execute(select(table).order_by(*table.primary_key.columns))
            loaded = {tuple(getattr(row, key) for key in keys): row for row in result}
            newest = fetch(conn, NEWEST)[0][0] or 0
            with self._lock:
                if newest == self._seen:
                    self._tables[table.name] = loaded
                    self.generation += 1
        return loaded


def ddlog_rows(tables: Iterable[str], now: Any) -> list[dict[str, Any]]:
    return [{"TABNAME": name, "DATUM": now.strftime("%Y%m%d"), "UZEIT": now.strftime("%H%M%S")}
            for name in sorted(set(tables))]


def write_ddlog(conn: Connection, tables: Iterable[str], now: Any) -> None:
    rows = ddlog_rows(tables, now)
    if rows:
        conn.execute(_DDLOG.insert(), rows)
