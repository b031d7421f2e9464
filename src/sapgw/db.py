"""Database access shared by the gateway and the ERP stub: SQLite (WAL) or PostgreSQL.

`write()` opens a transaction that holds the write lock from its first statement
(SQLite `BEGIN IMMEDIATE`), so that a read-then-write never fails on a stale snapshot;
`read()` opens a plain one. On PostgreSQL each system lives in its own schema, so one
URL may serve the gateway and the ERP alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, text
from sqlalchemy.pool import StaticPool

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Database:
    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.schema = schema
        # An in-memory SQLite database lives in one connection that every caller shares, so a
        # read transaction cannot stay open while another part writes.
        path = url.split("///", 1)[1] if "///" in url else ""
        self.single_connection = self.is_sqlite and path in ("", ":memory:")
        self.engine = self._create_engine(url, schema)

    def _create_engine(self, url: str, schema: str | None) -> Engine:
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            memory = path in ("", ":memory:")
            if not memory:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False,
                                                       "timeout": 30}}
            if memory:
                kwargs["poolclass"] = StaticPool
            engine = create_engine(url, **kwargs)
            _sqlite_setup(engine, wal=not memory)
            return engine
        if schema is not None and not _SCHEMA_NAME.match(schema):
            raise ValueError(f"invalid schema name {schema!r}")
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        if schema:
            with engine.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            engine = engine.execution_options(schema_translate_map={None: schema})
        return engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def create_all(self, metadata: MetaData) -> None:
        with self.engine.begin() as conn:
            metadata.create_all(conn)

    def drop_schema(self) -> None:
        """Drop this system's PostgreSQL schema with everything in it (tests)."""
        if self.schema and not self.is_sqlite:
            with self.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_setup(engine: Engine, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_conn.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        # Straight to the driver: this runs for every transaction, and SQLAlchemy's
        # statement machinery would double the cost of a short one.
        conn.connection.driver_connection.execute(f"BEGIN {mode}")
