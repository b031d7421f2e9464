"""The driver-level INSERT writes what SQLAlchemy's own INSERT would."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from sapgw.db import Database
from sapgw.driver_insert import insert_rows
from sapgw.erp_stub.fi.tables import BSEG
from sapgw.erp_stub.kernel.tables import ErpTable
from tests.conftest import fresh_schema, require_postgres

T = BSEG.__table__  # type: ignore[attr-defined]
ROWS = [
    {"BUKRS": "1000", "BELNR": "0100000001", "GJAHR": "2026", "BUZEI": "001",
     "WRBTR": Decimal("1250.10"), "DMBTR": Decimal("-0.01")},
    {"BUKRS": "1000", "BELNR": "0100000001", "GJAHR": "2026", "BUZEI": "002",
     "WRBTR": Decimal("99999999999.99")},  # DMBTR left out: its default
]


def written(db: Database, insert) -> list[dict]:
    with db.write() as conn:
        insert(conn)
    with db.read() as conn:
        return [dict(row._mapping) for row in conn.execute(select(T).order_by(T.c.BUZEI))]


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """Two empty ERP databases of one kind: one written by SQLAlchemy, one by the driver."""
    made = []
    for name in ("sqlalchemy", "driver"):
        if request.param == "sqlite":
            db = Database(f"sqlite:///{tmp_path}/{name}.db")
        else:
            db = Database(require_postgres(), fresh_schema())
        db.create_all(ErpTable.metadata)
        made.append(db)
    yield made
    for db in made:
        db.drop_schema()
        db.dispose()


def test_rows_defaults_and_packed_amounts_match_sqlalchemy(databases):
    by_sqlalchemy, by_driver = databases
    expected = written(by_sqlalchemy, lambda conn: [conn.execute(T.insert(), row) for row in ROWS])
    assert written(by_driver, lambda conn: insert_rows(conn, T, ROWS)) == expected
    assert expected[1]["DMBTR"] == Decimal("0.00") and expected[1]["SHKZG"] == ""
    assert expected[0]["WRBTR"] == Decimal("1250.10")


def test_one_row_and_a_failed_insert_roll_back_with_the_transaction(databases):
    db = databases[1]
    with pytest.raises(Exception), db.write() as conn:  # noqa: B017 - driver's own class
        insert_rows(conn, T, ROWS[:1])
        insert_rows(conn, T, ROWS[:1])  # the same key twice
    assert written(db, lambda conn: insert_rows(conn, T, ROWS[1:]))[0]["BUZEI"] == "002"


def test_an_autoincrement_key_is_left_to_the_database(databases):
    from datetime import UTC, datetime

    from sapgw.gateway.store.tables import BDocLog, GatewayTable

    log = BDocLog.__table__  # type: ignore[attr-defined]
    at = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    rows = [{"bdoc_id": "A", "at": at, "service": "RECEIVE", "message": "one"},
            {"bdoc_id": "A", "at": at, "service": "QOUT", "msg_type": "E", "message": "two"}]
    read = []
    for db, insert in zip(databases, (lambda c: [c.execute(log.insert(), r) for r in rows],
                                      lambda c: insert_rows(c, log, rows)), strict=True):
        db.create_all(GatewayTable.metadata)
        with db.write() as conn:
            insert(conn)
            insert(conn)  # twice: the database numbers every row
        with db.read() as conn:
            read.append([dict(r._mapping) for r in conn.execute(select(log).order_by(log.c.id))])
    assert read[1] == read[0]
    assert [r["id"] for r in read[1]] == [1, 2, 3, 4]
    assert read[1][0]["msg_type"] == "I" and read[1][1]["msg_type"] == "E"
