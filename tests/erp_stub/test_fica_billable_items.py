"""Billable items of class 0SAP: /1FE/0SAP_BIT_CREATE_API stores them billable (2) or raw (0)
with the reason, packages as a unit; FKK_BIX_BITRAW_CORRECT corrects and releases them."""

from __future__ import annotations

from typing import Any

import pytest

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.fica_support import bit, bits, contract_with_items, read

RAW, BILLABLE = "/1FE/00SAP0IT", "/1FE/00SAP2IT"


@pytest.fixture
def vkont(conn: LocalConnection) -> str:
    return contract_with_items(conn)[1]


def _results(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [(r["SRCTAID"], r["BITSTATUS"], r["SERVICE_TYPE"], r["RAREL"], r["MSGNO"])
            for r in result["ET_BIT_RESULT"]]


def test_usage_and_one_off_items_become_billable_with_their_service_types(
        conn: LocalConnection, vkont: str) -> None:
    result = bits(conn, bit("CALL-1", vkont, "0.13", BIT_QUANTITY="3", BIT_QTY_UNIT="MIN"),
                  bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10"))

    assert result["RETURN"][0]["MESSAGE"] == "2 billable items saved: 2 billable, 0 raw"
    assert _results(result) == [("CALL-1", "2", "USAGE", "X", "000"),
                                ("FEE-1", "2", "ONEOFF", "X", "000")]
    assert read(conn, BILLABLE, ["SRCTAID", "BITSTATUS", "GPART", "BUKRS", "PRDNR",
                                 "BIT_AMOUNT", "BITPACKUUID", "BITPACKCNO"]) == [
        ["CALL-1", "2", "0000200000", "1000", "SERVICE", "0.13", "CALL-1", "00000000"],
        ["FEE-1", "2", "0000200000", "1000", "DEVICE", "19.99", "FEE-1", "00000000"]]
    assert read(conn, RAW, ["SRCTAID"]) == []


def test_items_failing_checks_stay_raw_with_the_reason_and_their_package(
        conn: LocalConnection, vkont: str) -> None:
    result = bits(
        conn, bit("CALL-2", vkont, "1", BITDATE="20280101"),
        bit("PACK-1", vkont, "1", BITPACKUUID="PACK", BITPACKCNO="1"),
        bit("PACK-1", vkont, "1", BITPACKUUID="PACK", BITPACKCNO="2", SERVICE_TYPE="NOSUCH"),
        bit("CALL-3", "999999", "1"), bit("CALL-4", vkont, "1"))

    assert result["RETURN"][0]["MESSAGE"] == "5 billable items saved: 1 billable, 4 raw"
    assert _results(result) == [
        ("CALL-2", "0", "", "", "032"), ("PACK-1", "0", "USAGE", "X", "033"),
        ("PACK-1", "0", "NOSUCH", "", "015"), ("CALL-3", "0", "", "", "002"),
        ("CALL-4", "2", "USAGE", "X", "000")]
    raw = read(conn, RAW, ["SRCTAID", "BITPACKCNO", "RAW_MSGID", "RAW_MSGNO", "RAW_TEXT"])
    assert raw[0] == ["CALL-2", "00000000", "FKK_CI", "032",
                      "Date 20280101 lies outside the validity of contract item PC-1 000020 "
                      "(20261201000000-20271130235959)"]
    assert [row[:4] for row in raw[1:]] == [
        ["PACK-1", "00000001", "FKK_CI", "033"], ["PACK-1", "00000002", "FKK_CI", "015"],
        ["CALL-3", "00000000", "FKK_CI", "002"]]
    assert read(conn, BILLABLE, ["SRCTAID"]) == [["CALL-4"]]


def test_raw_items_are_corrected_and_released_as_a_package(
        conn: LocalConnection, vkont: str) -> None:
    bits(conn, bit("PACK-2", vkont, "1", BITPACKUUID="P2", BITPACKCNO="1"),
         bit("PACK-2", vkont, "2", BITPACKUUID="P2", BITPACKCNO="2", BITDATE="20280101"))

    still = conn.call("FKK_BIX_BITRAW_CORRECT", BITCAT="0SAP", IT_BIT_IT=[
        {"SRCTATYPE": "01", "SRCTAID": "PACK-2", "BITPACKUUID": "P2", "BITPACKCNO": "1",
         "BIT_AMOUNT": "5"}])
    assert [(m["TYPE"], m["NUMBER"]) for m in still["RETURN"]] == [("E", "032")]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert [row[0] for row in read(conn, RAW, ["BIT_AMOUNT"])] == ["1.00", "2.00"]

    released = conn.call("FKK_BIX_BITRAW_CORRECT", BITCAT="0SAP", IT_BIT_IT=[
        {"SRCTATYPE": "01", "SRCTAID": "PACK-2", "BITPACKUUID": "P2", "BITPACKCNO": "2",
         "BITDATE": "20270101"}])
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert released["RETURN"][0]["MESSAGE"] == "2 billable items released"
    assert read(conn, RAW, ["SRCTAID"]) == []
    assert read(conn, BILLABLE, ["BITPACKCNO", "BITDATE", "BITSTATUS", "RAW_MSGNO"]) == [
        ["00000001", "20261215", "2", "000"], ["00000002", "20270101", "2", "000"]]


def test_a_call_with_bad_keys_is_refused_whole(conn: LocalConnection, vkont: str) -> None:
    bits(conn, bit("CALL-5", vkont, "1"))
    result = bits(conn, bit("CALL-5", vkont, "1"), bit("", vkont, "1"),
                  bit("CALL-6", vkont, "1"), bit("CALL-6", vkont, "1"))
    assert [(m["NUMBER"], m["ROW"], m["FIELD"]) for m in result["RETURN"]] == [
        ("035", 1, "SRCTAID"), ("005", 2, "SRCTAID"), ("034", 4, "SRCTAID")]
    assert result["ET_BIT_RESULT"] == []
    assert read(conn, BILLABLE, ["SRCTAID"]) == [["CALL-5"]]
    unknown = conn.call("FKK_BIX_BITRAW_CORRECT", BITCAT="0SAP", IT_BIT_IT=[
        {"SRCTATYPE": "01", "SRCTAID": "CALL-5"}])
    assert [m["NUMBER"] for m in unknown["RETURN"]] == ["037"]


def test_test_run_answers_the_statuses_and_saves_nothing(conn: LocalConnection,
                                                         vkont: str) -> None:
    result = bits(conn, bit("CALL-7", vkont, "1"), TESTRUN="X")
    assert _results(result) == [("CALL-7", "2", "USAGE", "X", "000")]
    assert read(conn, BILLABLE, ["SRCTAID"]) == []


def test_excepted_items_are_not_billed_until_restored(conn: LocalConnection,
                                                      vkont: str) -> None:
    bits(conn, bit("CALL-8", vkont, "1"), bit("CALL-9", vkont, "1", BITDATE="20280101"))
    key = {"SRCTATYPE": "01", "SRCTAID": "CALL-8"}
    excepted = conn.call("FKK_BIX_BIT_EXCEPT", BITCAT="0SAP", ACTION="E", EXCREASON="01",
                         IT_BIT_KEYS=[key, {"SRCTATYPE": "01", "SRCTAID": "CALL-9"}])
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert excepted["RETURN"][0]["MESSAGE"] == "2 billable items: except done"
    assert read(conn, "/1FE/00SAP3IT", ["SRCTAID", "BITSTATUS", "EXCREASON"]) == [
        ["CALL-8", "3", "01"]]
    assert read(conn, "/1FE/00SAP1IT", ["SRCTAID", "BITSTATUS"]) == [["CALL-9", "1"]]
    billed = conn.call("FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    assert [m["NUMBER"] for m in billed["RETURN"]] == ["041"]

    twice = conn.call("FKK_BIX_BIT_EXCEPT", BITCAT="0SAP", ACTION="E", EXCREASON="ZZ",
                      IT_BIT_KEYS=[key])
    assert [(m["NUMBER"], m["FIELD"]) for m in twice["RETURN"]] == [("056", "EXCREASON")]
    again = conn.call("FKK_BIX_BIT_EXCEPT", BITCAT="0SAP", ACTION="E", EXCREASON="01",
                      IT_BIT_KEYS=[key])
    assert again["RETURN"][0]["MESSAGE"] == (
        "Billable item 01 CALL-8 item 00000000 is in status 3: not possible")

    conn.call("FKK_BIX_BIT_EXCEPT", BITCAT="0SAP", ACTION="R", IT_BIT_KEYS=[key])
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert read(conn, "/1FE/00SAP2IT", ["SRCTAID", "BITSTATUS", "EXCREASON"]) == [
        ["CALL-8", "2", ""]]
