"""Database access shared by the gateway and the ERP stub: SQLite (WAL) or PostgreSQL.

`write()` opens a transaction that holds the write lock from its first statement
(SQLite `BEGIN IMMEDIATE`), so that a read-then-write never fails on a stale snapshot;
`read()` opens a plain one. On a SQLite file both run on a Connection the Database keeps
between transactions, with BEGIN and COMMIT sent to the driver (`_transaction`). On
PostgreSQL each system lives in its own schema, so one URL may serve the gateway and the
ERP alike.

Storage errors that go away by themselves (SQLite "database is locked", a dropped PostgreSQL
connection, a serialization failure or deadlock) are retried at the boundary of a whole
transaction: `write_retrying(work)` or `@retry_storage()` run it again from its start, a
bounded number of times with exponential back-off, then raise `StorageUnavailable`. Each try
commits completely or not at all, so a failure never leaves half a message behind.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    create_engine,
    event,
    inspect,
    literal,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import Select

from sapgw.driver_statement import DriverStatement

log = logging.getLogger("sapgw.db")
T = TypeVar("T")
P = ParamSpec("P")
_sleep = time.sleep  # tests replace it to count the back-off without waiting

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
        self._writer = (_writer_lock(path) if self.is_sqlite and not self.single_connection
                        else None)
        self._path = path
        self._peeker: sqlite3.Connection | None = None
        self._peek_lock = threading.Lock()
        # A SQLite file's idle transaction connections (`_transaction`); `dispose` empties
        # the list and moves the generation, so one in use then is closed when it ends.
        self._kept: list[_Kept] = []
        self._kept_lock = threading.Lock()
        self._generation = 0
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
            else:  # the connections `_transaction` keeps idle are checked out of the pool
                kwargs["max_overflow"] = _POOL_OVERFLOW + _KEPT_IDLE
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
        """A write transaction: committed on success, rolled back on any exception.

        On a SQLite file the threads of this process queue for the write lock on a Python
        lock first (`_writer_lock`): SQLite's own busy handler makes a waiting BEGIN
        IMMEDIATE sleep 1, 2, 5, 10 ... ms between tries, so with four threads writing most
        of the time went to sleeping (issue 15: 4 client threads were slower than 1).
        Other processes still meet at SQLite's lock.
        """
        if self._writer is None:  # PostgreSQL, or SQLite in memory
            with self._write() as conn:
                yield conn
            return
        queued = self._writer.acquire(timeout=_WRITER_WAIT)
        try:
            with self._transaction("BEGIN IMMEDIATE") as conn:
                yield conn
        finally:
            if queued:
                self._writer.release()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    def write_retrying(self, work: Callable[[Connection], T],
                       policy: RetryPolicy | None = None) -> T:
        """`work(conn)` in a write transaction, run again from the start on a transient error."""
        def once() -> T:
            with self.write() as conn:
                return work(conn)

        return retrying(once, policy or DEFAULT_RETRY)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        if self._writer is not None:  # a SQLite file
            with self._transaction("BEGIN") as conn:
                yield conn
            return
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Connection]:
        """A transaction on a SQLite file: `begin` and COMMIT (ROLLBACK on any exception)
        sent to the driver, on a Connection kept between transactions.

        SQLAlchemy's pool checkout and return, its transaction objects and their events made
        an empty write cost ~28 µs of CPU and a read ~19 (issue 15: three writes per posted
        IDoc, one or more per unit); here ~9 and ~4.5, of which SQLite's BEGIN IMMEDIATE and
        COMMIT alone ~4.7. Pragmas are set once per driver connection, when it is made
        (`_sqlite_setup`), not per transaction. The Connection is
        a real one: statements through SQLAlchemy begin its transaction object inside ours
        (`_sqlite_setup`'s begin listener sends no second BEGIN) and it commits or rolls back
        the same driver transaction. What each commit holds is what the work wrote, as
        before. A connection that failed to end its transaction is dropped, not kept.
        """
        with self._kept_lock:
            kept = self._kept.pop() if self._kept else None
            generation = self._generation
        if kept is None:
            conn = self.engine.connect().execution_options(**{_KEPT_OPTION: True})
            kept = _Kept(conn, conn.connection.driver_connection,  # type: ignore[arg-type]
                         conn.get_execution_options())
        conn, driver = kept.conn, kept.driver
        try:
            driver.execute(begin)
        except BaseException:
            self._give_back(kept, generation)
            raise
        try:
            yield conn
        except BaseException:
            self._end(kept, generation, commit=False)
            raise
        self._end(kept, generation, commit=True)

    def _end(self, kept: _Kept, generation: int, commit: bool) -> None:
        """COMMIT or ROLLBACK the kept connection's transaction, whoever began its
        SQLAlchemy side; a connection that cannot end it cleanly is closed, not kept."""
        try:
            if commit:
                _commit(kept)
            else:
                _rollback(kept)
        except BaseException:
            try:
                _rollback(kept)
            except Exception:
                log.debug("rollback after a failed end of transaction failed", exc_info=True)
            kept.conn.invalidate()
            kept.conn.close()
            raise
        self._give_back(kept, generation)

    def _give_back(self, kept: _Kept, generation: int) -> None:
        """Keep an ended transaction's connection for the next, unless it is no longer
        like a fresh one (invalidated, its options changed, a dispose since) or enough are
        kept already: then it goes back to the pool."""
        conn = kept.conn
        fresh = (not conn.invalidated and conn.get_execution_options() is kept.options
                 and not kept.driver.in_transaction)
        with self._kept_lock:
            if fresh and generation == self._generation and len(self._kept) < _KEPT_IDLE:
                self._kept.append(kept)
                return
        conn.close()

    def peek(self, statement: Select[Any], params: dict[str, Any] | None = None) -> list[Any]:
        """The rows of one SELECT read on its own, outside any transaction of the caller's.

        For checks made before every call, such as the table buffer's DDLOG number: on a
        SQLite file it runs on a driver connection kept for it, in autocommit (each read sees
        the last commit of every process, as a fresh read transaction would), compiled once
        (`driver_statement`); a pooled connection with its BEGIN and COMMIT cost ten times
        SQLite's read (issue 15). Elsewhere it is a read transaction of its own.
        """
        if not self._peekable:
            with self.read() as conn:
                return list(conn.execute(statement, params or {}))
        driver_statement = _driver_statement(statement)
        with self._peek_lock:
            return driver_statement.execute_on(self._peek_connection(), self.engine.dialect,
                                               params)

    def data_version(self) -> int | None:
        """SQLite's change counter of the file (`PRAGMA data_version`) on the peek connection,
        which never writes: it moves at every commit of any other connection or process.
        None where it is not tracked (PostgreSQL, in memory, a URL with options)."""
        if not self._peekable:
            return None
        with self._peek_lock:
            return int(self._peek_connection().execute("PRAGMA data_version").fetchone()[0])

    @property
    def _peekable(self) -> bool:
        return self.is_sqlite and not self.single_connection and "?" not in self._path

    def _peek_connection(self) -> sqlite3.Connection:
        """The driver connection `peek` and `data_version` read on (under `_peek_lock`),
        in autocommit; `dispose` closes it."""
        if self._peeker is None:
            self._peeker = sqlite3.connect(self._path, timeout=30, isolation_level=None,
                                           check_same_thread=False)
        return self._peeker

    @contextmanager
    def serialized(self, name: str) -> Iterator[None]:
        """Run a check-then-write that spans transactions one process at a time.

        On PostgreSQL a session advisory lock named `name` is held throughout, so processes
        starting at once (e.g. seeding defaults into empty tables) take turns and each sees
        what the one before committed. SQLite's BEGIN IMMEDIATE already serialises writers.
        """
        if self.is_sqlite:
            yield
            return
        with self.engine.connect() as conn:
            key = {"name": f"{name}-{self.schema or 'public'}"}
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:name))"), key)
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:name))"), key)
                conn.commit()

    def create_all(self, metadata: MetaData, tables: list[Table] | None = None) -> None:
        """Create the tables that do not exist yet and add the columns (and their indexes)
        that tables made by an older release lack (`add_missing_columns`); `tables`: only
        these of `metadata` (a system's own). On PostgreSQL,
        processes starting at once (several `sapgw worker`) take turns through an advisory
        lock, so none trips over a table another is creating or altering."""
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                             {"name": f"sapgw-ddl-{self.schema or 'public'}"})
            metadata.create_all(conn, tables=tables)
            add_missing_columns(conn, metadata, None if self.is_sqlite else self.schema,
                                tables)

    def drop_schema(self) -> None:
        """Drop this system's PostgreSQL schema with everything in it (tests)."""
        if self.schema and not self.is_sqlite:
            with self.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))

    def dispose(self) -> None:
        with self._kept_lock:
            kept, self._kept = self._kept, []
            self._generation += 1
        for idle in kept:
            idle.conn.close()
        self.engine.dispose()
        with self._peek_lock:
            if self._peeker is not None:
                self._peeker.close()
                self._peeker = None


