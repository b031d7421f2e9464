"""CO tables: AUFK (order master), COBK (CO document header), COEP (CO line items).

The totals COSP/COSS are in totals_tables.py."""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, numc, quan


class AUFK(ErpTable, table=True):
    __tablename__ = "AUFK"
    AUFNR: str = char(12, key=True)      # order number, 12 digits with leading zeros
    AUART: str = char(4)                 # order type
    AUTYP: str = numc(2)                 # order category: 01 internal order
    KTEXT: str = char(40)
    BUKRS: str = char(4)
    KOKRS: str = char(4)
    WAERS: str = cuky()
    OBJNR: str = char(22)                # 'OR' + AUFNR
    ERDAT: str = dats()
    PHAS1: str = char(1)                 # released
    ABGSL: str = char(6)                 # results analysis key (TKKAA), blank: no RA


class COBK(ErpTable, table=True):
    __tablename__ = "COBK"
    KOKRS: str = char(4, key=True)
    BELNR: str = char(10, key=True)
    GJAHR: str = numc(4)
    VRGNG: str = char(4)                 # business transaction, COIN = posting from FI
    BUDAT: str = dats()
    REFBN: str = char(10)                # reference document (FI BELNR)
    REFBK: str = char(4)                 # reference company code
    REFGJ: str = numc(4)
    AWTYP: str = char(5)
    AWKEY: str = char(20)
    VERSN: str = char(3)                 # version, 000 actual
    PERAB: str = numc(3)                 # from period
    PERBI: str = numc(3)                 # to period
    BLDAT: str = dats()
    CPUDT: str = dats()
    USNAM: str = char(12)
    BLTXT: str = char(50)
    REFBT: str = char(1)                 # reference document type, R accounting document
    KWAER: str = cuky()                  # controlling area currency
    LOGSYSTEM: str = char(10)


class COEP(ErpTable, table=True):
    __tablename__ = "COEP"
    KOKRS: str = char(4, key=True)
    BELNR: str = char(10, key=True)
    BUZEI: str = numc(3, key=True)
    GJAHR: str = numc(4)
    PERIO: str = numc(3)
    OBJNR: str = char(22, index=True)    # ORnnnnnnnnnnnn, PRnnnnnnnn, KSkkkkcccccccccc
    KSTAR: str = char(10)                # cost element
    WKGBTR: Decimal = curr(23, 2)        # value in controlling area currency
    WTGBTR: Decimal = curr(23, 2)        # value in transaction currency
    TWAER: str = cuky()
    BEKNZ: str = char(1)                 # debit/credit indicator S/H
    BUKRS: str = char(4)
    SGTXT: str = char(50)
    LEDNR: str = char(2)                 # ledger, 00 standard
    WRTTP: str = char(2)                 # value type, 04 actual
    VERSN: str = char(3)                 # version, 000
    VRGNG: str = char(4)                 # business transaction, as on COBK
    REFBZ: str = numc(3)                 # line item of the reference document (BSEG-BUZEI)
    PAROB: str = char(22)                # partner object (sender/receiver of an allocation)
    USPOB: str = char(22)                # origin object (the sender cost center/activity type)
    HRKFT: str = char(14)                # origin (CO subkey), blank here
    WOGBTR: Decimal = curr(23, 2)        # value in object currency
    OWAER: str = cuky()                  # object currency
    MEGBTR: Decimal = quan(15, 3)        # total quantity (in MEINH)
    MEINH: str = char(3)                 # unit of the quantity
    MBGBTR: Decimal = quan(15, 3)        # quantity as entered (in MEINB)
    MEINB: str = char(3)                 # unit as entered
