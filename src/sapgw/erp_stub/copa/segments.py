"""Profitability segments (CE4S001): one PAOBJNR per characteristic combination, for ever.

A segment is created the first time a combination is posted to and reused afterwards. Like
SAP's segment table (and like a number range draw), it is written at once in a short
transaction of its own, not in the caller's LUW: a rolled-back posting may leave a segment
nobody posted to, which costs nothing, while two LUWs posting the same new combination at
once must end with one number. The combination is a unique key of the table; the loser of a
race inserts nothing (ON CONFLICT DO NOTHING) and reads the winner's number. Inside a batch
of tRFC units the unit's write transaction is used, as number ranges do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, and_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sapgw.erp_stub.copa.concern import BUILT
from sapgw.erp_stub.copa.errors import CopaError
from sapgw.erp_stub.copa.tables import CE4S001, CHARACTERISTICS
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha

SEGMENT_NUMBERS = "COPA_OBJ"             # SAP's number range object for PAOBJNR
NUMERIC = {"KDPOS"}                      # NUMC characteristics
_TABLE = CE4S001.__table__  # type: ignore[attr-defined]


def combination(characteristics: dict[str, str]) -> dict[str, str]:
    """Every characteristic of the operating concern with its internal value (ALPHA for
    customer, sales order and order numbers; blank or zeros where not given). Raises
    CopaError KE 903 for a name that is no characteristic, KE 911 for a value too long."""
    unknown = sorted(set(characteristics) - set(CHARACTERISTICS))
    if unknown:
        raise CopaError("KE", "903", unknown[0], BUILT, field=unknown[0])
    full: dict[str, str] = {}
    for name, length in CHARACTERISTICS.items():
        value = str(characteristics.get(name) or "").strip()
        if name in NUMERIC:
            value = value.zfill(length) if value else "0" * length
        elif value:
            value = alpha(value, length)
        if len(value) > length:
            raise CopaError("KE", "911", value, name, length, field=name)
        full[name] = value
    return full


def segment(ctx: CallContext, characteristics: dict[str, str]) -> str:
    """The PAOBJNR of the characteristic combination, created once (see the module)."""
    return segment_of(ctx, combination(characteristics))


def segment_of(ctx: CallContext, full: dict[str, str]) -> str:
    """`segment` of a combination already completed by `combination`."""
    condition = and_(*(_TABLE.c[name] == value for name, value in full.items()))
    with ctx.read() as conn:
        found = conn.execute(select(_TABLE.c.PAOBJNR).where(condition)).scalar()
    if found is not None:
        return str(found)
    number = ctx.numbers.next(SEGMENT_NUMBERS, BUILT)
    row = {"PAOBJNR": number, **full, "HZDAT": ctx.clock.today().strftime("%Y%m%d")}
    with _writer(ctx) as conn:
        dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(dialect_insert(_TABLE).values(**row).on_conflict_do_nothing())
        return str(conn.execute(select(_TABLE.c.PAOBJNR).where(condition)).scalar_one())


@contextmanager
def _writer(ctx: CallContext) -> Iterator[Connection]:
    if ctx.luw.writer is not None:
        yield ctx.luw.writer
        return
    with ctx.system.db.write() as conn:
        yield conn


def characteristics_of(ctx: CallContext, paobjnr: str) -> dict[str, Any] | None:
    """The segment's characteristics (CE4S001 row), None for an unknown number."""
    with ctx.read() as conn:
        row = conn.execute(select(_TABLE).where(_TABLE.c.PAOBJNR == paobjnr)).mappings().first()
    return dict(row) if row is not None else None