def fetch(conn: Connection, statement: Select[Any], params: dict[str, Any] | None = None
          ) -> list[Any]:
    """The rows of a SELECT in the caller's transaction, as plain tuples.

    On SQLite the statement is compiled once and run on the driver's cursor
    (`driver_statement`): for the short look-ups of every tRFC unit (its TID, the DDLOG
    number) SQLAlchemy's per-execution work cost several times SQLite's (issue 15). Only for
    statements whose columns need no result processing (strings, integers) and without
    expanding parameters. Elsewhere as usual.
    """
    if conn.dialect.name != "sqlite":
        return list(conn.execute(statement, params or {}))
    return _driver_statement(statement).execute(conn, params)


# SELECT -> its DriverStatement, made at the first `fetch` or `peek` of it.
_DRIVER_STATEMENTS: dict[Select[Any], DriverStatement] = {}


def _driver_statement(statement: Select[Any]) -> DriverStatement:
    driver_statement = _DRIVER_STATEMENTS.get(statement)
    if driver_statement is None:
        driver_statement = _DRIVER_STATEMENTS[statement] = DriverStatement(statement)
    return driver_statement


class SchemaUpgradeError(RuntimeError):
    """A table made by an older release lacks a column that cannot be added in place."""


def add_missing_columns(conn: Connection, metadata: MetaData, schema: str | None = None,
                        tables: list[Table] | None = None) -> list[str]:
    """Bring tables an older release created up to `metadata`: add each missing column with
    ALTER TABLE ... ADD COLUMN (SQLite and PostgreSQL), then the missing indexes on it.

    Only what is safe in place: a nullable column, or a NOT NULL one with a constant default
    (Python scalar or server default), which fills the existing rows. Nothing is dropped,
    renamed or retyped. A NOT NULL column without a default raises `SchemaUpgradeError`
    naming it, before anything is changed. Returns `table.column` of every column added.
    """
    inspector = inspect(conn)
    existing_tables = set(inspector.get_table_names(schema=schema))
    preparer = conn.dialect.identifier_preparer
    plan: list[tuple[Table, list[tuple[Column[Any], str]]]] = []
    for table in metadata.sorted_tables if tables is None else tables:
        if table.name not in existing_tables:
            continue
        present = {c["name"] for c in inspector.get_columns(table.name, schema=schema)}
        missing = [column for column in table.columns if column.name not in present]
        if missing:
            plan.append((table, [(column, _column_ddl(conn, column)) for column in missing]))
    added: list[str] = []
    for table, columns in plan:
        name = preparer.quote(table.name)
        qualified = f"{preparer.quote_schema(schema)}.{name}" if schema else name
        for column, ddl in columns:
            conn.execute(text(f"ALTER TABLE {qualified} ADD COLUMN {ddl}"))
            added.append(f"{table.name}.{column.name}")
            log.warning("database upgrade: added column %s.%s", table.name, column.name)
        names = {column.name for column, _ in columns}
        for index in table.indexes:
            if names & {c.name for c in index.columns}:
                index.create(conn, checkfirst=True)
    return added


