"""Keeping COSP/COSS equal to the sum of the COEP line items, in the LUW that writes them.

Every CO document adds its lines to the totals at commit, in the same database transaction
as COBK/COEP: a line without partner object (postings from FI, MM and SD, VRGNG COIN) to COSP,
a line with one (allocations, repostings, settlement) to COSS. The lines of a document are
summed per totals key first; each key is then one INSERT … ON CONFLICT DO UPDATE that adds
to the period's columns, so two LUWs committing at once both count (SQLite and PostgreSQL
both have the statement; SAP's update task does the same with its own locks).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from sapgw.erp_stub.co.totals_tables import (
    COSP,
    COSP_KEY,
    COSS,
    COSS_KEY,
    PERIOD_BLOCK,
    PERIODS,
    VALUE_FIELDS,
    value_field,
)
from sapgw.erp_stub.kernel.context import CallContext

_COSP: Table = COSP.__table__  # type: ignore[attr-defined]
_COSS: Table = COSS.__table__  # type: ignore[attr-defined]
_ZERO = Decimal(0)


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
            ) -> list[dict[str, Any]]:
    """One totals row per key: each line's values in its period's columns, summed."""
    totals: dict[tuple[str, ...], dict[str, Any]] = {}
    for coep in coep_rows:
        if table_for(coep) is not table:
            continue
        fields = {**coep, "PERBL": PERIOD_BLOCK, "HRKFT": coep.get("HRKFT", ""),
                  "VBUND": "", "PARGB": "", "USPOB": coep.get("USPOB", "")}
        row = totals.setdefault(tuple(fields[name] for name in key), {
            **{name: fields[name] for name in key}, "MEINH": coep.get("MEINH", ""),
            **dict.fromkeys(VALUE_FIELDS, _ZERO)})
        period = int(coep["PERIO"])
        for prefix, source in (("WTG", "WTGBTR"), ("WOG", "WOGBTR"), ("WKG", "WKGBTR"),
                               ("MEG", "MEGBTR")):
            row[value_field(prefix, period)] += coep.get(source) or _ZERO
    return list(totals.values())


def _upsert(conn: Connection, rows: dict[Table, list[dict[str, Any]]]) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    for table, batch in rows.items():
        if not batch:
            continue
        statement = dialect.insert(table)
        added = {name: table.c[name] + statement.excluded[name] for name in VALUE_FIELDS}
        conn.execute(statement.on_conflict_do_update(
            index_elements=list(table.primary_key.columns), set_=added), batch)


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
