"""Order-related billing (VF01-like): the check of BAPI_BILLINGDOC_CREATEMULTIPLE.

Each BILLINGDATAIN row names a sales order (REF_DOC_CA C) and one item, or every item still
to be billed (REF_ITEM 000000). An item is billed once and in full: an item whose VBUP-FKSAA
is C is refused with the billing document that billed it; partial quantities are refused.
Items of the same billing type, sales area, sold-to party, billing date, currency and
company code form one billing document (SAP's split criteria, reduced to those). The revenue
account comes from VKOA (C001): condition type KOFK when the item carries an internal order,
KOFI otherwise; an item with an order needs a revenue element (CSKB category 11 or 12) and
the order a settlement rule (status SETC), else its revenue could never leave it (KO 914).
An item without an internal order goes to CO-PA (record type F) when the company code's
controlling area has an operating concern, whose currency the document's must then be.
Everything is checked and every problem answered before anything is numbered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.masterdata import api as partners
from sapgw.erp_stub.sd import documents
from sapgw.erp_stub.sd.control import (
    WITH_CO,
    WITHOUT_CO,
    BillingType,
    billing_type,
    revenue_account,
    sales_document_type,
)
from sapgw.erp_stub.sd.returns import Messages

BILLINGDATAIN = "BILLINGDATAIN"
ORDER_CATEGORY, INVOICE = "C", "M"
REVENUE_CATEGORIES = ("11", "12")
SETTLEMENT_RULE_CREATED = "SETC"   # the order's revenue must be settleable (KO 914, ours)
# BILLINGDATAIN field -> the sales document's field it must equal when filled
MUST_MATCH = {"SALESORG": "VKORG", "DISTR_CHAN": "VTWEG", "DIVISION": "SPART",
              "SOLD_TO": "KUNNR", "DOC_TYPE": "AUART", "CURRENCY": "WAERK"}
UNSUPPORTED = ("PRICE_DATE", "ITEM_CATEG")


@dataclass
class BillingItem:
    order: dict[str, Any]              # VBAK
    item: dict[str, Any]               # VBAP (+ FKSAA)
    account: str = ""                  # revenue G/L account


@dataclass
class Invoice:
    """One billing document to be: its header data and items."""

    kind: BillingType
    order: dict[str, Any]              # VBAK of the first item's order
    fkdat: str
    bukrs: str
    ktgrd: str
    items: list[BillingItem] = field(default_factory=list)

    @property
    def netwr(self) -> Decimal:
        return sum((entry.item["NETWR"] for entry in self.items), Decimal(0))


def check(ctx: CallContext, rows: list[dict[str, Any]]) -> tuple[list[Invoice], Messages]:
    """The billing documents to create and every problem found."""
    messages = Messages(ctx.logical_system, "VF")
    if not rows:
        messages.error("VF", "912", parameter=BILLINGDATAIN)
    invoices: dict[tuple[str, ...], Invoice] = {}
    seen: set[tuple[str, str]] = set()
    for row, values in enumerate(rows, start=1):
        found = _reference(ctx, values, row, messages)
        if found is None:
            continue
        order, items, kind = found
        fkdat = values["BILL_DATE"] or ctx.clock.today().strftime("%Y%m%d")
        sales = partners.customer_sales_data(ctx, order["KUNNR"], order["VKORG"],
                                             order["VTWEG"], order["SPART"])
        ktgrd = sales.ktgrd if sales is not None else ""
        for item in items:
            if (order["VBELN"], item["POSNR"]) in seen:
                messages.error("VF", "910", item["POSNR"], parameter=BILLINGDATAIN, row=row,
                               field="REF_ITEM")
                continue
            seen.add((order["VBELN"], item["POSNR"]))
            entry = BillingItem(order, item)
            entry.account = _account(ctx, order, item, ktgrd, fkdat, row, messages)
            _profitability(ctx, order, item, row, messages)
            key = (kind.fkart, order["VKORG"], order["VTWEG"], order["SPART"],
                   order["KUNNR"], fkdat, order["WAERK"], order["BUKRS_VF"], ktgrd)
            invoices.setdefault(key, Invoice(kind, order, fkdat, order["BUKRS_VF"], ktgrd)
                                ).items.append(entry)
    return list(invoices.values()), messages


def _reference(ctx: CallContext, values: dict[str, Any], row: int, messages: Messages
               ) -> tuple[dict[str, Any], list[dict[str, Any]], BillingType] | None:
    """The order, its items to bill and the billing type of one BILLINGDATAIN row."""
    where: dict[str, Any] = {"parameter": BILLINGDATAIN, "row": row}
    messages.unsupported(values, UNSUPPORTED, BILLINGDATAIN, row)
    if values["REF_DOC_CA"] not in ("", ORDER_CATEGORY):
        messages.error("VF", "906", values["REF_DOC_CA"], **where, field="REF_DOC_CA")
        return None
    order = documents.sales_document(ctx, values["REF_DOC"]) if values["REF_DOC"] else None
    if order is None:
        messages.error("VF", "901", values["REF_DOC"], **where, field="REF_DOC")
        return None
    vbeln, mismatch = order["VBELN"], False
    for name, column in MUST_MATCH.items():
        given = values[name]
        if given and given.zfill(10 if column == "KUNNR" else len(given)) != order[column]:
            messages.error("VF", "908", name, given, order[column], **where, field=name)
            mismatch = True
    fkart = values["ORDBILLTYP"] or _proposed_type(ctx, order["AUART"])
    kind = billing_type(ctx, fkart) if fkart else None
    if kind is None:
        messages.error("VF", "905", fkart, **where, field="ORDBILLTYP")
    elif kind.vbtyp != INVOICE:
        messages.error("VF", "914", fkart, kind.vbtyp, **where, field="ORDBILLTYP")
        kind = None
    items = _items(ctx, vbeln, values, where, messages)
    if kind is None or mismatch or items is None:
        return None
    return order, items, kind


def _proposed_type(ctx: CallContext, auart: str) -> str:
    doc_type = sales_document_type(ctx, auart)
    return doc_type.fkara if doc_type is not None else ""


def _items(ctx: CallContext, vbeln: str, values: dict[str, Any], where: dict[str, Any],
           messages: Messages) -> list[dict[str, Any]] | None:
    """The order's items this row bills: the one named, or all not yet billed."""
    items = documents.sales_items(ctx, vbeln)
    posnr = values["REF_ITEM"]
    if posnr.strip("0"):
        items = [item for item in items if item["POSNR"] == posnr]
        if not items:
            messages.error("VF", "902", vbeln, posnr, **where, field="REF_ITEM")
            return None
    relevant = [item for item in items if item["FKSAA"]]
    if not relevant:
        messages.error("VF", "903", vbeln, posnr if posnr.strip("0") else "", **where,
                       field="REF_ITEM" if posnr.strip("0") else "REF_DOC")
        return None
    open_items = [item for item in relevant if item["FKSAA"] == documents.NOT_BILLED]
    if not open_items:
        item = relevant[0]
        billed = [flow["VBELN"] for flow in documents.document_flow(ctx, vbeln)
                  if flow["POSNV"] == item["POSNR"] and flow["VBTYP_N"] == INVOICE]
        messages.error("VF", "904", vbeln, item["POSNR"], billed[0] if billed else "",
                       **where, field="REF_ITEM" if posnr.strip("0") else "REF_DOC")
        return None
    quantity = values["REQ_QTY"]
    for item in open_items:
        if quantity and Decimal(quantity) != item["KWMENG"]:
            messages.error("VF", "909", quantity, item["KWMENG"], item["POSNR"], **where,
                           field="REQ_QTY")
            return None
        if values["SALES_UNIT"] and values["SALES_UNIT"] != item["VRKME"]:
            messages.error("VF", "908", "SALES_UNIT", values["SALES_UNIT"], item["VRKME"],
                           **where, field="SALES_UNIT")
            return None
    return open_items


