"""Reading projects and WBS elements: what other applications call instead of reading PS tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.ps.tables import PROJ, PRPS


def project(ctx: CallContext, pspid: str) -> dict[str, Any] | None:
    """The project definition with external key `pspid`, or None."""
    table = PROJ.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        row = conn.execute(select(table).where(table.c.PSPID == pspid)).mappings().first()
    return dict(row) if row else None


def wbs_element(ctx: CallContext, posid: str) -> dict[str, Any] | None:
    """The WBS element with external key `posid`, or None."""
    table = PRPS.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        row = conn.execute(select(table).where(table.c.POSID == posid)).mappings().first()
    return dict(row) if row else None


def wbs_elements_of(ctx: CallContext, pspnr: str) -> list[dict[str, Any]]:
    table = PRPS.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        rows = conn.execute(select(table).where(table.c.PSPHI == pspnr)
                            .order_by(table.c.POSID)).mappings().all()
    return [dict(r) for r in rows]


def wbs_posid(pspid: str) -> str:
    """The external key of a project's first WBS element (PROJ-PSPID + '.01')."""
    return f"{pspid}.01"


def wbs_element_by_objnr(ctx: CallContext, objnr: str) -> dict[str, Any] | None:
    """The WBS element with object number `objnr` ('PR' + PSPNR), or None."""
    table = PRPS.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        row = conn.execute(select(table).where(table.c.OBJNR == objnr)).mappings().first()
    return dict(row) if row else None


def project_with_wbs(ctx: CallContext, pspid: str) -> dict[str, Any] | None:
    """CJ20N-like view: the project definition with its WBS elements under `WBS_ELEMENTS`."""
    definition = project(ctx, pspid)
    if definition is None:
        return None
    return {**definition, "WBS_ELEMENTS": wbs_elements_of(ctx, definition["PSPNR"])}
