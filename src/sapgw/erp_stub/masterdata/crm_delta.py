"""CRS_SEND_TO_SERVER for customers: the ERP's delta download of a saved customer to CRM.

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
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, or_, select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.tables import ErpTable, char
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

CONSUMER = "CRM"
CUSTOMER_OBJECT = "CUSTOMER_MAIN"
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
_KNA1 = KNA1.__table__  # type: ignore[attr-defined]
_KNB1 = KNB1.__table__  # type: ignore[attr-defined]
DEMO_ROWS = {_PAR: [{"CONSUMER": CONSUMER, "OBJNAME": "*", "RFCDEST": "CRM", "DOWNLOAD": "X"}],
             _QNAMES: [{"OBJNAME": CUSTOMER_OBJECT, "QPREFIX": "R3AD_CUSTOME",
                        "KEYFIELD": "KUNNR"}]}


def seed(system: ErpSystem, data: DataSet) -> None:
    """The demo entries into empty tables (a table someone maintained stays as it is)."""
    with system.db.serialized("crm-delta-seed"), system.db.write() as conn:
        for table, rows in DEMO_ROWS.items():
            if not conn.execute(select(func.count()).select_from(table)).scalar():
                conn.execute(table.insert(), rows)


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
    dest = destination(ctx, CUSTOMER_OBJECT)
    if dest is None:
        return
    system = ctx.logical_system

    def build(conn: Connection) -> dict[str, Any]:
        """The customer as this LUW saved it, as BAPIMTCS rows (in the update task)."""
        general = conn.execute(select(_KNA1).where(_KNA1.c.KUNNR == kunnr)).mappings().all()
        company = conn.execute(select(_KNB1).where(_KNB1.c.KUNNR == kunnr)
                               .order_by(_KNB1.c.BUKRS)).mappings().all()
        rows = [_container("KNA1", row) for row in general]
        rows += [_container("KNB1", row) for row in company]
        return {"HEADER": {"OBJNAME": CUSTOMER_OBJECT, "OBJCLASS": "CUSTOMERS",
                           "LOAD_TYPE": "D", "SENDER": system, "OBJKEY": kunnr},
                "BAPISTRUCTURES": rows}

    ctx.call_in_background_task("BAPI_CRM_SAVE", destination=dest,
                                queue=queue_name(ctx, CUSTOMER_OBJECT, kunnr), build=build)


def _container(table: str, row: Any) -> dict[str, str]:
    data = {k: v for k, v in dict(row).items() if k not in KEPT_OUT}
    return {"TABNAME": table, "DATA": json.dumps(data, separators=(",", ":"))}
