"""Reading RAR's tables: the rows whose fields have the given values, and rows found by a
set of keys in one query per run instead of one per item."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.kernel.context import CallContext

CHUNK = 500   # values in one IN list: well below SQLite's and PostgreSQL's limits


def rows(ctx: CallContext, model: Any, **where: Any) -> list[dict[str, Any]]:
    """The committed rows of `model` whose fields equal the values given (all without)."""
    table = model.__table__
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(select(table).where(
            *(table.c[name] == value for name, value in where.items()))).mappings()]


def rows_with(ctx: CallContext, model: Any, field: str, values: Iterable[Any], *where: Any
              ) -> list[dict[str, Any]]:
    """The committed rows of `model` whose `field` is one of `values` (and that meet the
    conditions `where`, written on the model's columns), in chunks of CHUNK values."""
    table = model.__table__
    wanted = sorted(set(values))
    found: list[dict[str, Any]] = []
    with ctx.read() as conn:
        for start in range(0, len(wanted), CHUNK):
            query = select(table).where(table.c[field].in_(wanted[start:start + CHUNK]), *where)
            found += [dict(row) for row in conn.execute(query).mappings()]
    return found
