"""HR master data CATS needs: an employee's organisational assignment on a day (PA0001) and
the data entry profiles (TCATS).

The employee's cost center on the work date is the sender of the hours when a record names
none, as SAP's time sheet takes it from infotype 0001 (reference/controlling.md §9.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select

from sapgw.erp_stub.cats.tables import PA0001, TCATS
from sapgw.erp_stub.kernel.context import CallContext

_PA0001 = PA0001.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Employee:
    """One validity period of an employee's organisational assignment."""

    pernr: str
    begda: str
    endda: str
    bukrs: str
    werks: str
    kokrs: str
    kostl: str
    ename: str


def personnel_number(value: str) -> str:
    """PERNR as stored: NUMC 8 with leading zeros (a non-numeric value stays as given)."""
    value = str(value).strip()
    return value.zfill(8) if value.isdigit() else value


def employee(ctx: CallContext, pernr: str, date: str) -> Employee | None:
    """The employee's PA0001 period valid on `date` (YYYYMMDD), or None: unknown then."""
    query = select(_PA0001).where(_PA0001.c.PERNR == personnel_number(pernr),
                                  _PA0001.c.BEGDA <= date, _PA0001.c.ENDDA >= date)
    with ctx.read() as conn:
        row = conn.execute(query.order_by(_PA0001.c.BEGDA.desc())).first()
    if row is None:
        return None
    return Employee(row.PERNR, row.BEGDA, row.ENDDA, row.BUKRS, row.WERKS, row.KOKRS,
                    row.KOSTL, row.ENAME)


def profile(ctx: CallContext, variant: str) -> Row[Any] | None:
    """The data entry profile (TCATS row); a blank name means the one marked default."""
    if variant:
        return ctx.buffered(TCATS).get(variant)
    return next((row for row in ctx.buffered(TCATS).all() if row.DEFLT == "X"), None)