def _column_ddl(conn: Connection, column: Column[Any]) -> str:
    """`name TYPE [NOT NULL DEFAULT value]` for ADD COLUMN, or why it cannot be added."""
    dialect = conn.dialect
    ddl = (f"{dialect.identifier_preparer.quote(column.name)} "
           f"{column.type.compile(dialect=dialect)}")
    default = _default_sql(conn, column)
    if column.nullable:
        return f"{ddl} DEFAULT {default}" if default is not None else ddl
    if default is None or column.primary_key:
        raise SchemaUpgradeError(
            f"table {column.table.name} lacks column {column.name}, which is NOT NULL without "
            "a constant default and cannot be added in place: recreate the database (or add "
            "the column by hand)")
    return f"{ddl} NOT NULL DEFAULT {default}"


def _default_sql(conn: Connection, column: Column[Any]) -> str | None:
    """The column's constant default as SQL, or None when it has none (or a computed one)."""
    server = column.server_default
    if server is not None:
        value = getattr(server, "arg", None)
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        if value is not None and hasattr(value, "compile"):
            return str(value.compile(dialect=conn.dialect))
        return None
    default = column.default
    if default is None or not getattr(default, "is_scalar", False):
        return None
    value = default.arg  # type: ignore[attr-defined]
    return str(literal(value, column.type).compile(dialect=conn.dialect,
                                                   compile_kwargs={"literal_binds": True}))


