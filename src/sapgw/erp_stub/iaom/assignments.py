"""Looking up account assignment objects: what FI/CO call to resolve EXT_OBJECT_ID."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from sapgw.erp_stub.iaom.tables import IAOM_ASSIGNMENTS
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.ps.api import wbs_element_by_objnr

_TABLE = IAOM_ASSIGNMENTS.__table__  # type: ignore[attr-defined]
_LOOKUP = select(_TABLE).where(_TABLE.c.BUS_SCENARIO_ID == bindparam("scenario"),
                               _TABLE.c.EXT_OBJECT_ID == bindparam("key"))


def lookup(ctx: CallContext, scenario: str, ext_object_id: str) -> dict[str, Any] | None:
    """The IAOM_ASSIGNMENTS row for a business scenario and key, or None."""
    memo_key = ("IAOM_ASSIGNMENTS", scenario, ext_object_id)
    known = ctx.system.cache.get(memo_key)
    if known is not None:
        return dict(known)
    with ctx.read() as conn:
        row = conn.execute(_LOOKUP, {"scenario": scenario, "key": ext_object_id}
                           ).mappings().first()
    if row is None:  # a miss is not cached: the assignment may be created any moment
        return None
    found = dict(row)
    if ctx.luw.writer is None:  # read committed data: assignments never change
        ctx.system.cache.put(memo_key, found)
    else:  # read inside an open batch: cache it once the batch has committed
        ctx.luw.cache_after_commit.append((memo_key, found))
    return dict(found)


def register(ctx: CallContext, scenario: str, ext_object_id: str, object_no: str,
             controlling_type: str) -> None:
    """Register a new assignment in the caller's LUW (written at commit)."""
    ctx.insert(IAOM_ASSIGNMENTS, {
        "BUS_SCENARIO_ID": scenario, "EXT_OBJECT_ID": ext_object_id, "OBJECT_NO": object_no,
        "CONTROLLING_TYPE": controlling_type, "ERDAT": ctx.clock.today().strftime("%Y%m%d"),
    })


def assignment(ctx: CallContext, scenario: str, ext_object_id: str) -> dict[str, Any] | None:
    """IAOMC-like display: the assignment with its CO object resolved to AUFNR or POSID."""
    row = lookup(ctx, scenario, ext_object_id)
    return None if row is None else resolve(ctx, row)


def search(ctx: CallContext, scenario: str = "", key_prefix: str = "", limit: int = 100
           ) -> list[dict[str, Any]]:
    """IAOMC-like search: assignments of a scenario whose business key starts with a prefix."""
    table = IAOM_ASSIGNMENTS.__table__  # type: ignore[attr-defined]
    query = select(table).order_by(table.c.BUS_SCENARIO_ID, table.c.EXT_OBJECT_ID).limit(limit)
    if scenario:
        query = query.where(table.c.BUS_SCENARIO_ID == scenario)
    if key_prefix:
        query = query.where(table.c.EXT_OBJECT_ID.startswith(key_prefix, autoescape=True))
    with ctx.read() as conn:
        rows = conn.execute(query).mappings().all()
    return [resolve(ctx, dict(row)) for row in rows]


def resolve(ctx: CallContext, row: dict[str, Any]) -> dict[str, Any]:
    """The row plus AUFNR (for 'OR' objects) and POSID (for 'PR' objects), blank otherwise."""
    object_no = row["OBJECT_NO"]
    aufnr = object_no[2:] if object_no.startswith("OR") else ""
    posid = ""
    if object_no.startswith("PR"):
        wbs = wbs_element_by_objnr(ctx, object_no)
        posid = wbs["POSID"] if wbs else ""
    return {**row, "AUFNR": aufnr, "POSID": posid}
