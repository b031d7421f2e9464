"""BAPI_SALESORDER_CREATEFROMDAT2: the sales document in VBAK/VBAP/VBEP/VBUK/VBUP, its net
values from quantity x price, and every error at once."""

from __future__ import annotations

import pytest

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.sd_support import (
    amount,
    codes,
    create_order,
    internal_order,
    item,
    price,
    read,
    sales_data,
    value,
)


@pytest.fixture(autouse=True)
def customer(conn: LocalConnection) -> None:
    sales_data(conn)


def test_order_is_saved_at_commit_with_net_values_from_the_prices(
        conn: LocalConnection) -> None:
    aufnr = internal_order(conn)
    result = create_order(conn, [item("10", "SP-2000", "3", ORDERID=aufnr),
                                 item("20", "4711")],
                          [price("10", "33.335"), price("20", "19.99", "10")], commit=False,
                          ORDER_SCHEDULES_IN=[
                              {"ITM_NUMBER": "20", "REQ_DATE": "20261201", "REQ_QTY": "1.5"},
                              {"ITM_NUMBER": "20", "REQ_DATE": "20261215", "REQ_QTY": "2.25"}])

    assert result["SALESDOCUMENT"] == "0000000001"
    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["MESSAGE"]) for m in result["RETURN"]] == [
        ("S", "V4", "233", "SALES_HEADER_IN has been processed successfully"),
        ("S", "V4", "233", "SALES_ITEM_IN has been processed successfully"),
        ("S", "V1", "311", "Service Order 0000000001 has been saved")]
    assert read(conn, "VBAK", ["VBELN"]) == []
    conn.call("BAPI_TRANSACTION_COMMIT")

    first, second = value("3", "33.335"), value("3.75", "19.99", "10")
    [vbak] = read(conn, "VBAK", ["VBELN", "AUART", "VBTYP", "KUNNR", "VKORG", "BUKRS_VF",
                                 "WAERK", "NETWR", "BSTNK"])
    assert vbak[:7] + vbak[8:] == ["0000000001", "SO", "C", "0000001000", "1000", "1000",
                                  "EUR", "PO-77"]
    assert amount(vbak[7]) == first + second
    items = read(conn, "VBAP", ["POSNR", "MATNR", "PSTYV", "KWMENG", "VRKME", "NETPR",
                                "KPEIN", "NETWR", "AUFNR"])
    assert [[row[0], row[1], row[2], row[4], row[8]] for row in items] == [
        ["000010", "SP-2000", "TAD", "PC", aufnr],
        ["000020", "000000000000004711", "TAD", "L", ""]]
    assert [(amount(row[3]), amount(row[7])) for row in items] == [
        (3, first), (amount("3.75"), second)]
    assert read(conn, "VBEP", ["POSNR", "ETENR", "EDATU", "WMENG"]) == [
        ["000020", "0001", "20261201", "1.500"], ["000020", "0002", "20261215", "2.250"]]
    assert read(conn, "VBUP", ["POSNR", "FKSAA"]) == [["000010", "A"], ["000020", "A"]]
    assert read(conn, "VBUK", ["VBELN", "FKSAK"]) == [["0000000001", "A"]]


def test_item_category_comes_from_t184_and_items_are_numbered_by_ten(
        conn: LocalConnection) -> None:
    result = create_order(conn, [item("", "FG-3000", "2"), item("", "SP-2000", "1")],
                          [price("000010", "150"), price("000020", "12")],
                          header={"DOC_TYPE": "TA"})

    assert result["SALESDOCUMENT"] == "0000000001"
    assert read(conn, "VBAP", ["POSNR", "PSTYV"]) == [["000010", "TAN"], ["000020", "TAN"]]
    # TAN is billed after delivery (not built): no order-related billing status FKSAA.
    assert read(conn, "VBUP", ["FKSAA"]) == [[""], [""]]


def test_every_error_is_answered_and_nothing_is_saved(conn: LocalConnection) -> None:
    result = create_order(
        conn, [item("10", "NOSUCH", "1"), item("20", "SP-2000", "0", BILL_BLOCK="01"),
               item("30", "SP-2000", "1", ORDERID="999999", ITEM_CATEG="ZZZZ")],
        [price("20", "5"), {"ITM_NUMBER": "30", "COND_TYPE": "K004", "COND_VALUE": "1"}],
        header={"DOC_TYPE": "XX"},
        ORDER_PARTNERS=[{"PARTN_ROLE": "AG", "PARTN_NUMB": "1000"},
                        {"PARTN_ROLE": "WE", "PARTN_NUMB": "1000"}])

    assert codes(result) == [
        ("E", "V1", "901", "ORDER_HEADER_IN", 0, "DOC_TYPE"),
        ("E", "V1", "906", "ORDER_PARTNERS", 2, "PARTN_ROLE"),
        ("E", "V1", "909", "ORDER_ITEMS_IN", 1, "MATERIAL"),
        ("E", "V1", "913", "ORDER_ITEMS_IN", 2, "BILL_BLOCK"),
        ("E", "V1", "907", "ORDER_ITEMS_IN", 3, "ITEM_CATEG"),
        ("E", "V1", "920", "ORDER_ITEMS_IN", 3, "ORDERID"),
        ("E", "V1", "911", "ORDER_ITEMS_IN", 2, "TARGET_QTY"),
        ("E", "V1", "916", "ORDER_CONDITIONS_IN", 2, "COND_TYPE"),
        ("E", "V1", "915", "ORDER_ITEMS_IN", 1, "ITM_NUMBER"),
        ("E", "V1", "915", "ORDER_ITEMS_IN", 3, "ITM_NUMBER"),
        ("E", "V4", "219", "ORDER_HEADER_IN", 0, ""),
    ]
    assert result["SALESDOCUMENT"] == "" and read(conn, "VBAK", ["VBELN"]) == []
    # nothing was numbered: the next order gets the first number
    again = create_order(conn, [item("10", "SP-2000", "1")], [price("10", "12")])
    assert again["SALESDOCUMENT"] == "0000000001"


def test_missing_price_and_unknown_sales_area_name_their_fields(conn: LocalConnection) -> None:
    result = create_order(conn, [item("10", "SP-2000", "1")], [],
                          header={"DISTR_CHAN": "12"})

    assert codes(result)[:-1] == [
        ("E", "V1", "903", "ORDER_PARTNERS", 0, "PARTN_NUMB"),
        ("E", "V1", "915", "ORDER_ITEMS_IN", 1, "ITM_NUMBER")]
    assert "Sold-to party 0000001000 is not maintained for sales area 1000 12 00" in \
        result["RETURN"][0]["MESSAGE"]
    assert result["RETURN"][1]["MESSAGE"] == \
        "Pricing error: mandatory condition PR00 is missing in item 000010"


def test_test_run_saves_nothing(conn: LocalConnection) -> None:
    result = create_order(conn, [item("10", "SP-2000", "1")], [price("10", "12")],
                          TESTRUN="X")

    assert [m["NUMBER"] for m in result["RETURN"]] == ["233", "233"]
    assert result["SALESDOCUMENT"] == "" and read(conn, "VBAK", ["VBELN"]) == []
