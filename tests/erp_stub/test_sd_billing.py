"""BAPI_BILLINGDOC_CREATEMULTIPLE: VBRK/VBRP/VBFA, the accounting document that balances,
the revenue on the internal order as a CO line item, billing once only, every error."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.rfc.errors import ABAPRuntimeError
from tests.erp_stub.periods import close_period
from tests.erp_stub.sd_support import (
    amount,
    bill,
    codes,
    create_order,
    internal_order,
    item,
    price,
    read,
    sales_data,
    value,
)

ORDER = {"REF_DOC_CA": "C"}


@pytest.fixture(autouse=True)
def customer(conn: LocalConnection) -> None:
    sales_data(conn)


def service_order(conn: LocalConnection, aufnr: str = "") -> str:
    """Labour on the internal order (7.5 h at 96.333) and a part without one (3 at 12.345)."""
    result = create_order(conn, [item("10", "SP-2000", "7.5", ORDERID=aufnr),
                                 item("20", "SP-2000", "3")],
                          [price("10", "96.333"), price("20", "12.345")])
    return result["SALESDOCUMENT"]


def test_billing_posts_invoice_flow_fi_document_and_revenue_on_the_order(
        conn: LocalConnection) -> None:
    aufnr = internal_order(conn)
    vbeln = service_order(conn, aufnr)
    labour, part = value("7.5", "96.333"), value("3", "12.345")

    result = bill(conn, {**ORDER, "REF_DOC": vbeln, "BILL_DATE": "20261130"}, commit=False)

    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["MESSAGE"]) for m in result["RETURN"]] == [
        ("S", "VF", "911", "Document 0090000000 has been saved")]
    assert result["SUCCESS"] == [
        {"REF_DOC": vbeln, "REF_DOC_IT": "000010", "BILL_DOC": "0090000000",
         "BILL_DOC_ITEM": "000010"},
        {"REF_DOC": vbeln, "REF_DOC_IT": "000020", "BILL_DOC": "0090000000",
         "BILL_DOC_ITEM": "000020"}]
    assert read(conn, "VBRK", ["VBELN"]) == []
    conn.call("BAPI_TRANSACTION_COMMIT")

    [vbrk] = read(conn, "VBRK", ["VBELN", "FKART", "VBTYP", "FKDAT", "GJAHR", "POPER", "KUNAG",
                                 "KUNRG", "BUKRS", "RFBSK", "KTGRD", "NETWR"])
    assert vbrk[:11] == ["0090000000", "F2", "M", "20261130", "2026", "011", "0000001000",
                         "0000001000", "1000", "C", "01"]
    assert amount(vbrk[11]) == labour + part
    vbrp = read(conn, "VBRP", ["POSNR", "AUBEL", "AUPOS", "VGTYP", "AUFNR", "SAKN1", "FKIMG",
                               "NETWR"])
    assert [row[:6] for row in vbrp] == [
        ["000010", vbeln, "000010", "C", aufnr, "0000800100"],
        ["000020", vbeln, "000020", "C", "", "0000800000"]]
    assert [(amount(row[6]), amount(row[7])) for row in vbrp] == [
        (Decimal("7.5"), labour), (Decimal(3), part)]
    assert [row[:5] for row in read(conn, "VBFA", ["VBELV", "POSNV", "VBELN", "POSNN",
                                                   "VBTYP_N", "RFWRT"])] == [
        [vbeln, "000010", "0090000000", "000010", "M"],
        [vbeln, "000020", "0090000000", "000020", "M"]]
    assert read(conn, "VBUP", ["FKSAA"]) == [["C"], ["C"]]
    assert read(conn, "VBUK", ["FKSAK"]) == [["C"]]

    [bkpf] = read(conn, "BKPF", ["BELNR", "BLART", "AWTYP", "AWKEY", "XBLNR", "BUDAT"])
    assert bkpf[1:] == ["RV", "VBRK", "0090000000", "0090000000", "20261130"]
    lines = read(conn, "BSEG", ["KOART", "SHKZG", "HKONT", "KUNNR", "AUFNR", "DMBTR"],
                 f"BELNR = '{bkpf[0]}'")
    assert [(line[:5], amount(line[5])) for line in lines] == [
        (["D", "S", "0000140000", "0000001000", ""], labour + part),
        (["S", "H", "0000800100", "", aufnr], labour),
        (["S", "H", "0000800000", "", ""], part)]
    debit = sum(amount(line[5]) for line in lines if line[1] == "S")
    assert debit == sum(amount(line[5]) for line in lines if line[1] == "H")

    [coep] = read(conn, "COEP", ["OBJNR", "KSTAR", "VRGNG", "WRTTP", "BEKNZ", "PERIO",
                                 "WKGBTR"])
    assert coep[:6] == [f"OR{aufnr}", "0000800100", "COIN", "04", "H", "011"]
    assert amount(coep[6]) == -labour
    assert read(conn, "CSKB", ["KATYP"], "KSTAR = '0000800100'") == [["11"]]


def test_an_item_is_billed_once(conn: LocalConnection) -> None:
    vbeln = service_order(conn)
    first = bill(conn, {**ORDER, "REF_DOC": vbeln, "REF_ITEM": "000020"})
    assert [m["NUMBER"] for m in first["RETURN"]] == ["911"]
    assert read(conn, "VBUK", ["FKSAK"]) == [["B"]]

    again = bill(conn, {**ORDER, "REF_DOC": vbeln, "REF_ITEM": "000020"})
    assert codes(again) == [("E", "VF", "904", "BILLINGDATAIN", 1, "REF_ITEM")]
    assert again["RETURN"][0]["MESSAGE"] == (
        f"Item 000020 of document {vbeln} is already fully invoiced "
        "(billing document 0090000000)")
    rest = bill(conn, {**ORDER, "REF_DOC": vbeln})  # the whole order: item 10 is left
    assert [row["REF_DOC_IT"] for row in rest["SUCCESS"]] == ["000010"]
    assert read(conn, "VBUK", ["FKSAK"]) == [["C"]]
    assert codes(bill(conn, {**ORDER, "REF_DOC": vbeln}))[0][2] == "904"
    assert len(read(conn, "VBRK", ["VBELN"])) == 2


def test_two_sessions_billing_the_same_item_post_it_once(erp: ErpSystem,
                                                         conn: LocalConnection) -> None:
    vbeln = service_order(conn)
    other = erp.connect()
    assert bill(conn, {**ORDER, "REF_DOC": vbeln}, commit=False)["SUCCESS"]
    assert bill(other, {**ORDER, "REF_DOC": vbeln}, commit=False)["SUCCESS"]
    conn.call("BAPI_TRANSACTION_COMMIT")

    with pytest.raises(ABAPRuntimeError, match="already fully invoiced"):
        other.call("BAPI_TRANSACTION_COMMIT")
    assert len(read(conn, "VBRK", ["VBELN"])) == 1
    assert len(read(conn, "BKPF", ["BELNR"])) == 1


def test_items_of_several_orders_share_a_billing_document(conn: LocalConnection) -> None:
    first, second = service_order(conn), service_order(conn)
    result = bill(conn, {**ORDER, "REF_DOC": first}, {**ORDER, "REF_DOC": second})

    assert {row["BILL_DOC"] for row in result["SUCCESS"]} == {"0090000000"}
    assert len(read(conn, "VBRP", ["POSNR"])) == 4
    third = service_order(conn)
    split = bill(conn, {**ORDER, "REF_DOC": third, "REF_ITEM": "10", "BILL_DATE": "20261201"},
                 {**ORDER, "REF_DOC": third, "REF_ITEM": "20", "BILL_DATE": "20261202"})
    assert [row["BILL_DOC"] for row in split["SUCCESS"]] == ["0090000001", "0090000002"]


def test_errors_are_answered_together_and_nothing_is_billed(conn: LocalConnection) -> None:
    vbeln = service_order(conn)
    free = create_order(conn, [item("10", "SP-2000", "1", ITEM_CATEG="TANN")], [])
    result = bill(conn, {**ORDER, "REF_DOC": "4711"},
                  {**ORDER, "REF_DOC": vbeln, "SALESORG": "2000", "ORDBILLTYP": "ZZ"},
                  {**ORDER, "REF_DOC": vbeln, "REF_ITEM": "30"},
                  {**ORDER, "REF_DOC": vbeln, "REF_ITEM": "10", "REQ_QTY": "2"},
                  {**ORDER, "REF_DOC": free["SALESDOCUMENT"]},
                  {"REF_DOC_CA": "J", "REF_DOC": vbeln})

    assert codes(result) == [
        ("E", "VF", "901", "BILLINGDATAIN", 1, "REF_DOC"),
        ("E", "VF", "908", "BILLINGDATAIN", 2, "SALESORG"),
        ("E", "VF", "905", "BILLINGDATAIN", 2, "ORDBILLTYP"),
        ("E", "VF", "902", "BILLINGDATAIN", 3, "REF_ITEM"),
        ("E", "VF", "909", "BILLINGDATAIN", 4, "REQ_QTY"),
        ("E", "VF", "903", "BILLINGDATAIN", 5, "REF_DOC"),
        ("E", "VF", "906", "BILLINGDATAIN", 6, "REF_DOC_CA"),
    ]
    assert result["SUCCESS"] == [] and read(conn, "VBRK", ["VBELN"]) == []


def test_a_closed_period_refuses_the_billing_with_fis_message(conn: LocalConnection) -> None:
    vbeln = service_order(conn)
    close_period(conn, 2026, 11)

    result = bill(conn, {**ORDER, "REF_DOC": vbeln, "BILL_DATE": "20261130"})

    assert [(m["ID"], m["NUMBER"], m["FIELD"]) for m in result["RETURN"]] == [
        ("RW", "609", ""), ("F5", "201", "PSTNG_DATE")]  # FI's answer, as it is
    assert read(conn, "VBRK", ["VBELN"]) == [] and read(conn, "VBUP", ["FKSAA"]) == [
        ["A"], ["A"]]
    bill(conn, {**ORDER, "REF_DOC": vbeln, "BILL_DATE": "20261201"})
    assert read(conn, "VBRK", ["VBELN"]) == [["0090000000"]]  # no number was lost


def test_test_run_checks_everything_and_saves_nothing(conn: LocalConnection) -> None:
    vbeln = service_order(conn)
    result = bill(conn, {**ORDER, "REF_DOC": vbeln}, TESTRUN="X")

    assert result["RETURN"] == [] and result["SUCCESS"] == []
    assert read(conn, "VBRK", ["VBELN"]) == [] and read(conn, "BKPF", ["BELNR"]) == []
