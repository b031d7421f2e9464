"""FI customizing and G/L account master in SAP's tables (fully buffered: read on every posting).

T001 company codes, TKA02 their controlling area, T009/T009B fiscal year variants and their
periods, T010O posting period variants, T001B open posting periods (OB52), T003/T003T
document types, SKA1/SKAT G/L accounts of a chart of accounts and SKB1 their company code
data. Key fields and the fields the stub uses, with SAP's names and DDIC types; no MANDT.
"""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, numc


class T001(ErpTable, table=True):
    """Company codes (OX02 / OBY6)."""

    __tablename__ = "T001"
    BUKRS: str = char(4, key=True)
    BUTXT: str = char(25)                # name of the company code
    ORT01: str = char(25)                # city
    LAND1: str = char(3)                 # country
    WAERS: str = cuky()                  # local currency
    SPRAS: str = char(1)                 # language
    KTOPL: str = char(4)                 # chart of accounts
    PERIV: str = char(2)                 # fiscal year variant
    OPVAR: str = char(4)                 # posting period variant


class TKA02(ErpTable, table=True):
    """Controlling area assignment of a company code (OX19); GSBER blank: all business areas."""

    __tablename__ = "TKA02"
    BUKRS: str = char(4, key=True)
    GSBER: str = char(4, key=True)
    KOKRS: str = char(4)


class T009(ErpTable, table=True):
    """Fiscal year variants (OB29)."""

    __tablename__ = "T009"
    PERIV: str = char(2, key=True)
    XKALE: str = char(1)                 # X: periods are the calendar months
    XJABH: str = char(1)                 # X: year-dependent (not emulated)
    ANZBP: str = numc(3)                 # number of posting periods
    ANZSP: str = numc(2)                 # number of special periods


class T009T(ErpTable, table=True):
    """Fiscal year variant texts."""

    __tablename__ = "T009T"
    SPRAS: str = char(1, key=True)
    PERIV: str = char(2, key=True)
    LTEXT: str = char(30)


class T009B(ErpTable, table=True):
    """Periods of a fiscal year variant: BDATJ 0000 for a year-independent one. A posting date
    falls in the first row whose month/day (BUMON, BUTAG) is not before it; RELJR shifts the
    fiscal year against the calendar year (-1, 0, +1)."""

    __tablename__ = "T009B"
    PERIV: str = char(2, key=True)
    BDATJ: str = numc(4, key=True)
    BUMON: str = numc(2, key=True)
    BUTAG: str = numc(2, key=True)
    POPER: str = numc(3)
    RELJR: str = char(2)


class T010O(ErpTable, table=True):
    """Posting period variants (OBBO)."""

    __tablename__ = "T010O"
    OPVAR: str = char(4, key=True)


class T001B(ErpTable, table=True):
    """Permitted posting periods (OB52): per variant (field BUKRS holds the OPVAR, as SAP's),
    account type MKOAR ('+' all types) and account interval VKONT-BKONT, two period intervals."""

    __tablename__ = "T001B"
    RRCTY: str = char(1, key=True)       # record type, 0 actual
    BUKRS: str = char(4, key=True)       # posting period variant
    MKOAR: str = char(1, key=True)       # + all, A, D, K, M, S, V
    BKONT: str = char(10, key=True)      # to account
    VKONT: str = char(10)                # from account
    FRYE1: str = numc(4)
    FRPE1: str = numc(3)
    TOYE1: str = numc(4)
    TOPE1: str = numc(3)
    FRYE2: str = numc(4)
    FRPE2: str = numc(3)
    TOYE2: str = numc(4)
    TOPE2: str = numc(3)
    BRGRU: str = char(4)                 # authorization group of interval 2 (not checked)


class T003(ErpTable, table=True):
    """Document types (OBA7) with their number range interval."""

    __tablename__ = "T003"
    BLART: str = char(2, key=True)
    NUMKR: str = char(2)                 # number range interval of RF_BELEG
    KOARS: str = char(5)                 # account types allowed (not checked)


class T003T(ErpTable, table=True):
    """Document type texts."""

    __tablename__ = "T003T"
    SPRAS: str = char(1, key=True)
    BLART: str = char(2, key=True)
    LTEXT: str = char(20)


class SKA1(ErpTable, table=True):
    """G/L accounts of a chart of accounts (FS00, chart of accounts data)."""

    __tablename__ = "SKA1"
    KTOPL: str = char(4, key=True)
    SAKNR: str = char(10, key=True)
    XBILK: str = char(1)                 # X balance sheet account
    GVTYP: str = char(2)                 # P&L statement account type (blank: balance sheet)
    KTOKS: str = char(4)                 # account group
    XLOEV: str = char(1)                 # marked for deletion
    XSPEB: str = char(1)                 # blocked for posting


class SKAT(ErpTable, table=True):
    """G/L account texts."""

    __tablename__ = "SKAT"
    SPRAS: str = char(1, key=True)
    KTOPL: str = char(4, key=True)
    SAKNR: str = char(10, key=True)
    TXT20: str = char(20)
    TXT50: str = char(50)


class SKB1(ErpTable, table=True):
    """G/L account in a company code (FS00, company code data)."""

    __tablename__ = "SKB1"
    BUKRS: str = char(4, key=True)
    SAKNR: str = char(10, key=True)
    WAERS: str = cuky()                  # account currency
    MITKZ: str = char(1)                 # reconciliation account for D / K
    XINTB: str = char(1)                 # post automatically only
    XOPVW: str = char(1)                 # open item management
    XSPEB: str = char(1)                 # blocked for posting
    XLOEB: str = char(1)                 # marked for deletion
    FSTAG: str = char(4)                 # field status group


CUSTOMIZING = (T001, TKA02, T009, T009T, T009B, T010O, T001B, T003, T003T, SKA1, SKAT, SKB1)
