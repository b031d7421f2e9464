"""Dunning data of a partner in a company code: KNB5 (customers) and LFB5 (vendors), checked
against the dunning procedures of T047A (FBMP).

SAP keeps dunning data per company code and dunning area below KNB1/LFB1 (DEBMAS segment
E1KNB5M under E1KNB1M); the stub keeps the fields the Accounting IC shows: the dunning
procedure MAHNA, the dunning block MANSP, the last dunning level MAHNS and date MADAT.
Dunning runs (F150) are not built, so MAHNS and MADAT stay as maintained.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, numc


class T047A(ErpTable, table=True):
    """Dunning procedures (FBMP), with their text (SAP: T047A + T047T; ours: one table)."""

    __tablename__ = "T047A"
    MAHNA: str = char(4, key=True)
    TEXT1: str = char(30)


class KNB5(ErpTable, table=True):
    __tablename__ = "KNB5"
    KUNNR: str = char(10, key=True)
    BUKRS: str = char(4, key=True)
    MABER: str = char(2, key=True)       # dunning area (blank: the company code's only one)
    MAHNA: str = char(4)                 # dunning procedure
    MANSP: str = char(1)                 # dunning block
    MAHNS: str = numc(1)                 # dunning level
    MADAT: str = dats()                  # last dunned


class LFB5(ErpTable, table=True):
    __tablename__ = "LFB5"
    LIFNR: str = char(10, key=True)
    BUKRS: str = char(4, key=True)
    MABER: str = char(2, key=True)
    MAHNA: str = char(4)
    MANSP: str = char(1)
    MAHNS: str = numc(1)
    MADAT: str = dats()


DUNNING_FIELDS = ("MAHNA", "MANSP")


def procedure_exists(ctx: CallContext, mahna: str) -> bool:
    """Whether T047A defines the dunning procedure (read through the table buffer)."""
    return ctx.buffered(T047A).get(mahna) is not None


def register(ctx: CallContext, table: type, number_field: str, number: str, bukrs: str,
             values: dict[str, str]) -> None:
    """Create or replace the dunning data (dunning area blank) in the caller's LUW."""
    sql = table.__table__  # type: ignore[attr-defined]
    keys = {number_field: number, "BUKRS": bukrs, "MABER": ""}

    def run(conn: Connection) -> None:
        where = and_(*(sql.c[k] == v for k, v in keys.items()))
        if conn.execute(select(sql.c.BUKRS).where(where)).first() is None:
            conn.execute(sql.insert().values(**keys, **values, MAHNS="0", MADAT=""))
        else:
            conn.execute(sql.update().where(where).values(**values))

    ctx.task(run)
