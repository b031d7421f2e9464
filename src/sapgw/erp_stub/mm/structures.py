"""DDIC structures of BAPI_GOODSMVT_CREATE (reference/wire.md §4.2).

Field names and lengths follow SAP's BAPI2017_GM_* structures; the item carries the fields an
integration sends in practice, not all of SAP's. An undeclared field is refused by the
interface; a declared one this system cannot honour is refused by the check (M7 913).
"""

from __future__ import annotations

from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, NUMC, Elementary, structure

QUAN = Elementary("QUAN", 13, 3)

BAPI2017_GM_HEAD_01 = structure(
    "BAPI2017_GM_HEAD_01",
    ("PSTNG_DATE", DATS, "Posting date (blank: today)"),
    ("DOC_DATE", DATS, "Document date (blank: posting date)"),
    ("REF_DOC_NO", CHAR(16), "Reference document number"),
    ("BILL_OF_LADING", CHAR(16), "Bill of lading"),
    ("GR_GI_SLIP_NO", CHAR(10), "Goods receipt/issue slip number"),
    ("PR_UNAME", CHAR(12), "User name"),
    ("HEADER_TXT", CHAR(25), "Document header text"),
    ("VER_GR_GI_SLIP", CHAR(1), "Version for printing GR/GI slip"),
    ("VER_GR_GI_SLIPX", CHAR(1), "Update indicator for VER_GR_GI_SLIP"),
    ("EXT_WMS", CHAR(1), "Control posting for external WMS"),
    ("REF_DOC_NO_LONG", CHAR(35), "Reference document number (long)"),
    ("BILL_OF_LADING_LONG", CHAR(35), "Bill of lading (long)"),
    ("BAR_CODE", CHAR(40), "Bar code"),
)

BAPI2017_GM_CODE = structure(
    "BAPI2017_GM_CODE",
    ("GM_CODE", CHAR(2), "01 GR for PO, 02 GR for order, 03 GI, 04 transfer, 05 other GR, "
                         "06 reversal"),
)

BAPI2017_GM_HEAD_RET = structure(
    "BAPI2017_GM_HEAD_RET",
    ("MAT_DOC", CHAR(10), "Material document"),
    ("DOC_YEAR", NUMC(4), "Material document year"),
)

BAPI2017_GM_ITEM_CREATE = structure(
    "BAPI2017_GM_ITEM_CREATE",
    ("MATERIAL", CHAR(18), "Material"),
    ("PLANT", CHAR(4), "Plant"),
    ("STGE_LOC", CHAR(4), "Storage location"),
    ("BATCH", CHAR(10), "Batch"),
    ("MOVE_TYPE", CHAR(3), "Movement type"),
    ("STCK_TYPE", CHAR(1), "Stock type (blank: unrestricted use)"),
    ("SPEC_STOCK", CHAR(1), "Special stock indicator"),
    ("VENDOR", CHAR(10), "Vendor"),
    ("CUSTOMER", CHAR(10), "Customer"),
    ("SALES_ORD", CHAR(10), "Sales order"),
    ("S_ORD_ITEM", NUMC(6), "Sales order item"),
    ("VAL_TYPE", CHAR(10), "Valuation type"),
    ("ENTRY_QNT", QUAN, "Quantity in unit of entry"),
    ("ENTRY_UOM", CHAR(3), "Unit of entry (blank: base unit)"),
    ("ENTRY_UOM_ISO", CHAR(3), "ISO code of the unit of entry"),
    ("PO_NUMBER", CHAR(10), "Purchase order"),
    ("PO_ITEM", NUMC(5), "Purchase order item"),
    ("NO_MORE_GR", CHAR(1), "Delivery completed"),
    ("ITEM_TEXT", CHAR(50), "Item text"),
    ("GR_RCPT", CHAR(12), "Goods recipient"),
    ("UNLOAD_PT", CHAR(25), "Unloading point"),
    ("COSTCENTER", CHAR(10), "Cost center"),
    ("ORDERID", CHAR(12), "Order"),
    ("ORDER_ITNO", NUMC(4), "Order item"),
    ("RESERV_NO", NUMC(10), "Reservation"),
    ("RES_ITEM", NUMC(4), "Reservation item"),
    ("MOVE_MAT", CHAR(18), "Receiving/issuing material"),
    ("MOVE_PLANT", CHAR(4), "Receiving/issuing plant"),
    ("MOVE_STLOC", CHAR(4), "Receiving/issuing storage location"),
    ("MOVE_BATCH", CHAR(10), "Receiving/issuing batch"),
    ("MVT_IND", CHAR(1), "Movement indicator: B purchase order, F order, blank other"),
    ("MOVE_REAS", NUMC(4), "Reason for movement"),
    ("WBS_ELEM", CHAR(24), "WBS element"),
    ("PROFIT_SEGM_NO", NUMC(10), "Profitability segment number (CO-PA)"),
)

BAPI2017_GM_SERIALNUMBER = structure(
    "BAPI2017_GM_SERIALNUMBER",
    ("MATDOC_ITM", NUMC(4), "Material document item"),
    ("SERIALNO", CHAR(18), "Serial number"),
)

# Declared item fields whose meaning this system does not emulate: refused when filled.
UNSUPPORTED_ITEM_FIELDS = ("STCK_TYPE", "SPEC_STOCK", "SALES_ORD", "S_ORD_ITEM", "VAL_TYPE",
                           "RESERV_NO", "RES_ITEM", "MOVE_MAT", "MOVE_BATCH", "WBS_ELEM")

# ZMB51_LIST's list line (ours): MSEG's fields with MKPF's posting date, user and reference.
ZMB51_LINE = structure(
    "ZMB51_LINE",
    ("MBLNR", CHAR(10), "Material document"),
    ("MJAHR", NUMC(4), "Material document year"),
    ("ZEILE", NUMC(4), "Item"),
    ("BUDAT", DATS, "Posting date"),
    ("BWART", CHAR(3), "Movement type"),
    ("MATNR", CHAR(18), "Material"),
    ("WERKS", CHAR(4), "Plant"),
    ("LGORT", CHAR(4), "Storage location"),
    ("SHKZG", CHAR(1), "S receipt, H issue"),
    ("MENGE", QUAN, "Quantity in the base unit"),
    ("MEINS", CHAR(3), "Base unit"),
    ("DMBTR", CURR(13, 2), "Amount in local currency"),
    ("WAERS", CUKY, "Currency"),
    ("AUFNR", CHAR(12), "Order"),
    ("KOSTL", CHAR(10), "Cost center"),
    ("KUNNR", CHAR(10), "Customer"),
    ("SGTXT", CHAR(50), "Item text"),
    ("USNAM", CHAR(12), "User"),
    ("XBLNR", CHAR(16), "Reference (the delivery of a 601)"),
)
