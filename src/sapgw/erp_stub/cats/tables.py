"""CATS tables: HR organisational assignment (PA0001 subset), data entry profiles (TCATS
subset), time sheet records (CATSDB) and the interface to CO (CATSCO).

reference/controlling.md §3.4. Field names are SAP's where they are public; the profile
flags FREIGABE/GENEHM/DEFLT and CATSCO-CO_BELNR are ours (labelled in docs/ERP_STUB.md).
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, numc, quan, tims

HIGHEST_DATE = "99991231"


class PA0001(ErpTable, table=True):
    """HR master infotype 0001, organisational assignment: where an employee works and which
    cost center carries the employee's cost, per validity period (our subset of the key:
    PERNR, ENDDA, BEGDA; SAP adds SUBTY, OBJPS, SPRPS, SEQNR)."""

    __tablename__ = "PA0001"
    PERNR: str = numc(8, key=True)       # personnel number
    ENDDA: str = dats(key=True)          # valid to
    BEGDA: str = dats(key=True)          # valid from
    BUKRS: str = char(4)                 # company code
    WERKS: str = char(4)                 # personnel area
    PERSG: str = char(1)                 # employee group
    PERSK: str = char(2)                 # employee subgroup
    KOKRS: str = char(4)                 # controlling area
    KOSTL: str = char(10)                # cost center (the sender of the employee's hours)
    ORGEH: str = numc(8)                 # organisational unit
    ENAME: str = char(40)                # formatted name
    SNAME: str = char(30)                # name for sorting (upper case)


class TCATS(ErpTable, table=True):
    """CATS data entry profiles (CAC1), our subset: how saved records are released and
    whether they need approval."""

    __tablename__ = "TCATS"
    VARIANT: str = char(8, key=True)     # data entry profile
    VTEXT: str = char(40)                # its text (SAP: TCATST; ours here)
    FREIGABE: str = char(1)              # X: release on saving (ours)
    GENEHM: str = char(1)                # X: approval required (ours)
    DEFLT: str = char(1)                 # X: the profile used when a caller names none (ours)


class CATSDB(ErpTable, table=True):
    """One time sheet record: who worked how long on which day for which receiver."""

    __tablename__ = "CATSDB"
    COUNTER: str = char(12, key=True)    # from number range CATS
    PERNR: str = numc(8, index=True)
    WORKDATE: str = dats()
    AWART: str = char(4)                 # attendance/absence type
    CATSHOURS: Decimal = quan(4, 2)
    MEINH: str = char(3)                 # unit of CATSHOURS
    KOKRS: str = char(4)
    SKOSTL: str = char(10)               # sender cost center
    LSTAR: str = char(6)                 # activity type
    RKOSTL: str = char(10)               # receiver cost center
    RAUFNR: str = char(12, index=True)   # receiver order
    PAOBJNR: str = numc(10)              # receiver profitability segment (CO-PA)
    RPROJ: str = numc(8)                 # receiver WBS element (not posted to here)
    STATUS: str = char(2)                # 10 in process, 20 released, 30 approved, 40 rejected,
    #                                      50 changed after approval, 60 cancelled
    BELNR: str = char(10)                # CATS document number, drawn when the record is 30
    REFCOUNTER: str = char(12)           # the record this one changes
    LTXA1: str = char(40)                # short text
    VARIANT: str = char(8)               # data entry profile it was saved with
    EXTSYSTEM: str = char(10)            # logical system of an external sender (CRM)
    EXTAPPLICATION: str = char(5)        # the sender's application (e.g. CRM service)
    EXTDOCUMENTNO: str = char(20)        # the sender's document (e.g. the confirmation)
    ERSDA: str = dats()                  # created on
    ERSTM: str = tims()                  # created at
    ERNAM: str = char(12)                # created by
    APDAT: str = dats()                  # approved (or rejected) on
    APNAM: str = char(12)                # approved (or rejected) by


class CATSCO(ErpTable, table=True):
    """The CATS interface to CO: an approved record waiting for CAT7 (TRANSFER blank) or
    posted (TRANSFER = X, CO_BELNR the activity allocation's CO document)."""

    __tablename__ = "CATSCO"
    COUNTER: str = char(12, key=True)
    STOKZ: str = char(1, key=True)       # X: the reversal of the record
    PERNR: str = numc(8)
    WORKDATE: str = dats()
    CATSHOURS: Decimal = quan(4, 2)
    MEINH: str = char(3)
    KOKRS: str = char(4)
    SKOSTL: str = char(10)
    LSTAR: str = char(6)
    RKOSTL: str = char(10)
    RAUFNR: str = char(12)
    PAOBJNR: str = numc(10)              # receiver profitability segment (CO-PA)
    RPROJ: str = numc(8)
    BELNR: str = char(10)                # CATS document number
    REFCOUNTER: str = char(12)
    TRANSFER: str = char(1, index=True)  # X: posted to CO
    CO_BELNR: str = char(10)             # the CO document (ours: SAP finds it by COBK-AWKEY)


CUSTOMIZING = (TCATS,)
TABLES = (PA0001, TCATS, CATSDB, CATSCO)
