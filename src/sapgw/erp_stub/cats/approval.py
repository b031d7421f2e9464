"""Approving time sheet records: CATS_APPROVE_RECORDS (our name; SAP's report
RCATS_APPROVE_ACTIVITIES, transaction CATS_APPR_LITE, does it in dialog).

Released records (status 20) are approved (30) or rejected (40); any other status is
refused, record by record. Approved records of one call share a CATS document number and get
their CATSCO row, so CAT7 transfers them. All decisions of a call are registered in the
caller's LUW (written at BAPI_TRANSACTION_COMMIT) or, with any error, none.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from sapgw.erp_stub.cats.records import APPROVED, REJECTED, RELEASED, RFC_USER, catsco_row
from sapgw.erp_stub.cats.returns import Messages
from sapgw.erp_stub.cats.structures import CATS_COUNTER
from sapgw.erp_stub.cats.tables import CATSCO, CATSDB
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import update_terminated
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

# Our name: the CATS functions beyond the BAPI (approval, transfer to CO).
cats_group = FunctionGroup("CATS_PROCESS")
DECISIONS = {"A": APPROVED, "R": REJECTED}
_CATSDB = CATSDB.__table__  # type: ignore[attr-defined]


@cats_group.function(interface("CATS_APPROVE_RECORDS", [
    importing("DECISION", CHAR(1), optional=False, text="A approve, R reject"),
    importing("APPROVER", CHAR(12), text="Who decides (blank: RFC_USER)"),
    tables("RECORDS", CATS_COUNTER, text="The released records to decide on"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Time sheet: approve or reject released records (ours)"))
def cats_approve_records(ctx: CallContext, DECISION: str, APPROVER: str,
                         RECORDS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                         ) -> dict[str, Any]:
    return {"RECORDS": RECORDS,
            "RETURN": decide(ctx, [r["COUNTER"] for r in RECORDS], DECISION,
                             APPROVER or RFC_USER)}


def decide(ctx: CallContext, counters: list[str], decision: str, approver: str
           ) -> list[dict[str, Any]]:
    """Register the decision on every record, or on none; the RETURN rows."""
    messages = Messages(ctx, "RECORDS")
    target = DECISIONS.get(decision)
    if target is None:
        messages.error("LR", "934", decision, parameter="DECISION", field="DECISION")
        return messages.rows
    keys = [counter.zfill(12) if counter.isdigit() else counter for counter in counters]
    with ctx.read() as conn:
        found = {row["COUNTER"]: dict(row) for row in conn.execute(
            select(_CATSDB).where(_CATSDB.c.COUNTER.in_(keys))).mappings()}
    for row, counter in enumerate(keys, start=1):
        record = found.get(counter)
        if record is None:
            messages.error("LR", "930", counter, row=row, field="COUNTER")
        elif record["STATUS"] != RELEASED:
            messages.error("LR", "931", counter, record["STATUS"], row=row, field="COUNTER")
    if messages.failed or not keys:
        return messages.rows
    today = ctx.clock.today().strftime("%Y%m%d")
    belnr = ctx.numbers.next("CATS_BELNR", "", "01") if target == APPROVED else ""
    for counter in dict.fromkeys(keys):
        values = {"STATUS": target, "APDAT": today, "APNAM": approver[:12], "BELNR": belnr}
        ctx.task(_decided(counter, values))
        if target == APPROVED:
            ctx.insert(CATSCO, catsco_row({**found[counter], **values}))
    if target == APPROVED:
        messages.add("S", "LR", "932", len(set(keys)), belnr, parameter="")
    else:
        messages.add("S", "LR", "933", len(set(keys)), parameter="")
    return messages.rows


def _decided(counter: str, values: dict[str, str]) -> Task:
    """Update task: the record leaves status 20. Another LUW that decided on it first makes
    this one terminate, so no record is approved twice (nor gets two CATSCO rows)."""
    def run(conn: Connection) -> None:
        done = conn.execute(update(_CATSDB).where(
            _CATSDB.c.COUNTER == counter, _CATSDB.c.STATUS == RELEASED).values(**values))
        if done.rowcount != 1:
            raise update_terminated("LR", "931", counter, "changed")

    return run
