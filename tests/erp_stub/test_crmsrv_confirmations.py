"""IAOM_CRMSRV_CONFIRM_IN: a completed confirmation posts labour (CATS records, valued by
CAT7), tools (RKL), expenses (RKU1) and service parts (goods issue 261) to the confirmed
order's internal order, all in one LUW: every problem is answered and nothing of the
confirmation is posted when one item fails."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.cats.tables import CATSDB
from sapgw.erp_stub.co.tables import COBK, COEP
from sapgw.erp_stub.crmsrv.tables import CRMSRV_DOCS
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.mm.tables import MBEW, MSEG
from sapgw.erp_stub.sd.tables import LIKP, LIPS, VBAP
from tests.erp_stub.crmsrv_support import (
    ORDER_ITEMS,
    confirm_in,
    document_in,
    header,
    item,
    plan_prices,
    receive_stock,
)
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_fi_post import codes, rows

TOOL = item(10, "SRVT", "TOOL-PRESS", "1.5", "H", EMPLOYEE="00001001")
PARTS = item(20, "SRVM", "SP-2000", "2", "PC")


@pytest.fixture
def order(conn: LocalConnection) -> str:
    plan_prices(conn)
    result = document_in(conn, header("8000000101", "SRVO"), ORDER_ITEMS)
    return str(result["E_OBJECT_NO"])


def test_tools_and_parts_post_to_the_order(erp: ErpSystem, conn: LocalConnection,
                                           order: str) -> None:
    receive_stock(conn, "10")
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                        [TOOL, PARTS])

    assert codes(result["RETURN"]) == [("S", "IAOM_CRMSRV", "118")], result["RETURN"]
    assert [p["DOC_TYPE"] for p in result["ET_RESULT"]] == ["RKL", "MKPF"]
    on_order = [(c["VRGNG"], c["KSTAR"], c["WKGBTR"]) for c in rows(erp, COEP, OBJNR=order)]
    # 1.5 h x 35.50 from the tool pool; 2 x 12.00 at standard price
    assert sorted(on_order) == [("COIN", "0000400000", Decimal("24.00")),
                                ("RKL", "0000944000", Decimal("53.25"))]
    [sender] = rows(erp, COEP, OBJNR="KL10000000004300TOOLHR")
    assert sender["WKGBTR"] == Decimal("-53.25")
    [mseg] = rows(erp, MSEG, BWART="261")
    assert (mseg["MATNR"], mseg["MENGE"], mseg["AUFNR"], mseg["DMBTR"]) == (
        "SP-2000", Decimal("2.000"), order[2:], Decimal("24.00"))


def test_a_part_without_stock_posts_nothing_of_the_confirmation(
        erp: ErpSystem, conn: LocalConnection, order: str) -> None:
    before = len(rows(erp, COBK))
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                        [TOOL, PARTS])

    assert codes(result["RETURN"]) == [("E", "M7", "021")]
    assert (result["RETURN"][0]["PARAMETER"], result["RETURN"][0]["ROW"]) == ("IT_ITEMS", 2)
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert len(rows(erp, COBK)) == before and rows(erp, MSEG, BWART="261") == []
    assert [d["OBJECT_ID"] for d in rows(erp, CRMSRV_DOCS)] == ["8000000101"]

    receive_stock(conn, "2")
    again = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                       [TOOL, PARTS])
    assert codes(again["RETURN"]) == [("S", "IAOM_CRMSRV", "118")]
    twice = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                       [TOOL, PARTS])
    assert codes(twice["RETURN"]) == [("S", "IAOM_CRMSRV", "117")]
    assert len(rows(erp, MSEG, BWART="261")) == 1


def test_a_closed_period_and_a_missing_price_are_each_answered(
        erp: ErpSystem, conn: LocalConnection, order: str) -> None:
    receive_stock(conn, "10")
    close_period(conn, 2026, 11)
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                        [TOOL, PARTS])
    assert ("E", "F5", "201") in codes(result["RETURN"]), result["RETURN"]

    no_price = confirm_in(conn, header("7000000002", "SRVC", predecessor="8000000101",
                                       POSTING_DATE="20270110"), [TOOL])
    assert codes(no_price["RETURN"]) == [("E", "KI", "901")], no_price["RETURN"]
    assert "TOOLHR" in no_price["RETURN"][0]["MESSAGE"]
    assert rows(erp, COEP, OBJNR=order) == []


def test_a_confirmation_of_an_unknown_order(conn: LocalConnection) -> None:
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000009999"), [TOOL])
    assert codes(result["RETURN"]) == [("E", "IAOM_CRMSRV", "115")]
    assert result["RETURN"][0]["FIELD"] == "PREDECESSOR"


SALES = item(50, "SRVS", "FG-3000", "1", "PC", "180.00")


@pytest.fixture
def sales_order(conn: LocalConnection) -> str:
    """The service order with a sales item (its sales document item carries the order)."""
    plan_prices(conn)
    result = document_in(conn, header("8000000102", "SRVO"), [*ORDER_ITEMS, SALES])
    return str(result["E_OBJECT_NO"])


def test_a_sales_item_is_delivered_and_issued_to_the_order(
        erp: ErpSystem, conn: LocalConnection, sales_order: str) -> None:
    receive_stock(conn, "1", "FG-3000")
    [vbap] = rows(erp, VBAP, MATNR="FG-3000")
    assert vbap["AUFNR"] == sales_order[2:]
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000102"),
                        [{**SALES, "NET_VALUE": Decimal(0)}])

    assert codes(result["RETURN"]) == [("S", "IAOM_CRMSRV", "118")], result["RETURN"]
    assert [p["DOC_TYPE"] for p in result["ET_RESULT"]] == ["DELIVERY", "MKPF"]
    [likp] = rows(erp, LIKP)
    [lips] = rows(erp, LIPS)
    assert (likp["WBSTK"], lips["VGBEL"], lips["VGPOS"], lips["AUFNR"]) == (
        "C", vbap["VBELN"], vbap["POSNR"], sales_order[2:])
    [mseg] = rows(erp, MSEG, BWART="601")
    price, unit = standard_price(erp, "FG-3000")
    cost = (SALES["QUANTITY"] * price / unit).quantize(Decimal("0.01"))
    assert (mseg["MATNR"], mseg["AUFNR"], mseg["DMBTR"]) == ("FG-3000", sales_order[2:], cost)
    assert rows(erp, MSEG, BWART="261") == []
    [coin] = rows(erp, COEP, OBJNR=sales_order, VRGNG="COIN")
    assert coin["WKGBTR"] == cost


def test_a_sales_item_without_stock_posts_nothing_then_once(
        erp: ErpSystem, conn: LocalConnection, sales_order: str) -> None:
    confirmation = header("7000000001", "SRVC", predecessor="8000000102")
    result = confirm_in(conn, confirmation, [TOOL, SALES])

    assert codes(result["RETURN"]) == [("E", "M7", "021")], result["RETURN"]
    assert (result["RETURN"][0]["PARAMETER"], result["RETURN"][0]["ROW"]) == ("IT_ITEMS", 2)
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, LIKP) == [] and rows(erp, COEP, OBJNR=sales_order) == []

    receive_stock(conn, "1", "FG-3000")
    assert codes(confirm_in(conn, confirmation, [TOOL, SALES])["RETURN"]) == [
        ("S", "IAOM_CRMSRV", "118")]
    assert codes(confirm_in(conn, confirmation, [TOOL, SALES])["RETURN"]) == [
        ("S", "IAOM_CRMSRV", "117")]
    assert len(rows(erp, LIKP)) == 1 and len(rows(erp, MSEG, BWART="601")) == 1


def test_a_sales_item_the_order_does_not_have(conn: LocalConnection, order: str) -> None:
    receive_stock(conn, "1", "FG-3000")
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                        [item(10, "SRVS", "FG-3000", "1", "PC")])
    assert codes(result["RETURN"]) == [("E", "IAOM_CRMSRV", "127")], result["RETURN"]
    assert result["RETURN"][0]["FIELD"] == "PRODUCT_ID"


def standard_price(erp: ErpSystem, material: str) -> tuple[Decimal, Decimal]:
    [mbew] = rows(erp, MBEW, MATNR=material)
    return Decimal(mbew["STPRS"]), Decimal(mbew["PEINH"])


LABOUR = item(30, "SRVP", "SRV-LABOUR", "6", "H", EMPLOYEE="00001001", WORK_DATE="20261120")
EXPENSE = item(40, "SRVE", "EXP-TRAVEL", "1", "PC", "14.41", EMPLOYEE="00001001")


def test_labour_becomes_cats_records_that_cat7_values(erp: ErpSystem, conn: LocalConnection,
                                                      order: str) -> None:
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                        [LABOUR, EXPENSE])

    assert codes(result["RETURN"]) == [("S", "IAOM_CRMSRV", "118")], result["RETURN"]
    [record] = rows(erp, CATSDB)
    assert (record["PERNR"], record["WORKDATE"], record["CATSHOURS"], record["LSTAR"],
            record["RAUFNR"], record["SKOSTL"], record["STATUS"], record["EXTDOCUMENTNO"]) == (
        "00001001", "20261120", Decimal("6.00"), "SRVHR", order[2:], "0000004100", "30",
        "7000000001/30")
    expense = [(c["VRGNG"], c["KSTAR"], c["WKGBTR"]) for c in rows(erp, COEP, OBJNR=order)]
    assert expense == [("RKU1", "0000474000", Decimal("14.41"))]
    [sender] = rows(erp, COEP, OBJNR="KS10000000004100")
    assert sender["WKGBTR"] == Decimal("-14.41")

    transfer = conn.call("CATS_TRANSFER_TO_CO")
    assert [r["TYPE"] for r in transfer["RESULTS"]] == ["S"], transfer["RETURN"]
    labour = [c["WKGBTR"] for c in rows(erp, COEP, OBJNR=order) if c["VRGNG"] == "RKL"]
    assert labour == [Decimal("513.00")]   # 6 h x 85.50 at cost center 4100


def test_an_unknown_employee_posts_nothing(erp: ErpSystem, conn: LocalConnection,
                                           order: str) -> None:
    receive_stock(conn, "10")
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                        [PARTS, {**LABOUR, "EMPLOYEE": "00009999"}])

    assert codes(result["RETURN"]) == [("E", "IAOM_CRMSRV", "124")]
    assert (result["RETURN"][0]["ROW"], result["RETURN"][0]["FIELD"]) == (2, "EMPLOYEE")
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, CATSDB) == [] and rows(erp, MSEG, BWART="261") == []


def test_hours_of_a_cost_center_without_price_are_refused(erp: ErpSystem,
                                                          conn: LocalConnection,
                                                          order: str) -> None:
    result = confirm_in(conn, header("7000000001", "SRVC", predecessor="8000000101"),
                        [{**LABOUR, "EMPLOYEE": "00001003"}])

    assert codes(result["RETURN"]) == [("E", "IAOM_CRMSRV", "108")]
    assert "2000" in result["RETURN"][0]["MESSAGE"]
    assert rows(erp, CATSDB) == []
