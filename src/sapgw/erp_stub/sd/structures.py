"""DDIC structures of BAPI_SALESORDER_CREATEFROMDAT2 and BAPI_BILLINGDOC_CREATEMULTIPLE.

Field names and lengths follow SAP's BAPISDHD1, BAPISDITM, BAPIPARNR, BAPISCHDL, BAPICOND,
BAPIVBRK, BAPIVBRKSUCCESS and BAPICREATORDATA; each carries the fields an integration sends
in practice, not all of SAP's. An undeclared field is refused by the interface; a declared one
this system cannot honour is refused by the check (V1 913 / VF 913) when it is filled.
"""

from __future__ import annotations

from sapgw.rfc.ddic import CHAR, CUKY, DATS, DEC, NUMC, Elementary, structure

QUAN = Elementary("QUAN", 13, 3)

BAPISDHD1 = structure(
    "BAPISDHD1",
    ("DOC_TYPE", CHAR(4), "Sales document type"),
    ("SALES_ORG", CHAR(4), "Sales organization"),
    ("DISTR_CHAN", CHAR(2), "Distribution channel"),
    ("DIVISION", CHAR(2), "Division"),
    ("DOC_DATE", DATS, "Document date (blank: today)"),
    ("REQ_DATE_H", DATS, "Requested delivery date"),
    ("PURCH_NO_C", CHAR(20), "Customer purchase order number"),
    ("PURCH_DATE", DATS, "Customer purchase order date"),
    ("CURRENCY", CUKY, "Document currency (blank: the sales organization's)"),
    ("SALES_OFF", CHAR(4), "Sales office (not supported)"),
    ("SALES_GRP", CHAR(3), "Sales group (not supported)"),
    ("ORD_REASON", CHAR(3), "Order reason (not supported)"),
    ("BILL_BLOCK", CHAR(2), "Billing block (not supported)"),
    ("DLV_BLOCK", CHAR(2), "Delivery block (not supported)"),
    ("PMNTTRMS", CHAR(4), "Terms of payment (not supported)"),
    ("INCOTERMS1", CHAR(3), "Incoterms (not supported)"),
    ("REF_DOC", CHAR(10), "Reference document (not supported)"),
)

BAPISDITM = structure(
    "BAPISDITM",
    ("ITM_NUMBER", NUMC(6), "Item number"),
    ("MATERIAL", CHAR(18), "Material"),
    ("PLANT", CHAR(4), "Plant"),
    ("ITEM_CATEG", CHAR(4), "Item category (blank: from T184)"),
    ("TARGET_QTY", QUAN, "Order quantity (when no schedule line gives one)"),
    ("TARGET_QU", CHAR(3), "Sales unit (blank: the material's base unit)"),
    ("SHORT_TEXT", CHAR(40), "Item text (blank: the material's)"),
    ("ORDERID", CHAR(12), "Account assignment: internal order"),
    ("HG_LV_ITEM", NUMC(6), "Higher-level item (not supported)"),
    ("WBS_ELEM", CHAR(24), "WBS element (not supported)"),
    ("PROFIT_CTR", CHAR(10), "Profit center (not supported)"),
    ("BILL_BLOCK", CHAR(2), "Billing block (not supported)"),
    ("REASON_REJ", CHAR(2), "Reason for rejection (not supported)"),
    ("BATCH", CHAR(10), "Batch (not supported)"),
    ("STORE_LOC", CHAR(4), "Storage location (not supported)"),
)

BAPIPARNR = structure(
    "BAPIPARNR",
    ("PARTN_ROLE", CHAR(2), "Partner function (AG sold-to party)"),
    ("PARTN_NUMB", CHAR(10), "Customer number"),
    ("ITM_NUMBER", NUMC(6), "Item (000000: header)"),
)

BAPISCHDL = structure(
    "BAPISCHDL",
    ("ITM_NUMBER", NUMC(6), "Item number"),
    ("SCHED_LINE", NUMC(4), "Schedule line (0000: numbered in order)"),
    ("REQ_DATE", DATS, "Requested date"),
    ("REQ_QTY", QUAN, "Order quantity in sales units"),
)

