"""Results analysis tables: customizing (TKKAA, TKKAP, TKKAS, TKKAZ, ZRA_UPDATE) and results
(COSB totals, COEPB line items). reference/controlling.md §6.

Customizing in SAP's shape where its field names are public, reduced to what the valuation
methods 01, 03 and 13 need:
- TKKAA   RA key (AUFK-ABGSL) and its text.
- TKKAP   RA version per controlling area; XFIBU (ours) = its data may be settled to FI.
- TKKAS   valuation per RA version, RA key and system status. ABART (ours) says what the
          status means: V valuate with method BWMTD (01, 03, 13), S cancel WIP and reserves
          (the cancellation status, e.g. FNBL or TECO). The row with blank STAT is the default.
- TKKAZ   assignment of cost elements (range KSTAB..KSTBI) to a line ID (ABPOS) and its
          category KATEG: K costs, A settled costs (credits), E revenue, N not included.
- ZRA_UPDATE (ours; SAP's table of update rules is not public) RA category → RA cost element
          (CSKB category 31) under which RA data are stored.

Results: COSB (WRTTP 32) with one row per object, year, RA version, RA category (ABKAT) and RA
cost element, the period values side by side as the other totals tables; COEPB the line items
of each run (VRGNG KABG). The period columns hold the period's change; the cumulative RA
balance is their sum up to the period, as in COSP/COSS.
"""

from __future__ import annotations

import types
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, numc

PERIODS = range(1, 17)
AMOUNT_PREFIXES = ("WTG", "WOG", "WKG")
RA_TOTALS_KEY = ("LEDNR", "OBJNR", "GJAHR", "WRTTP", "VERSN", "ABKAT", "KSTAR", "HRKFT",
                 "VRGNG", "PAROB", "BEKNZ", "AWKUS", "TWAER", "PERBL")
_KEY_TYPES: dict[str, Any] = {
    "LEDNR": lambda: char(2, key=True), "OBJNR": lambda: char(22, key=True),
    "GJAHR": lambda: numc(4, key=True), "WRTTP": lambda: char(2, key=True),
    "VERSN": lambda: char(3, key=True), "ABKAT": lambda: numc(2, key=True),
    "KSTAR": lambda: char(10, key=True), "HRKFT": lambda: char(14, key=True),
    "VRGNG": lambda: char(4, key=True), "PAROB": lambda: char(22, key=True),
    "BEKNZ": lambda: char(1, key=True), "AWKUS": lambda: char(12, key=True),
    "TWAER": lambda: char(5, key=True), "PERBL": lambda: numc(3, key=True),
}


def period_field(prefix: str, period: int) -> str:
    return f"{prefix}{period:03d}"


def ra_totals_table(name: str, doc: str) -> type[ErpTable]:
    """A table in COSB's shape (key RA_TOTALS_KEY, WTG/WOG/WKG001..016): COSB itself and the
    settled portion COSBD that settlement keeps."""
    def body(namespace: dict[str, Any]) -> None:
        annotations: dict[str, Any] = {}
        for field in RA_TOTALS_KEY:
            namespace[field], annotations[field] = _KEY_TYPES[field](), str
        for prefix in AMOUNT_PREFIXES:
            for period in PERIODS:
                namespace[period_field(prefix, period)] = curr(15, 2)
                annotations[period_field(prefix, period)] = Decimal
        namespace.update(__tablename__=name, __doc__=doc, __module__=__name__,
                         __qualname__=name, __annotations__=annotations)

    return types.new_class(name, (ErpTable,), {"table": True}, body)


COSB = ra_totals_table("COSB", "CO object: totals of results analysis (WRTTP 32).")


class COEPB(ErpTable, table=True):
    """RA line items of one run (period change per RA category and RA cost element)."""

    __tablename__ = "COEPB"
    KOKRS: str = char(4, key=True)
    BELNR: str = char(10, key=True)
    BUZEI: str = numc(3, key=True)
    GJAHR: str = numc(4)
    PERIO: str = numc(3)
    OBJNR: str = char(22, index=True)
    WRTTP: str = char(2)                 # 32 results analysis
    VERSN: str = char(3)                 # RA version
    ABKAT: str = numc(2)                 # RA category
    KSTAR: str = char(10)                # RA cost element (category 31)
    VRGNG: str = char(4)                 # KABG
    BEKNZ: str = char(1)
    WKGBTR: Decimal = curr(23, 2)
    WTGBTR: Decimal = curr(23, 2)
    TWAER: str = cuky()
    CPUDT: str = dats()
    USNAM: str = char(12)


class TKKAA(ErpTable, table=True):
    """Results analysis keys."""

    __tablename__ = "TKKAA"
    ABGSL: str = char(6, key=True)
    TXT: str = char(30)                  # text (SAP keeps it in TKKAT; here beside the key)


class TKKAP(ErpTable, table=True):
    """Results analysis versions per controlling area."""

    __tablename__ = "TKKAP"
    KOKRS: str = char(4, key=True)
    VERSN: str = char(3, key=True)
    TXT: str = char(30)
    XFIBU: str = char(1)                 # X: relevant to financial accounting (ours)


class TKKAS(ErpTable, table=True):
    """Valuation per RA version, RA key and system status (blank STAT: the default row)."""

    __tablename__ = "TKKAS"
    KOKRS: str = char(4, key=True)
    VERSN: str = char(3, key=True)
    ABGSL: str = char(6, key=True)
    STAT: str = char(4, key=True)        # system status (TXT04), blank = any other
    ABART: str = char(1)                 # V valuate, S cancel (ours)
    BWMTD: str = numc(2)                 # valuation method 01, 03, 13 (ours)


class TKKAZ(ErpTable, table=True):
    """Assignment of cost elements to line IDs."""

    __tablename__ = "TKKAZ"
    KOKRS: str = char(4, key=True)
    VERSN: str = char(3, key=True)
    KSTAB: str = char(10, key=True)      # cost element from
    KSTBI: str = char(10)                # cost element to
    ABPOS: str = char(3)                 # line ID
    KATEG: str = char(1)                 # K costs, A settled costs, E revenue, N not included


class ZRA_UPDATE(ErpTable, table=True):
    """Update rules (ours): the RA cost element each RA category is stored under."""

    __tablename__ = "ZRA_UPDATE"
    KOKRS: str = char(4, key=True)
    VERSN: str = char(3, key=True)
    ABKAT: str = numc(2, key=True)
    KSTAR: str = char(10)                # RA cost element, CSKB category 31
