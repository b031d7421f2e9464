"""Status management of CO objects (BS02/JEST): which system statuses an order has.

SAP keeps an object's statuses in JEST (one row per object number and status, INACT = 'X'
when no longer active) under its JSTO header (object type, status profile); the system
statuses themselves are TJ02 rows (ISTAT I0002 … with the four-letter TXT04 shown to users).
reference/controlling.md §1.3: the life-cycle statuses CRTD → REL → TECO → CLSD are exclusive
(setting one deactivates the others), while SETC (settlement rule created) and FNBL (final
billing) are set beside them. CO checks business transactions against the active statuses:
results analysis and settlement read TECO/FNBL/CLSD here.

Writes are update tasks of the caller's LUW: a status set twice before the commit (FNBL by
two billing documents of one LUW) ends as one active JEST row.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.tables import ErpTable, char, numc

LIFE_CYCLE = ("CRTD", "REL", "TECO", "CLSD")
ORDER_OBJECT_TYPE = "ORI"     # JSTO-OBTYP of internal orders (SAP's value for CO orders)


class TJ02(ErpTable, table=True):
    """System statuses: internal number, the short text users see, the text."""

    __tablename__ = "TJ02"
    ISTAT: str = char(5, key=True)       # I0002 …
    TXT04: str = char(4)                 # REL, TECO …
    TXT30: str = char(30)


class JSTO(ErpTable, table=True):
    """Status object: one row per object number that has status management."""

    __tablename__ = "JSTO"
    OBJNR: str = char(22, key=True)
    OBTYP: str = char(3)                 # object type, ORI internal order
    STSMA: str = char(8)                 # user status profile (none here)


class JEST(ErpTable, table=True):
    """Individual object status: one row per object and system status ever set."""

    __tablename__ = "JEST"
    OBJNR: str = char(22, key=True)
    STAT: str = char(5, key=True)        # TJ02-ISTAT
    INACT: str = char(1)                 # X: no longer active
    CHGNR: str = numc(3)                 # change number (1 here: the history is not kept)


def status_numbers(ctx: CallContext) -> dict[str, str]:
    """{TXT04: ISTAT} of the system statuses (TJ02, buffered customizing)."""
    return {row.TXT04: row.ISTAT for row in ctx.buffered(TJ02).all()}


def statuses(ctx: CallContext, objnr: str) -> frozenset[str]:
    """The active system statuses of an object, by their short texts (committed state)."""
    names = {row.ISTAT: row.TXT04 for row in ctx.buffered(TJ02).all()}
    table = JEST.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        rows = conn.execute(select(table.c.STAT).where(
            table.c.OBJNR == objnr, table.c.INACT == "")).scalars().all()
    return frozenset(names.get(stat, stat) for stat in rows)


def create_status_object(ctx: CallContext, objnr: str, initial: str = "REL") -> None:
    """JSTO and the first life-cycle status of a new object (an order created released)."""
    ctx.insert(JSTO, {"OBJNR": objnr, "OBTYP": ORDER_OBJECT_TYPE, "STSMA": ""})
    set_status(ctx, objnr, initial)


def set_status(ctx: CallContext, objnr: str, txt04: str) -> None:
    """Activate a system status at commit; a life-cycle status deactivates the others.

    Raises KeyError for a status TJ02 does not know (callers report it as RETURN)."""
    numbers = status_numbers(ctx)
    if txt04 not in numbers:
        raise KeyError(f"system status {txt04}")
    stat = numbers[txt04]
    others = [numbers[name] for name in LIFE_CYCLE if name != txt04 and name in numbers] \
        if txt04 in LIFE_CYCLE else []
    table = JEST.__table__  # type: ignore[attr-defined]

    def run(conn: Connection) -> None:
        if others:
            conn.execute(update(table).where(table.c.OBJNR == objnr, table.c.STAT.in_(others))
                         .values(INACT="X"))
        conn.execute(delete(table).where(table.c.OBJNR == objnr, table.c.STAT == stat))
        conn.execute(insert(table).values(OBJNR=objnr, STAT=stat, INACT="", CHGNR="001"))

    ctx.task(run)
