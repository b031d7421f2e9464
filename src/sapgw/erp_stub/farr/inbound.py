"""The generated RFCs of the RAI classes: /1RA/CA01_RAI_CREATE_API (order items),
/1RA/CA02_RAI_CREATE_API (fulfilment items), /1RA/CA03_RAI_CREATE_API (invoice items).

SAP's function names; the parameter names (IV_TEST, IT_MAIN_ITEMS, IT_CONDITIONS,
ET_RETURN) are ours, fixed between FI-CA and RAR. One COMMIT per call unless IV_TEST = X.
- A malformed call (a key field missing, a condition without its main item in the call, a
  row of another class, a source item type RAR does not know, a key twice) answers E and
  stores nothing.
- An item already held (same source item key) is not stored again (I): a resend after a
  lost answer never doubles anything.
- Items RAR cannot take yet are stored raw (status 0) with the reason (checks.py); the
  others processable (status 2).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select

from sapgw.erp_stub.farr import checks, customizing, reads
from sapgw.erp_stub.farr.tables import (
    FARR_D_RAI_CO,
    FARR_D_RAI_MI,
    PROCESSABLE,
    RAW,
    SOURCE_KEY,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, CUKY, DATS, DEC, NUMC, Elementary, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("FARR_RAI")

CLASSES = {"CA01": "order items", "CA02": "fulfilment items", "CA03": "invoice items"}
REQUIRED = ("SRCDOC_COMP", "SRCDOC_LOGSYS", "SRCDOC_TYPE", "SRCDOC_ID", "TIMESTAMP_UTC",
            "HEADER_ID")
AMOUNT, QUANTITY = Elementary("CURR", 15, 2), Elementary("QUAN", 18, 6)
MAIN_ITEM = structure(
    "FARR_S_RAI_MI_API",  # ours: fields named as FI-CA's DFKKRA_RAI_MI
    ("SRCDOC_COMP", CHAR(3), "Source component"), ("SRCDOC_LOGSYS", CHAR(10), "Logical system"),
    ("SRCDOC_TYPE", CHAR(4), "Source item type"), ("SRCDOC_ID", CHAR(35), "Source item ID"),
    ("TIMESTAMP_UTC", DEC(15), "Version (UTC time stamp)"), ("HEADER_ID", CHAR(20), "Header"),
    ("ITEM_ID", CHAR(15), "Item"), ("ORIGDOC_COMP", CHAR(3), "Original component"),
    ("ORIGDOC_TYPE", CHAR(4), "Original item type"), ("ORIGDOC_ID", CHAR(35), "Original item"),
    ("SERVICE_TYPE", CHAR(6), "Service type"), ("CHIND", CHAR(1), "Change indicator"),
    ("X_ESTIMATED_QUAN", CHAR(1), "Estimated quantity"), ("PARTNER", CHAR(10), "Partner"),
    ("VKONT", CHAR(12), "Contract account"), ("VTREF", CHAR(20), "Contract"),
    ("VTPOS", NUMC(6), "Contract item"), ("SUBAP", CHAR(1), "Subapplication"),
    ("BUKRS", CHAR(4), "Company code"), ("BETRW", AMOUNT, "Amount"), ("WAERS", CUKY, "Currency"),
    ("QUANTITY", QUANTITY, "Quantity"), ("QUANTITY_UNIT", CHAR(3), "Unit"),
    ("START_DATE", DATS, "Start"), ("END_DATE", DATS, "End"),
    ("EFFECTIVE_DATE", DATS, "Effective date of a change"), ("EVENT_DATE", DATS, "Event date"),
    ("POSTING_DATE", DATS, "Posting date"), ("RA_REFTYPE", CHAR(3), "Reference type"),
    ("RA_REFID", CHAR(30), "Reference ID"), ("CHRSN", CHAR(2), "Change reason"),
    ("INVOICE_TYPE", CHAR(4), "Invoice type"), ("FINAL_INVOICE", CHAR(1), "Final invoice"),
    ("DUE_DATE", DATS, "Due date"), ("REVERSAL", CHAR(1), "Reversal"))
CONDITION = structure(
    "FARR_S_RAI_CO_API",  # ours: fields named as FI-CA's DFKKRA_RAI_CO
    ("SRCDOC_COMP", CHAR(3), "Source component"), ("SRCDOC_LOGSYS", CHAR(10), "Logical system"),
    ("SRCDOC_TYPE", CHAR(4), "Source item type"), ("SRCDOC_ID", CHAR(35), "Source item ID"),
    ("TIMESTAMP_UTC", DEC(15), "Version of the main item"),
    ("SERVICE_TYPE", CHAR(6), "Service type"), ("CONDITION_TYPE", CHAR(4), "Condition type"),
    ("BETRW", AMOUNT, "Amount"), ("WAERS", CUKY, "Currency"),
    ("MAIN_COND_TYPE", CHAR(1), "Main condition"), ("STATISTIC", CHAR(1), "Statistical"),
    ("CHIND", CHAR(1), "Change indicator"))
MAIN_FIELDS = tuple(f.name for f in MAIN_ITEM.fields)
CONDITION_FIELDS = tuple(f.name for f in CONDITION.fields)


def create(ctx: CallContext, rai_class: str, test: bool, main_items: list[dict[str, Any]],
           conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The body of every /1RA/<class>_RAI_CREATE_API: ET_RETURN."""
    errors = malformed(ctx, rai_class, main_items, conditions)
    if errors:
        return errors
    held = stored_keys(ctx, [checks.key_of(item) for item in main_items])
    messages = [bapiret2("I", "FARR_RAI", "006", item["SRCDOC_TYPE"], item["SRCDOC_ID"])
                for item in main_items if checks.key_of(item) in held]
    new = [{**item, "RAI_CLASS": rai_class} for item in main_items
           if checks.key_of(item) not in held]
    by_item: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for condition in conditions:
        by_item[checks.key_of(condition)].append(condition)
    ready = ready_order_items(ctx, new)
    reasons = checks.unit_reasons(ctx, new, by_item, lambda *origin: origin in ready,
                                  raw_headers(ctx, {checks.header_of(item) for item in new}))
    raw = sum(1 for index in range(len(new)) if index in reasons)
    if test:
        messages.append(bapiret2("S", "FARR_RAI", "008"))
    else:
        store(ctx, new, by_item, reasons)
        ctx.commit()
    messages += [bapiret2("W", "FARR_RAI", reason[0], *reason[1])
                 for reason in (reasons.get(i) for i in range(len(new))) if reason]
    messages.append(bapiret2("S", "FARR_RAI", "007", len(new), len(new) - raw, raw, len(held)))
    return messages


