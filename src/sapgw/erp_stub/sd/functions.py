"""BAPI_SALESORDER_CREATEFROMDAT2 and BAPI_BILLINGDOC_CREATEMULTIPLE.

Both check everything first and answer every problem in RETURN (PARAMETER, ROW, FIELD);
nothing is written unless all is right, and nothing with TESTRUN = 'X'. The documents are
written at BAPI_TRANSACTION_COMMIT (or at the end of the tRFC unit), as in SAP.
Function group names are ours.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.sd import billing, documents, invoices, sales_orders
from sapgw.erp_stub.sd.structures import (
    BAPICOND,
    BAPICREATORDATA,
    BAPIPARNR,
    BAPISCHDL,
    BAPISDHD1,
    BAPISDITM,
    BAPIVBRK,
    BAPIVBRKSUCCESS,
)
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

# ERNAM when the caller names nobody: the function context carries no logon user (ours).
RFC_USER = "RFC_USER"

group = FunctionGroup("SD_SALES")
billing_group = FunctionGroup("SD_BILLING")


@group.function(interface("BAPI_SALESORDER_CREATEFROMDAT2", [
    importing("ORDER_HEADER_IN", BAPISDHD1, optional=False, text="Order header"),
    importing("SALESDOCUMENTIN", CHAR(10), text="External number (not supported)"),
    importing("TESTRUN", CHAR(1), text="X: check only, save nothing"),
    exporting("SALESDOCUMENT", CHAR(10), "Number of the saved sales document"),
    tables("RETURN", BAPIRET2, text="Return messages"),
    tables("ORDER_ITEMS_IN", BAPISDITM, text="Items"),
    tables("ORDER_PARTNERS", BAPIPARNR, optional=False, text="Partners (AG sold-to party)"),
    tables("ORDER_SCHEDULES_IN", BAPISCHDL, text="Schedule lines"),
    tables("ORDER_CONDITIONS_IN", BAPICOND, text="Conditions (PR00 price)"),
], text="Sales order: create sales order"))
def bapi_salesorder_createfromdat2(ctx: CallContext, ORDER_HEADER_IN: dict[str, Any],
                                   SALESDOCUMENTIN: str, TESTRUN: str,
                                   RETURN: list[dict[str, Any]],
                                   ORDER_ITEMS_IN: list[dict[str, Any]],
                                   ORDER_PARTNERS: list[dict[str, Any]],
                                   ORDER_SCHEDULES_IN: list[dict[str, Any]],
                                   ORDER_CONDITIONS_IN: list[dict[str, Any]]) -> dict[str, Any]:
    doc, messages = sales_orders.check(ctx, ORDER_HEADER_IN, ORDER_ITEMS_IN, ORDER_PARTNERS,
                                       ORDER_SCHEDULES_IN, ORDER_CONDITIONS_IN)
    if SALESDOCUMENTIN:
        messages.error("V1", "913", "SALESDOCUMENTIN", "SALESDOCUMENTIN",
                       parameter="SALESDOCUMENTIN", field="SALESDOCUMENTIN")
    vbeln = ""
    if not messages and TESTRUN != "X":
        try:
            vbeln = documents.save(ctx, doc, RFC_USER, ORDER_HEADER_IN)
        except NumberRangeError as error:
            messages.error(error.msg_class or "NR", error.msg_number or "752", error.msg_v1,
                           error.msg_v2, error.msg_v3, parameter=sales_orders.HEADER)
    if messages:
        messages.error("V4", "219", "", parameter=sales_orders.HEADER)
        rows = messages.rows
    else:
        rows = [messages.success("V4", "233", "SALES_HEADER_IN", parameter=sales_orders.HEADER),
                messages.success("V4", "233", "SALES_ITEM_IN", parameter=sales_orders.ITEMS)]
        if vbeln:
            rows.append(messages.success("V1", "311", doc.type_text, vbeln))
    RETURN[:] = rows
    return {"SALESDOCUMENT": vbeln, "RETURN": RETURN, "ORDER_ITEMS_IN": ORDER_ITEMS_IN,
            "ORDER_PARTNERS": ORDER_PARTNERS, "ORDER_SCHEDULES_IN": ORDER_SCHEDULES_IN,
            "ORDER_CONDITIONS_IN": ORDER_CONDITIONS_IN}


@billing_group.function(interface("BAPI_BILLINGDOC_CREATEMULTIPLE", [
    importing("CREATORDATAIN", BAPICREATORDATA, text="Creator (CREATED_BY: ERNAM)"),
    importing("TESTRUN", CHAR(1), text="X: check only, save nothing"),
    importing("POSTING", CHAR(1), text="Posting control (not supported)"),
    tables("BILLINGDATAIN", BAPIVBRK, optional=False, text="Billing data: the references"),
    tables("RETURN", BAPIRET2, text="Return messages"),
    tables("SUCCESS", BAPIVBRKSUCCESS, text="Billing documents created, per item"),
], text="Billing: create billing documents"))
def bapi_billingdoc_createmultiple(ctx: CallContext, CREATORDATAIN: dict[str, Any],
                                   TESTRUN: str, POSTING: str,
                                   BILLINGDATAIN: list[dict[str, Any]],
                                   RETURN: list[dict[str, Any]],
                                   SUCCESS: list[dict[str, Any]]) -> dict[str, Any]:
    found, messages = billing.check(ctx, BILLINGDATAIN)
    if POSTING:
        messages.error("VF", "913", "POSTING", "POSTING", parameter="POSTING",
                       field="POSTING")
    rows, success = messages.rows, []
    if not messages:
        try:
            numbers, rows = invoices.post(ctx, found, CREATORDATAIN["CREATED_BY"] or RFC_USER,
                                          TESTRUN == "X")
        except NumberRangeError as error:
            numbers = []
            messages.error(error.msg_class or "NR", error.msg_number or "752", error.msg_v1,
                           error.msg_v2, error.msg_v3, parameter=billing.BILLINGDATAIN)
            rows = messages.rows
        if not rows and numbers:
            rows = [messages.success("VF", "911", vbeln) for vbeln in numbers]
            success = [{"REF_DOC": entry.item["VBELN"], "REF_DOC_IT": entry.item["POSNR"],
                        "BILL_DOC": vbeln, "BILL_DOC_ITEM": f"{number * 10:06d}"}
                       for invoice, vbeln in zip(found, numbers, strict=True)
                       for number, entry in enumerate(invoice.items, start=1)]
    RETURN[:] = rows
    SUCCESS[:] = success
    return {"BILLINGDATAIN": BILLINGDATAIN, "RETURN": RETURN, "SUCCESS": SUCCESS}
