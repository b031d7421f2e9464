"""Change documents (CDHDR/CDPOS) and ALE change pointers (BDCP2) of customers and vendors.

SAP writes a change document for every save of a customer (object class DEBI) or vendor
(KRED): one CDHDR per save (CHANGENR from number range CHANGEDOCU, user, date, time,
transaction, CHANGE_IND I insert / U update) and one CDPOS per changed field (table, table
key, field, old and new value; an inserted row gets one CDPOS with FNAME KEY and CHNGIND I).
From the change document, ALE writes change pointers for the message types that distribute
the object (DEBMAS for DEBI, CREMAS for KRED), which the change pointer run (BD21,
RBDMIDOC) turns into IDocs: here the gateway's `sapgw idoc send-changes` reads them with
CHANGE_POINTERS_READ and marks them with CHANGE_POINTERS_STATUS_WRITE.

How it is done here: `record` runs after the maintenance registered its writes. It reads
the partner's rows as they are before the LUW (the writes wait in the update task), draws
the change number, and registers an update task that runs after the writes: it reads the
rows as saved, compares, and writes CDHDR, CDPOS and one BDCP2 row for the object. A save
that changes nothing writes no change document (the number drawn is then a gap, as with
SAP's buffered numbers).

Ours: UDATE/UTIME in UTC (SAP: the system's time zone); one change pointer per change
document rather than one per changed field (BD21 makes one IDoc per object either way);
BDCP2-SNDPRN, the logical system an inbound IDoc came from, so the run does not send the
change back to it; no BD50/BD52 switches (pointers are always written for DEBMAS/CREMAS).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, tims
from sapgw.rfc.ddic import CHAR, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

if TYPE_CHECKING:
    from sapgw.erp_stub.masterdata.maintenance import Level, PartnerKind

group = FunctionGroup("BDCP")
NUMBER_OBJECT = "CHANGEDOCU"
OBJECT_CLASS = {"KUNNR": "DEBI", "LIFNR": "KRED"}
MESSAGE_TYPE = {"DEBI": "DEBMAS", "KRED": "CREMAS"}
BOOKKEEPING = ("ERDAT", "ERNAM")  # set with the row, not changes of their own


class CDHDR(ErpTable, table=True):
    """Change document header: one save of one object."""

    __tablename__ = "CDHDR"
    OBJECTCLAS: str = char(15, key=True)   # DEBI customer, KRED vendor
    OBJECTID: str = char(90, key=True)     # the customer or vendor number
    CHANGENR: str = char(10, key=True)     # number range CHANGEDOCU
    USERNAME: str = char(12)
    UDATE: str = dats()
    UTIME: str = tims()
    TCODE: str = char(20)                  # the transaction or function that saved
    CHANGE_IND: str = char(1)              # I created, U changed


class CDPOS(ErpTable, table=True):
    """Change document item: one field of one row, old and new value."""

    __tablename__ = "CDPOS"
    OBJECTCLAS: str = char(15, key=True)
    OBJECTID: str = char(90, key=True)
    CHANGENR: str = char(10, key=True)
    TABNAME: str = char(30, key=True)
    TABKEY: str = char(70, key=True)       # the row's key fields, concatenated
    FNAME: str = char(30, key=True)        # KEY for an inserted row
    CHNGIND: str = char(1)                 # I inserted, U updated
    VALUE_NEW: str = char(254)
    VALUE_OLD: str = char(254)


class BDCP2(ErpTable, table=True):
    """ALE change pointer (BDCP2 shape; SNDPRN ours): an object to distribute by IDoc."""

    __tablename__ = "BDCP2"
    MESTYPE: str = char(30, key=True)      # DEBMAS / CREMAS
    CPIDENT: str = char(20, key=True)      # here the change number it comes from
    CDOBJCL: str = char(15)
    CDOBJID: str = char(90, index=True)
    CDCHGNO: str = char(10)
    TABNAME: str = char(30)                # the first table the change touched
    CRETIME: str = char(14)                # YYYYMMDDhhmmss, UTC
    SNDPRN: str = char(10)                 # ours: partner whose inbound IDoc made the change
    PROCESS: str = char(1)                 # X: an IDoc was created (BD21 ran)


Rows = dict[tuple[str, str], dict[str, Any]]


def record(ctx: CallContext, kind: PartnerKind, number: str, tcode: str,
           origin: str = "") -> None:
    """Register the change document of this save of `number` (after its writes)."""
    objectclas = OBJECT_CLASS[kind.number_field]
    levels = (kind.general, kind.company, kind.area)
    with ctx.read() as conn:
        before = _rows(conn, kind, levels, number)
    changenr = ctx.numbers.next(NUMBER_OBJECT)
    now = ctx.clock.now().astimezone(UTC)
    user = _user(tcode)

    def write(conn: Connection) -> None:
        after = _rows(conn, kind, levels, number)
        items = _items(before, after)
        if not items:
            return
        base = {"OBJECTCLAS": objectclas, "OBJECTID": number, "CHANGENR": changenr}
        conn.execute(CDHDR.__table__.insert(), {  # type: ignore[attr-defined]
            **base, "USERNAME": user, "UDATE": now.strftime("%Y%m%d"),
            "UTIME": now.strftime("%H%M%S"), "TCODE": tcode[:20],
            "CHANGE_IND": "I" if not before else "U"})
        conn.execute(CDPOS.__table__.insert(), [{**base, **item} for item in items])  # type: ignore[attr-defined]
        conn.execute(BDCP2.__table__.insert(), {  # type: ignore[attr-defined]
            "MESTYPE": MESSAGE_TYPE[objectclas], "CPIDENT": changenr, "CDOBJCL": objectclas,
            "CDOBJID": number, "CDCHGNO": changenr, "TABNAME": items[0]["TABNAME"],
            "CRETIME": now.strftime("%Y%m%d%H%M%S"), "SNDPRN": origin[:10], "PROCESS": ""})

    ctx.task(write)


def latest_change(ctx: CallContext, objectclas: str, number: str,
                  excluding_tcode: str = "") -> tuple[datetime, str] | None:
    """The newest change document of an object (its time in UTC and its change number),
    leaving out those written by `excluding_tcode`."""
    table = CDHDR.__table__  # type: ignore[attr-defined]
    query = select(table.c.UDATE, table.c.UTIME, table.c.CHANGENR).where(
        table.c.OBJECTCLAS == objectclas, table.c.OBJECTID == number)
    if excluding_tcode:
        query = query.where(table.c.TCODE != excluding_tcode)
    query = query.order_by(table.c.UDATE.desc(), table.c.UTIME.desc(),
                           table.c.CHANGENR.desc()).limit(1)
    with ctx.read() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    stamp = datetime.strptime(row.UDATE + row.UTIME, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return stamp, str(row.CHANGENR)


BDICPIDENT = structure("BDICPIDENT", ("CPIDENT", CHAR(20), "Change pointer ID"))


@group.function(interface("CHANGE_POINTERS_STATUS_WRITE", [
    importing("MESSAGE_TYPE", CHAR(30), optional=False, text="Message type, e.g. DEBMAS"),
    tables("CHANGE_POINTERS_IDENTS", BDICPIDENT, optional=False, text="Pointers processed"),
    tables("RETURN", BAPIRET2, text="Messages (ours)"),
], text="Mark change pointers processed (BD21 after creating the IDocs; RFC-enabled here)"))
def change_pointers_status_write(ctx: CallContext, **p: Any) -> dict[str, Any]:
    """Set PROCESS = X on the pointers given; the caller commits (BAPI_TRANSACTION_COMMIT).
    A pointer that does not exist or was processed already is left alone and named."""
    table = BDCP2.__table__  # type: ignore[attr-defined]
    mestype = p["MESSAGE_TYPE"].strip().upper()
    idents = [str(row["CPIDENT"]).strip() for row in p["CHANGE_POINTERS_IDENTS"]]
    with ctx.read() as conn:
        open_ = set(conn.execute(select(table.c.CPIDENT).where(
            table.c.MESTYPE == mestype, table.c.CPIDENT.in_(idents), table.c.PROCESS == "")
        ).scalars())
    rows = [bapiret2("W", "F2", "929", i, mestype)
            for i in idents if i not in open_]
    for ident in sorted(open_):
        ctx.update(BDCP2, {"MESTYPE": mestype, "CPIDENT": ident}, {"PROCESS": "X"})
    return {"RETURN": rows}


def _user(tcode: str) -> str:
    """Who saved: the ALE user for IDocs and CRM uploads (their RFC user), else the BAPI's
    caller, which the stub does not know (ours: RFC_USER)."""
    return "ALEREMOTE" if tcode.startswith(("IDOC_INPUT", "CRM_")) else "RFC_USER"


def _rows(conn: Connection, kind: PartnerKind, levels: tuple[Level, ...], number: str) -> Rows:
    """The partner's rows of every level by (table, table key)."""
    rows: Rows = {}
    for level in levels:
        table = level.sql
        for row in conn.execute(select(table).where(table.c[kind.number_field] == number)
                                ).mappings():
            tabkey = "".join(str(row[k] or "") for k in (kind.number_field, *level.keys))
            rows[(table.name, tabkey)] = dict(row)
    return rows


def _items(before: Rows, after: Rows) -> list[dict[str, str]]:
    """CDPOS rows: KEY/I for an inserted row, one U per changed field of a kept row."""
    items: list[dict[str, str]] = []
    for (tabname, tabkey), row in after.items():
        old = before.get((tabname, tabkey))
        if old is None:
            items.append({"TABNAME": tabname, "TABKEY": tabkey[:70], "FNAME": "KEY",
                          "CHNGIND": "I", "VALUE_NEW": "", "VALUE_OLD": ""})
            continue
        items += [{"TABNAME": tabname, "TABKEY": tabkey[:70], "FNAME": name, "CHNGIND": "U",
                   "VALUE_NEW": str(value or "")[:254], "VALUE_OLD": str(old[name] or "")[:254]}
                  for name, value in row.items()
                  if name not in BOOKKEEPING and str(value or "") != str(old[name] or "")]
    return items
