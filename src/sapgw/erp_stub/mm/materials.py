"""Material master and stock as other functions read them (MM03/MMBE-like), and the demo seed.

Material numbers go through the ALPHA exit: a numeric number is kept with leading zeros to
18 digits (`4711` -> `000000000000004711`), an alphanumeric one as it is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.mm.tables import MAKT, MARA, MARC, MARD, MBEW

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.customizing import Customizing
    from sapgw.erp_stub.kernel.system import ErpSystem

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


def seed_materials(system: ErpSystem, data: Customizing) -> None:
    """MM01 for the customizing's `materials` that MARA lacks; existing rows stay as they are.

    Runs at every start: rows another process wrote in the meantime are skipped (ON CONFLICT
    DO NOTHING), so starting several processes at once is harmless.
    """
    materials = data.table("materials")
    if not materials:
        return
    insert = sqlite_insert if system.db.is_sqlite else pg_insert
    today = system.clock.today().strftime("%Y%m%d")
    with system.db.write() as conn:
        known = set(conn.execute(select(_MARA.c.MATNR)).scalars())
        for key, spec in materials.items():
            number = matnr(key)
            if number in known:
                continue
            conn.execute(insert(_MARA).values(
                MATNR=number, MTART=spec.get("type", ""), MATKL=spec.get("group", ""),
                MEINS=spec["base_unit"], ERSDA=today).on_conflict_do_nothing())
            conn.execute(insert(MAKT.__table__).values(  # type: ignore[attr-defined]
                MATNR=number, SPRAS="E", MAKTX=spec.get("text", "")[:40]
            ).on_conflict_do_nothing())
            for plant in spec.get("plants", []):
                conn.execute(insert(_MARC).values(MATNR=number, WERKS=plant)
                             .on_conflict_do_nothing())
                conn.execute(insert(_MBEW).values(
                    MATNR=number, BWKEY=plant, VPRSV="S",
                    STPRS=Decimal(str(spec.get("price", "0"))),
                    PEINH=Decimal(str(spec.get("price_unit", 1)))).on_conflict_do_nothing())
