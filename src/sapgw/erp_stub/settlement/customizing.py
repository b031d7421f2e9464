"""Reads of the settlement customizing (buffered tables)."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.settlement.tables import (
    TKB1A,
    ZKB1_RECEIVERS,
    ZKB5_ASSIGN,
    ZKB_STRATEGY,
    ZKKA_POSTING,
)

NOT_ALLOWED = "3"


def profile(ctx: CallContext, aprof: str) -> Any | None:
    return ctx.buffered(TKB1A).get(aprof)


def receiver_allowed(ctx: CallContext, aprof: str, konty: str) -> bool:
    row = ctx.buffered(ZKB1_RECEIVERS).get(aprof, konty)
    return row is not None and row.VERWE != NOT_ALLOWED


def strategies(ctx: CallContext, srslist: str) -> list[Any]:
    return ctx.buffered(ZKB_STRATEGY).where(SRSLIST=srslist)


def settlement_element(ctx: CallContext, kokrs: str, absch: str, kstar: str, konty: str
                       ) -> str | None:
    """The cost element `kstar` is settled under to a receiver of type `konty`: the
    assignment's settlement cost element, `kstar` itself (by cost element), or None when
    the allocation structure has no assignment for it."""
    for row in ctx.buffered(ZKB5_ASSIGN).where(KOKRS=kokrs, ABSCH=absch):
        if row.KONTY == konty and row.KSTAB <= kstar <= (row.KSTBI or row.KSTAB):
            return str(row.KSTAR) or kstar
    return None


def posting_rule(ctx: CallContext, kokrs: str, bukrs: str, versn: str, abkat: str
                 ) -> Any | None:
    return ctx.buffered(ZKKA_POSTING).get(kokrs, bukrs, versn, abkat)