BAPICOND = structure(
    "BAPICOND",
    ("ITM_NUMBER", NUMC(6), "Item number"),
    ("COND_TYPE", CHAR(4), "Condition type (PR00 price)"),
    ("COND_VALUE", DEC(28, 9), "Rate: price per COND_P_UNT COND_UNIT"),
    ("CURRENCY", CUKY, "Currency (blank: the document's)"),
    ("COND_UNIT", CHAR(3), "Unit of the price (blank: the sales unit)"),
    ("COND_P_UNT", DEC(5), "Price unit (0: 1)"),
)

BAPIVBRK = structure(
    "BAPIVBRK",
    ("REF_DOC", CHAR(10), "Reference document (the sales order)"),
    ("REF_ITEM", NUMC(6), "Its item (000000: every billing-relevant item)"),
    ("REF_DOC_CA", CHAR(1), "Its document category (C sales order)"),
    ("ORDBILLTYP", CHAR(4), "Billing type (blank: TVAK-FKARA of the order type)"),
    ("BILL_DATE", DATS, "Billing date (blank: today)"),
    ("SALESORG", CHAR(4), "Sales organization (blank or the order's)"),
    ("DISTR_CHAN", CHAR(2), "Distribution channel (blank or the order's)"),
    ("DIVISION", CHAR(2), "Division (blank or the order's)"),
    ("SOLD_TO", CHAR(10), "Sold-to party (blank or the order's)"),
    ("DOC_TYPE", CHAR(4), "Sales document type (blank or the order's)"),
    ("CURRENCY", CUKY, "Currency (blank or the order's)"),
    ("REQ_QTY", QUAN, "Quantity (0 or the order quantity: no partial billing)"),
    ("SALES_UNIT", CHAR(3), "Sales unit (blank or the order's)"),
    ("PRICE_DATE", DATS, "Pricing date (not supported)"),
    ("ITEM_CATEG", CHAR(4), "Item category (not supported)"),
)

BAPIVBRKSUCCESS = structure(
    "BAPIVBRKSUCCESS",
    ("REF_DOC", CHAR(10), "Reference document"),
    ("REF_DOC_IT", NUMC(6), "Its item"),
    ("BILL_DOC", CHAR(10), "Billing document"),
    ("BILL_DOC_ITEM", NUMC(6), "Billing item"),
)

BAPICREATORDATA = structure(
    "BAPICREATORDATA",
    ("CREATED_BY", CHAR(12), "Created by"),
    ("CREATED_ON", DATS, "Created on (not used: the system date)"),
)

# BAPI_OUTB_DELIVERY_CREATE_SLS and BAPI_OUTB_DELIVERY_CONFIRM_DEC (SAP's names, the fields
# used here).
BAPIDLVREFTOSALESORDER = structure(
    "BAPIDLVREFTOSALESORDER",
    ("REF_DOC", CHAR(10), "Sales document"),
    ("REF_ITEM", NUMC(6), "Sales document item"),
    ("DLV_QTY", QUAN, "Quantity to deliver (0: the order quantity)"),
    ("SALES_UNIT", CHAR(3), "Sales unit (blank: the item's)"),
)

BAPISHPDELIVNUMB = structure(
    "BAPISHPDELIVNUMB",
    ("DELIV_NUMB", CHAR(10), "Delivery"),
)

BAPIDLVITEMCREATED = structure(
    "BAPIDLVITEMCREATED",
    ("REF_DOC", CHAR(10), "Sales document"),
    ("REF_ITEM", NUMC(6), "Sales document item"),
    ("DELIV_NUMB", CHAR(10), "Delivery"),
    ("DELIV_ITEM", NUMC(6), "Delivery item"),
    ("MATERIAL", CHAR(18), "Material"),
    ("DLV_QTY", QUAN, "Delivered quantity"),
    ("SALES_UNIT", CHAR(3), "Sales unit"),
)

BAPIOBDLVHDRCON = structure(
    "BAPIOBDLVHDRCON",
    ("DELIV_NUMB", CHAR(10), "Delivery"),
)

BAPIOBDLVHDRCTRLCON = structure(
    "BAPIOBDLVHDRCTRLCON",
    ("DELIV_NUMB", CHAR(10), "Delivery"),
    ("POST_GI_FLG", CHAR(1), "X: post goods issue"),
)
