"""Whether a number is a G/L account of a chart of accounts, and of which kind, as CO sees it.

A primary cost element must be a P&L account of the controlling area's chart of accounts; a
secondary one must not be a G/L account at all (KA01 / KA06). The G/L account master (SKA1)
is FBAS's; CO reads it through `fbas.api`.
"""

from __future__ import annotations

from enum import StrEnum

from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext


class AccountKind(StrEnum):
    PROFIT_AND_LOSS = "P"
    BALANCE_SHEET = "B"


def gl_account_kind(ctx: CallContext, ktopl: str, saknr: str) -> AccountKind | None:
    """The kind of G/L account SAKNR in chart KTOPL, None if the chart has no such account."""
    balance_sheet = fbas.balance_sheet_account(ctx, ktopl, saknr)
    if balance_sheet is None:
        return None
    return AccountKind.BALANCE_SHEET if balance_sheet else AccountKind.PROFIT_AND_LOSS
