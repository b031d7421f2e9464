"""Material master and stock as other functions read them (MM03/MMBE-like).

Material numbers go through the ALPHA exit: a numeric number is kept with leading zeros to
18 digits (`4711` -> `000000000000004711`), an alphanumeric one as it is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.mm.tables import MARA, MARC, MARD, MBEW

_MARA = MARA.__table__  # type: ignore[attr-defined]
_MARC = MARC.__table__  # type: ignore[attr-defined]
_MBEW = MBEW.__table__  # type: ignore[attr-defined]
_MARD = MARD.__table__  # type: ignore[attr-defined]


def matnr(value: str) -> str:
    return alpha(value, 18)


def material(ctx: CallContext, number: str) -> dict[str, Any] | None:
    """MARA of the material, or None."""
    with ctx.read() as conn:
        row = conn.execute(select(_MARA).where(_MARA.c.MATNR == number)).mappings().first()
    return dict(row) if row else None


def in_plant(ctx: CallContext, number: str, plant: str) -> bool:
    """Whether the material is maintained in the plant (MARC)."""
    with ctx.read() as conn:
        return conn.execute(select(_MARC.c.MATNR).where(
            _MARC.c.MATNR == number, _MARC.c.WERKS == plant)).first() is not None


def standard_price(ctx: CallContext, number: str, plant: str) -> tuple[Decimal, Decimal]:
    """(price, price unit) of the material in the plant; (0, 1) when it is not valuated."""
    with ctx.read() as conn:
        row = conn.execute(select(_MBEW.c.STPRS, _MBEW.c.PEINH).where(
            _MBEW.c.MATNR == number, _MBEW.c.BWKEY == plant)).first()
    if row is None:
        return Decimal(0), Decimal(1)
    return Decimal(row.STPRS), Decimal(row.PEINH) or Decimal(1)


def stock(ctx: CallContext, number: str, plant: str, location: str) -> Decimal:
    """Unrestricted-use stock (MARD-LABST) as committed; 0 when there has been none."""
    with ctx.read() as conn:
        value = conn.execute(select(_MARD.c.LABST).where(
            _MARD.c.MATNR == number, _MARD.c.WERKS == plant,
            _MARD.c.LGORT == location)).scalar()
    return Decimal(value) if value is not None else Decimal("0.000")
