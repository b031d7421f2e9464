"""The RA data settlement has taken: COSBD, cumulative per RA category and RA cost element as
COSB, and per settlement document ZAUA_RA (ours), what that document added to COSBD.

A settlement sends only the difference between COSB and COSBD and adds it to both; its
reversal reads what the reversed document took and adds it back at the opposite sign, so the
next settlement sends the same values again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.ra import api as ra
from sapgw.erp_stub.settlement.tables import COSBD, ZAUA_RA

# (RA category, RA cost element) -> value
Changes = dict[tuple[str, str], Decimal]

VERSION = "000"
ZERO = Decimal(0)
_COSBD: Any = COSBD.__table__  # type: ignore[attr-defined]
_ZAUA_RA: Any = ZAUA_RA.__table__  # type: ignore[attr-defined]


def version(ctx: CallContext, kokrs: str) -> str:
    """The RA version settlement reads from COSB and keeps in COSBD: 000 when it is settled to
    FI (TKKAP-XFIBU), else the area's first such version; "" when the area has none."""
    versions = ra.fi_versions(ctx, kokrs)
    return VERSION if VERSION in versions else (versions[0] if versions else "")


def settled(ctx: CallContext, objnr: str, versn: str, gjahr: int, period: int) -> Changes:
    """What settlements have taken of the object's RA data through the period (COSBD)."""
    return ra.cumulative(ctx, objnr, versn, gjahr, period, table=_COSBD)


def taken_by(ctx: CallContext, belnr: str) -> tuple[str, Changes]:
    """What one settlement document added to COSBD (its ZAUA_RA rows) and the RA version it
    added it under ("" when it added nothing). A blank ZAUA_RA-VERSN is a row written before
    the column existed, when settlement kept COSBD under 000 only."""
    with ctx.read() as conn:
        rows = list(conn.execute(
            select(_ZAUA_RA).where(_ZAUA_RA.c.BELNR == belnr)).mappings())
    versions = {row["VERSN"] or VERSION for row in rows}
    if len(versions) > 1:
        raise ValueError(f"settlement document {belnr} took RA data under several versions: "
                         f"{sorted(versions)}")
    changes = {(row["ABKAT"], row["KSTAR"]): row["WKGBTR"] for row in rows}
    return (versions.pop() if versions else ""), changes


def register_taken(ctx: CallContext, *, belnr: str, objnr: str, versn: str, year: str,
                   period: int, currency: str, changes: Changes) -> None:
    """Register in the caller's LUW: the changes added to COSBD's period (update task) and
    the document's ZAUA_RA rows with the version. A reversal passes the reversed document's
    changes at the opposite sign under the version `taken_by` gave for it."""
    ctx.task(_add_to_cosbd(objnr, versn, year, period, currency, changes))
    ctx.insert(ZAUA_RA, [{"BELNR": belnr, "ABKAT": abkat, "KSTAR": kstar, "VERSN": versn,
                          "WKGBTR": value, "WAERS": currency}
                         for (abkat, kstar), value in sorted(changes.items())])


def _add_to_cosbd(objnr: str, versn: str, year: str, period: int, currency: str,
                  changes: Changes) -> Any:
    """Update task: add the changes to COSBD's period columns, a row created when missing."""
    columns = [f"{prefix}{period:03d}" for prefix in ("WTG", "WOG", "WKG")]

    def run(conn: Connection) -> None:
        for (abkat, kstar), value in changes.items():
            key = {"LEDNR": "00", "OBJNR": objnr, "GJAHR": year, "WRTTP": ra.RA_VALUE_TYPE,
                   "VERSN": versn, "ABKAT": abkat, "KSTAR": kstar, "HRKFT": "",
                   "VRGNG": "KABG", "PAROB": "", "BEKNZ": "S", "AWKUS": "",
                   "TWAER": currency, "PERBL": "016"}
            where = [_COSBD.c[name] == item for name, item in key.items()]
            done = conn.execute(update(_COSBD).where(*where).values(
                {column: _COSBD.c[column] + value for column in columns}))
            if not done.rowcount:
                empty = {f"{prefix}{p:03d}": ZERO for prefix in ("WTG", "WOG", "WKG")
                         for p in range(1, 17)}
                conn.execute(insert(_COSBD).values(
                    {**key, **empty, **dict.fromkeys(columns, value)}))

    return run
