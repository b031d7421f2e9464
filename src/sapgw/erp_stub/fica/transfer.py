"""FP_RAI_TRANSF: send the revenue accounting transfer records to RAR, in SAP's order.

Contract order items (CAOI), one-off order items (CABO), fulfilment items (CAFI), invoice
items (CAIN), each type for the selections (types, company codes, business partners,
records created up to "selection to"). Per source document group — one source item type,
company code and HEADER_ID (the provider contract, billable item source transaction,
contract of the consumption, invoicing document), so RAR checks the items of one document
as one unit — one call of the class's `/1RA/CA0n_RAI_CREATE_API` (CA01 order items, CA02
fulfilment, CA03 invoice items; parameters ours, docs/ERP_STUB.md) goes IN BACKGROUND TASK to
the destination of TFKRA_ACT, queued in FKKRAI_<company code> (ours) so that RAR receives a
company code's items in order. The group's rows get SENTDATE/SENTTIME/SENTTS in the LUW that
queues its unit: one COMMIT per group, so a failed group leaves the earlier ones sent and its
own rows unsent.

Contract items: only the newest version (TIMESTAMP_UTC) of a contract item is sent; older
versions not yet sent get SUPERSEDED_BY (ours) in the same LUW and are never sent.

Fulfilment items: the waiting billable item records are aggregated per contract (or account)
group, each its own LUW (event 8205 may refuse one group: FKK_CI 050-054 and 066, its
records stay to be aggregated). Processing level 1 aggregates and then sends in this run;
level 2 sends what earlier runs aggregated and aggregates the rest for the next run.

Two runs at once: the LUW's update task claims the rows with a conditional UPDATE (only rows
still without SENTTS and not superseded); when another run got there first the claim finds
fewer rows, the update task terminates and the whole LUW — queue unit included — is rolled
back (FKK_CI 067). On PostgreSQL the second UPDATE waits for the first transaction's row
locks and then sees its result, on SQLite writers are serialised: either way a row is
queued once. RAR unreachable is the queue's business (CPICERR in the ERP's SMQ1, retried, once
by TID), not the run's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update

from sapgw.erp_stub.fica import event_8205, fulfilment
from sapgw.erp_stub.fica.customizing import RaSettings
from sapgw.erp_stub.fica.rai_tables import (
    CONTRACT_ITEM,
    DFKKRA_RAI_CO,
    DFKKRA_RAI_MI,
    FULFILMENT,
    INVOICE,
    ONE_OFF,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.rfc.errors import ABAPRuntimeError

ORDER = (CONTRACT_ITEM, ONE_OFF, FULFILMENT, INVOICE)
FUNCTIONS = {CONTRACT_ITEM: "/1RA/CA01_RAI_CREATE_API", ONE_OFF: "/1RA/CA01_RAI_CREATE_API",
             FULFILMENT: "/1RA/CA02_RAI_CREATE_API", INVOICE: "/1RA/CA03_RAI_CREATE_API"}
TEXTS = {CONTRACT_ITEM: "Contract order items (CAOI)", ONE_OFF: "One-off order items (CABO)",
         FULFILMENT: "Fulfilment items (CAFI)", INVOICE: "Invoice items (CAIN)"}
QUEUE_PREFIX = "FKKRAI_"   # ours: one qRFC queue per company code
MAIN_FIELDS = (
    "SRCDOC_COMP", "SRCDOC_LOGSYS", "SRCDOC_TYPE", "SRCDOC_ID", "TIMESTAMP_UTC", "HEADER_ID",
    "ITEM_ID", "ORIGDOC_COMP", "ORIGDOC_TYPE", "ORIGDOC_ID", "SERVICE_TYPE", "CHIND",
    "X_ESTIMATED_QUAN", "PARTNER", "VKONT", "VTREF", "VTPOS", "SUBAP", "BUKRS", "BETRW",
    "WAERS", "QUANTITY", "QUANTITY_UNIT", "START_DATE", "END_DATE", "EFFECTIVE_DATE",
    "EVENT_DATE", "POSTING_DATE", "RA_REFTYPE", "RA_REFID", "CHRSN", "INVOICE_TYPE",
    "FINAL_INVOICE", "DUE_DATE", "REVERSAL")
CONDITION_FIELDS = ("SERVICE_TYPE", "CONDITION_TYPE", "BETRW", "WAERS", "MAIN_COND_TYPE",
                    "STATISTIC", "CHIND")
KEY_FIELDS = ("SRCDOC_COMP", "SRCDOC_LOGSYS", "SRCDOC_TYPE", "SRCDOC_ID", "TIMESTAMP_UTC")
QUEUED, TEST, FAILED, TAKEN = "Q", "T", "E", "O"


@dataclass(frozen=True)
class Selection:
    types: frozenset[str] = frozenset()
    companies: frozenset[str] = frozenset()
    partners: frozenset[str] = frozenset()
    up_to: str = ""

    def matches(self, bukrs: str, partner: str, date: str) -> bool:
        return ((not self.companies or bukrs in self.companies)
                and (not self.partners or partner in self.partners)
                and (not self.up_to or date <= self.up_to))


@dataclass
class Counts:
    """The log of one source item type."""

    sent: int = 0
    superseded: int = 0
    units: int = 0
    aggregated: int = 0
    failed: int = 0
    taken: int = 0


@dataclass
class Log:
    """What a run did: counts per type, a line per unit, BAPIRET2 messages."""

    counts: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in ORDER})
    units: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)

    def message(self, kind: str, number: str, *variables: Any, system: str = "") -> None:
        self.messages.append(bapiret2(kind, "FKK_CI", number, *variables, system=system))

    @property
    def failed(self) -> bool:
        return any(row["TYPE"] in ("E", "A") for row in self.messages)


class Claimed(Exception):
    """Another run sent (or superseded) rows of the group first."""


def run(ctx: CallContext, settings: RaSettings, selection: Selection, test: bool) -> Log:
    """The transfer in SAP's order; each group committed on its own unless `test`."""
    log = Log()
    for kind in ORDER:
        if selection.types and kind not in selection.types:
            continue
        if kind == FULFILMENT and settings.processing_level == "1":
            _aggregate(ctx, selection, test, log)
        _send(ctx, settings, kind, selection, test, log)
        if kind == FULFILMENT and settings.processing_level == "2":
            _aggregate(ctx, selection, test, log)
        counts = log.counts[kind]
        if test:
            log.message("S", "062", TEXTS[kind], counts.sent, counts.units, counts.superseded,
                        system=ctx.logical_system)
        else:
            log.message("S", "061", TEXTS[kind], counts.sent, counts.units,
                        counts.superseded, system=ctx.logical_system)
    return log


