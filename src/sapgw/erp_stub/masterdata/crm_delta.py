"""CRS_SEND_TO_SERVER for customers and vendors: the ERP's delta download of a saved partner.

In SAP, saving a customer (XD02, DEBMAS, a BAPI) raises BTE 1321; the CRM plug-in maps the
customer to BAPIMTCS container rows and CRS_SEND_TO_SERVER sends them to CRM's BAPI_CRM_SAVE
as qRFC: the RFC destination from CRMRFCPAR (consumer CRM, object or `*`), the queue name from
CRMQNAMES (R3AD_CUSTOME + customer number), so each customer's changes arrive in order
(reference/domain.md §3.3). Here the call is registered IN BACKGROUND TASK in the saving LUW;
its rows are read in the update task, after the LUW's own writes, so CRM gets the customer
as saved, and nothing if the LUW is rolled back.

Tables, shaped as ours where SAP's fields are not public: CRMRFCPAR (CONSUMER, OBJNAME, RFCDEST,
DOWNLOAD = X: deltas are sent) and CRMQNAMES (OBJNAME, QPREFIX, KEYFIELD). An empty CRMRFCPAR
gets the demo entry (consumer CRM, all objects, destination CRM) at start; delete it or blank
DOWNLOAD to stop sending.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, or_, select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.tables import ErpTable, char
from sapgw.erp_stub.masterdata.dunning import KNB5, LFB5
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, KNVV, LFA1, LFB1, LFM1

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

CONSUMER = "CRM"
CUSTOMER_OBJECT = "CUSTOMER_MAIN"
VENDOR_OBJECT = "VENDOR_MAIN"
KEPT_OUT = ("ERDAT", "ERNAM")  # bookkeeping fields CRM does not receive


class CRMRFCPAR(ErpTable, table=True):
    """Which RFC destination a consumer's objects go to (OBJNAME `*`: every object)."""

    __tablename__ = "CRMRFCPAR"
    CONSUMER: str = char(10, key=True)
    OBJNAME: str = char(20, key=True)
    RFCDEST: str = char(32)
    DOWNLOAD: str = char(1)               # X: delta download active


class CRMQNAMES(ErpTable, table=True):
    """The outbound queue name of an object's deltas: prefix + the object's key field."""

    __tablename__ = "CRMQNAMES"
    OBJNAME: str = char(20, key=True)
    QPREFIX: str = char(20)
    KEYFIELD: str = char(30)


_PAR = CRMRFCPAR.__table__  # type: ignore[attr-defined]
_QNAMES = CRMQNAMES.__table__  # type: ignore[attr-defined]
DEMO_ROWS = {_PAR: [{"CONSUMER": CONSUMER, "OBJNAME": "*", "RFCDEST": "CRM", "DOWNLOAD": "X"}],
             _QNAMES: [{"OBJNAME": CUSTOMER_OBJECT, "QPREFIX": "R3AD_CUSTOME",
                        "KEYFIELD": "KUNNR"},
                       {"OBJNAME": VENDOR_OBJECT, "QPREFIX": "R3AD_VENDOR",
                        "KEYFIELD": "LIFNR"}]}
# The tables an object's delta carries, general data first, and its object class.
OBJECTS = {CUSTOMER_OBJECT: ("KUNNR", "CUSTOMERS", (KNA1, KNB1, KNB5, KNVV)),
           VENDOR_OBJECT: ("LIFNR", "VENDORS", (LFA1, LFB1, LFB5, LFM1))}


def seed(system: ErpSystem, data: DataSet) -> None:
    """The demo entries into empty tables (a table someone maintained stays as it is); the
    vendor's queue name is added to a CRMQNAMES that has only the customer's (older data)."""
    with system.db.serialized("crm-delta-seed"), system.db.write() as conn:
        for table, rows in DEMO_ROWS.items():
            if not conn.execute(select(func.count()).select_from(table)).scalar():
                conn.execute(table.insert(), rows)
        names = set(conn.execute(select(_QNAMES.c.OBJNAME)).scalars())
        if names == {CUSTOMER_OBJECT}:
            conn.execute(_QNAMES.insert(), DEMO_ROWS[_QNAMES][1:])


def destination(ctx: CallContext, objname: str) -> str | None:
    """CRMRFCPAR: the consumer CRM's destination for the object, None if deltas are off."""
    with ctx.read() as conn:
        rows = conn.execute(select(_PAR).where(
            _PAR.c.CONSUMER == CONSUMER, or_(_PAR.c.OBJNAME == objname, _PAR.c.OBJNAME == "*"))
        ).mappings().all()
    exact = [r for r in rows if r["OBJNAME"] == objname] or rows
    if not exact or exact[0]["DOWNLOAD"] != "X" or not exact[0]["RFCDEST"]:
        return None
    return str(exact[0]["RFCDEST"])


def queue_name(ctx: CallContext, objname: str, key: str) -> str:
    """CRMQNAMES: prefix + key, at most 24 characters (R3AD_<OBJNAME> without an entry)."""
    with ctx.read() as conn:
        prefix = conn.execute(select(_QNAMES.c.QPREFIX).where(_QNAMES.c.OBJNAME == objname)
                              ).scalar()
    return ((prefix or f"R3AD_{objname}"[:12]) + key)[:24]


def send_customer_delta(ctx: CallContext, kunnr: str) -> None:
    """CRS_SEND_TO_SERVER for one customer: BAPI_CRM_SAVE in queue R3AD_CUSTOME<kunnr>."""
    send_delta(ctx, CUSTOMER_OBJECT, kunnr)


def send_vendor_delta(ctx: CallContext, lifnr: str) -> None:
    """CRS_SEND_TO_SERVER for one vendor: BAPI_CRM_SAVE in queue R3AD_VENDOR<lifnr>."""
    send_delta(ctx, VENDOR_OBJECT, lifnr)


def send_delta(ctx: CallContext, objname: str, number: str) -> None:
    """BAPI_CRM_SAVE with the object's rows (general data, company codes with their dunning
    data, sales areas or purchasing organizations), registered IN BACKGROUND TASK."""
    dest = destination(ctx, objname)
    if dest is None:
        return
    system = ctx.logical_system
    key_field, objclass, models = OBJECTS[objname]
    saved_at = ctx.clock.now().astimezone(UTC).strftime("%Y%m%d%H%M%S.%f")

    def build(conn: Connection) -> dict[str, Any]:
        """The partner as this LUW saved it, as BAPIMTCS rows (in the update task)."""
        rows: list[dict[str, str]] = []
        for model in models:
            table = model.__table__  # type: ignore[attr-defined]
            found = conn.execute(select(table).where(table.c[key_field] == number)
                                 .order_by(*table.primary_key.columns)).mappings().all()
            rows += [_container(table.name, row) for row in found]
        return {"HEADER": {"OBJNAME": objname, "OBJCLASS": objclass,
                           "LOAD_TYPE": "D", "SENDER": system, "OBJKEY": number,
                           "CHANGED_AT": saved_at},
                "BAPISTRUCTURES": rows}

    ctx.call_in_background_task("BAPI_CRM_SAVE", destination=dest,
                                queue=queue_name(ctx, objname, number), build=build)


def _container(table: str, row: Any) -> dict[str, str]:
    data = {k: v for k, v in dict(row).items() if k not in KEPT_OUT}
    return {"TABNAME": table, "DATA": json.dumps(data, separators=(",", ":"))}
