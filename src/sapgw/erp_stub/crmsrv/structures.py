"""The transfer structures of the CRM Service inbound functions (ours: CRM's own transfer
structures of the one-order upload to the ERP are not public). Field names are the CRM
one-order names the BDoc BUS_TRANS_MSG carries (docs/BDOC_TYPES.md)."""

from __future__ import annotations

from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, NUMC, Elementary, structure

QUAN = Elementary("QUAN", 13, 3)

CRMS_SRV_CO_HEADER = structure(
    "CRMS_SRV_CO_HEADER",
    ("OBJECT_ID", CHAR(10), "Transaction number"),
    ("PROCESS_TYPE", CHAR(4), "Transaction type (SRVO, SC, SRVC …)"),
    ("DESCRIPTION", CHAR(40), "Description"),
    ("POSTING_DATE", DATS, "Posting date (blank: today)"),
    ("SOLD_TO_PARTY", CHAR(10), "Sold-to party (ERP customer)"),
    ("SALES_ORG", CHAR(14), "Sales organization (ERP VKORG)"),
    ("SERVICE_ORG", CHAR(14), "Service organization"),
    ("CURRENCY", CUKY, "Document currency"),
    ("PREDECESSOR", CHAR(10), "Preceding transaction (contract of an order, order of a "
                              "confirmation)"),
)

CRMS_SRV_CO_ITEM = structure(
    "CRMS_SRV_CO_ITEM",
    ("NUMBER_INT", NUMC(10), "Item number"),
    ("ITM_TYPE", CHAR(4), "Item category"),
    ("PRODUCT_ID", CHAR(40), "Product (ERP material)"),
    ("QUANTITY", QUAN, "Quantity"),
    ("UNIT", CHAR(3), "Unit"),
    ("NET_VALUE", CURR(15, 2), "Net value (planned revenue)"),
    ("SERVICE_TYPE", CHAR(4), "Service type"),
    ("VALUATION_TYPE", CHAR(6), "Valuation type"),
    ("EMPLOYEE", NUMC(8), "Personnel number (confirmations)"),
    ("WORK_DATE", DATS, "Work date (confirmations)"),
    ("PLANT", CHAR(4), "Plant of a part (blank: the item category's)"),
    ("STGE_LOC", CHAR(4), "Storage location of a part (blank: the item category's)"),
)

CRMS_SRV_CO_RESULT = structure(
    "CRMS_SRV_CO_RESULT",
    ("NUMBER_INT", NUMC(10), "Item number (0: the document)"),
    ("OBJECT_NO", CHAR(22), "Controlling object (OR + order)"),
    ("AUFNR", CHAR(12), "Internal order"),
    ("DOC_TYPE", CHAR(10), "What was posted: ORDER, SALESDOC, CATS, RKL, RKU1, MKPF, "
                          "DELIVERY, COPA"),
    ("DOC_NO", CHAR(20), "Its number"),
)
