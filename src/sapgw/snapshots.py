"""Named snapshots of one system's database: every table's rows, saved and put back whole.

The gateway and each local system keep their own store (`label` "gateway", "erp", "rar"); a
snapshot of "every database" is one save in each, under one name. How a snapshot is kept
follows the database, so saving and restoring stay exact (types, NULLs, decimals) and fast:

- SQLite: `VACUUM INTO <directory>/<name>/<label>.db`, a consistent copy of the file while
  others keep working; restored by ATTACHing that file and copying table by table.
- PostgreSQL: a schema `<schema>_snap_<name>` beside the system's own, one `CREATE TABLE AS`
  per table in one REPEATABLE READ transaction; the snapshot's description is the schema's
  comment.

`restore` runs in ONE write transaction on the live database: it locks, lets the caller check
that nobody works on the data (`before`, e.g. no queue lease), empties every table (but the
`exclude`d ones), copies the snapshot's rows into the columns both sides have, lets the
caller add rows (`after`), and on PostgreSQL moves each serial column's sequence to follow
the restored rows. A table the snapshot lacks (made by a newer release) ends empty.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from sapgw.db import Database, retrying

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
PG_NAME_LIMIT = 63  # PostgreSQL truncates identifiers beyond 63 bytes


class SnapshotError(ValueError):
    """A snapshot name or a snapshot that cannot be used as given; the message says why."""


class UnknownSnapshot(SnapshotError, LookupError):
    """No snapshot of that name exists (HTTP 404)."""


class RestoreRefused(RuntimeError):
    """Reset or restore is not possible now, e.g. a worker holds a queue lease (HTTP 409)."""


def check_name(name: str) -> str:
    """A user's snapshot name: 1-40 of a-z, 0-9, `_` and `-`, starting with a letter or digit."""
    if not isinstance(name, str) or not NAME.match(name):
        raise SnapshotError(f"snapshot name {name!r} is not allowed: use 1 to 40 characters "
                            "a-z, 0-9, '_' and '-', starting with a letter or a digit")
    return name


