"""CRS_FIRST_DOWNLOAD_TRIGGER: the ERP's extractor of initial and request loads to CRM.

In SAP, R3AS (initial load) and R3AR4 (request) in CRM call the ERP's plug-in, which reads
the load object's tables in blocks (the block size of R3AC1) and sends each block as one
qRFC LUW calling CRM's BAPI_CRM_SAVE, in the outbound queue R3AI_<OBJECT> (initial) or
R3AR_<OBJECT> (request) (reference/domain.md §3.2, §4.1). The extractor per object is
SAP's CRMSUBTAB; here it is `EXTRACTORS` (ours in shape).

One call extracts up to MAX_BLOCKS blocks (0: all). Each block is its own LUW: the unit in
TRFCQOUT and the load's cursor in CRMLOADST (ours) are written in ONE transaction, so a
process killed at any point has either sent a block and moved the cursor, or neither. A
later call with the same LOAD_ID goes on after the last key sent: nothing is lost, nothing
is sent twice. Moving the cursor checks the key it started from, so two processes driving
one load cannot both send a block (the second one's LUW terminates and writes nothing).

Filters are ranges (SIGN I, OPTION EQ or BT) on fields of the object's general table; the
number field is ALPHA-converted. Messages: class CRS (ours, numbers 9xx, docs/MESSAGES.md).
Ours: the interface (SAP's is not public), CRMLOADST, and OBJKEY in each container row
(which object of the block the row belongs to).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, select, update

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import bapiret2, update_terminated
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.kernel.tables import ErpTable, char, int4
from sapgw.erp_stub.masterdata.crm_delta import CONSUMER, KEPT_OUT, destination
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, LFA1, LFB1
from sapgw.rfc.ddic import CHAR, INT4, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("CRS0")
QUEUE_PREFIX = {"I": "R3AI_", "R": "R3AR_"}
OPTIONS = ("EQ", "BT")


class CRMLOADST(ErpTable, table=True):
    """Where a load stands in the ERP (ours): the last key sent, blocks and objects sent."""

    __tablename__ = "CRMLOADST"
    LOAD_ID: str = char(32, key=True)    # CRM's load (R3AM1 line)
    OBJNAME: str = char(20)
    LOAD_TYPE: str = char(1)             # I initial, R request
    SELECTION: str = char(1000)          # the filters as given, JSON (a resume must match)
    LAST_KEY: str = char(40)
    BLOCKS: int = int4()
    OBJECTS: int = int4()
    DONE: str = char(1)                  # X: the last block is sent


@dataclass(frozen=True)
class Extractor:
    """CRMSUBTAB-like: the tables of a load object, the general one keyed by `key`."""

    objclass: str
    general: Any
    key: str
    children: tuple[Any, ...]

    def sql(self, table: Any) -> Any:
        return table.__table__


EXTRACTORS = {
    "CUSTOMER_MAIN": Extractor("CUSTOMERS", KNA1, "KUNNR", (KNB1,)),
    "VENDOR_MAIN": Extractor("VENDORS", LFA1, "LIFNR", (LFB1,)),
}

CRMRANGE = structure(
    "CRMRANGE",
    ("FIELDNAME", CHAR(30), "Field of the object's general table (ours: SMOFFILFLD-like)"),
    ("SIGN", CHAR(1), "I include"),
    ("OPTION", CHAR(2), "EQ or BT"),
    ("LOW", CHAR(40), "Value or lower bound"),
    ("HIGH", CHAR(40), "Upper bound (BT)"),
)


class LoadRefused(Exception):
    """A RETURN row that refuses the call as a whole."""

    def __init__(self, row: dict[str, Any]) -> None:
        super().__init__(row["MESSAGE"])
        self.row = row


@group.function(interface("CRS_FIRST_DOWNLOAD_TRIGGER", [
    importing("OBJNAME", CHAR(20), optional=False, text="Load object, e.g. CUSTOMER_MAIN"),
    importing("LOAD_TYPE", CHAR(1), default="I", text="I initial load, R request"),
    importing("LOAD_ID", CHAR(32), optional=False, text="CRM's load (ours)"),
    importing("CONSUMER", CHAR(10), default=CONSUMER, text="Consumer (CRMRFCPAR)"),
    importing("BLOCK_SIZE", INT4, default=100, text="Objects per block (R3AC1)"),
    importing("MAX_BLOCKS", INT4, default=0, text="Blocks to send in this call; 0 all"),
    tables("FILTERS", CRMRANGE, text="Ranges on fields of the general table"),
    exporting("BLOCKS_SENT", INT4, "Blocks of the load sent so far"),
    exporting("OBJECTS_SENT", INT4, "Objects of the load sent so far"),
    exporting("END_OF_LOAD", CHAR(1), "X: the last block is sent"),
    tables("RETURN", BAPIRET2, text="Messages"),
], text="CRM initial load / request: extract and send blocks (ours in shape)"))
def crs_first_download_trigger(ctx: CallContext, **p: Any) -> dict[str, Any]:
    try:
        return _trigger(ctx, p)
    except LoadRefused as refused:
        ctx.rollback()
        return {"BLOCKS_SENT": 0, "OBJECTS_SENT": 0, "END_OF_LOAD": "", "RETURN": [refused.row]}


def _trigger(ctx: CallContext, p: dict[str, Any]) -> dict[str, Any]:
    objname, load_type = p["OBJNAME"].strip().upper(), p["LOAD_TYPE"].strip().upper() or "I"
    extractor = EXTRACTORS.get(objname)
    if extractor is None:
        raise LoadRefused(bapiret2("E", "CRS", "901", objname, ", ".join(EXTRACTORS),
                                   parameter="OBJNAME"))
    if load_type not in QUEUE_PREFIX:
        raise LoadRefused(bapiret2("E", "CRS", "902", load_type, parameter="LOAD_TYPE"))
    if p["BLOCK_SIZE"] < 1:
        raise LoadRefused(bapiret2("E", "CRS", "903", p["BLOCK_SIZE"], parameter="BLOCK_SIZE"))
    dest = destination(ctx, objname)
    if dest is None:
        raise LoadRefused(bapiret2("E", "CRS", "904", p["CONSUMER"], objname))
    general = extractor.sql(extractor.general)
    condition = _filters(general, extractor, p["FILTERS"])
    selection = json.dumps([{k: r[k] for k in ("FIELDNAME", "SIGN", "OPTION", "LOW", "HIGH")}
                            for r in p["FILTERS"]], sort_keys=True)
    state = _state(ctx, p["LOAD_ID"], objname, load_type, selection)
    queue = (QUEUE_PREFIX[load_type] + objname)[:24]
    sent_now = 0
    while state["DONE"] != "X" and (p["MAX_BLOCKS"] <= 0 or sent_now < p["MAX_BLOCKS"]):
        state = _send_block(ctx, extractor, condition, state, p["BLOCK_SIZE"], dest, queue)
        sent_now += 1
    messages = [bapiret2("S", "CRS", "905", objname, state["BLOCKS"], state["OBJECTS"])]
    return {"BLOCKS_SENT": state["BLOCKS"], "OBJECTS_SENT": state["OBJECTS"],
            "END_OF_LOAD": state["DONE"], "RETURN": messages}


def _filters(general: Any, extractor: Extractor, ranges: list[dict[str, Any]]) -> Any:
    """The ranges as one SQL condition; a field or option that cannot work refuses."""
    conditions = []
    for number, r in enumerate(ranges, 1):
        name = r["FIELDNAME"].strip().upper()
        if name not in general.c or name in KEPT_OUT:
            raise LoadRefused(bapiret2("E", "CRS", "906", name, general.name,
                                       parameter="FILTERS", row=number, field="FIELDNAME"))
        sign, option = (r["SIGN"] or "I").upper(), (r["OPTION"] or "EQ").upper()
        if sign != "I" or option not in OPTIONS:
            raise LoadRefused(bapiret2("E", "CRS", "907", sign, option, parameter="FILTERS",
                                       row=number, field="OPTION"))
        low, high = r["LOW"].strip(), r["HIGH"].strip()
        if name == extractor.key:
            low, high = alpha(low, 10), alpha(high, 10) if high else ""
        column = general.c[name]
        conditions.append(column == low if option == "EQ" else column.between(low, high))
    return and_(*conditions)


def _state(ctx: CallContext, load_id: str, objname: str, load_type: str,
           selection: str) -> dict[str, Any]:
    """The load's CRMLOADST row, created (and committed) on the first call."""
    table = CRMLOADST.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        row = conn.execute(select(table).where(table.c.LOAD_ID == load_id)).mappings().first()
    if row is None:
        new = {"LOAD_ID": load_id, "OBJNAME": objname, "LOAD_TYPE": load_type,
               "SELECTION": selection, "LAST_KEY": "", "BLOCKS": 0, "OBJECTS": 0, "DONE": ""}
        ctx.insert(CRMLOADST, new)
        ctx.commit()
        return new
    if (row["OBJNAME"], row["LOAD_TYPE"], row["SELECTION"]) != (objname, load_type, selection):
        raise LoadRefused(bapiret2("E", "CRS", "908", load_id, row["OBJNAME"],
                                   row["LOAD_TYPE"], parameter="LOAD_ID"))
    return dict(row)


