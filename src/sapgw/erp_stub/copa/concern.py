"""Typed reads of CO-PA customizing: the operating concern of a controlling area, its value
fields, record types, the SD condition assignment. All buffered tables: no SQL per posting.
Each answers None (or an empty result) when nothing is customized, so a caller can tell
"CO-PA not active for this controlling area" from an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sapgw.erp_stub.copa.customizing import (
    TKEB,
    TKEBB,
    ZCOPA_KOKRS,
    ZCOPA_KSCHL,
    ZCOPA_VALFLD,
    ZCOPA_VRGAR,
)
from sapgw.erp_stub.copa.errors import CopaError
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.money import currency_decimals

COSTING_BASED = "1"
# The operating concern whose tables (CE1S001, CE4S001) this system has.
BUILT = "S001"


@dataclass(frozen=True)
class Concern:
    """An operating concern as a posting needs it."""

    erkrs: str
    periv: str                           # fiscal year variant
    waers: str                           # operating concern currency
    decimals: int                        # of that currency


def concern_of(ctx: CallContext, kokrs: str) -> Concern | None:
    """The costing-based operating concern the controlling area is assigned to, or None."""
    assignment = ctx.buffered(ZCOPA_KOKRS).get(kokrs)
    if assignment is None or not assignment.ERKRS:
        return None
    return concern(ctx, assignment.ERKRS)


def concern(ctx: CallContext, erkrs: str) -> Concern | None:
    row = ctx.buffered(TKEB).get(erkrs)
    kind = ctx.buffered(TKEBB).get(erkrs)
    if row is None or erkrs != BUILT or (kind is not None and kind.PATYPE not in (
            COSTING_BASED, "3")):
        return None
    decimals = currency_decimals(ctx, row.WAERS)
    return Concern(erkrs, row.PERIV, row.WAERS, 2 if decimals is None else decimals)


def required_concern(ctx: CallContext, kokrs: str) -> Concern:
    """The controlling area's operating concern; KE 901 when it has none."""
    found = concern_of(ctx, kokrs)
    if found is None:
        raise CopaError("KE", "901", kokrs, field="KOKRS")
    return found


def value_fields(ctx: CallContext, erkrs: str) -> dict[str, Any]:
    """The operating concern's value fields (FIENM -> ZCOPA_VALFLD row), in key order."""
    return {row.FIENM: row for row in ctx.buffered(ZCOPA_VALFLD).where(ERKRS=erkrs)}


def record_type(ctx: CallContext, vrgar: str) -> Any | None:
    return ctx.buffered(ZCOPA_VRGAR).get(vrgar)


def condition_field(ctx: CallContext, erkrs: str, kschl: str) -> str:
    """KE4I: the value field an SD condition type goes to, blank when it is not assigned
    (SAP then transfers nothing of it)."""
    row = ctx.buffered(ZCOPA_KSCHL).get(erkrs, kschl)
    return row.FIENM if row is not None else ""
