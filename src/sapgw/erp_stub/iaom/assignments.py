"""Looking up account assignment objects: what FI/CO call to resolve EXT_OBJECT_ID."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.iaom.tables import IAOM_ASSIGNMENTS
from sapgw.erp_stub.kernel.context import CallContext


def lookup(ctx: CallContext, scenario: str, ext_object_id: str) -> dict[str, Any] | None:
    """The IAOM_ASSIGNMENTS row for a business scenario and key, or None."""
    table = IAOM_ASSIGNMENTS.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        row = conn.execute(select(table).where(
            table.c.BUS_SCENARIO_ID == scenario,
            table.c.EXT_OBJECT_ID == ext_object_id)).mappings().first()
    return dict(row) if row else None
