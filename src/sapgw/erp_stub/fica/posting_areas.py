"""Posting-area determination (FKK_ACCOUNT_DETERMINE-like): the results of a posting area for
a set of key values, by the longest key match with fallback.

SAP's rule (FQC0 / FQCR): try the row with every key field filled; when there is none, drop
the last key field (its column blank in the row) and try again; the last try uses the first
key field alone. The posting area's key and result field names are in TFK033F (in SAP,
TFK033C); its rows in TFK033D. Posting areas used here (docs/ERP_STUB.md, "FI-CA"):
1101 receivables account, 1100 revenue account (SAP's numbers as public sources give them),
8122 fulfilment relevance of billable items and 8172 service type of one-off charges (SAP's
numbers, their fields ours: SAP publishes none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sapgw.erp_stub.fica.customizing import CONVERGENT, TFK033D, TFK033F
from sapgw.erp_stub.kernel.context import CallContext

KEY_COLUMNS = ("KEY01", "KEY02", "KEY03", "KEY04", "KEY05", "KEY06")
FUN_COLUMNS = ("FUN01", "FUN02", "FUN03", "FUN04")
RECEIVABLES, REVENUE, FULFILMENT, ONE_OFF_SERVICE = "1101", "1100", "8122", "8172"


class Determined(NamedTuple):
    """The results by field name, and the key values of the row that matched."""

    results: dict[str, str]
    matched: tuple[str, ...]


class PostingAreaError(LookupError):
    """The posting area is not defined, or a key field it needs was not given."""


def key_fields(ctx: CallContext, buber: str, applk: str = CONVERGENT) -> tuple[str, ...]:
    area = ctx.buffered(TFK033F).get(applk, buber)
    if area is None:
        raise PostingAreaError(f"posting area {buber} is not defined for application {applk}")
    return tuple(name for name in area.KEY_FIELDS.split(",") if name)


def determine(ctx: CallContext, buber: str, keys: Mapping[str, str], ktopl: str = "",
              applk: str = CONVERGENT) -> Determined | None:
    """The row of posting area `buber` for `keys` (field name -> value), longest key first;
    None when not even the first key field matches a row."""
    area = ctx.buffered(TFK033F).get(applk, buber)
    if area is None:
        raise PostingAreaError(f"posting area {buber} is not defined for application {applk}")
    names = [name for name in area.KEY_FIELDS.split(",") if name]
    results = [name for name in area.FUN_FIELDS.split(",") if name]
    missing = [name for name in names if name not in keys]
    if missing:
        raise PostingAreaError(f"posting area {buber} needs key field(s) {', '.join(missing)}")
    values = [keys[name] for name in names]
    rows = ctx.buffered(TFK033D)
    for length in range(len(values), 0, -1):
        tried = values[:length] + [""] * (len(KEY_COLUMNS) - length)
        row = rows.get(applk, buber, ktopl, *tried)
        if row is not None:
            return Determined({name: getattr(row, column)
                               for name, column in zip(results, FUN_COLUMNS, strict=False)},
                              tuple(values[:length]))
    return None