@dataclass(frozen=True)
class SnapshotInfo:
    name: str
    label: str           # which system's database: gateway, erp, rar (a destination)
    created_at: str      # ISO 8601, UTC
    tables: int
    rows: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class SnapshotStore:
    """Snapshots of one database; SQLite ones as files under `directory`."""

    def __init__(self, db: Database, label: str, directory: Path | None = None) -> None:
        self.db = db
        self.label = label
        self.directory = Path(directory) if directory is not None else None
        if db.is_sqlite and self.directory is None:
            raise SnapshotError(f"the {label} database is SQLite: its snapshots need a "
                                "directory ([gateway] snapshot_dir)")

    # -- where -----------------------------------------------------------------------------
    def file(self, name: str) -> Path:
        assert self.directory is not None  # checked in __init__ for SQLite
        return self.directory / name / f"{self.label}.db"

    def schema(self, name: str) -> str:
        schema = f"{self.db.schema or 'public'}_snap_{name}"
        if len(schema.encode()) > PG_NAME_LIMIT:
            raise SnapshotError(f"snapshot name {name!r} is too long for schema {schema!r} "
                                f"(PostgreSQL allows {PG_NAME_LIMIT} characters)")
        return schema

    def location(self, name: str) -> tuple[str, str | None]:
        """URL and schema where a database for snapshot `name` may be built directly (a
        seeded template is such a snapshot): restore reads any tables found there."""
        if self.db.is_sqlite:
            self.file(name).parent.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{self.file(name)}", None
        return self.db.url, self.schema(name)

    # -- save, list, delete ----------------------------------------------------------------
    def save(self, name: str, created_at: str, exclude: Iterable[str] = ()) -> SnapshotInfo:
        """Copy every table now (a consistent state), replacing a snapshot of that name."""
        skip = set(exclude)
        if self.db.is_sqlite:
            return self._save_sqlite(name, created_at)
        return retrying(lambda: self._save_postgres(name, created_at, skip))

    def _save_sqlite(self, name: str, created_at: str) -> SnapshotInfo:
        target = self.file(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with self.db.engine.connect() as conn:
            # VACUUM INTO may not run inside a transaction: straight to the driver.
            conn.connection.driver_connection.execute("VACUUM INTO ?", (str(partial),))
        os.replace(partial, target)
        counts = _sqlite_counts(target)
        info = SnapshotInfo(name, self.label, created_at, len(counts), sum(counts.values()))
        target.with_suffix(".json").write_text(json.dumps(info.to_json()), encoding="utf-8")
        return info

    def _save_postgres(self, name: str, created_at: str, skip: set[str]) -> SnapshotInfo:
        live, snap = _quote(self.db.schema or "public"), _quote(self.schema(name))
        rows = 0
        with self.db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                tables = [t for t in _pg_tables(conn, self.db.schema) if t not in skip]
                conn.execute(text(f"DROP SCHEMA IF EXISTS {snap} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {snap}"))
                for table in tables:
                    result = conn.execute(text(
                        f"CREATE TABLE {snap}.{_quote(table)} AS TABLE {live}.{_quote(table)}"))
                    rows += result.rowcount or 0
                info = SnapshotInfo(name, self.label, created_at, len(tables), rows)
                conn.execute(text(f"COMMENT ON SCHEMA {snap} IS "
                                  f"{_literal(json.dumps(info.to_json()))}"))
        return info

    def exists(self, name: str) -> bool:
        if self.db.is_sqlite:
            return self.file(name).is_file()
        with self.db.engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"),
                {"s": self.schema(name)}).first())

    def list(self) -> list[SnapshotInfo]:
        """The saved snapshots (not the internal ones, whose names start with `_`)."""
        found: list[SnapshotInfo] = []
        if self.db.is_sqlite:
            assert self.directory is not None
            for meta in sorted(self.directory.glob(f"*/{self.label}.json")):
                if not meta.parent.name.startswith("_") and meta.with_suffix(".db").is_file():
                    found.append(SnapshotInfo(**json.loads(meta.read_text("utf-8"))))
            return found
        prefix = f"{self.db.schema or 'public'}_snap_"
        with self.db.engine.connect() as conn:
            for schema, comment in conn.execute(text(
                    "SELECT nspname, obj_description(oid, 'pg_namespace') FROM pg_namespace "
                    "WHERE starts_with(nspname, :p) ORDER BY nspname"), {"p": prefix}):
                name = schema[len(prefix):]
                if comment and not name.startswith("_"):
                    found.append(SnapshotInfo(**json.loads(comment)))
        return found

    def delete(self, name: str) -> bool:
        """Remove the snapshot; False when there was none."""
        if not self.exists(name):
            return False
        if self.db.is_sqlite:
            db_file = self.file(name)
            for path in (db_file, db_file.with_suffix(".json"), Path(f"{db_file}-wal"),
                         Path(f"{db_file}-shm")):
                path.unlink(missing_ok=True)
            folder = self.file(name).parent
            if folder.is_dir() and not any(folder.iterdir()):
                shutil.rmtree(folder, ignore_errors=True)
            return True
        with self.db.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {_quote(self.schema(name))} CASCADE"))
        return True

    # -- restore ---------------------------------------------------------------------------
    def restore(self, name: str, exclude: Iterable[str] = (),
                before: Callable[[Connection], None] | None = None,
                after: Callable[[Connection], None] | None = None) -> dict[str, int]:
        """Put the snapshot's rows back in one transaction; answers rows per table."""
        if not self.exists(name):
            raise UnknownSnapshot(f"no snapshot {name!r} of the {self.label} database")
        skip = set(exclude)
        if self.db.is_sqlite:
            return self._restore_sqlite(name, skip, before, after)
        return retrying(lambda: self._restore_postgres(name, skip, before, after))

    def _restore_sqlite(self, name: str, skip: set[str],
                        before: Callable[[Connection], None] | None,
                        after: Callable[[Connection], None] | None) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.db.engine.connect() as conn:
            driver = conn.connection.driver_connection
            driver.execute("ATTACH DATABASE ? AS snap", (str(self.file(name)),))
            try:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    if before is not None:
                        before(conn)
                    live = _sqlite_tables(conn, "main")
                    saved = set(_sqlite_tables(conn, "snap"))
                    for table in (t for t in live if t not in skip):
                        conn.execute(text(f"DELETE FROM main.{_quote(table)}"))
                        if table in saved:
                            columns = _common(_sqlite_columns(conn, "main", table),
                                              _sqlite_columns(conn, "snap", table))
                            counts[table] = conn.execute(text(
                                f"INSERT INTO main.{_quote(table)} ({columns}) "
                                f"SELECT {columns} FROM snap.{_quote(table)}")).rowcount
                    if after is not None:
                        after(conn)
            finally:
                driver.execute("DETACH DATABASE snap")
        return counts

    def _restore_postgres(self, name: str, skip: set[str],
                          before: Callable[[Connection], None] | None,
                          after: Callable[[Connection], None] | None) -> dict[str, int]:
        schema = self.db.schema or "public"
        live, snap = _quote(schema), _quote(self.schema(name))
        counts: dict[str, int] = {}
        with self.db.engine.begin() as conn:
            tables = [t for t in _pg_tables(conn, schema) if t not in skip]
            saved = set(_pg_tables(conn, self.schema(name)))
            qualified = ", ".join(f"{live}.{_quote(t)}" for t in tables)
            if tables:  # no claim, no write may slip in between the check and the copy
                conn.execute(text(f"LOCK TABLE {qualified} IN ACCESS EXCLUSIVE MODE"))
            if before is not None:
                before(conn)
            if tables:
                conn.execute(text(f"TRUNCATE {qualified}"))
            for table in tables:
                if table in saved:
                    columns = _common(_pg_columns(conn, schema, table),
                                      _pg_columns(conn, self.schema(name), table))
                    counts[table] = conn.execute(text(
                        f"INSERT INTO {live}.{_quote(table)} ({columns}) "
                        f"SELECT {columns} FROM {snap}.{_quote(table)}")).rowcount
            if after is not None:
                after(conn)
            _follow_sequences(conn, schema, tables)
        return counts


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _common(live: list[str], saved: list[str]) -> str:
    """The columns both have, in the live table's order (an older snapshot may lack some)."""
    present = set(saved)
    return ", ".join(_quote(c) for c in live if c in present)


