"""Number ranges (SNRO: TNRO objects, NRIV intervals): every document number is drawn from one.

A draw commits on its own, before the LUW that uses it, as SAP's number range buffer does:
a rolled-back LUW leaves a gap, never a duplicate. TNRO-NOIVBUFFER numbers are drawn per
database round trip and handed out from memory (SAP's main-memory buffering); TNRO is a
buffered table, so a draw asks the database for NRIV only.

The data set's `number_ranges` are written to TNRO/TNROT and to NRIV rows with blank
SUBOBJECT and TOYEAR 0000. An object numbered per subobject (company code, controlling area)
or per fiscal year gets the NRIV row of that subobject and year on its first draw, copied
from that interval (what FBN1's copy and OBH2 do in SAP); its level then moves on its own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sapgw.db import Database
from sapgw.erp_stub.kernel.buffer import TableBuffer
from sapgw.erp_stub.kernel.messages import LANGUAGE
from sapgw.erp_stub.kernel.tables import ErpTable, char, numc
from sapgw.rfc.errors import ABAPApplicationError

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

ALL_YEARS = "0000"


class TNRO(ErpTable, table=True):
    """Number range objects (SNRO): subobject, year dependence, buffering."""

    __tablename__ = "TNRO"
    __table_args__: ClassVar[dict[str, Any]] = {"info": {"buffered": True}}
    OBJECT: str = char(10, key=True)
    DTELSOBJ: str = char(30)             # data element of the subobject (BUKRS, KOKRS)
    YEARIND: str = char(1)               # X: intervals per fiscal year
    DOMLEN: str = char(30)               # domain of the number length (ours: CHAR<n>)
    BUFFER: str = char(1)                # X: main-memory buffering
    NOIVBUFFER: str = numc(8)            # numbers in the buffer


class TNROT(ErpTable, table=True):
    """Number range object texts."""

    __tablename__ = "TNROT"
    LANGU: str = char(1, key=True)
    OBJECT: str = char(10, key=True)
    TXT: str = char(60)
    TXTSHORT: str = char(20)


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
    EXTERNIND: str = char(1)             # X: external numbers (not drawn here)


@dataclass(frozen=True)
class Interval:
    low: str
    high: str
    external: bool

    def contains(self, number: str) -> bool:
        return number.isdigit() and int(self.low) <= int(number) <= int(self.high)


class NumberRangeError(ABAPApplicationError):
    """The interval does not exist or is exhausted (NR 751/752)."""


def seed_number_ranges(system: ErpSystem, data: DataSet) -> None:
    """TNRO, TNROT and the NRIV intervals of the data set's `number_ranges` (missing rows)."""
    objects = data.table("number_ranges")
    tnro, tnrot, nriv = [], [], []
    for obj, spec in objects.items():
        intervals: dict[str, list[str]] = spec.get("intervals", {})
        width = max((len(low) for low, _ in intervals.values()), default=10)
        size = int(spec.get("buffer", 1))
        tnro.append({"OBJECT": obj, "DTELSOBJ": spec.get("subobject", ""),
                     "YEARIND": "X" if spec.get("year_dependent") else "",
                     "DOMLEN": f"CHAR{width}", "BUFFER": "X" if size > 1 else "",
                     "NOIVBUFFER": f"{size:08d}"})
        text = spec.get("text", "")
        tnrot.append({"LANGU": LANGUAGE, "OBJECT": obj, "TXT": text[:60],
                      "TXTSHORT": text[:20]})
        nriv += [{"OBJECT": obj, "SUBOBJECT": "", "NRRANGENR": nr, "TOYEAR": ALL_YEARS,
                  "FROMNUMBER": low, "TONUMBER": high, "NRLEVEL": str(int(low) - 1),
                  "EXTERNIND": "X" if nr in spec.get("external", ()) else ""}
                 for nr, (low, high) in intervals.items()]
    system.seed_rows(TNRO, tnro)
    system.seed_rows(TNROT, tnrot)
    system.seed_rows(NRIV, nriv)


