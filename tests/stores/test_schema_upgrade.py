"""Start-up upgrade of tables an older release created: missing columns are added in place.

The case that made it necessary: `edidc` gained RCVPRT/RCVPRN (outbound IDocs); a gateway
database from before failed on every IDoc write. Run on SQLite and PostgreSQL (`database`).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, inspect, select

from sapgw.clock import Clock
from sapgw.db import Database, SchemaUpgradeError, add_missing_columns
from sapgw.gateway.idoc.model import build
from sapgw.gateway.idoc.store import C, IdocStore, N
from sapgw.gateway.store.tables import GatewayTable

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
CONTROL = {"TABNAM": "EDI_DC40", "DIRECT": "1", "IDOCTYP": "ACC_DOCUMENT03",
           "MESTYP": "ACC_DOCUMENT", "SNDPRT": "LS", "SNDPRN": "SAPGW",
           "RCVPRT": "LS", "RCVPRN": "EXTCLNT100"}


def old_edidc(db: Database) -> None:
    """`edidc` as release 1 made it (no RCVPRT/RCVPRN, no index on RCVPRN), with one IDoc,
    and its number range."""
    metadata = MetaData()
    columns = [Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
               for c in C.columns if c.name not in ("RCVPRT", "RCVPRN")]
    old = Table("edidc", metadata, *columns)
    nriv = Table("idoc_nriv", metadata, *(Column(c.name, c.type, primary_key=c.primary_key)
                                          for c in N.columns))
    with db.engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(insert(nriv).values(OBJECT="EDIDOC", NRLEVEL=1))
        conn.execute(insert(old).values(
            DOCNUM="0000000000000001", STATUS="53", DIRECT="2", IDOCTYP="DEBMAS07",
            MESTYP="DEBMAS", SNDPRT="LS", SNDPRN="EXTCLNT100", control="{}", xml_root="",
            read_problems="[]", created_at=NOW, updated_at=NOW, schema_version=1))


def columns_of(db: Database, table: str) -> set[str]:
    with db.engine.connect() as conn:
        schema = None if db.is_sqlite else db.schema
        return {c["name"] for c in inspect(conn).get_columns(table, schema=schema)}


def test_old_edidc_gets_the_new_columns_and_takes_outbound_idocs(database: Database):
    old_edidc(database)
    assert "RCVPRN" not in columns_of(database, "edidc")

    store = IdocStore(database, Clock(frozen_at=NOW))  # create_all + upgrade at start
    with database.write() as conn:
        docnum = store.insert(conn, build(CONTROL, [("E1BPACHE09", {"COMP_CODE": "1000"})]))
        store.set_status(conn, docnum, "01", "IDoc generated")

    assert {"RCVPRT", "RCVPRN"} <= columns_of(database, "edidc")
    assert [row["DOCNUM"] for row in store.listing(partner="EXTCLNT100")["idocs"]] == [
        docnum, "0000000000000001"]
    with database.read() as conn:
        old_row = conn.execute(select(C.c.RCVPRT, C.c.RCVPRN).where(
            C.c.DOCNUM == "0000000000000001")).one()
    assert tuple(old_row) == ("", "")  # existing rows take the column's default
    with database.engine.connect() as conn:
        schema = None if database.is_sqlite else database.schema
        indexes = {i["name"] for i in inspect(conn).get_indexes("edidc", schema=schema)}
    assert "ix_edidc_RCVPRN" in indexes
    # a second start finds nothing to do
    with database.engine.begin() as conn:
        assert add_missing_columns(conn, GatewayTable.metadata,
                                   None if database.is_sqlite else database.schema) == []


def test_a_not_null_column_without_default_is_refused_before_anything_changes(
        database: Database):
    old = MetaData()
    Table("t_upgrade", old, Column("id", Integer, primary_key=True))
    new = MetaData()
    Table("t_upgrade", new, Column("id", Integer, primary_key=True),
          Column("note", String(10), nullable=True),
          Column("code", String(4), nullable=False))
    database.create_all(old)

    with pytest.raises(SchemaUpgradeError, match="t_upgrade lacks column code"):
        database.create_all(new)
    assert columns_of(database, "t_upgrade") == {"id"}  # not even the nullable one was added
