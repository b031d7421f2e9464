"""Billing (FKKBIX_S/M) and invoicing (FKKINV_S/M): billing documents from billable items,
invoicing documents and balanced FI-CA documents with posting-area account determination,
one reconciliation key per mass run."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.fica import billing, invoicing
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.rfc.errors import ABAPRuntimeError
from tests.erp_stub.fica_support import (
    SERVICE,
    account,
    bit,
    bits,
    contract,
    contract_item,
    contract_with_items,
    read,
)
from tests.erp_stub.sd_support import amount


@pytest.fixture
def vkont(conn: LocalConnection) -> str:
    vkont = contract_with_items(conn)[1]
    bits(conn, bit("CALL-1", vkont, "0.13", BIT_QUANTITY="3", BIT_QTY_UNIT="MIN"),
         bit("CALL-2", vkont, "0.20", BIT_QUANTITY="5", BIT_QTY_UNIT="MIN",
             BITDATE="20261216"),
         bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10", HVORG="0100", TVORG="0030"))
    return vkont


def run(conn: LocalConnection, function: str, **params: Any) -> dict[str, Any]:
    result = conn.call(function, **params)
    conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def test_billing_sums_items_and_marks_them_billed(conn: LocalConnection, vkont: str) -> None:
    result = run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")

    assert result["RETURN"][0]["MESSAGE"] == (
        "1 billing documents created for 3 billable items")
    [doc] = result["ET_BILLDOCS"]
    assert (doc["BILLDOCNO"], doc["BILL_AMOUNT"], doc["BIT_NUMBER"]) == (
        "100000000000", Decimal("20.32"), "0000000003")
    assert read(conn, "DFKKINVBILL_I", ["BILLDOCITEM", "VTPOS", "HVORG", "TVORG",
                                        "BILL_AMOUNT", "QUANTITY", "DATE_FROM", "DATE_TO",
                                        "SERVICE_TYPE", "BIT_NUMBER"]) == [
        ["000001", "000020", "0100", "0020", "0.33", "8.000", "20261215", "20261216",
         "USAGE", "0000000002"],
        ["000002", "000010", "0100", "0030", "19.99", "0.000", "20261215", "20261215",
         "ONEOFF", "0000000001"]]
    assert read(conn, "DFKKINV_TRIG", ["BILLDOCNO", "VKONT"]) == [["100000000000", vkont]]
    assert read(conn, "/1FE/00SAP2IT", ["SRCTAID"]) == []
    assert read(conn, "/1FE/00SAP4IT", ["SRCTAID", "BITSTATUS", "BILLDOCNO"]) == [
        ["CALL-1", "4", "100000000000"], ["CALL-2", "4", "100000000000"],
        ["FEE-1", "4", "100000000000"]]


def test_a_package_waits_for_its_latest_item(conn: LocalConnection, vkont: str) -> None:
    bits(conn, bit("P-1", vkont, "1", BITPACKUUID="PK", BITPACKCNO="1"),
         bit("P-1", vkont, "1", BITPACKUUID="PK", BITPACKCNO="2", BITDATE="20270110"))
    result = run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    assert result["ET_BILLDOCS"][0]["BIT_NUMBER"] == "0000000003"
    assert [row[0] for row in read(conn, "/1FE/00SAP2IT", ["SRCTAID"])] == ["P-1", "P-1"]
    nothing = run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    assert [(m["TYPE"], m["NUMBER"]) for m in nothing["RETURN"]] == [("S", "041")]


def test_invoicing_posts_a_balanced_fica_document(conn: LocalConnection, vkont: str) -> None:
    run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    result = run(conn, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20261130")

    [doc] = result["ET_INVDOCS"]
    assert (doc["INVDOCNO"], doc["OPBEL"], doc["TOTAL_AMT"], doc["FIKEY"]) == (
        "200000000000", "300000000000", Decimal("20.32"), "CI2611300001")
    assert result["RETURN"][0]["MESSAGE"] == (
        "Invoicing document 200000000000 posted as FI-CA document 300000000000 "
        "(key CI2611300001)")
    assert read(conn, "DFKKKO", ["OPBEL", "FIKEY", "BUDAT", "GJAHR", "POPER", "INVDOCNO"]) == [
        ["300000000000", "CI2611300001", "20261130", "2026", "011", "200000000000"]]
    op = read(conn, "DFKKOP", ["OPUPK", "GPART", "VKONT", "HVORG", "HKONT", "FAEDN", "BETRW"])
    assert op == [["0001", "0000200000", vkont, "0100", "0000140000", "20261214", "20.32"]]
    opk = read(conn, "DFKKOPK", ["OPUPK", "HKONT", "BETRW"])
    # 0100/0020 has its own row in posting area 1100; 0100/0030 falls back to company 1000's.
    assert opk == [["0001", "0000800100", "0.33-"], ["0002", "0000800000", "19.99-"]]
    assert sum(amount(row[-1]) for row in op + opk) == 0
    assert read(conn, "DFKKINVDOC_I", ["INVDOCITEM", "BETRW", "HKONT", "OPBEL", "SRCDOCNO",
                                       "SRCDOCITEM", "RAREL"]) == [
        ["000001", "0.33", "0000800100", "300000000000", "100000000000", "000001", "X"],
        ["000002", "19.99", "0000800000", "300000000000", "100000000000", "000002", "X"]]
    assert read(conn, "DFKKINVDOC_P", ["INVDOCNO", "OPBEL", "XNEWDOC"]) == [
        ["200000000000", "300000000000", "X"]]
    assert read(conn, "DFKKINVBILL_H", ["INVSTATUS", "INVDOCNO"]) == [["X", "200000000000"]]
    assert read(conn, "DFKKINV_TRIG", ["BILLDOCNO"]) == []
    assert read(conn, "FKKFIKEY", ["FIKEY", "XCLOS"]) == [["CI2611300001", "X"]]


def test_mass_runs_bill_and_invoice_every_account_under_one_key(
        conn: LocalConnection, vkont: str) -> None:
    gpart = read(conn, "FKKVKP", ["GPART"])[0][0]
    other = account(conn, gpart)
    contract(conn, {"VTKEY": "PC-2", "GPART": gpart}, [contract_item("10", other, **SERVICE)])
    bits(conn, bit("CALL-9", other, "1.00", VTREF="PC-2", VTPOS="10"))

    billed = run(conn, "FKK_BIX_BILL_MASS", DATE_TO="20261231")
    assert billed["BILLRUNNO"] == "000000000001"
    assert [doc["VKONT"] for doc in billed["ET_BILLDOCS"]] == [vkont, other]
    invoiced = run(conn, "FKK_INV_INVOICE_MASS", BUDAT="20261130")

    assert invoiced["INVRUNNO"] == "000000000002"
    assert [doc["FIKEY"] for doc in invoiced["ET_INVDOCS"]] == [invoiced["FIKEY"]] * 2
    assert invoiced["RETURN"][-1]["MESSAGE"] == (
        "2 invoicing documents created, 0 contract accounts with errors")
    assert read(conn, "DFKKINVDOC_H", ["VKONT", "INVRUNNO", "TOTAL_AMT"]) == [
        [vkont, "000000000002", "20.32"], [other, "000000000002", "1.00"]]
    assert read(conn, "FKKFIKEY", ["FIKEY", "XCLOS", "RUNNO"]) == [
        [invoiced["FIKEY"], "X", "000000000002"]]


def test_a_closed_period_keeps_the_orders(conn: LocalConnection, vkont: str) -> None:
    run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    result = run(conn, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20300115")

    assert [(m["TYPE"], m["NUMBER"], m["FIELD"]) for m in result["RETURN"]] == [
        ("E", "044", "BUDAT")]
    assert result["RETURN"][0]["MESSAGE"] == (
        f"Posting period 2030/1 is not open in company code 1000 (account {vkont})")
    assert read(conn, "DFKKINV_TRIG", ["BILLDOCNO"]) == [["100000000000"]]
    assert read(conn, "DFKKKO", ["OPBEL"]) == []
    assert read(conn, "FKKFIKEY", ["FIKEY"]) == []


def test_a_closed_reconciliation_key_is_refused(conn: LocalConnection, vkont: str) -> None:
    run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    bits(conn, bit("CALL-3", vkont, "1.00"))
    run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    first = run(conn, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20261130")
    key = first["ET_INVDOCS"][0]["FIKEY"]
    open_key = run(conn, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20261130", FIKEY=key)
    assert [(m["NUMBER"], m["MESSAGE"]) for m in open_key["RETURN"]] == [
        ("046", f"No invoicing orders for contract account {vkont}")]
    bits(conn, bit("CALL-4", vkont, "1.00"))
    run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    refused = run(conn, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20261130", FIKEY=key)
    assert [(m["TYPE"], m["NUMBER"]) for m in refused["RETURN"]] == [("E", "042")]
    assert len(read(conn, "DFKKINV_TRIG", ["BILLDOCNO"])) == 1


def test_invoicing_gives_invoice_items_for_revenue_accounting(conn: LocalConnection,
                                                              vkont: str) -> None:
    run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    before = {row[0] for row in read(conn, "DFKKRA_RAI_MI", ["RAI_ID"])}
    run(conn, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20261130")

    items = [row for row in read(conn, "DFKKRA_RAI_MI", [
        "RAI_ID", "SRCDOC_TYPE", "SRCDOC_ID", "ORIGDOC_TYPE", "ORIGDOC_ID", "SERVICE_TYPE",
        "BETRW", "POSTING_DATE", "RA_REFID"]) if row[0] not in before]
    assert [row[1:] for row in items] == [
        ["CAIN", "200000000000/000001", "CAOI", "PC-1/000020", "USAGE", "0.33", "20261130",
         "PC-1"],
        ["CAIN", "200000000000/000002", "CAOI", "PC-1/000010", "ONEOFF", "19.99", "20261130",
         "PC-1"]]
    conditions = read(conn, "DFKKRA_RAI_CO", ["RAI_ID", "CONDITION_TYPE", "BETRW"])
    assert [row[1:] for row in conditions if row[0] == items[1][0]] == [["CTPR", "19.99"]]


def test_two_runs_at_once_never_bill_or_invoice_twice(erp: ErpSystem, vkont: str) -> None:
    first, second = CallContext(erp, Luw()), CallContext(erp, Luw())
    for ctx in (first, second):
        billing.bill(ctx, "0SAP", billing.billable(ctx, "0SAP", vkont, "20261231"), "", "T")
    first.commit()
    with pytest.raises(ABAPRuntimeError) as billed:
        second.commit()
    assert (billed.value.msg_class, billed.value.msg_number) == ("FKK_CI", "049")
    assert len(read(erp.connect(), "DFKKINVBILL_H", ["BILLDOCNO"])) == 1

    problems = [Problems(first), Problems(second)]
    for ctx, found in zip((first, second), problems, strict=True):
        invoices, _ = invoicing.plan(ctx, invoicing.orders(ctx, vkont), "20261130", found)
        for invoice in invoices:
            invoicing.post(ctx, invoice, "20261130", "KEY", "", "T")
    first.commit()
    with pytest.raises(ABAPRuntimeError) as invoiced:
        second.commit()
    assert (invoiced.value.msg_class, invoiced.value.msg_number) == ("FKK_CI", "047")
    assert len(read(erp.connect(), "DFKKKO", ["OPBEL"])) == 1
