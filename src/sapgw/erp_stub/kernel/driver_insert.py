"""INSERTs compiled once per table and run on the driver's cursor.

The update task writes every document's rows (BKPF, BSEG, COBK, COEP, ...) through here: it is
the ERP stub's hottest statement. SQLAlchemy's per-execution work (cache key, parameter
processing, result setup) cost more than SQLite's own insert, so the statement is compiled
once per table and dialect, and each row is turned into driver values with the columns' own
bind processors (`Packed` on SQLite included) and their scalar defaults, exactly as
SQLAlchemy would. Tables with a non-scalar default go the ordinary way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table

_MISSING = object()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    columns: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]  # key, default, bind
    positional: bool


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
    if compiled is None:
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
    converted = []
    for key, default, bind in compiled.columns:
        value = row.get(key, _MISSING)
        if value is _MISSING:
            value = default
        converted.append(bind(value) if bind is not None else value)
    if compiled.positional:
        return tuple(converted)
    return {key: value for (key, _, _), value in zip(compiled.columns, converted, strict=True)}


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
    columns = []
    for column in table.columns:
        default = column.default
        if default is not None and not default.is_scalar:
            return None
        if not column.key.isidentifier():  # a name a named paramstyle cannot carry
            return None
        columns.append((column.key, default.arg if default is not None else None,
                        column.type._cached_bind_processor(dialect)))
    quote = dialect.identifier_preparer.quote
    target = f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)
    names = ", ".join(quote(column.name) for column in table.columns)
    markers = ", ".join(marker(key) for key, _, _ in columns)
    return _Compiled(f"INSERT INTO {target} ({names}) VALUES ({markers})", tuple(columns),
                     dialect.paramstyle in ("qmark", "format"))