# -- fulfilment items: aggregation ----------------------------------------------------------
def _aggregate(ctx: CallContext, selection: Selection, test: bool, log: Log) -> None:
    records = fulfilment.waiting(ctx, set(selection.companies), set(selection.partners),
                                 selection.up_to)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[(record["BUKRS"], fulfilment.header_of(record))].append(record)
    counts = log.counts[FULFILMENT]
    if test:
        counts.aggregated = len({tuple(r[n] for n in fulfilment.AGGREGATION_KEY)
                                 for r in records})
        log.message("S", "070", counts.aggregated, len(records), system=ctx.logical_system)
        return
    for (bukrs, header), rows in groups.items():
        try:
            counts.aggregated += len(fulfilment.aggregate(ctx, rows))
            ctx.commit()
        except event_8205.EventError as error:
            ctx.rollback()
            counts.failed += 1
            log.message("E", error.number, *error.variables, system=ctx.logical_system)
            log.message("E", "066", TEXTS[FULFILMENT], header, system=ctx.logical_system)
            log.units.append(_unit_line(FULFILMENT, bukrs, header, [], 0, FAILED))
        except ABAPRuntimeError as error:  # FKK_CI 059: another run aggregated them
            ctx.rollback()
            if error.msg_number != "059":
                raise
            counts.taken += 1
            log.message("W", "067", TEXTS[FULFILMENT], header, system=ctx.logical_system)


# -- sending ----------------------------------------------------------------------------------
def unsent(ctx: CallContext, kind: str, selection: Selection) -> list[dict[str, Any]]:
    """Main items of a type not yet sent nor superseded, in the selections, by RAI_ID."""
    mi = DFKKRA_RAI_MI.__table__  # type: ignore[attr-defined]
    query = select(mi).where(mi.c.SRCDOC_TYPE == kind, mi.c.SENTTS == 0,
                             mi.c.SUPERSEDED_BY == "").order_by(mi.c.RAI_ID)
    with ctx.read() as conn:
        rows = [dict(row) for row in conn.execute(query).mappings()]
    return [row for row in rows
            if selection.matches(row["BUKRS"], row["PARTNER"], row["CRDATE"])]


