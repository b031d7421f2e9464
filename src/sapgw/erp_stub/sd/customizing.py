"""SD customizing in SAP's tables (key fields and the fields the stub uses), buffered.

Sales documents (VOV8, VOV7, VOV4): TVAK sales document types with their number range
interval NUMKI (object RV_BELEG) and the proposed order-related billing type FKARA; TVAP item
categories with their billing relevance FKREL (B order-related; A delivery-related is known
but deliveries are not built) and pricing flag PRSFD; T184 item category determination by
sales document type and item category group (MVKE-MTPOS is not emulated: every material is
NORM). Billing (VOFA): TVFK billing types with document category VBTYP, number range interval
NUMKI, FI document type BLART and account determination procedure KOFIS (KOFI00).

Revenue account determination (VKOA): SAP keeps the G/L accounts in one condition table per
access (C001 customer group/material group/account key, C005 account key, …). Ours: one
table C001 for both accesses, a row with blank KTGRD and KTGRM standing for C005's access; the
condition type KSCHL is KOFK for an item with a CO account assignment, KOFI without one.
"""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char


class TVAK(ErpTable, table=True):
    """Sales document types."""

    __tablename__ = "TVAK"
    AUART: str = char(4, key=True)       # sales document type
    VBTYP: str = char(1)                 # SD document category (C order)
    NUMKI: str = char(2)                 # internal number range interval of RV_BELEG
    FKARA: str = char(4)                 # proposed billing type, order-related billing
    FKARV: str = char(4)                 # proposed billing type, delivery-related billing


class TVAKT(ErpTable, table=True):
    """Sales document type texts."""

    __tablename__ = "TVAKT"
    SPRAS: str = char(1, key=True)
    AUART: str = char(4, key=True)
    BEZEI: str = char(20)


class TVAP(ErpTable, table=True):
    """Item categories."""

    __tablename__ = "TVAP"
    PSTYV: str = char(4, key=True)       # item category
    FKREL: str = char(1)                 # billing relevance: B order-related, A delivery
    PRSFD: str = char(1)                 # X: carry out pricing


class TVAPT(ErpTable, table=True):
    """Item category texts."""

    __tablename__ = "TVAPT"
    SPRAS: str = char(1, key=True)
    PSTYV: str = char(4, key=True)
    VTEXT: str = char(20)


class T184(ErpTable, table=True):
    """Item category determination."""

    __tablename__ = "T184"
    AUART: str = char(4, key=True)       # sales document type
    MTPOS: str = char(4, key=True)       # item category group (NORM)
    VWPOS: str = char(4, key=True)       # usage (blank)
    UEPST: str = char(4, key=True)       # higher-level item category (blank)
    PSTYV: str = char(4)                 # default item category


class TVFK(ErpTable, table=True):
    """Billing types."""

    __tablename__ = "TVFK"
    FKART: str = char(4, key=True)       # billing type
    VBTYP: str = char(1)                 # SD document category (M invoice)
    NUMKI: str = char(2)                 # internal number range interval of RV_BELEG
    BLART: str = char(2)                 # FI document type of the accounting document
    KOFIS: str = char(6)                 # account determination procedure (KOFI00)


class TVFKT(ErpTable, table=True):
    """Billing type texts."""

    __tablename__ = "TVFKT"
    SPRAS: str = char(1, key=True)
    FKART: str = char(4, key=True)
    VTEXT: str = char(20)


class C001(ErpTable, table=True):
    """Revenue account determination (VKOA); blank KTGRD/KTGRM: the general access."""

    __tablename__ = "C001"
    KAPPL: str = char(2, key=True)       # application V (sales)
    KSCHL: str = char(4, key=True)       # KOFI without, KOFK with CO account assignment
    KTOPL: str = char(4, key=True)       # chart of accounts
    VKORG: str = char(4, key=True)       # sales organisation
    KTGRD: str = char(2, key=True)       # customer account assignment group (KNVV)
    KTGRM: str = char(2, key=True)       # material account assignment group (blank)
    KVSL: str = char(3, key=True)        # account key (ERL revenue)
    SAKN1: str = char(10)                # G/L account
    SAKN2: str = char(10)                # accruals account (not used)


CUSTOMIZING = (TVAK, TVAKT, TVAP, TVAPT, T184, TVFK, TVFKT, C001)
