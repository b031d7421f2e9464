"""INSERTs compiled once per table and run on the driver's cursor.

The hottest statements go through here: the ERP update task's document rows (BKPF, BSEG,
COBK, COEP, ...) and the gateway's BDoc, log and LUW rows. SQLAlchemy's per-execution work
(cache key, parameter processing, result setup) cost more than SQLite's own insert, so the
statement is compiled once per table and dialect, and each row is turned into driver values
with the columns' own bind processors (`Packed` on SQLite included) and their scalar
defaults, exactly as SQLAlchemy would. An autoincrement key is left to the database. Tables
with a non-scalar default, and rows that give the autoincrement key, go the ordinary way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table


@dataclass(frozen=True)
class _Compiled:
    sql: str
    keys: tuple[str, ...]
    defaults: tuple[tuple[str, Any], ...]  # (key, scalar default) per column, in order
    binds: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, processor) where needed
    positional: bool
    generated: str | None  # the autoincrement key the database fills in, if any


# Parameter markers of the DBAPI paramstyles (PEP 249) this module writes itself.
_MARKERS: dict[str, Callable[[str], str]] = {
    "qmark": lambda _name: "?",
    "format": lambda _name: "%s",
    "pyformat": lambda name: f"%({name})s",
    "named": lambda name: f":{name}",
}
_COMPILED: dict[tuple[Table, str, str | None], _Compiled | None] = {}


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT `rows` into `table` in the caller's transaction."""
    compiled = _compiled(table, conn)
    if compiled is None or (compiled.generated and any(compiled.generated in r for r in rows)):
        conn.execute(table.insert(), rows)
        return
    values = [_values(compiled, row) for row in rows]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if len(values) == 1:
            cursor.execute(compiled.sql, values[0])
        else:
            cursor.executemany(compiled.sql, values)
    finally:
        cursor.close()


def _values(compiled: _Compiled, row: dict[str, Any]) -> Any:
    values = [row.get(key, default) for key, default in compiled.defaults]
    for position, bind in compiled.binds:
        values[position] = bind(values[position])
    if compiled.positional:
        return values
    return dict(zip(compiled.keys, values, strict=True))


def _compiled(table: Table, conn: Connection) -> _Compiled | None:
    """The table's INSERT for this connection's dialect and schema; None: not ours to write."""
    dialect = conn.dialect
    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(table.schema,
                                                                                 table.schema)
    cache_key = (table, dialect.name, schema)
    if cache_key not in _COMPILED:
        _COMPILED[cache_key] = _compile(table, conn, schema)
    return _COMPILED[cache_key]


def _compile(table: Table, conn: Connection, schema: str | None) -> _Compiled | None:
    dialect = conn.dialect
    marker = _MARKERS.get(dialect.paramstyle)
    if marker is None:
        return None
    generated = table.autoincrement_column
    columns = [column for column in table.columns if column is not generated]
    defaults, binds = [], []
    for position, column in enumerate(columns):
        default = column.default
        if default is not None and not default.is_scalar:
            return None
        if not column.key.isidentifier():  # a name a named paramstyle cannot carry
            return None
        defaults.append((column.key, default.arg if default is not None else None))
        bind = column.type._cached_bind_processor(dialect)
        if bind is not None:
            binds.append((position, bind))
    quote = dialect.identifier_preparer.quote
    target = f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)
    names = ", ".join(quote(column.name) for column in columns)
    keys = tuple(key for key, _ in defaults)
    markers = ", ".join(marker(key) for key in keys)
    return _Compiled(f"INSERT INTO {target} ({names}) VALUES ({markers})", keys,
                     tuple(defaults), tuple(binds), dialect.paramstyle in ("qmark", "format"),
                     generated.key if generated is not None else None)
