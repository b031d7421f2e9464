"""MM customizing in SAP's tables (key fields and the fields the stub uses), buffered.

Organisation (OX10, OX14, OX09): T001W plants with their valuation area BWKEY; T001K the
valuation area's company code and valuation grouping code BWMOD (valuation at plant level, as
SAP's default: BWKEY = WERKS); T001L storage locations of a plant.

Goods movements (OMJJ): T156/T156T movement types; T158G the GM_CODE of
BAPI_GOODSMVT_CREATE → transaction (01 MB01, 02 MB31, 03 MB1A, 04 MB1B, 05 MB1C, 06 MB11);
T158 the transaction's transaction/event type VGART; T158B which movement types a
transaction allows. Account determination (OBYC): T030 by chart of accounts, transaction key,
valuation grouping code, account modifier and valuation class.

Ours, labelled on the fields: SAP spreads the control of a movement type over T156, T156SY,
T156X, T156W (value string) and T156B (field selection); we keep what the stub uses on T156:
XUMLG (transfer between storage locations of one plant), KTOSL/KOMOK (transaction key and
account modifier of the offsetting entry, which SAP derives from the value string) and
REQFIELDS (item fields that must be filled, blank-separated). On T158: NUMKR (the MATBELEG
interval; SAP assigns intervals to groups of transaction/event types, OMBT) and REQFIELDS.
T156T is keyed by language and movement type only (SAP adds special stock and movement
indicators). Valuation classes are not emulated: T030 rows have BKLAS blank.
"""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char


class T001W(ErpTable, table=True):
    """Plants."""

    __tablename__ = "T001W"
    WERKS: str = char(4, key=True)       # plant
    NAME1: str = char(30)
    BWKEY: str = char(4)                 # valuation area


class T001K(ErpTable, table=True):
    """Valuation areas."""

    __tablename__ = "T001K"
    BWKEY: str = char(4, key=True)
    BUKRS: str = char(4)                 # company code
    BWMOD: str = char(4)                 # valuation grouping code (T030; blank: not active)


class T001L(ErpTable, table=True):
    """Storage locations."""

    __tablename__ = "T001L"
    WERKS: str = char(4, key=True)
    LGORT: str = char(4, key=True)       # storage location
    LGOBE: str = char(16)                # description


class T156(ErpTable, table=True):
    """Movement types."""

    __tablename__ = "T156"
    BWART: str = char(3, key=True)       # movement type
    SHKZG: str = char(1)                 # S receipt, H issue
    XUMLG: str = char(1)                 # ours: X transfer to MOVE_STLOC of the same plant
    KTOSL: str = char(3)                 # ours: transaction key of the offsetting entry
    KOMOK: str = char(3)                 # ours: its account modifier (GBB: VBR, ZOB, BSA …)
    REQFIELDS: str = char(60)            # ours: item fields required, blank-separated


class T156T(ErpTable, table=True):
    """Movement type texts."""

    __tablename__ = "T156T"
    SPRAS: str = char(1, key=True)
    BWART: str = char(3, key=True)
    BTEXT: str = char(20)


class T158G(ErpTable, table=True):
    """GM_CODE of the goods movement BAPIs → transaction."""

    __tablename__ = "T158G"
    GMCODE: str = char(2, key=True)
    TCODE: str = char(20)


class T158(ErpTable, table=True):
    """Inventory management transactions."""

    __tablename__ = "T158"
    TCODE: str = char(20, key=True)
    VGART: str = char(2)                 # transaction/event type (WA, WE …), also BLART
    NUMKR: str = char(2)                 # ours: MATBELEG interval of its documents
    REQFIELDS: str = char(60)            # ours: item fields required, blank-separated


class T158B(ErpTable, table=True):
    """Movement types a transaction allows."""

    __tablename__ = "T158B"
    TCODE: str = char(20, key=True)
    BWART: str = char(3, key=True)


class T030(ErpTable, table=True):
    """Automatic account determination (OBYC for MM's transaction keys)."""

    __tablename__ = "T030"
    KTOPL: str = char(4, key=True)       # chart of accounts
    KTOSL: str = char(3, key=True)       # transaction key (BSX, WRX, GBB …)
    BWMOD: str = char(4, key=True)       # valuation grouping code
    KOMOK: str = char(3, key=True)       # account modifier
    BKLAS: str = char(4, key=True)       # valuation class
    KONTS: str = char(10)                # debit account
    KONTH: str = char(10)                # credit account


CUSTOMIZING = (T001W, T001K, T001L, T156, T156T, T158G, T158, T158B, T030)
