"""CO customizing and master data in SAP's tables (SE11 names, key fields, DDIC types).

Customizing: TKA01 (controlling areas; their company codes are FBAS's TKA02), T003O/T003P
(order types and texts). Master data with validity periods (DATAB..DATBI, DATBI in the key as
in SAP): CSKS/CSKT (cost centers), CSKA/CSKB/CSKU (cost elements per chart of accounts, per
controlling area, texts), CSLA/CSLT (activity types). Planned activity prices go to
ZCO_ACT_PRICE, a table of ours (SAP keeps them in COST under the KL object, whose period
fields are not publicly documented): one row per cost center, activity type, fiscal year,
version and period, with COEPT's price fields TKGBTR/TKFBTR/TKEBTR.
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, dec, numc

HIGHEST_DATE = "99991231"   # DATBI of an entry valid without end


class TKA01(ErpTable, table=True):
    """Controlling areas (OKKP)."""

    __tablename__ = "TKA01"
    KOKRS: str = char(4, key=True)
    BEZEI: str = char(25)                # name
    WAERS: str = cuky()                  # controlling area currency
    KTOPL: str = char(4)                 # chart of accounts
    LMONA: str = char(2)                 # fiscal year variant
    CTYP: str = char(2)                  # currency type, 10 = company code currency


class T003O(ErpTable, table=True):
    """Order types (KOT2): category and number range interval."""

    __tablename__ = "T003O"
    AUART: str = char(4, key=True)
    AUTYP: str = numc(2)                 # order category, 01 internal order
    NUMKR: str = char(2)                 # number range interval of object AUFTRAG


class T003P(ErpTable, table=True):
    """Order type texts."""

    __tablename__ = "T003P"
    SPRAS: str = char(1, key=True)
    AUART: str = char(4, key=True)
    TXT: str = char(40)


class CSKS(ErpTable, table=True):
    """Cost center master data (KS01), one row per validity period."""

    __tablename__ = "CSKS"
    KOKRS: str = char(4, key=True)
    KOSTL: str = char(10, key=True)
    DATBI: str = dats(key=True)          # valid to
    DATAB: str = dats()                  # valid from
    ERSDA: str = dats()                  # created on
    USNAM: str = char(12)                # created by
    BUKRS: str = char(4)
    GSBER: str = char(4)
    KOSAR: str = char(1)                 # cost center category
    VERAK: str = char(20)                # person responsible
    VERAK_USE: str = char(12)            # user responsible
    WAERS: str = cuky()
    ABTEI: str = char(12)                # department
    KHINR: str = char(12)                # standard hierarchy area
    PRCTR: str = char(10)                # profit center
    FUNC_AREA: str = char(16)            # functional area
    OBJNR: str = char(22)                # KS + KOKRS + KOSTL


class CSKT(ErpTable, table=True):
    """Cost center texts."""

    __tablename__ = "CSKT"
    SPRAS: str = char(1, key=True)
    KOKRS: str = char(4, key=True)
    KOSTL: str = char(10, key=True)
    DATBI: str = dats(key=True)
    KTEXT: str = char(20)
    LTEXT: str = char(40)


class CSKA(ErpTable, table=True):
    """Cost elements, data per chart of accounts."""

    __tablename__ = "CSKA"
    KTOPL: str = char(4, key=True)
    KSTAR: str = char(10, key=True)
    ERSDA: str = dats()
    USNAM: str = char(12)


class CSKB(ErpTable, table=True):
    """Cost elements, data per controlling area and validity period (KA01/KA06)."""

    __tablename__ = "CSKB"
    KOKRS: str = char(4, key=True)
    KSTAR: str = char(10, key=True)
    DATBI: str = dats(key=True)
    DATAB: str = dats()
    KATYP: str = char(2)                 # category: 01 primary, 21 settlement, 43 activity …
    MGEFL: str = char(1)                 # record quantity
    MSEHI: str = char(3)                 # unit of measure
    ERSDA: str = dats()
    USNAM: str = char(12)


class CSKU(ErpTable, table=True):
    """Cost element texts (per chart of accounts)."""

    __tablename__ = "CSKU"
    SPRAS: str = char(1, key=True)
    KTOPL: str = char(4, key=True)
    KSTAR: str = char(10, key=True)
    KTEXT: str = char(20)
    LTEXT: str = char(40)


class CSLA(ErpTable, table=True):
    """Activity types (KL01), one row per validity period."""

    __tablename__ = "CSLA"
    KOKRS: str = char(4, key=True)
    LSTAR: str = char(6, key=True)
    DATBI: str = dats(key=True)
    DATAB: str = dats()
    LEINH: str = char(3)                 # activity unit
    LATYP: str = char(1)                 # category: 1 manual entry, manual allocation …
    LATYPI: str = char(1)                # actual category
    KSTTY: str = char(8)                 # allowed cost center categories
    VKSTA: str = char(10)                # allocation cost element (category 43)
    TARKZ: str = char(3)                 # plan price indicator
    ERSDA: str = dats()
    USNAM: str = char(12)


class CSLT(ErpTable, table=True):
    """Activity type texts."""

    __tablename__ = "CSLT"
    SPRAS: str = char(1, key=True)
    KOKRS: str = char(4, key=True)
    LSTAR: str = char(6, key=True)
    DATBI: str = dats(key=True)
    KTEXT: str = char(20)
    LTEXT: str = char(40)


class ZCO_ACT_PRICE(ErpTable, table=True):
    """Planned activity prices per period (KP26; ours, see the module docstring)."""

    __tablename__ = "ZCO_ACT_PRICE"
    KOKRS: str = char(4, key=True)
    KOSTL: str = char(10, key=True)
    LSTAR: str = char(6, key=True)
    GJAHR: str = numc(4, key=True)
    VERSN: str = char(3, key=True)       # plan version, 000
    PERIO: str = numc(3, key=True)       # 001..016
    OBJNR: str = char(22)                # KL + KOKRS + KOSTL + LSTAR
    TKGBTR: Decimal = curr(15, 2)        # price (fixed + variable) per price unit
    TKFBTR: Decimal = curr(15, 2)        # fixed part of the price
    TKEBTR: Decimal = dec(5, 0)          # price unit
    TWAER: str = cuky()                  # controlling area currency
    AEDAT: str = dats()                  # last changed on
    USNAM: str = char(12)
