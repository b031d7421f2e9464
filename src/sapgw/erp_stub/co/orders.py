"""Internal orders: create (KO01-like) and read. Other applications call these functions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.co.master_data import controlling_area as area_of
from sapgw.erp_stub.co.master_data import order_type as order_type_of
from sapgw.erp_stub.co.status import create_status_object
from sapgw.erp_stub.co.tables import AUFK
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext

_CREATED = "co.orders"  # LUW memory: orders created in this LUW, by AUFNR


def create_order(ctx: CallContext, *, order_type: str, text: str, company_code: str,
                 controlling_area: str | None = None, ra_key: str = "") -> str:
    """Create a released internal order in the caller's LUW; returns its AUFNR (12 digits).

    The order type comes from T003O (category, number range interval), the controlling area
    from TKA02 unless given; the order currency is the controlling area's (TKA01), which CO
    postings require to be the company code's. The order gets status REL (JEST) and, when
    given, the results analysis key (AUFK-ABGSL) that results analysis runs by. Raises
    KeyError for an unknown order type or a company code without controlling area (callers
    report it as RETURN).
    """
    spec = order_type_of(ctx, order_type)
    if spec is None:
        raise KeyError(f"order type {order_type}")
    company = fbas.company_code(ctx, company_code)
    kokrs = controlling_area or (company.KOKRS if company is not None else "")
    area = area_of(ctx, kokrs) if kokrs else None
    if company is None or area is None:
        raise KeyError(f"company code {company_code} (or its controlling area)")
    aufnr = ctx.numbers.next("AUFTRAG", "", spec.NUMKR or "01")
    row = {
        "AUFNR": aufnr, "AUART": order_type, "AUTYP": spec.AUTYP or "01", "KTEXT": text[:40],
        "BUKRS": company_code, "KOKRS": kokrs, "WAERS": company.WAERS, "OBJNR": f"OR{aufnr}",
        "ERDAT": ctx.clock.today().strftime("%Y%m%d"), "PHAS1": "X", "ABGSL": ra_key,
    }
    ctx.insert(AUFK, row)
    ctx.luw.memory.setdefault(_CREATED, {})[aufnr] = row
    create_status_object(ctx, f"OR{aufnr}")
    return aufnr


def order(ctx: CallContext, aufnr: str) -> dict[str, Any] | None:
    """The order master record, or None. AUFNR may be given without leading zeros.

    An order created earlier in the caller's LUW is found too (SAP's order buffer): a CRM
    service order's internal order and the sales document assigned to it are created in
    one LUW."""
    table = AUFK.__table__  # type: ignore[attr-defined]
    key = aufnr.zfill(12) if aufnr.isdigit() else aufnr
    created = ctx.luw.memory.get(_CREATED, {}).get(key)
    if created is not None:
        return dict(created)
    with ctx.read() as conn:
        row = conn.execute(select(table).where(table.c.AUFNR == key)).mappings().first()
    return dict(row) if row else None


def orders(ctx: CallContext, *, kokrs: str) -> list[dict[str, Any]]:
    """The order master records of a controlling area, by number (worklists of collective
    period-end runs)."""
    table = AUFK.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        rows = conn.execute(select(table).where(table.c.KOKRS == kokrs)
                            .order_by(table.c.AUFNR)).mappings().all()
    return [dict(row) for row in rows]
