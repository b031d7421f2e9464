"""CO-PA customizing in SAP's tables where their names are public, ours where not.

SAP's: TKEB/TKEBT/TKEBB (operating concern, text, type: PATYPE 1 costing-based), TKB9A
(PA transfer structure), TKB9C (its assignment lines, COPA_FAKMG), TKB9G (the source of a
line: cost element ranges VALMIN..VALMAX per controlling area). Ours (SAP keeps them where
no public listing shows the fields): TKB9D's fields (the value field of a line: SAP's table
for it is not public), ZCOPA_KOKRS (controlling area -> operating concern: SAP's TKA01-ERKRS,
a field of CO's table we leave alone), ZCOPA_VALFLD (value fields and texts: KEA6),
ZCOPA_VRGAR (record types: KEVA-like), ZCOPA_KSCHL (SD condition type -> value field: KE4I).
All are buffered (the declaration names them customizing): every posting reads them.
"""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky


class TKEB(ErpTable, table=True):
    """Operating concerns (KEA0). PERIV and WAERS: field names ours."""

    __tablename__ = "TKEB"
    ERKRS: str = char(4, key=True)
    PERIV: str = char(2)                 # fiscal year variant of the operating concern
    WAERS: str = cuky()                  # operating concern currency


class TKEBT(ErpTable, table=True):
    """Operating concern texts."""

    __tablename__ = "TKEBT"
    SPRAS: str = char(1, key=True)
    ERKRS: str = char(4, key=True)
    ERKRS_BZ: str = char(30)


class TKEBB(ErpTable, table=True):
    """Type of profitability analysis per operating concern: 1 costing-based (the only one
    built), 2 account-based, 3 both."""

    __tablename__ = "TKEBB"
    ERKRS: str = char(4, key=True)
    PATYPE: str = char(1)


class ZCOPA_KOKRS(ErpTable, table=True):
    """Ours: controlling area -> operating concern (SAP: TKA01-ERKRS, KEKK)."""

    __tablename__ = "ZCOPA_KOKRS"
    KOKRS: str = char(4, key=True)
    ERKRS: str = char(4)


class ZCOPA_VALFLD(ErpTable, table=True):
    """Ours: the value fields of an operating concern (KEA6) with their texts. FIENM names a
    column of the line item table CE1<ERKRS>."""

    __tablename__ = "ZCOPA_VALFLD"
    ERKRS: str = char(4, key=True)
    FIENM: str = char(5, key=True)       # VV010 …
    KTEXT: str = char(20)
    LTEXT: str = char(40)


class ZCOPA_VRGAR(ErpTable, table=True):
    """Ours: record types (F billing, C settlement, B direct posting …) and texts."""

    __tablename__ = "ZCOPA_VRGAR"
    VRGAR: str = char(1, key=True)
    TEXT: str = char(40)


class ZCOPA_KSCHL(ErpTable, table=True):
    """Ours: SD condition type -> value field (KE4I, 'Assign SD conditions to value
    fields')."""

    __tablename__ = "ZCOPA_KSCHL"
    ERKRS: str = char(4, key=True)
    KSCHL: str = char(4, key=True)
    FIENM: str = char(5)


class TKB9A(ErpTable, table=True):
    """PA transfer structures (KEI1 settlement, KEI2 direct postings). USAGE and TEXT ours:
    S settlement (KEI1), D direct posting (KEI2)."""

    __tablename__ = "TKB9A"
    ERSCH: str = char(2, key=True)
    USAGE: str = char(1)
    TEXT: str = char(40)


class TKB9C(ErpTable, table=True):
    """Assignment lines of a PA transfer structure."""

    __tablename__ = "TKB9C"
    ERSCH: str = char(2, key=True)
    ERZUO: str = char(3, key=True)
    COPA_FAKMG: str = char(1)            # quantity billed/delivered (not built)
    TEXT: str = char(40)                 # ours


class TKB9G(ErpTable, table=True):
    """The source of an assignment line: a cost element range per controlling area
    (VALMIN..VALMAX; SAP also allows groups SETNR and RA categories ABKAT: not built)."""

    __tablename__ = "TKB9G"
    ERSCH: str = char(2, key=True)
    ERZUO: str = char(3, key=True)
    KOKRS: str = char(4, key=True)
    VALMIN: str = char(10, key=True)
    VALMAX: str = char(10)


class TKB9D(ErpTable, table=True):
    """The value field of an assignment line, per operating concern (table name and fields
    ours: SAP's are not public; no fixed/variable split)."""

    __tablename__ = "TKB9D"
    ERSCH: str = char(2, key=True)
    ERZUO: str = char(3, key=True)
    ERKRS: str = char(4, key=True)
    FIENM: str = char(5)


CUSTOMIZING: tuple[type[ErpTable], ...] = (
    TKEB, TKEBT, TKEBB, ZCOPA_KOKRS, ZCOPA_VALFLD, ZCOPA_VRGAR, ZCOPA_KSCHL,
    TKB9A, TKB9C, TKB9G, TKB9D)