def _send_block(ctx: CallContext, extractor: Extractor, condition: Any,
                state: dict[str, Any], size: int, dest: str, queue: str) -> dict[str, Any]:
    """Read the next block after the cursor and send it, with the new cursor, in one LUW."""
    general = extractor.sql(extractor.general)
    key = general.c[extractor.key]
    with ctx.read() as conn:
        rows = conn.execute(select(general).where(condition, key > state["LAST_KEY"])
                            .order_by(key).limit(size)).mappings().all()
        keys = [row[extractor.key] for row in rows]
        children = _children(conn, extractor, keys)
    new = {**state, "DONE": "X" if len(rows) < size else ""}
    if rows:
        new.update(LAST_KEY=keys[-1], BLOCKS=state["BLOCKS"] + 1,
                   OBJECTS=state["OBJECTS"] + len(rows))
        structures = []
        for row in rows:
            structures.append(_container(extractor.general.__tablename__, row,
                                         row[extractor.key]))
            structures += children.get(row[extractor.key], [])
        ctx.call_in_background_task(
            "BAPI_CRM_SAVE", destination=dest, queue=queue,
            HEADER={"OBJNAME": state["OBJNAME"], "OBJCLASS": extractor.objclass,
                    "LOAD_TYPE": state["LOAD_TYPE"], "SENDER": ctx.logical_system,
                    "OBJKEY": "", "LOAD_ID": state["LOAD_ID"], "BLOCK_NO": new["BLOCKS"]},
            BAPISTRUCTURES=structures)
    ctx.task(_advance(state, new))
    try:
        ctx.commit()
    except Exception:
        ctx.rollback()
        raise
    return new