def malformed(ctx: CallContext, rai_class: str, main_items: list[dict[str, Any]],
              conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """E messages of a call that cannot be taken at all (nothing of it is stored)."""
    errors = []
    seen: set[tuple[Any, ...]] = set()
    for row, item in enumerate(main_items, start=1):
        label = item.get("SRCDOC_ID") or f"row {row}"
        missing = [name for name in REQUIRED if not item.get(name)]
        key = checks.key_of(item)
        if missing:
            seen.add(key)
            errors.append(bapiret2("E", "FARR_RAI", "001", label, missing[0],
                                   parameter="IT_MAIN_ITEMS", row=row, field=missing[0]))
            continue
        kind = customizing.rai_class(ctx, item["SRCDOC_TYPE"])
        if kind is None:
            errors.append(bapiret2("E", "FARR_RAI", "004", label, item["SRCDOC_TYPE"],
                                   parameter="IT_MAIN_ITEMS", row=row, field="SRCDOC_TYPE"))
        elif kind != rai_class:
            errors.append(bapiret2("E", "FARR_RAI", "003", label, item["SRCDOC_TYPE"], kind,
                                   rai_class, parameter="IT_MAIN_ITEMS", row=row,
                                   field="SRCDOC_TYPE"))
        if key in seen:
            errors.append(bapiret2("E", "FARR_RAI", "005", item["SRCDOC_TYPE"], label,
                                   parameter="IT_MAIN_ITEMS", row=row))
        seen.add(key)
    for row, condition in enumerate(conditions, start=1):
        if checks.key_of(condition) not in seen:
            errors.append(bapiret2("E", "FARR_RAI", "002", condition.get("CONDITION_TYPE", ""),
                                   condition.get("SRCDOC_ID", ""), parameter="IT_CONDITIONS",
                                   row=row))
    return errors


def stored_keys(ctx: CallContext, keys: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    if not keys:
        return set()
    table = FARR_D_RAI_MI.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in SOURCE_KEY]
    found = set()
    with ctx.read() as conn:
        for start in range(0, len(keys), 200):
            chunk = keys[start:start + 200]
            query = select(*columns).where(or_(*(and_(*(c == v for c, v in zip(
                columns, key, strict=True))) for key in chunk)))
            found |= {tuple(row) for row in conn.execute(query)}
    return {(a, b, c, d, Decimal(e)) for a, b, c, d, e in found}


def ready_order_items(ctx: CallContext, items: list[dict[str, Any]]
                      ) -> set[tuple[str, str, str]]:
    """The order items (checks.origin_of) the fulfilment and invoice items among `items`
    belong to that are stored processable or processed, in any version: one read for all."""
    wanted = {checks.origin_of(item) for item in items
              if item["RAI_CLASS"] != checks.ORDER and item["ORIGDOC_ID"]}
    if not wanted:
        return set()
    table = FARR_D_RAI_MI.__table__  # type: ignore[attr-defined]
    stored = reads.rows_with(ctx, FARR_D_RAI_MI, "SRCDOC_ID", {ident for *_, ident in wanted},
                             table.c.STATUS != RAW)
    return {(row["SRCDOC_COMP"], row["SRCDOC_TYPE"], row["SRCDOC_ID"])
            for row in stored} & wanted


def raw_headers(ctx: CallContext, headers: set[tuple[str, str, str]]
                ) -> set[tuple[str, str, str]]:
    """The source documents among `headers` that have raw items stored."""
    table = FARR_D_RAI_MI.__table__  # type: ignore[attr-defined]
    ids = {header[2] for header in headers}
    if not ids:
        return set()
    with ctx.read() as conn:
        rows = conn.execute(select(table.c.SRCDOC_COMP, table.c.SRCDOC_LOGSYS,
                                   table.c.HEADER_ID).where(table.c.STATUS == RAW,
                                                            table.c.HEADER_ID.in_(ids)))
        return {tuple(row) for row in rows} & headers  # type: ignore[misc]


def store(ctx: CallContext, items: list[dict[str, Any]],
          conditions: dict[tuple[Any, ...], list[dict[str, Any]]],
          reasons: dict[int, checks.Reason]) -> None:
    today = ctx.clock.now().strftime("%Y%m%d")
    for index, item in enumerate(items):
        reason = reasons.get(index)
        ctx.insert(FARR_D_RAI_MI, {
            **{name: item[name] for name in MAIN_FIELDS}, "RAI_CLASS": item["RAI_CLASS"],
            "STATUS": RAW if reason else PROCESSABLE, "CREATED_ON": today,
            **checks.reason_fields(reason)})
        rows = conditions.get(checks.key_of(item), [])
        if rows:
            ctx.insert(FARR_D_RAI_CO, [{**{name: row[name] for name in CONDITION_FIELDS},
                                        "COND_NO": f"{number:04d}"}
                                       for number, row in enumerate(rows, start=1)])


def _api(rai_class: str) -> Any:
    name = f"/1RA/{rai_class}_RAI_CREATE_API"

    @group.function(interface(name, [
        importing("IV_TEST", CHAR(1), text="X: check only, store nothing"),
        tables("IT_MAIN_ITEMS", MAIN_ITEM, text="Main items"),
        tables("IT_CONDITIONS", CONDITION, text="Conditions of the main items"),
        tables("ET_RETURN", BAPIRET2, text="Return messages"),
    ], text=f"Create revenue accounting items of class {rai_class} ({CLASSES[rai_class]})"))
    def handler(ctx: CallContext, IV_TEST: str, IT_MAIN_ITEMS: list[dict[str, Any]],
                IT_CONDITIONS: list[dict[str, Any]], ET_RETURN: list[dict[str, Any]]
                ) -> dict[str, Any]:
        ET_RETURN[:] = create(ctx, rai_class, IV_TEST == "X", IT_MAIN_ITEMS, IT_CONDITIONS)
        return {"IT_MAIN_ITEMS": IT_MAIN_ITEMS, "IT_CONDITIONS": IT_CONDITIONS,
                "ET_RETURN": ET_RETURN}

    return handler


for _class in CLASSES:
    _api(_class)