@dataclass(frozen=True)
class _Kept:
    """A Connection kept between a SQLite file's transactions, with its driver connection and
    the execution options it was made with (a caller that changed them makes it unfit)."""

    conn: Connection
    driver: sqlite3.Connection
    options: Any


def _commit(kept: _Kept) -> None:
    if kept.conn.in_transaction():  # the work ran statements through SQLAlchemy
        kept.conn.commit()
    else:  # a no-op when SQLite ended the transaction itself, as SQLAlchemy's commit
        kept.driver.commit()


def _rollback(kept: _Kept) -> None:
    if kept.conn.in_transaction():
        kept.conn.rollback()
    else:
        kept.driver.rollback()


# Connections a SQLite file's Database keeps idle for its transactions (`_transaction`), and
# the pool's overflow beside them (SQLAlchemy's default: 5 + 10 for a QueuePool).
_KEPT_IDLE = 5
_KEPT_OPTION = "sapgw_kept"  # execution option marking them (the begin listener reads it)
_POOL_OVERFLOW = 10

# SQLite file -> the lock this process's writers of it queue on; reentrant, so a nested
# write in one thread meets SQLite's busy timeout as before instead of hanging here.
_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_GUARD = threading.Lock()
_WRITER_WAIT = 30.0  # seconds, as busy_timeout; then BEGIN IMMEDIATE waits at SQLite's lock


def _writer_lock(path: str) -> threading.RLock:
    key = os.path.realpath(path)
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(key, threading.RLock())


