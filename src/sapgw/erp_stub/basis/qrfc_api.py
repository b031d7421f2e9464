"""The qRFC API of the ERP's outbound queues (SMQ1 over RFC): list, activate, stop, unlock.

SAP's names for what SMQ1 does: TRFC_GET_QUEUE_INFO_DETAILS reads the outbound queues,
TRFC_QOUT_ACTIVATE restarts a queue (after a communication or application error), TRFC_QOUT_STOP
locks one. Ours: the interfaces' shapes (QVIEW rows of TRFCQVIEW: QNAME, DEST, QSTATE, QDEEP
the LUW count, ERRMESS the first LUW's error, RETRIES, NEXTRETRY, QWAITING, FIRSTTIME) and
TRFC_QOUT_UNLOCK for SMQ1's unlock (SAP does it in the transaction). An unknown queue raises
the exception QUEUE_NOT_FOUND (as an ABAP exception of the function). `sapgw erp smq1` and the
monitor's ERP SMQ1 page call these, so they work for a local and a remote ERP alike.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.qrfc.queries import queue_list
from sapgw.rfc.ddic import CHAR, INT4, STRING, structure
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.interface import importing, interface, tables

group = FunctionGroup("TRFC_QOUT")

TRFCQVIEW = structure(
    "TRFCQVIEW",
    ("QNAME", CHAR(24), "Queue name"), ("DEST", CHAR(32), "RFC destination"),
    ("QSTATE", CHAR(8), "Queue status (STOP when locked)"),
    ("QDEEP", INT4, "LUWs in the queue"), ("ERRMESS", STRING, "Error of the first LUW"),
    ("RETRIES", INT4, "Communication errors retried"),
    ("NEXTRETRY", CHAR(32), "Next automatic retry (UTC)"),
    ("QWAITING", CHAR(24), "Queue a WAITING queue waits for"),
    ("FIRSTTIME", CHAR(32), "First LUW written (UTC)"),
)
_QUEUE = [importing("QNAME", CHAR(24), optional=False, text="Queue name"),
          importing("DEST", CHAR(32), text="RFC destination (blank: any)")]


def _view(queue: dict[str, Any]) -> dict[str, Any]:
    return {"QNAME": queue["name"], "DEST": queue["destination"], "QSTATE": queue["status"],
            "QDEEP": queue["entries"], "ERRMESS": queue["error"] or "",
            "RETRIES": queue["retries"] or 0, "NEXTRETRY": queue["next_retry_at"] or "",
            "QWAITING": queue["waiting_on"] or "", "FIRSTTIME": queue["first_at"] or ""}


@group.function(interface("TRFC_GET_QUEUE_INFO_DETAILS", [
    importing("QNAME", CHAR(24), default="*", text="Queue name, * for all, ABC* generic"),
    importing("DEST", CHAR(32), text="RFC destination (blank: any)"),
    tables("QVIEW", TRFCQVIEW, text="Outbound queues (out)"),
], text="SMQ1: the outbound queues with status, LUW count and first error"))
def trfc_get_queue_info_details(ctx: CallContext, QNAME: str, DEST: str,
                                **_: Any) -> dict[str, Any]:
    store = ctx.system.outbound.store
    pattern = (QNAME or "*").strip()
    rows = [q for q in queue_list(store.db, store.schema)
            if (pattern == "*" or q["name"] == pattern
                or (pattern.endswith("*") and q["name"].startswith(pattern[:-1])))
            and (not DEST or q["destination"] == DEST)]
    return {"QVIEW": [_view(q) for q in rows]}


def _act(ctx: CallContext, qname: str, dest: str, action: str) -> None:
    store = ctx.system.outbound.store
    with store.db.write() as conn:
        status = store.status(conn, qname, "out")
        if status is None or (dest and status["destination"] != dest):
            raise ABAPApplicationError(
                f"Outbound queue {qname} does not exist" + (f" for destination {dest}"
                                                             if dest else ""),
                5, "QUEUE_NOT_FOUND", msg_type="E", msg_v1=qname, msg_v2=dest)
        if action == "activate" and status["locked"]:
            raise ABAPApplicationError(f"Outbound queue {qname} is stopped; unlock it first",
                                       5, "QUEUE_STOPPED", msg_type="E", msg_v1=qname)
        getattr(store, action)(conn, qname, "out")
    ctx.system.outbound.wake()


@group.function(interface("TRFC_QOUT_ACTIVATE", [
    *_QUEUE, importing("FORCE", CHAR(1), text="Ours: ignored (a RUNNING queue is its sender's)"),
], text="SMQ1: activate a queue after an error (retries start again)"))
def trfc_qout_activate(ctx: CallContext, QNAME: str, DEST: str, **_: Any
                       ) -> dict[str, Any]:
    _act(ctx, QNAME, DEST, "activate")
    return {}


@group.function(interface("TRFC_QOUT_STOP", _QUEUE, text="SMQ1: lock (stop) a queue"))
def trfc_qout_stop(ctx: CallContext, QNAME: str, DEST: str, **_: Any
                   ) -> dict[str, Any]:
    store = ctx.system.outbound.store
    with store.db.write() as conn:
        store.lock(conn, QNAME, "out")
    return {}


@group.function(interface("TRFC_QOUT_UNLOCK", _QUEUE,
                          text="SMQ1: unlock a stopped queue (ours)"))
def trfc_qout_unlock(ctx: CallContext, QNAME: str, DEST: str, **_: Any
                     ) -> dict[str, Any]:
    _act(ctx, QNAME, DEST, "unlock")
    return {}
