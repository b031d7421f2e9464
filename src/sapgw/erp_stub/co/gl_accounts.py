"""Whether a number is a G/L account of a chart of accounts, and of which kind, as CO sees it.

A primary cost element must be a P&L account of the controlling area's chart of accounts; a
secondary one must not be a G/L account at all (KA01 / KA06). The G/L account master (SKA1)
is FI's, and FI already reads CO (cost elements, orders): CO importing FI's api would close
a circle. So CO reads SKA1 the way any client does, through RFC_READ_TABLE (CALL FUNCTION,
no import), taking XBILK ('X' = balance sheet account) as SAP keeps it.

Until FI's SKA1 exists (issue 9, the FI customizing part), RFC_READ_TABLE answers
TABLE_NOT_AVAILABLE and the data set's `gl_accounts` answer instead (`kind` P or B): remove
that fallback once SKA1 is on main.
"""

from __future__ import annotations

from enum import StrEnum

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.rfc.errors import ABAPApplicationError


class AccountKind(StrEnum):
    PROFIT_AND_LOSS = "P"
    BALANCE_SHEET = "B"


def gl_account_kind(ctx: CallContext, ktopl: str, saknr: str) -> AccountKind | None:
    """The kind of G/L account SAKNR in chart KTOPL, None if the chart has no such account."""
    try:
        result = ctx.call("RFC_READ_TABLE", QUERY_TABLE="SKA1", FIELDS=[{"FIELDNAME": "XBILK"}],
                          OPTIONS=[{"TEXT": f"KTOPL = '{ktopl}' AND SAKNR = '{saknr}'"}])
    except ABAPApplicationError as error:
        if error.key != "TABLE_NOT_AVAILABLE":
            raise
        return _from_data_set(ctx, saknr)
    if not result["DATA"]:
        return None
    balance_sheet = result["DATA"][0]["WA"].strip() == "X"
    return AccountKind.BALANCE_SHEET if balance_sheet else AccountKind.PROFIT_AND_LOSS


def _from_data_set(ctx: CallContext, saknr: str) -> AccountKind | None:
    entry = ctx.customizing.entry("gl_accounts", saknr)
    if entry is None:
        return None
    return AccountKind.BALANCE_SHEET if entry.get("kind") == "B" else AccountKind.PROFIT_AND_LOSS