def _account(ctx: CallContext, order: dict[str, Any], item: dict[str, Any], ktgrd: str,
             fkdat: str, row: int, messages: Messages) -> str:
    """VKOA's revenue account of the item; with an internal order it must be a revenue
    element of the company code's controlling area."""
    company = fbas.company_code(ctx, order["BUKRS_VF"])
    ktopl = company.KTOPL if company is not None else ""
    kschl = WITH_CO if item["AUFNR"] else WITHOUT_CO
    account = revenue_account(ctx, kschl=kschl, ktopl=ktopl, vkorg=order["VKORG"],
                              ktgrd=ktgrd)
    if account is None:
        messages.error("VF", "907", kschl, ktopl, order["VKORG"], f"{ktgrd or '-'}/ERL",
                       parameter=BILLINGDATAIN, row=row, field="REF_DOC")
        return ""
    if item["AUFNR"] and company is not None:
        element = co.cost_element(ctx, company.KOKRS, account, fkdat)
        if element is None or element.KATYP not in REVENUE_CATEGORIES:
            messages.error("VF", "915", account, company.KOKRS, parameter=BILLINGDATAIN,
                           row=row, field="REF_DOC")
        if SETTLEMENT_RULE_CREATED not in co.statuses(ctx, f"OR{item['AUFNR']}"):
            messages.error("KO", "914", item["AUFNR"], parameter=BILLINGDATAIN, row=row,
                           field="REF_DOC")
    return account


def _profitability(ctx: CallContext, order: dict[str, Any], item: dict[str, Any], row: int,
                   messages: Messages) -> None:
    """An item whose revenue reaches CO-PA at billing (no internal order) needs the document
    currency to be the operating concern's: CO-PA translates no currency here (KE 910)."""
    company = fbas.company_code(ctx, order["BUKRS_VF"])
    if item["AUFNR"] or company is None or not company.KOKRS:
        return
    concern = copa.concern_of(ctx, company.KOKRS)
    if concern is not None and order["WAERK"] != concern.waers:
        messages.error("KE", "910", order["WAERK"], concern.waers, parameter=BILLINGDATAIN,
                       row=row, field="CURRENCY")
