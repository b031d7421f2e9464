"""IAOM_CRMSRV_CONFIRM_IN with mass-object controlling: no internal order, the confirmation's
labour, tools and expenses go straight to the profitability segment of customer, product and
sales organisation - the sender credited in CO (RKL, RKU1), the segment debited in CO-PA
(CE1S001, record type B, value fields by the PA transfer structure DP) - in one LUW."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.cats.tables import CATSDB
from sapgw.erp_stub.co.tables import AUFK, COBK, COEP
from sapgw.erp_stub.copa.tables import CE1S001, CE4S001
from sapgw.erp_stub.crmsrv.tables import CRMSRV_DOCS
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.mm.tables import MSEG
from tests.erp_stub.crmsrv_support import (
    ORDER_ITEMS,
    PRICES,
    confirm_in,
    document_in,
    header,
    item,
    plan_prices,
)
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_fi_post import codes, rows

LABOUR = item(10, "SRVP", "SRV-LABOUR", "6.25", "H", EMPLOYEE="00001001",
              WORK_DATE="20261120")
TOOL = item(20, "SRVT", "TOOL-PRESS", "1.5", "H", EMPLOYEE="00001001")
EXPENSE = item(30, "SRVE", "EXP-TRAVEL", "1", "PC", "14.41", EMPLOYEE="00001001")
PART = item(40, "SRVM", "SP-2000", "2", "PC")
CONFIRMATION = header("7000000001", "SRVC", predecessor="8000000101")


def mass_object(erp: ErpSystem) -> None:
    """IAOM_CRMSRV_CTP: service orders under mass-object controlling (02)."""
    with erp.db.write() as db:
        db.exec_driver_sql("UPDATE \"IAOM_CRMSRV_CTP\" SET \"CO_TYPE\" = '02' "
                           "WHERE \"PROCESS_TYPE_CTP\" = 'SRVO'")
    erp.buffer.invalidate()


def price(kostl: str, lstar: str, quantity: Decimal) -> Decimal:
    fix, var = PRICES[(kostl, lstar)]
    return (quantity * (fix + var)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture
def order(erp: ErpSystem, conn: LocalConnection) -> None:
    plan_prices(conn)
    mass_object(erp)
    result = document_in(conn, header("8000000101", "SRVO"), ORDER_ITEMS)
    assert codes(result["RETURN"]) == [("I", "IAOM_CRMSRV", "122")], result["RETURN"]
    assert rows(erp, AUFK) == []


def test_costs_go_to_the_profitability_segment(erp: ErpSystem, conn: LocalConnection,
                                               order: None) -> None:
    result = confirm_in(conn, CONFIRMATION, [LABOUR, TOOL, EXPENSE])

    assert codes(result["RETURN"]) == [("S", "IAOM_CRMSRV", "118")], result["RETURN"]
    assert [p["DOC_TYPE"] for p in result["ET_RESULT"]] == [
        "RKL", "COPA", "RKL", "COPA", "RKU1", "COPA"], "labour on its work date, then the rest"
    assert rows(erp, CATSDB) == [], "no time sheet: the hours are allocated directly"
    labour = price("4100", "SRVHR", LABOUR["QUANTITY"])            # 6.25 h x 85.50
    tool = price("4300", "TOOLHR", TOOL["QUANTITY"])               # 1.5 h x 35.50
    expense = EXPENSE["NET_VALUE"]
    assert (labour, tool, expense) == (Decimal("534.38"), Decimal("53.25"), Decimal("14.41"))

    lines = {line["ARTNR"]: line for line in rows(erp, CE1S001)}
    assert {(a, line["VRGAR"], line["VV160"], line["VV170"]) for a, line in lines.items()} == {
        ("SRV-LABOUR", "B", labour, Decimal(0)), ("TOOL-PRESS", "B", tool, Decimal(0)),
        ("EXP-TRAVEL", "B", Decimal(0), expense)}
    one = lines["SRV-LABOUR"]
    assert (one["KNDNR"], one["VKORG"], one["BUKRS"], one["KOKRS"], one["PERIO"]) == (
        "0000001000", "1000", "1000", "1000", "2026011")
    [segment] = rows(erp, CE4S001, PAOBJNR=one["PAOBJNR"])
    assert segment["ARTNR"] == "SRV-LABOUR"

    credits = {(c["VRGNG"], c["OBJNR"], c["KSTAR"], c["WKGBTR"], c["PAROB"])
               for c in rows(erp, COEP)}
    assert credits == {
        ("RKL", "KL10000000004100SRVHR", "0000943000", -labour, f"EO{one['PAOBJNR']}"),
        ("RKL", "KL10000000004300TOOLHR", "0000944000", -tool,
         f"EO{lines['TOOL-PRESS']['PAOBJNR']}"),
        ("RKU1", "KS10000000004100", "0000474000", -expense,
         f"EO{lines['EXP-TRAVEL']['PAOBJNR']}")}
    co_documents = {c["BELNR"]: c for c in rows(erp, COBK)}
    assert {line["RBELN"] for line in lines.values()} == set(co_documents)
    assert {c["BUDAT"] for c in co_documents.values()} == {"20261120", "20261122"}

    twice = confirm_in(conn, CONFIRMATION, [LABOUR, TOOL, EXPENSE])
    assert codes(twice["RETURN"]) == [("S", "IAOM_CRMSRV", "117")]
    assert len(rows(erp, CE1S001)) == 3


def test_every_problem_answered_and_nothing_posted(erp: ErpSystem, conn: LocalConnection,
                                                   order: None) -> None:
    stranger = {**LABOUR, "EMPLOYEE": "00009999"}
    result = confirm_in(conn, CONFIRMATION, [TOOL, PART, stranger])

    assert codes(result["RETURN"]) == [("E", "IAOM_CRMSRV", "125"),
                                       ("E", "IAOM_CRMSRV", "124")]
    assert [r["ROW"] for r in result["RETURN"]] == [2, 3]
    assert result["RETURN"][0]["MESSAGE"] == (
        "Item 40 (Service part): no goods issue to a profitability segment (mass-object)")
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, COBK) == [] and rows(erp, CE1S001) == [] and rows(erp, MSEG) == []
    assert [d["OBJECT_ID"] for d in rows(erp, CRMSRV_DOCS)] == ["8000000101"]


def test_closed_period_then_reopened_posts_once(erp: ErpSystem, conn: LocalConnection,
                                                order: None) -> None:
    close_period(conn, 2026, 11)
    result = confirm_in(conn, CONFIRMATION, [TOOL])

    assert codes(result["RETURN"]) == [("E", "F5", "201")]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, COBK) == [] and rows(erp, CE1S001) == []

    conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="1000", FISC_YEAR="2026",
              PERIOD="011", ACTION="O")
    conn.call("BAPI_TRANSACTION_COMMIT")
    again = confirm_in(conn, CONFIRMATION, [TOOL])
    assert codes(again["RETURN"]) == [("S", "IAOM_CRMSRV", "118")], again["RETURN"]
    assert len(rows(erp, CE1S001)) == 1 and len(rows(erp, COBK)) == 1


def test_a_cost_element_outside_the_transfer_structure_is_refused(
        erp: ErpSystem, conn: LocalConnection, order: None) -> None:
    with erp.db.write() as db:
        db.exec_driver_sql("DELETE FROM \"TKB9G\" WHERE \"ERSCH\" = 'DP' AND "
                           "\"ERZUO\" = '040'")
    erp.buffer.invalidate()
    result = confirm_in(conn, CONFIRMATION, [EXPENSE, TOOL])

    assert codes(result["RETURN"]) == [("E", "KE", "907")]
    assert (result["RETURN"][0]["ROW"], result["RETURN"][0]["MESSAGE_V1"]) == (
        2, "0000944000")
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, COBK) == [] and rows(erp, CE1S001) == []
