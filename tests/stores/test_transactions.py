"""`Database.write()` and `read()`: all or nothing, whichever way the work reaches the database.

On a SQLite file a transaction runs on a Connection the Database keeps between transactions,
with BEGIN and COMMIT sent to the driver; work may use the driver's cursor (`driver_insert`,
`fetch`), SQLAlchemy's statements or both, and a savepoint. These tests hold for PostgreSQL
as well (the `database` fixture runs both).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, select
from sqlalchemy.exc import IntegrityError

from sapgw.db import Database
from sapgw.driver_insert import insert_rows

metadata = MetaData()
ROWS = Table("tx_rows", metadata, Column("id", Integer, primary_key=True, autoincrement=False),
             Column("text", String(20), nullable=False, default=""))


class Boom(Exception):
    """The work's own failure."""


def ids(db: Database) -> list[int]:
    with db.read() as conn:
        return sorted(conn.execute(select(ROWS.c.id)).scalars())


def test_driver_and_sqlalchemy_writes_commit_together(database: Database):
    database.create_all(metadata)
    with database.write() as conn:
        insert_rows(conn, ROWS, [{"id": 1}])  # the driver's cursor
        conn.execute(ROWS.insert(), [{"id": 2}])  # SQLAlchemy's statement
        insert_rows(conn, ROWS, [{"id": 3}])
    assert ids(database) == [1, 2, 3]


@pytest.mark.parametrize("through", ["driver", "sqlalchemy"])
def test_a_failing_work_leaves_nothing_and_the_next_transaction_is_clean(
        database: Database, through: str):
    database.create_all(metadata)
    with pytest.raises(Boom), database.write() as conn:
        insert_rows(conn, ROWS, [{"id": 1}])
        if through == "sqlalchemy":
            conn.execute(ROWS.insert(), [{"id": 2}])
        raise Boom
    assert ids(database) == []
    for number in range(3):  # the connection that failed (or another) serves the next
        with database.write() as conn:
            insert_rows(conn, ROWS, [{"id": 10 + number}])
    assert ids(database) == [10, 11, 12]


def test_a_failing_statement_rolls_back_the_driver_writes_before_it(database: Database):
    database.create_all(metadata)
    with database.write() as conn:
        insert_rows(conn, ROWS, [{"id": 1}])
    with pytest.raises(IntegrityError), database.write() as conn:
        insert_rows(conn, ROWS, [{"id": 2}])
        conn.execute(ROWS.insert(), [{"id": 1}])  # duplicate key
    assert ids(database) == [1]


def test_a_savepoint_inside_a_write(database: Database):
    database.create_all(metadata)
    with database.write() as conn:
        insert_rows(conn, ROWS, [{"id": 1}])
        with pytest.raises(Boom), conn.begin_nested():
            conn.execute(ROWS.insert(), [{"id": 2}])
            raise Boom
        conn.execute(ROWS.insert(), [{"id": 3}])
    assert ids(database) == [1, 3]


def test_a_commit_is_seen_by_another_database_object_at_once(database: Database,
                                                             tmp_path: Path):
    database.create_all(metadata)
    other = Database(database.url, database.schema)
    try:
        assert ids(other) == []  # other's connection is kept after this read
        with database.write() as conn:
            insert_rows(conn, ROWS, [{"id": 7}])
        assert ids(other) == [7]
    finally:
        other.dispose()


def test_the_database_works_on_after_dispose(database: Database):
    database.create_all(metadata)
    with database.write() as conn:
        insert_rows(conn, ROWS, [{"id": 1}])
    database.dispose()
    with database.write() as conn:
        insert_rows(conn, ROWS, [{"id": 2}])
    assert ids(database) == [1, 2]


def test_concurrent_writers_each_commit_whole(database: Database):
    database.create_all(metadata)
    errors: list[BaseException] = []

    def writer(base: int) -> None:
        try:
            for number in range(20):
                with database.write() as conn:
                    insert_rows(conn, ROWS, [{"id": base + number}])
                    _check_own_rows(conn, base, number)
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(base,)) for base in (0, 100, 200, 300)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ids(database) == [base + n for base in (0, 100, 200, 300) for n in range(20)]


def _check_own_rows(conn: Connection, base: int, number: int) -> None:
    """Inside a write the thread sees its own earlier commits and this insert."""
    found = conn.execute(select(ROWS.c.id).where(ROWS.c.id >= base, ROWS.c.id < base + 100)
                         ).scalars().all()
    if sorted(found) != list(range(base, base + number + 1)):
        raise AssertionError(f"thread {base}: {sorted(found)}")


def test_in_memory_a_nested_transaction_is_refused_not_merged():
    """The one connection of an in-memory database refuses a BEGIN inside its transaction, as
    before kept connections existed: a read inside a write must not commit the write."""
    db = Database("sqlite://")
    db.create_all(metadata)
    with pytest.raises(Exception, match="within a transaction"), db.write() as conn:
        conn.execute(ROWS.insert(), [{"id": 1}])
        with db.read() as inner:
            inner.execute(select(ROWS.c.id)).all()
    assert ids(db) == []
    db.dispose()
