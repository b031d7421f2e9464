"""Internal orders: create (KO01-like) and read. Other applications call these functions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.co.tables import AUFK
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext


def create_order(ctx: CallContext, *, order_type: str, text: str, company_code: str,
                 controlling_area: str | None = None) -> str:
    """Create a released internal order in the caller's LUW; returns its AUFNR (12 digits).

    Raises KeyError for an unknown order type or company code (callers report it as RETURN).
    """
    spec = ctx.customizing.entry("order_types", order_type)
    if spec is None:
        raise KeyError(f"order type {order_type}")
    company = fbas.company_code(ctx, company_code)
    if company is None:
        raise KeyError(f"company code {company_code}")
    aufnr = ctx.numbers.next("AUFTRAG", "", spec.get("number_range", "01"))
    ctx.insert(AUFK, {
        "AUFNR": aufnr, "AUART": order_type, "AUTYP": "01", "KTEXT": text[:40],
        "BUKRS": company_code, "KOKRS": controlling_area or company.KOKRS,
        "WAERS": company.WAERS, "OBJNR": f"OR{aufnr}",
        "ERDAT": ctx.clock.today().strftime("%Y%m%d"), "PHAS1": "X",
    })
    return aufnr


def order(ctx: CallContext, aufnr: str) -> dict[str, Any] | None:
    """The order master record, or None. AUFNR may be given without leading zeros."""
    table = AUFK.__table__  # type: ignore[attr-defined]
    key = aufnr.zfill(12) if aufnr.isdigit() else aufnr
    with ctx.read() as conn:
        row = conn.execute(select(table).where(table.c.AUFNR == key)).mappings().first()
    return dict(row) if row else None
