"""MM tables: material master (MARA, MAKT, MARC, MBEW), stock (MARD), material documents
(MKPF header, MSEG items).

Quantities are QUAN 13.3 and exact (Decimal), their unit beside them, as SAP keeps them.
Demo materials of the data set are written here when the ERP's tables are created
(`mm.seed`), so RFC_READ_TABLE and the goods movement check read one source. The customizing
tables (plants, movement types, account determination) are in `mm.customizing`.
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, dec, numc, quan, tims


class MARA(ErpTable, table=True):
    __tablename__ = "MARA"
    MATNR: str = char(18, key=True)      # material
    MTART: str = char(4)                 # material type (ROH, ERSA, FERT, HAWA …)
    MATKL: str = char(9)                 # material group
    MEINS: str = char(3)                 # base unit of measure
    LVORM: str = char(1)                 # deletion flag
    ERSDA: str = dats()                  # created on


class MAKT(ErpTable, table=True):
    __tablename__ = "MAKT"
    MATNR: str = char(18, key=True)
    SPRAS: str = char(1, key=True)
    MAKTX: str = char(40)                # material description


class MARC(ErpTable, table=True):
    __tablename__ = "MARC"
    MATNR: str = char(18, key=True)
    WERKS: str = char(4, key=True)       # plant the material is maintained in


class MBEW(ErpTable, table=True):
    __tablename__ = "MBEW"
    MATNR: str = char(18, key=True)
    BWKEY: str = char(4, key=True)       # valuation area (= plant)
    VPRSV: str = char(1)                 # price control: S standard price
    STPRS: Decimal = curr(11, 2)         # standard price per PEINH base units
    PEINH: Decimal = dec(5, 0)           # price unit


class MARD(ErpTable, table=True):
    __tablename__ = "MARD"
    MATNR: str = char(18, key=True)
    WERKS: str = char(4, key=True)
    LGORT: str = char(4, key=True)       # storage location
    LABST: Decimal = quan(13, 3)         # unrestricted-use stock in the base unit


class MKPF(ErpTable, table=True):
    __tablename__ = "MKPF"
    MBLNR: str = char(10, key=True)      # material document
    MJAHR: str = numc(4, key=True)       # material document year
    VGART: str = char(2)                 # transaction type: WA issue/transfer/other, WE GR
    BLART: str = char(2)                 # document type of the FI follow-up (WA, WE)
    BLDAT: str = dats()                  # document date
    BUDAT: str = dats()                  # posting date
    CPUDT: str = dats()                  # entry date
    CPUTM: str = tims()                  # entry time
    USNAM: str = char(12)
    XBLNR: str = char(16, index=True)    # reference document number
    BKTXT: str = char(25)                # header text
    FRBNR: str = char(16)                # bill of lading
    XABLN: str = char(10)                # goods receipt/issue slip number


class MSEG(ErpTable, table=True):
    __tablename__ = "MSEG"
    MBLNR: str = char(10, key=True)
    MJAHR: str = numc(4, key=True)
    ZEILE: str = numc(4, key=True)       # item in the material document
    LINE_ID: str = numc(6)               # item of the BAPI it came from (GOODSMVT_ITEM row)
    BWART: str = char(3)                 # movement type
    XAUTO: str = char(1)                 # X: created automatically (receiving side of 311)
    MATNR: str = char(18, index=True)
    WERKS: str = char(4)
    LGORT: str = char(4)
    CHARG: str = char(10)                # batch (kept, stock is not managed by batch)
    SHKZG: str = char(1)                 # S receipt, H issue
    MENGE: Decimal = quan(13, 3)         # quantity in the base unit
    MEINS: str = char(3)
    ERFMG: Decimal = quan(13, 3)         # quantity as entered
    ERFME: str = char(3)                 # unit as entered
    DMBTR: Decimal = curr(13, 2)         # value in local currency
    WAERS: str = cuky()
    BUKRS: str = char(4)
    KOSTL: str = char(10)                # cost center (201)
    AUFNR: str = char(12)                # order (261)
    PAOBJNR: str = numc(10)              # profitability segment (201 to CO-PA)
    EBELN: str = char(10)                # purchase order (101)
    EBELP: str = numc(5)
    KZBEW: str = char(1)                 # movement indicator (B: PO, F: order)
    LIFNR: str = char(10)
    KUNNR: str = char(10)
    UMWRK: str = char(4)                 # receiving/issuing plant of a transfer
    UMLGO: str = char(4)                 # receiving/issuing storage location of a transfer
    SGTXT: str = char(50)                # item text
    GRUND: str = numc(4)                 # reason for movement

