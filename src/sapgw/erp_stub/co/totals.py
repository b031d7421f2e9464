"""Keeping COSP/COSS equal to the sum of the COEP line items, in the LUW that writes them.

Every CO document adds its lines to the totals at commit, in the same database transaction
as COBK/COEP: a line without partner object (postings from FI, MM and SD, VRGNG COIN) to COSP,
a line with one (allocations, repostings, settlement) to COSS. The lines of a document are
summed per totals key and period first; each is then one INSERT … ON CONFLICT DO UPDATE that
adds to the period's columns, so two LUWs committing at once both count (SQLite and
PostgreSQL both have the statement; SAP's update task does the same with its own locks).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, select

from sapgw.erp_stub.co.totals_tables import (
    COSP,
    COSP_KEY,
    COSS,
    COSS_KEY,
    PERIOD_BLOCK,
    PERIODS,
    VALUE_FIELDS,
    VALUE_PREFIXES,
    value_field,
)
from sapgw.erp_stub.kernel.context import CallContext

_COSP: Table = COSP.__table__  # type: ignore[attr-defined]
_COSS: Table = COSS.__table__  # type: ignore[attr-defined]
_ZERO = Decimal(0)
ACTUAL, ACTUAL_VERSION, SETTLEMENT = "04", "000", "KOAO"


def table_for(coep: dict[str, Any]) -> Table:
    """COSS for a line with a partner object (an internal posting), else COSP."""
    return _COSS if coep["PAROB"] else _COSP


def register(ctx: CallContext, coep_rows: list[dict[str, Any]]) -> None:
    """Add the COEP rows of one document to COSP/COSS when the LUW commits."""
    rows = {_COSP: _summed(coep_rows, _COSP, COSP_KEY),
            _COSS: _summed(coep_rows, _COSS, COSS_KEY)}
    if any(rows.values()):
        ctx.task(lambda conn: _upsert(conn, rows))


def _summed(coep_rows: Iterable[dict[str, Any]], table: Table, key: tuple[str, ...]
            ) -> dict[int, list[dict[str, Any]]]:
    """{period: totals rows}: one row per key and period, the lines' values summed under
    the value prefixes (WTG, WOG, WKG, MEG)."""
    totals: dict[tuple[Any, ...], dict[str, Any]] = {}
    for coep in coep_rows:
        if table_for(coep) is not table:
            continue
        fields = {**coep, "PERBL": PERIOD_BLOCK, "HRKFT": coep.get("HRKFT", ""),
                  "VBUND": "", "PARGB": "", "USPOB": coep.get("USPOB", "")}
        period = int(coep["PERIO"])
        row = totals.setdefault((period, *(fields[name] for name in key)), {
            **{name: fields[name] for name in key}, "MEINH": coep.get("MEINH", ""),
            **dict.fromkeys(VALUE_PREFIXES, _ZERO)})
        for prefix, source in _SOURCES:
            row[prefix] += coep.get(source) or _ZERO
    by_period: dict[int, list[dict[str, Any]]] = {}
    for (period, *_), row in totals.items():
        by_period.setdefault(period, []).append(row)
    return by_period


_SOURCES = (("WTG", "WTGBTR"), ("WOG", "WOGBTR"), ("WKG", "WKGBTR"), ("MEG", "MEGBTR"))


def _upsert(conn: Connection, rows: dict[Table, dict[int, list[dict[str, Any]]]]) -> None:
    """On the driver's cursor, as `driver_insert` does: SQLAlchemy's exec_driver_sql still
    cost ~40 µs per posting around a statement that is plain SQL with converted values."""
    cursor = None
    try:
        for table, by_period in rows.items():
            bind = {prefix: table.c[value_field(prefix, 1)].type for prefix in VALUE_PREFIXES}
            for period, batch in by_period.items():
                sql = _statement(table, conn, period)
                values = [{**row, **{
                    prefix: bind[prefix].process_bind_param(row[prefix], conn.dialect)
                    for prefix in VALUE_PREFIXES}} for row in batch]
                if cursor is None:
                    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                if len(values) == 1:
                    cursor.execute(sql, values[0])
                else:
                    cursor.executemany(sql, values)
    finally:
        if cursor is not None:
            cursor.close()


_STATEMENTS: dict[tuple[str, str, str | None, int], str] = {}


def _statement(table: Table, conn: Connection, period: int) -> str:
    """INSERT … ON CONFLICT (key) DO UPDATE SET WKGnnn = WKGnnn + excluded.WKGnnn … for the
    period's four value columns, the other periods' columns 0; written once per table,
    dialect and period. Plain SQL: SQLAlchemy's construct with 64 bound value columns per
    row cost more than the rest of an FI posting (values are bound already converted). The
    system's schema (PostgreSQL) is written into it, as SQLAlchemy's schema map would, and it
    runs on the driver with the driver's named parameters (:name for sqlite3, %(name)s for
    psycopg): through SQLAlchemy's text() it still cost ~140 µs per posting."""
    dialect = conn.dialect
    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(
        table.schema, table.schema)
    cache_key = (table.name, dialect.name, schema, period)
    cached = _STATEMENTS.get(cache_key)
    if cached is not None:
        return cached
    quote = dialect.identifier_preparer.quote
    keys = [column.name for column in table.primary_key.columns]
    current = {value_field(prefix, period): prefix for prefix in VALUE_PREFIXES}
    columns = [*keys, "MEINH", *VALUE_FIELDS]
    mark = "%({})s" if dialect.name == "postgresql" else ":{}"
    values = [*(mark.format(name) for name in (*keys, "MEINH")),
              *(mark.format(current[name]) if name in current else "0"
                for name in VALUE_FIELDS)]
    name = quote(table.name)
    added = ", ".join(f"{quote(c)} = {name}.{quote(c)} + excluded.{quote(c)}" for c in current)
    target = f"{quote(schema)}.{name}" if schema else name
    sql = (f"INSERT INTO {target} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(values)}) "
           f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {added}")
    _STATEMENTS[cache_key] = sql
    return sql


def totals(ctx: CallContext, objnr: str, gjahr: str) -> list[dict[str, Any]]:
    """The committed COSP and COSS rows of one object and year, each with its table's name
    under `TABLE` (COSP first), in key order."""
    found: list[dict[str, Any]] = []
    with ctx.read() as conn:
        for name, table in (("COSP", _COSP), ("COSS", _COSS)):
            query = select(table).where(table.c.OBJNR == objnr, table.c.GJAHR == gjahr)
            found += [{"TABLE": name, **row} for row in conn.execute(
                query.order_by(*table.primary_key.columns)).mappings()]
    return found


def by_cost_element_and_period(rows: Iterable[dict[str, Any]], prefix: str = "WKG"
                               ) -> dict[tuple[str, int], Decimal]:
    """{(KSTAR, period): value} of totals rows, zero periods left out (KO03's view)."""
    summed: dict[tuple[str, int], Decimal] = {}
    for row in rows:
        for period in PERIODS:
            value = row[value_field(prefix, period)]
            if value:
                key = (row["KSTAR"], period)
                summed[key] = summed.get(key, _ZERO) + value
    return {key: value for key, value in summed.items() if value}


def actual_balance(ctx: CallContext, objnr: str, from_year: int, gjahr: int, period: int
                   ) -> dict[str, Decimal]:
    """{cost element: cumulative actual value} of the object (value type 04, version 000,
    controlling area currency) from `from_year` through (gjahr, period), settlement postings
    (VRGNG KOAO) left out: what results analysis and settlement count as an order's costs
    and revenues."""
    summed: dict[str, Decimal] = {}
    for year in range(from_year, gjahr + 1):
        for row in totals(ctx, objnr, f"{year:04d}"):
            if row["WRTTP"] != ACTUAL or row["VERSN"] != ACTUAL_VERSION \
                    or row["VRGNG"] == SETTLEMENT:
                continue
            last = period if year == gjahr else PERIODS[-1]
            value = sum((row[value_field("WKG", p)] or _ZERO for p in range(1, last + 1)),
                        _ZERO)
            summed[row["KSTAR"]] = summed.get(row["KSTAR"], _ZERO) + value
    return summed
