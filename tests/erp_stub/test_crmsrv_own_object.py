"""A confirmation without predecessor is its own controlling object (IAOM_CRMSRV_CTP of
SRVC): single-object gives it an internal order on completion - RA key, settlement rule,
plan, billing-relevant sales document - and its costs post to that order in the same LUW;
mass-object posts them to CO-PA. Refused, nothing of it stays, the order included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.cats.tables import CATSDB
from sapgw.erp_stub.co.tables import AUFK, COEP
from sapgw.erp_stub.co.totals_tables import COSP
from sapgw.erp_stub.copa.tables import CE1S001
from sapgw.erp_stub.crmsrv.tables import CRMSRV_DOCS
from sapgw.erp_stub.iaom.tables import IAOM_ASSIGNMENTS
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.sd.tables import VBAP
from sapgw.erp_stub.settlement.tables import COBRB
from tests.erp_stub.crmsrv_support import (
    PRICES,
    confirm_in,
    header,
    item,
    plan_prices,
    receive_stock,
)
from tests.erp_stub.test_fi_post import codes, rows

TOOL = item(10, "SRVT", "TOOL-PRESS", "2", "H", "90.00", EMPLOYEE="00001001")
PART = item(20, "SRVM", "SP-2000", "3", "PC", "45.00")
LABOUR = item(30, "SRVP", "SRV-LABOUR", "4", "H", "400.00", EMPLOYEE="00001001",
              WORK_DATE="20261120")
WALK_IN = header("7000000050", "SRVC")          # no PREDECESSOR


def set_controlling_type(erp: ErpSystem, co_type: str) -> None:
    with erp.db.write() as db:
        db.exec_driver_sql(f"UPDATE \"IAOM_CRMSRV_CTP\" SET \"CO_TYPE\" = '{co_type}' "
                           "WHERE \"PROCESS_TYPE_CTP\" = 'SRVC'")
    erp.buffer.invalidate()


@pytest.fixture(autouse=True)
def prices(conn: LocalConnection) -> None:
    plan_prices(conn)


def test_single_object_confirmation_gets_its_order_and_posts_to_it(
        erp: ErpSystem, conn: LocalConnection) -> None:
    receive_stock(conn, "10")
    result = confirm_in(conn, WALK_IN, [TOOL, PART, LABOUR])

    assert codes(result["RETURN"]) == [("S", "IAOM_CRMSRV", "113"),
                                       ("S", "IAOM_CRMSRV", "118")], result["RETURN"]
    [aufk] = rows(erp, AUFK)
    objnr = f"OR{aufk['AUFNR']}"
    assert (aufk["AUART"], aufk["ABGSL"]) == ("SAPS", "CRMSO")
    assert [p["DOC_TYPE"] for p in result["ET_RESULT"]] == [
        "ORDER", "SALESDOC", "CATS", "RKL", "MKPF"]
    [doc] = rows(erp, CRMSRV_DOCS)
    assert (doc["OBJECT_ID"], doc["OBJECT_NO"], doc["PREDECESSOR"]) == (
        "7000000050", objnr, "")
    assert doc["VBELN"] and {v["AUFNR"] for v in rows(erp, VBAP)} == {aufk["AUFNR"]}
    assert [a["OBJECT_NO"] for a in rows(erp, IAOM_ASSIGNMENTS)] == [objnr]
    assert rows(erp, COBRB, OBJNR=objnr), "settlement rule from the profile"
    actual = {(c["VRGNG"], c["WKGBTR"]) for c in rows(erp, COEP, OBJNR=objnr, WRTTP="04")}
    tool = TOOL["QUANTITY"] * sum(PRICES[("4300", "TOOLHR")])
    assert actual == {("RKL", tool), ("COIN", 3 * Decimal("12.00"))}
    [record] = rows(erp, CATSDB)
    assert (record["RAUFNR"], record["CATSHOURS"]) == (aufk["AUFNR"], Decimal("4.00"))
    assert rows(erp, COSP, OBJNR=objnr, WRTTP="01"), "planned from the unit cost estimate"

    again = confirm_in(conn, WALK_IN, [TOOL, PART, LABOUR])
    assert codes(again["RETURN"]) == [("S", "IAOM_CRMSRV", "117")]
    assert len(rows(erp, AUFK)) == 1


def test_refused_it_leaves_no_order(erp: ErpSystem, conn: LocalConnection) -> None:
    result = confirm_in(conn, WALK_IN, [TOOL, PART])          # no stock

    assert codes(result["RETURN"]) == [("E", "M7", "021")], result["RETURN"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, AUFK) == [] and rows(erp, CRMSRV_DOCS) == [] and rows(erp, VBAP) == []
    receive_stock(conn, "3")
    assert codes(confirm_in(conn, WALK_IN, [TOOL, PART])["RETURN"])[-1] == (
        "S", "IAOM_CRMSRV", "118")
    assert len(rows(erp, AUFK)) == 1


def test_mass_object_confirmation_posts_to_copa(erp: ErpSystem, conn: LocalConnection
                                                ) -> None:
    set_controlling_type(erp, "02")
    result = confirm_in(conn, WALK_IN, [TOOL])

    assert codes(result["RETURN"]) == [("I", "IAOM_CRMSRV", "122"),
                                       ("S", "IAOM_CRMSRV", "118")], result["RETURN"]
    assert rows(erp, AUFK) == []
    [line] = rows(erp, CE1S001)
    assert (line["VRGAR"], line["ARTNR"], line["VV160"]) == (
        "B", "TOOL-PRESS", TOOL["QUANTITY"] * sum(PRICES[("4300", "TOOLHR")]))
    [doc] = rows(erp, CRMSRV_DOCS)
    assert doc["OBJECT_NO"] == "" and doc["VBELN"]


def test_no_controlling_type_for_the_confirmation(erp: ErpSystem,
                                                  conn: LocalConnection) -> None:
    with erp.db.write() as db:
        db.exec_driver_sql("DELETE FROM \"IAOM_CRMSRV_CTP\" "
                           "WHERE \"PROCESS_TYPE_CTP\" = 'SRVC'")
    erp.buffer.invalidate()
    result = confirm_in(conn, WALK_IN, [TOOL])
    assert codes(result["RETURN"]) == [("E", "IAOM_CRMSRV", "101")]
    assert result["RETURN"][0]["FIELD"] == "PROCESS_TYPE"
