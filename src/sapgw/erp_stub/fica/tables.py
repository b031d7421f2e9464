"""FI-CA master data in SAP's tables: business partners (BUT000), contract accounts
(FKKVK header, FKKVKP partner-dependent data) and provider contracts (DFKK_VT_H header,
DFKK_VT_I items, DFKK_VT_ST additional service types of an item).

Keys and field names are SAP's, with the ABAP lengths; the fields are those this system
fills. Timestamps (VTBEG, VALFR, …) are UTC timestamps DEC 15 (YYYYMMDDhhmmss), as SAP
stores them. SAP keeps no public history table for provider contract items; ours is
DFKK_VT_IV: every version of an item as it was saved, with what changed (docs/ERP_STUB.md).
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, dec, numc, quan, tims


class BUT000(ErpTable, table=True):
    """Business partner: general data."""

    __tablename__ = "BUT000"
    PARTNER: str = char(10, key=True)
    TYPE: str = char(1)                  # partner category: 1 person, 2 organization
    BU_GROUP: str = char(4)              # grouping (number range)
    BU_SORT1: str = char(20)             # search term 1
    NAME_ORG1: str = char(40)            # organization name
    NAME_LAST: str = char(40)            # person: last name
    NAME_FIRST: str = char(40)           # person: first name
    CRUSR: str = char(12)
    CRDAT: str = dats()
    CRTIM: str = tims()
    XDELE: str = char(1)                 # archiving flag


class FKKVK(ErpTable, table=True):
    """Contract account header."""

    __tablename__ = "FKKVK"
    VKONT: str = char(12, key=True)      # contract account
    VKTYP: str = char(2)                 # contract account category
    APPLK: str = char(1)                 # application area (C convergent FI-CA)
    VKBEZ: str = char(35)                # name
    VKONA: str = char(20)                # legacy / external reference
    ERNAM: str = char(12)
    ERDAT: str = dats()


class FKKVKP(ErpTable, table=True):
    """Contract account: partner-dependent data."""

    __tablename__ = "FKKVKP"
    VKONT: str = char(12, key=True)
    GPART: str = char(10, key=True)      # business partner
    OPBUK: str = char(4)                 # company code group
    STDBK: str = char(4)                 # standard company code
    KOFIZ: str = char(2)                 # account determination ID
    INV_CURR: str = cuky()               # invoicing currency
    LOEVM: str = char(1)                 # deletion flag


class DFKK_VT_H(ErpTable, table=True):
    """Provider contract header."""

    __tablename__ = "DFKK_VT_H"
    VTKEY: str = char(20, key=True)      # provider contract
    GPART: str = char(10)
    VTBEZ: str = char(40)                # name
    VTALT: str = char(40)                # key in the external system (CRM)
    VTBEG: Decimal = dec(15)             # start (UTC timestamp)
    VTEND: Decimal = dec(15)             # end (UTC timestamp)
    BUKRS: str = char(4)                 # company code (authorization check)
    VTCAT: str = char(1)                 # blank provider contract
    STATU: str = char(1)                 # blank active, I inactive
    VTVRS: str = numc(6)                 # version: counts the saves of the contract
    SENDER: str = char(10)               # sender (CRM logical system; ours: the system)
    ERNAM: str = char(12)
    ERDAT: str = dats()
    ERTIM: str = tims()
    AENAM: str = char(12)
    AEDAT: str = dats()
    AETIM: str = tims()
    LOEVM: str = char(1)


class ItemFields(ErpTable):
    """The fields of a provider contract item, shared by DFKK_VT_I and its versions."""

    VTKEY: str = char(20, key=True)
    VTPOS: str = numc(6, key=True)       # item
    VALFR: Decimal = dec(15)             # valid from (UTC timestamp)
    VALTO: Decimal = dec(15)             # valid to (UTC timestamp)
    VKONT: str = char(12)                # contract account
    BUKRS: str = char(4)
    SPART: str = char(2)                 # division
    PRDNR: str = char(40)                # product
    VTITT: str = char(40)                # item text
    QUANTITY: Decimal = quan(13, 3)
    QUANTITY_UNIT: str = char(3)
    RAREL: str = char(1)                 # X: relevant for revenue accounting
    RA_REFTYPE: str = char(3)            # reference type for RA
    RA_REFID: str = char(30)             # reference ID for RA
    TRPRC: Decimal = curr(15, 2)         # transaction price per recurrence period
    TRPRC_TOTAL: Decimal = curr(15, 2)   # total transaction price
    TRPRC_CURR: str = cuky()
    TRPRC_FREQ_UNIT: str = char(3)       # recurrence period unit (MON)
    TRPRC_FREQ_DURATION: str = numc(3)   # recurrence period length
    SSPRC: Decimal = curr(15, 2)         # standalone selling price per period
    SSPRC_TOTAL: Decimal = curr(15, 2)   # total standalone selling price
    SSPRC_CURR: str = cuky()
    CHRSN: str = char(2)                 # change reason (TFK_RA_CHRSN)
    RECURR_SERVICE_TYPE: str = char(6)   # service type for recurring charges
    VALFROM_CTRTERM: Decimal = dec(15)   # contract term from
    VALTO_CTRTERM: Decimal = dec(15)     # contract term to
    VERSN: str = numc(4)                 # ours: the item's current version (DFKK_VT_IV)


class DFKK_VT_I(ItemFields, table=True):
    """Provider contract item: its current state."""

    __tablename__ = "DFKK_VT_I"


class DFKK_VT_IV(ItemFields, table=True):
    """Ours: every saved version of a provider contract item, the earlier ones kept."""

    __tablename__ = "DFKK_VT_IV"
    VERSN: str = numc(4, key=True)
    CHIND: str = char(1)                 # I created, U changed
    CHANGED_FIELDS: str = char(255)      # the fields that changed, comma-separated
    CHANGED_TS: Decimal = dec(15)        # when (UTC timestamp)
    CHANGED_BY: str = char(12)


class DFKK_VT_ST(ErpTable, table=True):
    """Additional service types of a provider contract item (consumption it reflects)."""

    __tablename__ = "DFKK_VT_ST"
    VTKEY: str = char(20, key=True)
    VTPOS: str = numc(6, key=True)
    SERVICE_TYPE: str = char(6, key=True)


MASTER_DATA = (BUT000, FKKVK, FKKVKP, DFKK_VT_H, DFKK_VT_I, DFKK_VT_IV, DFKK_VT_ST)