class NumberRanges:
    def __init__(self, db: Database, buffer: TableBuffer) -> None:
        self.db = db
        self.buffer = buffer
        self._lock = threading.Lock()
        self._buffers: dict[tuple[str, str, str, str], list[int]] = {}
        self._widths: dict[tuple[str, str, str, str], int] = {}

    def next(self, obj: str, subobject: str = "", nrrange: str = "01", year: int | str = 0,
             conn: Connection | None = None) -> str:
        """The next number of the interval, as a string of the interval's width.

        `conn`: draw on this open transaction (a batch of tRFC units holds the write lock)
        instead of a short transaction of its own. The buffer lock is never held while the
        database is asked, so two threads cannot wait on each other.
        """
        key = (obj, subobject, nrrange, f"{int(year):04d}")
        while True:
            with self._lock:
                buffer = self._buffers.get(key)
                if buffer:
                    return f"{buffer.pop(0):0{self._widths[key]}d}"
            drawn, width = self._draw(*key, conn=conn)
            with self._lock:
                self._widths[key] = width
                buffer = self._buffers.setdefault(key, [])
                buffer.extend(drawn)
                buffer.sort()

    def interval(self, obj: str, nrrange: str, subobject: str = "", year: int | str = 0,
                 conn: Connection | None = None) -> Interval | None:
        """The NRIV interval (for an external number check), or None when it does not exist.
        A subobject or year without its own row yet answers the object's interval."""
        keys = [(subobject, f"{int(year):04d}"), ("", ALL_YEARS)]
        query = select(_NRIV.c.FROMNUMBER, _NRIV.c.TONUMBER, _NRIV.c.EXTERNIND)
        if conn is None:
            with self.db.read() as own:
                return self.interval(obj, nrrange, subobject, year, own)
        for sub, toyear in keys:
            row = conn.execute(query.where(*_keys(obj, sub, nrrange, toyear))).first()
            if row is not None:
                return Interval(row.FROMNUMBER, row.TONUMBER, row.EXTERNIND == "X")
        return None

    def forget(self) -> None:
        """Drop every buffered number (after a rollback that may have undone a draw): the
        dropped numbers become gaps, none is ever handed out twice."""
        with self._lock:
            self._buffers.clear()

    def _draw(self, obj: str, subobject: str, nrrange: str, year: str,
              conn: Connection | None = None) -> tuple[list[int], int]:
        if conn is None:
            with self.db.write() as own:
                return self._draw_in(own, obj, subobject, nrrange, year)
        return self._draw_in(conn, obj, subobject, nrrange, year)

    def _buffer_size(self, conn: Connection, obj: str) -> int:
        row: Any = self.buffer.rows(conn, TNRO).get((obj,))
        if row is None or row.BUFFER != "X":
            return 1
        return max(1, int(row.NOIVBUFFER or 1))

    def _draw_in(self, conn: Connection, obj: str, subobject: str, nrrange: str, year: str
                 ) -> tuple[list[int], int]:
        size = self._buffer_size(conn, obj)
        query = _LEVEL.where(*_keys(obj, subobject, nrrange, year))
        if not self.db.is_sqlite:
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            row = self._first_use(conn, query, obj, subobject, nrrange, year)
        level, low, high = row
        first = int(level) + 1
        last = min(first + size - 1, int(high))
        if first > int(high):
            raise NumberRangeError(
                f"Number range interval {nrrange} {year} of object {obj} is exhausted",
                5, "INTERVAL_OVERFLOW", "NR", "E", "751", nrrange, year, obj)
        conn.execute(update(_NRIV).where(*_keys(obj, subobject, nrrange, year))
                     .values(NRLEVEL=str(last)))
        return list(range(first, last + 1)), len(low)

    def _first_use(self, conn: Connection, query: Any, obj: str, subobject: str,
                   nrrange: str, year: str) -> Any:
        """The interval's row for this subobject and year, copied from the object's interval
        (blank subobject, TOYEAR 0000); if another process just did, keep theirs (ON CONFLICT
        DO NOTHING) and read it again under the lock."""
        interval = conn.execute(_LEVEL.where(*_keys(obj, "", nrrange, ALL_YEARS))).first()
        if interval is None:
            raise NumberRangeError(f"Number range interval for object {obj} ({nrrange}) does "
                                   "not exist", 5, "INTERVAL_NOT_FOUND", "NR", "E", "752",
                                   obj, nrrange)
        _, low, high = interval
        dialect_insert = sqlite_insert if self.db.is_sqlite else pg_insert
        conn.execute(dialect_insert(_NRIV).values(
            OBJECT=obj, SUBOBJECT=subobject, NRRANGENR=nrrange, TOYEAR=year,
            FROMNUMBER=low, TONUMBER=high, NRLEVEL=str(int(low) - 1), EXTERNIND=""
        ).on_conflict_do_nothing())
        return conn.execute(query).first()


_NRIV = NRIV.__table__  # type: ignore[attr-defined]
_LEVEL = select(_NRIV.c.NRLEVEL, _NRIV.c.FROMNUMBER, _NRIV.c.TONUMBER)


def _keys(obj: str, subobject: str, nrrange: str, year: str) -> tuple[Any, ...]:
    return (_NRIV.c.OBJECT == obj, _NRIV.c.SUBOBJECT == subobject,
            _NRIV.c.NRRANGENR == nrrange, _NRIV.c.TOYEAR == year)


class BoundNumbers:
    """Number ranges as a function sees them: drawn on its unit's transaction when it has one."""

    def __init__(self, ranges: NumberRanges, conn: Connection | None) -> None:
        self.ranges = ranges
        self.conn = conn

    def next(self, obj: str, subobject: str = "", nrrange: str = "01", year: int | str = 0
             ) -> str:
        return self.ranges.next(obj, subobject, nrrange, year, conn=self.conn)

    def interval(self, obj: str, nrrange: str, subobject: str = "", year: int | str = 0
                 ) -> Interval | None:
        return self.ranges.interval(obj, nrrange, subobject, year, conn=self.conn)
