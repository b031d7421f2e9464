"""Convergent Invoicing documents in SAP's tables: billing documents (DFKKINVBILL_H/_I),
invoicing orders (DFKKINV_TRIG), invoicing documents (DFKKINVDOC_H/_I and the link to the
postings DFKKINVDOC_P) and FI-CA documents (DFKKKO header, DFKKOP business partner items,
DFKKOPK G/L items), with the reconciliation keys they are posted under (FKKFIKEY, ours:
SAP's reconciliation key management is not reproduced).

Amounts are signed as FI-CA signs them: positive is a debit (receivable), negative a credit.
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, numc, quan, tims


class DFKKINVBILL_H(ErpTable, table=True):
    """Billing document header."""

    __tablename__ = "DFKKINVBILL_H"
    BILLDOCNO: str = char(12, key=True)
    APPLK: str = char(1)
    GPART: str = char(10)
    VKONT: str = char(12)
    SRCPROCESS: str = char(4)            # billing subprocess
    DATE_FROM: str = dats()              # billing period
    DATE_TO: str = dats()
    BILL_CURR: str = cuky()
    BILL_AMOUNT: Decimal = curr(15, 2)   # ours: the items' total
    BIT_NUMBER: str = numc(10)           # billable items billed
    BILLRUNNO: str = char(12)            # mass run (blank: single billing)
    INVSTATUS: str = char(1)             # blank not invoiced, X invoiced
    INVDOCNO: str = char(12)
    CRNAME: str = char(12)
    CRDATE: str = dats()
    CRTIME: str = tims()


class DFKKINVBILL_I(ErpTable, table=True):
    """Billing document item: billable items of one kind, summed."""

    __tablename__ = "DFKKINVBILL_I"
    BILLDOCNO: str = char(12, key=True)
    BILLDOCITEM: str = numc(6, key=True)
    VTREF: str = char(20)
    VTPOS: str = numc(6)
    SUBAP: str = char(1)                 # P: provider contract reference
    BUKRS: str = char(4)
    HVORG: str = char(4)
    TVORG: str = char(4)
    BITTYPE: str = char(4)               # ours: the billable item type summed
    BILL_AMOUNT: Decimal = curr(15, 2)
    BILL_CURR: str = cuky()
    QUANTITY: Decimal = quan(15, 3)
    QTY_UNIT: str = char(3)
    DATE_FROM: str = dats()
    DATE_TO: str = dats()
    RAREL: str = char(1)
    SERVICE_TYPE: str = char(6)
    BIT_NUMBER: str = numc(10)


class DFKKINV_TRIG(ErpTable, table=True):
    """Invoicing order: a billing document waiting to be invoiced."""

    __tablename__ = "DFKKINV_TRIG"
    BILLDOCNO: str = char(12, key=True)
    VKONT: str = char(12)
    GPART: str = char(10)
    CRDATE: str = dats()


class DFKKINVDOC_H(ErpTable, table=True):
    """Invoicing document header."""

    __tablename__ = "DFKKINVDOC_H"
    INVDOCNO: str = char(12, key=True)
    APPLK: str = char(1)
    GPART: str = char(10)
    VKONT: str = char(12)
    BUKRS: str = char(4)
    INVRUNNO: str = char(12)             # mass run (blank: single invoicing)
    FIKEY: str = char(12)                # reconciliation key
    BUDAT: str = dats()
    BLDAT: str = dats()
    FAEDN: str = dats()                  # net due date
    TOTAL_CURR: str = cuky()
    TOTAL_AMT: Decimal = curr(15, 2)
    CRNAME: str = char(12)
    CRDATE: str = dats()
    CRTIME: str = tims()


class DFKKINVDOC_I(ErpTable, table=True):
    """Invoicing document item: one per billing document item."""

    __tablename__ = "DFKKINVDOC_I"
    INVDOCNO: str = char(12, key=True)
    INVDOCITEM: str = numc(6, key=True)
    BUKRS: str = char(4)
    VTREF: str = char(20)
    VTPOS: str = numc(6)
    SUBAP: str = char(1)
    HVORG: str = char(4)
    TVORG: str = char(4)
    WAERS: str = cuky()
    BETRW: Decimal = curr(15, 2)         # amount (the revenue, positive)
    MENGE: Decimal = quan(15, 3)
    MEINS: str = char(3)
    RAREL: str = char(1)
    SERVICE_TYPE: str = char(6)
    DATE_FROM: str = dats()
    DATE_TO: str = dats()
    HKONT: str = char(10)                # ours: the revenue account it was posted to
    OPBEL: str = char(12)                # FI-CA document
    SRCDOCCAT: str = char(4)             # source: BILL (billing document)
    SRCDOCNO: str = char(12)
    SRCDOCITEM: str = numc(6)


class DFKKINVDOC_P(ErpTable, table=True):
    """Invoicing document -> the FI-CA documents it posted."""

    __tablename__ = "DFKKINVDOC_P"
    INVDOCNO: str = char(12, key=True)
    OPBEL: str = char(12, key=True)
    XNEWDOC: str = char(1)               # X: posted by this invoicing


class DFKKKO(ErpTable, table=True):
    """FI-CA document header."""

    __tablename__ = "DFKKKO"
    OPBEL: str = char(12, key=True)
    FIKEY: str = char(12)
    APPLK: str = char(1)
    BLART: str = char(2)                 # document type
    HERKF: str = char(2)                 # document origin
    WAERS: str = cuky()
    BLDAT: str = dats()
    BUDAT: str = dats()
    GJAHR: str = numc(4)                 # ours: fiscal year and period of BUDAT
    POPER: str = numc(3)
    INVDOCNO: str = char(12)
    ERNAM: str = char(12)
    CPUDT: str = dats()
    CPUTM: str = tims()


class DFKKOP(ErpTable, table=True):
    """FI-CA business partner item (the receivable)."""

    __tablename__ = "DFKKOP"
    OPBEL: str = char(12, key=True)
    OPUPW: str = numc(3, key=True)
    OPUPK: str = numc(4, key=True)
    OPUPZ: str = numc(3, key=True)
    BUKRS: str = char(4)
    GPART: str = char(10)
    VKONT: str = char(12)
    VTREF: str = char(20)
    APPLK: str = char(1)
    HVORG: str = char(4)
    TVORG: str = char(4)
    KOFIZ: str = char(2)
    HKONT: str = char(10)                # receivables account
    BUDAT: str = dats()
    BLDAT: str = dats()
    FAEDN: str = dats()
    WAERS: str = cuky()
    BETRW: Decimal = curr(15, 2)         # signed: debit positive
    BETRH: Decimal = curr(15, 2)
    AUGST: str = char(1)                 # clearing status (blank open)


class DFKKOPK(ErpTable, table=True):
    """FI-CA G/L item (the revenue)."""

    __tablename__ = "DFKKOPK"
    OPBEL: str = char(12, key=True)
    OPUPK: str = numc(4, key=True)
    BUKRS: str = char(4)
    HKONT: str = char(10)
    WAERS: str = cuky()
    BETRW: Decimal = curr(15, 2)         # signed: credit negative
    BETRH: Decimal = curr(15, 2)


class FKKFIKEY(ErpTable, table=True):
    """Ours: reconciliation keys; a mass run opens one and closes it at its end."""

    __tablename__ = "FKKFIKEY"
    FIKEY: str = char(12, key=True)
    XCLOS: str = char(1)                 # X: closed
    RUNNO: str = char(12)
    CRNAME: str = char(12)
    CRDATE: str = dats()
    CRTIME: str = tims()


DOCUMENTS = (DFKKINVBILL_H, DFKKINVBILL_I, DFKKINV_TRIG, DFKKINVDOC_H, DFKKINVDOC_I,
             DFKKINVDOC_P, DFKKKO, DFKKOP, DFKKOPK, FKKFIKEY)