def _sqlite_tables(conn: Connection, database: str) -> list[str]:
    return list(conn.execute(text(
        f"SELECT name FROM {database}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name")).scalars())


def _sqlite_columns(conn: Connection, database: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(text(
        f"PRAGMA {database}.table_info({_quote(table)})"))]


def _sqlite_counts(path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(path) as snap:
        names = [r[0] for r in snap.execute("SELECT name FROM sqlite_master WHERE type = "
                                            "'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {n: snap.execute(f"SELECT count(*) FROM {_quote(n)}").fetchone()[0]
                  for n in names}
    snap.close()
    return counts


def _pg_tables(conn: Connection, schema: str | None) -> list[str]:
    return list(conn.execute(text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = :s "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"), {"s": schema or "public"})
        .scalars())


def _pg_columns(conn: Connection, schema: str, table: str) -> list[str]:
    return list(conn.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = :s "
        "AND table_name = :t ORDER BY ordinal_position"), {"s": schema, "t": table}).scalars())


def _follow_sequences(conn: Connection, schema: str, tables: list[str]) -> None:
    """Each serial or identity column's sequence continues after the restored rows."""
    serials = conn.execute(text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = :s AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')"),
        {"s": schema}).all()
    for table, column in serials:
        if table not in tables:
            continue
        qualified = f"{_quote(schema)}.{_quote(table)}"
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:t, :c), "
            f"COALESCE(MAX({_quote(column)}), 0) + 1, false) FROM {qualified}"),
            {"t": qualified, "c": column})
