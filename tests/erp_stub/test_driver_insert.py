"""The update task's driver-level INSERT writes what SQLAlchemy's own INSERT would."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from sapgw.db import Database
from sapgw.erp_stub.fi.tables import BSEG
from sapgw.driver_insert import insert_rows
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