# WAL checkpoints. In WAL with synchronous=NORMAL a commit only appends its pages to the WAL
# (no fsync); the checkpoint, run by the commit that finds the WAL past this many pages,
# fsyncs the WAL, copies the newest version of each page into the database file and fsyncs
# that. SQLite's default of 1,000 pages meant a checkpoint every ~75 stored IDocs (~13 pages
# a commit), and the pages a commit touches are mostly the same few (the EDIDOC number
# range, the tails of tables and indexes), copied again at every checkpoint. At 4,000
# pages (16 MiB of 4 KiB pages; the wal-index's first hash table holds ~4,000 frames, so
# a read still searches one) IDocs stored one per request ran 1,970-2,860/s against
# 1,300-1,550/s and 0.19-0.20 ms CPU against 0.25-0.30 (in process, two runs each, n =
# 3,000, load ~6); postings gained as much in the ERP's file, so it applies to every SQLite
# file. What a commit makes durable is unchanged (synchronous=NORMAL: safe against a crash
# of the process; after a power loss the commits since the last checkpoint that the OS has
# not yet written back may be lost, as before, only more of them fit between two
# checkpoints). The commit that checkpoints takes longer. journal_size_limit truncates a
# WAL that outgrew twice that size (a long reader kept the checkpoint from restarting it)
# when it next restarts, instead of leaving the file at its largest.
_WAL_CHECKPOINT_PAGES = 4000
_WAL_SIZE_LIMIT = 32 * 1024 * 1024  # bytes


def _sqlite_setup(engine: Engine, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_conn.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA wal_autocheckpoint={_WAL_CHECKPOINT_PAGES}")
            cursor.execute(f"PRAGMA journal_size_limit={_WAL_SIZE_LIMIT}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        driver: Any = conn.connection.driver_connection
        if driver.in_transaction and conn.get_execution_options().get(_KEPT_OPTION):
            return  # `_transaction` began it on its kept connection; nowhere else is this
            # skipped (an in-memory database's one connection still refuses a nested BEGIN)
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        # Straight to the driver: this runs for every transaction, and SQLAlchemy's
        # statement machinery would double the cost of a short one.
        driver.execute(f"BEGIN {mode}")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a transaction is retried after a transient storage error."""

    tries: int = 5
    first_delay: float = 0.05  # seconds before the second try; doubled (factor) each time
    factor: float = 2.0


DEFAULT_RETRY = RetryPolicy()


class StorageUnavailable(RuntimeError):
    """A transient storage error outlasted the retry policy; the transaction was not committed."""


_TRANSIENT_SQLSTATES = ("40001", "40P01", "57P01", "57P02", "57P03")  # + class 08 (connection)
_TRANSIENT_TEXTS = ("database is locked", "database is busy", "database table is locked",
                    "server closed the connection", "connection is closed",
                    "terminating connection", "connection refused", "could not connect")


def is_transient(exc: BaseException) -> bool:
    """Will the same transaction probably succeed if simply tried again?"""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        return exc.orig is not None and is_transient(exc.orig)
    state = getattr(exc, "sqlstate", None)
    if isinstance(state, str) and (state in _TRANSIENT_SQLSTATES or state.startswith("08")):
        return True
    if isinstance(exc, sqlite3.OperationalError) or type(exc).__name__ in (
            "OperationalError", "InterfaceError"):
        message = str(exc).lower()
        return any(text in message for text in _TRANSIENT_TEXTS)
    return False


def retrying(work: Callable[[], T], policy: RetryPolicy = DEFAULT_RETRY) -> T:
    """`work()`, tried up to `policy.tries` times while it fails with a transient error."""
    delay = policy.first_delay
    for attempt in range(1, policy.tries + 1):
        try:
            return work()
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt == policy.tries:
                raise StorageUnavailable(f"storage error after {attempt} tries: "
                                         f"{type(exc).__name__}: {exc}") from exc
            log.warning("transient storage error (try %s of %s), again in %.2f s: %s",
                        attempt, policy.tries, delay, exc)
            _sleep(delay)
            delay *= policy.factor
    raise AssertionError("unreachable: the loop returns or raises")


def retry_storage(policy: RetryPolicy = DEFAULT_RETRY
                  ) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorate a function that runs whole transactions of its own: retried as `retrying`."""
    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            return retrying(lambda: function(*args, **kwargs), policy)

        return wrapper

    return decorate
