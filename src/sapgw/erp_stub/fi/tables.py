"""FI tables: BKPF (accounting document header) and BSEG (accounting document line items).

Amounts are stored as SAP does: positive, with the debit/credit indicator SHKZG beside them.
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, numc, tims


class BKPF(ErpTable, table=True):
    __tablename__ = "BKPF"
    BUKRS: str = char(4, key=True)
    BELNR: str = char(10, key=True)
    GJAHR: str = numc(4, key=True)
    BLART: str = char(2)                 # document type
    BLDAT: str = dats()                  # document date
    BUDAT: str = dats()                  # posting date
    MONAT: str = numc(2)                 # fiscal period
    CPUDT: str = dats()                  # entry date
    CPUTM: str = tims()                  # entry time
    USNAM: str = char(12)
    XBLNR: str = char(16, index=True)    # reference document number
    BKTXT: str = char(25)                # header text
    WAERS: str = cuky()                  # document currency
    HWAER: str = cuky()                  # local (company code) currency
    AWTYP: str = char(5)                 # reference procedure, BKPFF for FI's own documents
    AWKEY: str = char(20, index=True)    # object key of the sender document
    AWSYS: str = char(10)                # logical system of the sender
    GLVOR: str = char(4)                 # business transaction, RFBU
    STBLG: str = char(10)                # reverse document number
    STJAH: str = numc(4)                 # fiscal year of the reverse document
    STGRD: str = char(2)                 # reason for reversal
    XREVERSAL: str = char(1)             # 1 reversed document, 2 reversal document
    TCODE: str = char(20)                # transaction code (blank: accounting interface)


class BSEG(ErpTable, table=True):
    __tablename__ = "BSEG"
    BUKRS: str = char(4, key=True)
    BELNR: str = char(10, key=True)
    GJAHR: str = numc(4, key=True)
    BUZEI: str = numc(3, key=True)       # line item
    BSCHL: str = char(2)                 # posting key: 40/50 G/L, 01/11 customer, 21/31 vendor
    KOART: str = char(1)                 # account type: S G/L, D customer, K vendor
    SHKZG: str = char(1)                 # S debit, H credit
    WRBTR: Decimal = curr(13, 2)         # amount in document currency
    DMBTR: Decimal = curr(13, 2)         # amount in local currency
    PSWSL: str = cuky()                  # currency of WRBTR in the general ledger
    HKONT: str = char(10)                # G/L account (reconciliation account for D/K)
    KUNNR: str = char(10)
    LIFNR: str = char(10)
    KOKRS: str = char(4)
    KOSTL: str = char(10)
    AUFNR: str = char(12)
    PROJK: str = numc(8)                 # WBS element, internal number (PRPS-PSPNR)
    PAOBJNR: str = numc(10)              # profitability segment (CE4S001), CO-PA record B
    PRCTR: str = char(10)                # profit center
    SGTXT: str = char(50)
    ZUONR: str = char(18)                # assignment number
    MWSKZ: str = char(2)                 # tax code
    VALUT: str = dats()                  # value date
