"""Number ranges (SNRO/NRIV): every document number is drawn from an interval.

A draw commits on its own, before the LUW that uses it, as SAP's number range buffer does:
a rolled-back LUW leaves a gap, never a duplicate. `buffer` numbers are drawn per database
round trip and handed out from memory (SAP's main-memory buffering).
"""

from __future__ import annotations

import threading

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sapgw.db import Database
from sapgw.erp_stub.kernel.customizing import Customizing
from sapgw.erp_stub.kernel.tables import ErpTable, char, numc
from sapgw.rfc.errors import ABAPApplicationError


class NRIV(ErpTable, table=True):
    """Number range intervals with their current level."""

    __tablename__ = "NRIV"
    OBJECT: str = char(10, key=True)
    SUBOBJECT: str = char(6, key=True)
    NRRANGENR: str = char(2, key=True)
    TOYEAR: str = numc(4, key=True)
    FROMNUMBER: str = char(20)
    TONUMBER: str = char(20)
    NRLEVEL: str = char(20)


class NumberRangeError(ABAPApplicationError):
    """The interval does not exist or is exhausted (NR 751/752)."""


class NumberRanges:
    def __init__(self, db: Database, customizing: Customizing) -> None:
        self.db = db
        self.customizing = customizing
        self._lock = threading.Lock()
        self._buffers: dict[tuple[str, str, str, str], list[int]] = {}

    def next(self, obj: str, subobject: str = "", nrrange: str = "01", year: int | str = 0,
             conn: Connection | None = None) -> str:
        """The next number of the interval, as a string of the interval's width.

        `conn`: draw on this open transaction (a batch of tRFC units holds the write lock)
        instead of a short transaction of its own. The buffer lock is never held while the
        database is asked, so two threads cannot wait on each other.
        """
        key = (obj, subobject, nrrange, f"{int(year):04d}")
        width = len(self._interval(obj, nrrange)[0])
        while True:
            with self._lock:
                buffer = self._buffers.get(key)
                if buffer:
                    return f"{buffer.pop(0):0{width}d}"
            drawn = self._draw(*key, conn=conn)
            with self._lock:
                buffer = self._buffers.setdefault(key, [])
                buffer.extend(drawn)
                buffer.sort()

    def forget(self) -> None:
        """Drop every buffered number (after a rollback that may have undone a draw): the
        dropped numbers become gaps, none is ever handed out twice."""
        with self._lock:
            self._buffers.clear()

    def _interval(self, obj: str, nrrange: str) -> tuple[str, str]:
        spec = self.customizing.entry("number_ranges", obj)
        if spec is None or nrrange not in spec.get("intervals", {}):
            raise NumberRangeError(f"Number range interval for object {obj} ({nrrange}) does "
                                   "not exist", 5, "INTERVAL_NOT_FOUND", "NR", "E", "752",
                                   obj, nrrange)
        low, high = spec["intervals"][nrrange]
        return low, high

    def _draw(self, obj: str, subobject: str, nrrange: str, year: str,
              conn: Connection | None = None) -> list[int]:
        if conn is None:
            with self.db.write() as own:
                return self._draw_in(own, obj, subobject, nrrange, year)
        return self._draw_in(conn, obj, subobject, nrrange, year)

    def _draw_in(self, conn: Connection, obj: str, subobject: str, nrrange: str, year: str
                 ) -> list[int]:
        low, high = self._interval(obj, nrrange)
        size = int((self.customizing.entry("number_ranges", obj) or {}).get("buffer", 1))
        keys = (NRIV.OBJECT == obj, NRIV.SUBOBJECT == subobject,  # type: ignore[arg-type]
                NRIV.NRRANGENR == nrrange, NRIV.TOYEAR == year)  # type: ignore[arg-type]
        table = NRIV.__table__  # type: ignore[attr-defined]
        query = select(table.c.NRLEVEL).where(*keys)
        if not self.db.is_sqlite:
            query = query.with_for_update()
        level = conn.execute(query).scalar()
        if level is None:
            # First use of the interval: create its row; if another process just did, keep
            # theirs (ON CONFLICT DO NOTHING) and read it again under the lock.
            dialect_insert = sqlite_insert if self.db.is_sqlite else pg_insert
            conn.execute(dialect_insert(table).values(
                OBJECT=obj, SUBOBJECT=subobject, NRRANGENR=nrrange, TOYEAR=year,
                FROMNUMBER=low, TONUMBER=high, NRLEVEL=str(int(low) - 1)
            ).on_conflict_do_nothing())
            level = conn.execute(query).scalar()
        first = int(level) + 1
        last = min(first + size - 1, int(high))
        if first > int(high):
            raise NumberRangeError(
                f"Number range interval {nrrange} {year} of object {obj} is exhausted",
                5, "INTERVAL_OVERFLOW", "NR", "E", "751", nrrange, year, obj)
        conn.execute(update(table).where(*keys).values(NRLEVEL=str(last)))
        return list(range(first, last + 1))


class BoundNumbers:
    """Number ranges as a function sees them: drawn on its unit's transaction when it has one."""

    def __init__(self, ranges: NumberRanges, conn: Connection | None) -> None:
        self.ranges = ranges
        self.conn = conn

    def next(self, obj: str, subobject: str = "", nrrange: str = "01", year: int | str = 0
             ) -> str:
        return self.ranges.next(obj, subobject, nrrange, year, conn=self.conn)
