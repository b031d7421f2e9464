"""Statements compiled once per dialect and schema and run on the driver's cursor, as
`driver_insert` does for INSERTs.

For short statements run on every call, unit or IDoc (the EDIDOC number range draw, an
IDoc status UPDATE or read, a unit's TID look-up, the table buffer's DDLOG number)
SQLAlchemy's work around each execution (cache key, parameter processing, result setup)
cost more than the database's own (issue 15: ~35 µs a statement on SQLite). The statement
is still written with SQLAlchemy, once; values are bound with the columns' own bind
processors (a datetime on SQLite as SQLAlchemy stores it), the statement's literal values
(`OBJECT = 'EDIDOC'`) come from its compiled form, and the system's schema (PostgreSQL) is
rendered into it as SQLAlchemy's schema map would. Rows come back as the driver's tuples,
without result processing: only for columns that need none (strings, integers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.expression import ClauseElement


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # parameter names in order (qmark/format), None: by name
    literals: dict[str, Any]  # values written in the statement itself
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]  # (name, bind processor)


class DriverStatement:
    """One SQLAlchemy statement, executed on the driver's cursor in the caller's transaction."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, str | None], _Compiled] = {}

    def execute(self, conn: Connection, params: dict[str, Any] | None = None
                ) -> list[tuple[Any, ...]]:
        """Run it with `params` (by bind name); the rows it answers (none for a plain UPDATE)."""
        schema_map = conn.get_execution_options().get("schema_translate_map")
        return self.execute_on(conn.connection.driver_connection, conn.dialect, params,
                               schema_map)

    def execute_on(self, driver: Any, dialect: Dialect, params: dict[str, Any] | None = None,
                   schema_map: dict[Any, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run it on a driver connection of `dialect` that no SQLAlchemy Connection wraps
        (`Database.peek`'s), or the one under `execute`'s."""
        compiled = self._for(dialect, schema_map or {})
        values = {**compiled.literals, **(params or {})}
        for name, process in compiled.binds:
            values[name] = process(values[name])
        args: Any = values if compiled.order is None else [values[n] for n in compiled.order]
        cursor = driver.cursor()
        try:
            cursor.execute(compiled.sql, args)
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            cursor.close()

    def _for(self, dialect: Dialect, schema_map: dict[Any, Any]) -> _Compiled:
        key = (dialect.name, schema_map.get(None))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(dialect, schema_map)
        return compiled

    def _compile(self, dialect: Dialect, schema_map: dict[Any, Any]) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect, schema_translate_map=schema_map,
                                          render_schema_translate=bool(schema_map))
        binds = []
        for name, bind in compiled.binds.items():
            process = bind.type._cached_bind_processor(dialect)
            if process is not None:
                binds.append((name, process))
        literals = {name: value for name, value in compiled.params.items() if value is not None}
        order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        return _Compiled(str(compiled), order, literals, tuple(binds))
