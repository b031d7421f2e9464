"""COSP/COSS: every CO line item is added to the totals of its object, cost element and
period in the LUW that writes it, so the totals always equal the sum of the line items."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.postings import CoLine, CoReference, post_line_items
from sapgw.erp_stub.co.totals import by_cost_element_and_period, totals
from sapgw.erp_stub.co.totals_tables import COSP, COSS
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.rfc.errors import ABAPApplicationError
from tests.erp_stub.co_totals import assert_totals_equal_line_items
from tests.erp_stub.test_co_postings import create_order
from tests.erp_stub.test_fi_post import amount, codes, expense, post, rows

CONSUMPTION = "0000400000"
CCTR = "KS10000000001000"


def test_fi_postings_add_up_per_cost_element_and_period(erp: ErpSystem,
                                                        conn: LocalConnection) -> None:
    postings = [("20261103", "100.00"), ("20261120", "250.55"), ("20261121", "-30.25"),
                ("20261201", "40.10")]
    for budat, value in postings:
        document = expense(value.lstrip("-"), PSTNG_DATE=budat, DOC_DATE=budat)
        if value.startswith("-"):  # a credit on the cost element
            document["CURRENCYAMOUNT"] = [{**row, "AMT_DOCCUR": -row["AMT_DOCCUR"]}
                                          for row in document["CURRENCYAMOUNT"]]
        result = post(conn, document)
        assert codes(result["RETURN"]) == [("S", "RW", "605")]

    [credit, debit] = rows(erp, COSP)  # key order: BEKNZ H before S
    assert (debit["OBJNR"], debit["KSTAR"], debit["VRGNG"], debit["BEKNZ"]) == (
        CCTR, CONSUMPTION, "COIN", "S")
    november = sum(Decimal(v) for budat, v in postings if budat[4:6] == "11" and v[0] != "-")
    december = sum(Decimal(v) for budat, v in postings if budat[4:6] == "12")
    assert (debit["WKG011"], debit["WKG012"], debit["WTG011"]) == (november, december, november)
    assert credit["BEKNZ"] == "H"
    assert credit["WKG011"] == Decimal("-30.25")
    assert rows(erp, COSS) == []
    assert_totals_equal_line_items(erp)

    ctx = CallContext(erp, Luw())
    assert by_cost_element_and_period(totals(ctx, CCTR, "2026")) == {
        (CONSUMPTION, 11): sum(Decimal(v) for b, v in postings if b[4:6] == "11"),
        (CONSUMPTION, 12): december}


def test_foreign_currency_keeps_transaction_and_area_currency(erp: ErpSystem,
                                                              conn: LocalConnection) -> None:
    document = expense()
    document["CURRENCYAMOUNT"] = [
        amount(1, "110.00", "USD"), amount(2, "-110.00", "USD"),
        amount(1, "100.00", CURR_TYPE="10"), amount(2, "-100.00", CURR_TYPE="10")]
    post(conn, document)

    [row] = rows(erp, COSP)
    assert (row["TWAER"], row["WTG011"], row["WKG011"], row["WOG011"]) == (
        "USD", Decimal("110.00"), Decimal("100.00"), Decimal("100.00"))
    assert_totals_equal_line_items(erp)


def test_order_and_cost_center_lines_are_totalled_apart(erp: ErpSystem,
                                                        conn: LocalConnection) -> None:
    aufnr = create_order(conn)
    post(conn, expense("12.34", co={"ORDERID": aufnr}))
    post(conn, expense("0.66", co={"ORDERID": aufnr}))
    post(conn, expense("5.00"))

    by_object = {row["OBJNR"]: row["WKG011"] for row in rows(erp, COSP)}
    assert by_object == {f"OR{aufnr}": Decimal("12.34") + Decimal("0.66"),
                         CCTR: Decimal("5.00")}
    assert_totals_equal_line_items(erp)


def test_internal_postings_go_to_coss_with_partner_origin_and_quantity(erp: ErpSystem) -> None:
    ctx = CallContext(erp, Luw())
    hours, price = Decimal("7.5"), Decimal("85.20")
    value = hours * price
    kl, order = "KL10000000001000SRVHR", "OR000000100000"
    for _ in range(2):
        post_line_items(ctx, kokrs="1000", budat="20261130", vrgng="RKL",
                        reference=CoReference(refbt="K"), lines=[
                            CoLine(kl, "0000943000", -value, parob=order, quantity=-hours,
                                   unit="H"),
                            CoLine(order, "0000943000", value, parob=kl, uspob=kl,
                                   quantity=hours, unit="H")])
    ctx.commit()

    assert rows(erp, COSP) == []
    sender, receiver = sorted(rows(erp, COSS), key=lambda row: row["OBJNR"])
    assert (sender["OBJNR"], sender["PAROB"], sender["BEKNZ"], sender["WKG011"],
            sender["MEG011"], sender["MEINH"]) == (kl, order, "H", -2 * value, -2 * hours, "H")
    assert (receiver["OBJNR"], receiver["PAROB"], receiver["USPOB"], receiver["WKG011"],
            receiver["MEG011"]) == (order, kl, kl, 2 * value, 2 * hours)
    assert_totals_equal_line_items(erp)


def test_rollback_leaves_the_totals_alone(erp: ErpSystem, conn: LocalConnection) -> None:
    post(conn, expense("10.00"), commit=False)
    conn.call("BAPI_TRANSACTION_ROLLBACK")
    post(conn, expense("20.00"))

    [row] = rows(erp, COSP)
    assert row["WKG011"] == Decimal("20.00")
    assert_totals_equal_line_items(erp)


def test_rfc_read_table_reads_the_totals_by_fields(erp: ErpSystem, conn: LocalConnection) -> None:
    post(conn, expense("12.50"))

    result = conn.call("RFC_READ_TABLE", QUERY_TABLE="COSP", DELIMITER="|",
                       FIELDS=[{"FIELDNAME": "OBJNR"}, {"FIELDNAME": "KSTAR"},
                               {"FIELDNAME": "WKG011"}, {"FIELDNAME": "PERBL"}],
                       OPTIONS=[{"TEXT": "OBJNR LIKE 'KS%'"}])

    assert [[v.strip() for v in row["WA"].split("|")] for row in result["DATA"]] == [
        [CCTR, CONSUMPTION, "12.50", "016"]]
    # All 78 fields are wider than a DATA line, as SAP's COSP is: select fields.
    with pytest.raises(ABAPApplicationError, match="DATA_BUFFER_EXCEEDED"):
        conn.call("RFC_READ_TABLE", QUERY_TABLE="COSS", DELIMITER="|")