def newest_versions(rows: list[dict[str, Any]]
                    ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """(rows to send, {older RAI_ID: the RAI_ID sent instead}) of contract order items.

    A contract item's version is its TIMESTAMP_UTC; only the newest version's rows are sent,
    and of rows for the same source item and timestamp (saved twice in one second) the last
    written."""
    newest: dict[tuple[str, str], Decimal] = {}
    last: dict[tuple[str, Decimal], str] = {}
    for row in rows:
        item = (row["HEADER_ID"], row["ITEM_ID"])
        newest[item] = max(newest.get(item, row["TIMESTAMP_UTC"]), row["TIMESTAMP_UTC"])
        version = (row["SRCDOC_ID"], row["TIMESTAMP_UTC"])
        last[version] = max(last.get(version, row["RAI_ID"]), row["RAI_ID"])
    send = [row for row in rows
            if row["TIMESTAMP_UTC"] == newest[(row["HEADER_ID"], row["ITEM_ID"])]
            and row["RAI_ID"] == last[(row["SRCDOC_ID"], row["TIMESTAMP_UTC"])]]
    sent_ids = {row["RAI_ID"] for row in send}
    by_source = {row["SRCDOC_ID"]: row["RAI_ID"] for row in send}
    by_item = {(row["HEADER_ID"], row["ITEM_ID"]): row["RAI_ID"] for row in reversed(send)}
    superseded = {row["RAI_ID"]: by_source.get(row["SRCDOC_ID"])
                  or by_item[(row["HEADER_ID"], row["ITEM_ID"])]
                  for row in rows if row["RAI_ID"] not in sent_ids}
    return send, superseded


def _send(ctx: CallContext, settings: RaSettings, kind: str, selection: Selection,
          test: bool, log: Log) -> None:
    rows = unsent(ctx, kind, selection)
    superseded: dict[str, str] = {}
    if kind == CONTRACT_ITEM:
        rows, superseded = newest_versions(rows)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["BUKRS"], row["HEADER_ID"])].append(row)
    group_of = {row["RAI_ID"]: (row["BUKRS"], row["HEADER_ID"]) for row in rows}
    older: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rai_id, newer in superseded.items():
        older[group_of[newer]].append(rai_id)
    conditions = _conditions(ctx, [row["RAI_ID"] for row in rows])
    counts = log.counts[kind]
    for (bukrs, header), mains in groups.items():
        items = [_main_item(row, settings) for row in mains]
        conds = [_condition(row, cond) for row in mains for cond in conditions[row["RAI_ID"]]]
        replaced = {rai_id: superseded[rai_id] for rai_id in older[(bukrs, header)]}
        if not test:
            try:
                _queue(ctx, settings, kind, bukrs, mains, replaced, items, conds)
            except Claimed:
                ctx.rollback()
                counts.taken += 1
                log.message("W", "067", TEXTS[kind], header, system=ctx.logical_system)
                log.units.append(_unit_line(kind, bukrs, header, mains, len(conds), TAKEN))
                continue
        counts.sent += len(mains)
        counts.superseded += len(replaced)
        counts.units += 1
        log.units.append(_unit_line(kind, bukrs, header, mains, len(conds),
                                    TEST if test else QUEUED))


def _queue(ctx: CallContext, settings: RaSettings, kind: str, bukrs: str,
           mains: list[dict[str, Any]], replaced: dict[str, str],
           items: list[dict[str, Any]], conds: list[dict[str, Any]]) -> None:
    """One LUW: claim the rows, mark the superseded, queue the unit; commit."""
    now = ctx.clock.now()
    sent = {"SENTDATE": now.strftime("%Y%m%d"), "SENTTIME": now.strftime("%H%M%S"),
            "SENTTS": Decimal(now.strftime("%Y%m%d%H%M%S"))}
    ctx.task(_claim([row["RAI_ID"] for row in mains], sent))
    for older, newer in replaced.items():
        ctx.task(_claim([older], {"SUPERSEDED_BY": newer}))
    ctx.call_in_background_task(FUNCTIONS[kind], destination=settings.destination,
                                queue=queue_name(bukrs), IV_TEST="", IT_MAIN_ITEMS=items,
                                IT_CONDITIONS=conds)
    ctx.commit()


def _claim(rai_ids: list[str], values: dict[str, Any]) -> Task:
    """Update task: set `values` on rows still unsent and not superseded, or terminate."""
    mi = DFKKRA_RAI_MI.__table__  # type: ignore[attr-defined]

    def claim(conn: Connection) -> None:
        result = conn.execute(update(mi).where(
            mi.c.RAI_ID.in_(rai_ids), mi.c.SENTTS == 0, mi.c.SUPERSEDED_BY == "")
            .values(**values))
        if result.rowcount != len(rai_ids):
            raise Claimed(", ".join(rai_ids))

    return claim


def queue_name(bukrs: str) -> str:
    return f"{QUEUE_PREFIX}{bukrs}"


def _conditions(ctx: CallContext, rai_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    co = DFKKRA_RAI_CO.__table__  # type: ignore[attr-defined]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with ctx.read() as conn:
        for start in range(0, len(rai_ids), 500):
            chunk = rai_ids[start:start + 500]
            for row in conn.execute(select(co).where(co.c.RAI_ID.in_(chunk))
                                    .order_by(co.c.RAI_ID, co.c.UUID)).mappings():
                found[row["RAI_ID"]].append(dict(row))
    return found


def _main_item(row: dict[str, Any], settings: RaSettings) -> dict[str, Any]:
    """IT_MAIN_ITEMS row (fields the record does not have stay initial)."""
    item = {name: row.get(name, "") for name in MAIN_FIELDS}
    item["ORIGDOC_COMP"] = settings.source_component if row["ORIGDOC_TYPE"] else ""
    return item


def _condition(main: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """IT_CONDITIONS row: its main item's key, then the condition."""
    return {**{name: main[name] for name in KEY_FIELDS},
            **{name: row[name] for name in CONDITION_FIELDS}}


def _unit_line(kind: str, bukrs: str, header: str, mains: list[dict[str, Any]],
               conditions: int, status: str) -> dict[str, Any]:
    return {"SRCDOC_TYPE": kind, "BUKRS": bukrs, "HEADER_ID": header,
            "FUNCNAME": FUNCTIONS[kind], "QNAME": queue_name(bukrs), "ITEMS": len(mains),
            "CONDITIONS": conditions, "STATUS": status}
