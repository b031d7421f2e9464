"""Reads of the RA customizing (buffered): RA key, version, valuation by status, line IDs,
update rules. Each answers None for what is not maintained; the run reports it."""

from __future__ import annotations

from dataclasses import dataclass

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.ra.tables import TKKAA, TKKAP, TKKAS, TKKAZ, ZRA_UPDATE

VALUATE, CANCEL = "V", "S"


@dataclass(frozen=True)
class Valuation:
    """What the RA key says for an object's statuses: the method, or cancellation."""

    method: str
    cancel: bool
    status: str            # the status whose row decided (blank: the default row)


def ra_key_defined(ctx: CallContext, abgsl: str) -> bool:
    return ctx.buffered(TKKAA).get(abgsl) is not None


def version(ctx: CallContext, kokrs: str, versn: str) -> TKKAP | None:
    return ctx.buffered(TKKAP).get(kokrs, versn)  # type: ignore[return-value]


def fi_versions(ctx: CallContext, kokrs: str) -> list[str]:
    """The RA versions of the area whose data are settled to FI (XFIBU)."""
    return [row.VERSN for row in ctx.buffered(TKKAP).where(KOKRS=kokrs) if row.XFIBU]


def valuation(ctx: CallContext, kokrs: str, versn: str, abgsl: str,
              active: frozenset[str]) -> Valuation | None:
    """The cancellation row of an active status wins; else the valuation row of an active
    status, else the key's default row (blank status)."""
    rows = ctx.buffered(TKKAS).where(KOKRS=kokrs, VERSN=versn, ABGSL=abgsl)
    for row in rows:
        if row.ABART == CANCEL and row.STAT in active:
            return Valuation(row.BWMTD, True, row.STAT)
    for row in rows:
        if row.ABART == VALUATE and row.STAT in active:
            return Valuation(row.BWMTD, False, row.STAT)
    for row in rows:
        if row.ABART == VALUATE and not row.STAT:
            return Valuation(row.BWMTD, False, "")
    return None


def line_category(ctx: CallContext, kokrs: str, versn: str, kstar: str) -> str | None:
    """KATEG of the line ID the cost element is assigned to (K, A, E, N), or None."""
    for row in ctx.buffered(TKKAZ).where(KOKRS=kokrs, VERSN=versn):
        if row.KSTAB <= kstar <= (row.KSTBI or row.KSTAB):
            return str(row.KATEG)
    return None


def ra_cost_element(ctx: CallContext, kokrs: str, versn: str, abkat: str) -> str | None:
    row = ctx.buffered(ZRA_UPDATE).get(kokrs, versn, abkat)
    return str(row.KSTAR) if row is not None else None