def _children(conn: Connection, extractor: Extractor, keys: list[str]
              ) -> dict[str, list[dict[str, str]]]:
    """The dependent rows (company code data) of the block's objects, by object key."""
    found: dict[str, list[dict[str, str]]] = {}
    if not keys:
        return found
    for model in extractor.children:
        table = extractor.sql(model)
        column = table.c[extractor.key]
        query = (select(table).where(column.between(keys[0], keys[-1]))
                 .order_by(*table.primary_key.columns))
        wanted = set(keys)
        for row in conn.execute(query).mappings():
            if row[extractor.key] in wanted:
                found.setdefault(row[extractor.key], []).append(
                    _container(model.__tablename__, row, row[extractor.key]))
    return found


def _advance(old: dict[str, Any], new: dict[str, Any]) -> Any:
    """Update task: move the cursor from where this block started, or terminate the LUW."""
    table = CRMLOADST.__table__  # type: ignore[attr-defined]
    statement = update(table).where(
        table.c.LOAD_ID == old["LOAD_ID"], table.c.LAST_KEY == old["LAST_KEY"],
        table.c.BLOCKS == old["BLOCKS"], table.c.DONE == "").values(
        LAST_KEY=new["LAST_KEY"], BLOCKS=new["BLOCKS"], OBJECTS=new["OBJECTS"],
        DONE=new["DONE"])

    def run(conn: Connection) -> None:
        if conn.execute(statement).rowcount != 1:
            raise update_terminated("CRS", "909", old["LOAD_ID"], str(old["BLOCKS"] + 1))

    return run


def _container(table: str, row: Any, objkey: str) -> dict[str, str]:
    data = {k: v for k, v in dict(row).items() if k not in KEPT_OUT}
    return {"TABNAME": table, "OBJKEY": objkey,
            "DATA": json.dumps(data, separators=(",", ":"), default=str)}
