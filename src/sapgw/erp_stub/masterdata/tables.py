"""Customer master KNA1/KNB1/KNVV and vendor master LFA1/LFB1/LFM1 (main fields only).

General data is one row per partner; company code data (KNB1, LFB1) and sales area or
purchasing organization data (KNVV, LFM1) hang under it. LOEVM is the deletion flag of each
level, as SAP sets it for MSGFN 003.
"""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, dats


class KNA1(ErpTable, table=True):
    __tablename__ = "KNA1"
    KUNNR: str = char(10, key=True)      # customer
    KTOKD: str = char(4)                 # account group
    ANRED: str = char(15)                # title
    NAME1: str = char(35)
    NAME2: str = char(35)
    NAME3: str = char(35)
    NAME4: str = char(35)
    SORTL: str = char(10)                # search term
    STRAS: str = char(35)                # street
    PSTLZ: str = char(10)                # postal code
    ORT01: str = char(35)                # city
    REGIO: str = char(3)                 # region
    LAND1: str = char(3)                 # country
    SPRAS: str = char(1)                 # language
    STCEG: str = char(20)                # VAT registration number
    LIFNR: str = char(10)                # vendor of the same partner
    LOEVM: str = char(1)                 # deletion flag (all areas)
    ERDAT: str = dats()
    ERNAM: str = char(12)


class KNB1(ErpTable, table=True):
    __tablename__ = "KNB1"
    KUNNR: str = char(10, key=True)
    BUKRS: str = char(4, key=True)       # company code
    AKONT: str = char(10)                # reconciliation account
    ZTERM: str = char(4)                 # terms of payment
    ZUAWA: str = char(3)                 # sort key
    BUSAB: str = char(2)                 # accounting clerk
    SPERR: str = char(1)                 # posting block
    LOEVM: str = char(1)                 # deletion flag
    ERDAT: str = dats()
    ERNAM: str = char(12)


class KNVV(ErpTable, table=True):
    __tablename__ = "KNVV"
    KUNNR: str = char(10, key=True)
    VKORG: str = char(4, key=True)       # sales organization
    VTWEG: str = char(2, key=True)       # distribution channel
    SPART: str = char(2, key=True)       # division
    WAERS: str = cuky()                  # currency
    KTGRD: str = char(2)                 # account assignment group
    LOEVM: str = char(1)
    ERDAT: str = dats()
    ERNAM: str = char(12)


class LFA1(ErpTable, table=True):
    __tablename__ = "LFA1"
    LIFNR: str = char(10, key=True)      # vendor
    KTOKK: str = char(4)                 # account group
    NAME1: str = char(35)
    SORTL: str = char(10)
    STRAS: str = char(35)
    PSTLZ: str = char(10)
    ORT01: str = char(35)
    REGIO: str = char(3)
    LAND1: str = char(3)
    SPRAS: str = char(1)
    TELF1: str = char(16)                # telephone
    BRSCH: str = char(4)                 # industry
    KUNNR: str = char(10)                # customer of the same partner
    LOEVM: str = char(1)
    ERDAT: str = dats()
    ERNAM: str = char(12)


class LFB1(ErpTable, table=True):
    __tablename__ = "LFB1"
    LIFNR: str = char(10, key=True)
    BUKRS: str = char(4, key=True)
    AKONT: str = char(10)
    ZTERM: str = char(4)
    ZUAWA: str = char(3)
    SPERR: str = char(1)
    LOEVM: str = char(1)
    ERDAT: str = dats()
    ERNAM: str = char(12)


class LFM1(ErpTable, table=True):
    __tablename__ = "LFM1"
    LIFNR: str = char(10, key=True)
    EKORG: str = char(4, key=True)       # purchasing organization
    WAERS: str = cuky()                  # order currency
    ZTERM: str = char(4)
    LOEVM: str = char(1)
    ERDAT: str = dats()
    ERNAM: str = char(12)
