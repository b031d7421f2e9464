"""Billable items over RFC: the generated `/1FE/<class>_BIT_CREATE_API` per billable item
class (0SAP in the demo) and FKK_BIX_BITRAW_CORRECT (ours: correct raw items and release
them, RFKKBIXBITBMON's job in SAP).

The interface's parameter names (IT_BIT_IT, ET_BIT_RESULT, TESTRUN) are ours, the structure
name SAP's pattern (/1FE/1<class>0IT_API "Structure Type API - Main Items"). A call is
refused whole (RETURN type E, nothing saved) for what the sender must fix in its own data: a
missing key, an item given twice or already stored. Every other problem is the item's: it is
stored raw with its reason (ET_BIT_RESULT, and the item's RAW_* fields), its package with it;
the rest is stored billable, with its revenue accounting transfer records (bit_rai.py); a
one-off charge's order item first goes through event 8205 (simulation, then for real), and
a module that fails keeps the item raw with FKK_CI 050-054.
Written in the caller's LUW.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import select

from sapgw.erp_stub.fica import bit_checks, bit_rai, event_8205
from sapgw.erp_stub.fica.bit_tables import BILLABLE, BIT_TABLES, KEY, RAW, STATUSES, BitFields
from sapgw.erp_stub.fica.master_data import group
from sapgw.erp_stub.fica.order_items import Records
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, CUKY, DATS, NUMC, TIMS, Elementary, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

ITEMS = "IT_BIT_IT"
PACKAGE_HAS_ERRORS = "033"   # FKK_CI 033: raw only because another item of its package is
SOURCE = ("SRCTATYPE", "SRCTAID", "BITPACKUUID", "BITPACKCNO")
API_FIELDS = (
    ("SRCTATYPE", CHAR(5), "Source transaction type"),
    ("SRCTAID", CHAR(22), "Source transaction ID"),
    ("BITPACKUUID", CHAR(32), "Package (blank: the source transaction ID)"),
    ("BITPACKCNO", NUMC(8), "Item in the package"),
    ("SUBPROCESS", CHAR(4), "Billing subprocess"), ("BITTYPE", CHAR(4), "Billable item type"),
    ("GPART", CHAR(10), "Business partner (blank: the account's)"),
    ("VKONT", CHAR(12), "Contract account"), ("VTREF", CHAR(20), "Provider contract"),
    ("VTPOS", NUMC(6), "Provider contract item"),
    ("BIT_AMOUNT", Elementary("CURR", 15, 2), "Amount"), ("BIT_CURR", CUKY, "Currency"),
    ("BIT_QUANTITY", Elementary("QUAN", 15, 3), "Quantity"),
    ("BIT_QTY_UNIT", CHAR(3), "Unit"), ("BITDATE", DATS, "Date (blank: today)"),
    ("BITTIME", TIMS, "Time"), ("BITDATE_FROM", DATS, "Usage from"),
    ("BITDATE_TO", DATS, "Usage to"), ("HVORG", CHAR(4), "Main transaction"),
    ("TVORG", CHAR(4), "Subtransaction"),
    ("SERVICE_TYPE", CHAR(6), "Service type (blank: posting areas 8122 / 8172)"),
)
API_NAMES = tuple(name for name, _, _ in API_FIELDS)
FKKBIX_BIT_RESULT = structure(
    "FKKBIX_BIT_RESULT", *API_FIELDS[:4], ("VKONT", CHAR(12), "Contract account"),
    ("BITSTATUS", CHAR(1), "Status: 0 raw, 2 billable"),
    ("SERVICE_TYPE", CHAR(6), "Service type"), ("RAREL", CHAR(1), "X: relevant for RA"),
    ("MSGID", CHAR(20), "Why raw: message class"), ("MSGNO", NUMC(3), "Message number"),
    ("MESSAGE", CHAR(220), "Message text"))


def stored(ctx: CallContext, bitcat: str, row: dict[str, Any],
           statuses: tuple[str, ...] = STATUSES) -> tuple[str, dict[str, Any]] | None:
    """(status, row) of the stored item with this source key, in any of `statuses`."""
    for status in statuses:
        table = BIT_TABLES[bitcat][status].__table__  # type: ignore[attr-defined]
        with ctx.read() as conn:
            found = conn.execute(select(table).where(
                *(table.c[name] == row[name] for name in SOURCE))).mappings().first()
        if found is not None:
            return status, dict(found)
    return None


def package(ctx: CallContext, bitcat: str, status: str, uuid: str) -> list[dict[str, Any]]:
    table = BIT_TABLES[bitcat][status].__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(select(table).where(
            table.c.BITPACKUUID == uuid).order_by(table.c.BITPACKCNO)).mappings()]


class Classified(NamedTuple):
    """Per row: why it stays raw (None: billable), and a one-off charge's order item as
    event 8205 left it (None: the item gives none)."""

    reasons: list[bit_checks.Reason | None]
    order_items: list[Records | None]


def classify(ctx: CallContext, rows: list[dict[str, Any]], testrun: bool = False
             ) -> Classified:
    """Check every row and pass the order item of each one-off charge through event 8205;
    a package with one failing row stays raw whole (FKK_CI 033)."""
    reasons = [bit_checks.check(ctx, row) for row in rows]
    order_items: list[Records | None] = []
    for number, row in enumerate(rows):
        enriched = None
        if reasons[number] is None:
            reasons[number], enriched = _event_8205(ctx, row, testrun)
        order_items.append(enriched)
    failing = {row["BITPACKUUID"]: row["BITPACKCNO"] for row, reason in
               zip(rows, reasons, strict=True) if reason is not None}
    return Classified([
        reason if reason is not None or row["BITPACKUUID"] not in failing else
        bit_checks.Reason("FKK_CI", PACKAGE_HAS_ERRORS, (row["BITPACKUUID"],
                                                         failing[row["BITPACKUUID"]]))
        for row, reason in zip(rows, reasons, strict=True)], order_items)


def _event_8205(ctx: CallContext, row: dict[str, Any], testrun: bool
                ) -> tuple[bit_checks.Reason | None, Records | None]:
    """The one-off order item after event 8205 (simulation, then unless a test run for
    real); a module that fails (FKK_CI 050-054) keeps the item raw with that reason, to be
    released by FKK_BIX_BITRAW_CORRECT once the module is corrected."""
    records = bit_rai.one_off(ctx, row)
    if records is None:
        return None, None
    try:
        enriched = event_8205.before_save(ctx, records, testrun=testrun)
    except event_8205.EventError as error:
        return bit_checks.Reason("FKK_CI", error.number, tuple(error.variables)), None
    return None, enriched


def write(ctx: CallContext, bitcat: str, row: dict[str, Any],
          reason: bit_checks.Reason | None, order_item: Records | None = None
          ) -> dict[str, Any]:
    """Register the item raw or billable; its ET_BIT_RESULT row."""
    status = BILLABLE if reason is None else RAW
    now = ctx.clock.now()
    values = {name: row.get(name) for name in BitFields.model_fields if name in row}
    values.update(BITSTATUS=status, BITCRDATE=row.get("BITCRDATE") or now.strftime("%Y%m%d"),
                  BITCRTIME=row.get("BITCRTIME") or now.strftime("%H%M%S"),
                  RAW_MSGID=reason.msgid if reason else "",
                  RAW_MSGNO=reason.msgno if reason else "000",
                  RAW_TEXT=reason.text[:220] if reason else "")
    ctx.insert(BIT_TABLES[bitcat][status], values)
    if status == BILLABLE:
        bit_rai.record(ctx, values, order_item)
    return {**{name: row[name] for name in (*SOURCE, "VKONT", "SERVICE_TYPE", "RAREL")},
            "BITSTATUS": status, "MSGID": values["RAW_MSGID"],
            "MSGNO": values["RAW_MSGNO"], "MESSAGE": values["RAW_TEXT"]}


def register_class(functions: FunctionGroup, bitcat: str) -> None:
    """Generate the class's create API (SAP generates it per class: "Generate Interfaces for
    Billable Item Classes")."""
    api = structure(f"/1FE/1{bitcat}0IT_API", *API_FIELDS)

    @functions.function(interface(f"/1FE/{bitcat}_BIT_CREATE_API", [
        importing("TESTRUN", CHAR(1), text="X: check only, save nothing"),
        tables(ITEMS, api, optional=False, text="Main items"),
        tables("ET_BIT_RESULT", FKKBIX_BIT_RESULT, text="Status and reason per item"),
        tables("RETURN", BAPIRET2, text="Return messages"),
    ], text=f"Billable items of class {bitcat}: create"))
    def bit_create_api(ctx: CallContext, TESTRUN: str, IT_BIT_IT: list[dict[str, Any]],
                       ET_BIT_RESULT: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                       ) -> dict[str, Any]:
        return create(ctx, bitcat, TESTRUN == "X", IT_BIT_IT, ET_BIT_RESULT, RETURN)


def create(ctx: CallContext, bitcat: str, testrun: bool, items: list[dict[str, Any]],
           results: list[dict[str, Any]], messages: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx)
    today = ctx.clock.today().strftime("%Y%m%d")
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()
    for number, item in enumerate(items, start=1):
        row = bit_checks.normalise(bitcat, item)
        row["BITDATE"] = row["BITDATE"] or today
        for name in ("SRCTATYPE", "SRCTAID", "SUBPROCESS", "BITTYPE"):
            if not row[name]:
                problems.required(name, ITEMS, number)
        source = tuple(row[name] for name in SOURCE)
        if source in seen:
            problems.error("FKK_CI", "034", *source[1:], parameter=ITEMS, row=number,
                           field="SRCTAID")
        seen.add(source)
        existing = stored(ctx, bitcat, row) if row["SRCTAID"] else None
        if existing is not None:
            problems.error("FKK_CI", "035", *source[1:], existing[0], parameter=ITEMS,
                           row=number, field="SRCTAID")
        rows.append(row)
    if not items:
        problems.error("FKK_CI", "005", ITEMS, ITEMS, parameter=ITEMS)
    if problems:
        results[:] = []
        messages[:] = problems.rows
        return {ITEMS: items, "ET_BIT_RESULT": results, "RETURN": messages}
    reasons, order_items = classify(ctx, rows, testrun)
    if testrun:
        results[:] = [_result(row, reason) for row, reason in zip(rows, reasons, strict=True)]
        messages[:] = [problems.success("FKK_CI", "008")]
    else:
        results[:] = [write(ctx, bitcat, row, reason, order_item) for row, reason, order_item
                      in zip(rows, reasons, order_items, strict=True)]
        raw = sum(reason is not None for reason in reasons)
        messages[:] = [problems.success("FKK_CI", "036", len(rows), len(rows) - raw, raw)]
    return {ITEMS: items, "ET_BIT_RESULT": results, "RETURN": messages}


def _result(row: dict[str, Any], reason: bit_checks.Reason | None) -> dict[str, Any]:
    return {**{name: row[name] for name in (*SOURCE, "VKONT", "SERVICE_TYPE", "RAREL")},
            "BITSTATUS": BILLABLE if reason is None else RAW,
            "MSGID": reason.msgid if reason else "", "MSGNO": reason.msgno if reason else "000",
            "MESSAGE": reason.text[:220] if reason else ""}


@group.function(interface("FKK_BIX_BITRAW_CORRECT", [
    importing("BITCAT", CHAR(4), optional=False, text="Billable item class"),
    tables(ITEMS, structure("FKKBIX_BITRAW_CORR", *API_FIELDS), optional=False,
           text="Raw items by source key; filled fields replace the stored ones"),
    tables("ET_BIT_RESULT", FKKBIX_BIT_RESULT, text="Status per item of the packages"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Raw billable items: correct and release (ours)"))
def bitraw_correct(ctx: CallContext, BITCAT: str, IT_BIT_IT: list[dict[str, Any]],
                   ET_BIT_RESULT: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                   ) -> dict[str, Any]:
    """Apply the corrections to the raw items, check their whole packages again and move
    them to billable; if any item still fails, answer every reason and change nothing."""
    problems = Problems(ctx)
    if BITCAT not in BIT_TABLES:
        problems.error("FKK_CI", "038", BITCAT, parameter="BITCAT", field="BITCAT")
        RETURN[:] = problems.rows
        return {ITEMS: IT_BIT_IT, "ET_BIT_RESULT": ET_BIT_RESULT, "RETURN": RETURN}
    corrections: dict[tuple[str, ...], dict[str, Any]] = {}
    packages: list[str] = []
    for number, item in enumerate(IT_BIT_IT, start=1):
        key = bit_checks.normalise(BITCAT, item)
        found = stored(ctx, BITCAT, key, (RAW,))
        if found is None:
            problems.error("FKK_CI", "037", key["SRCTATYPE"], key["SRCTAID"],
                           key["BITPACKCNO"], BITCAT, parameter=ITEMS, row=number,
                           field="SRCTAID")
            continue
        corrections[tuple(key[name] for name in SOURCE)] = {
            name: key[name] for name in API_NAMES
            if name not in SOURCE and item[name] and str(item[name]).strip("0")}
        if key["BITPACKUUID"] not in packages:
            packages.append(key["BITPACKUUID"])
    old = [row for uuid in packages for row in package(ctx, BITCAT, RAW, uuid)]
    rows = [{**row, **corrections.get(tuple(row[name] for name in SOURCE), {})}
            for row in old]
    reasons, order_items = classify(ctx, rows) if not problems else Classified([], [])
    for row, reason in zip(rows, reasons, strict=True):
        if reason is not None and reason.msgno != PACKAGE_HAS_ERRORS:
            problems.error(reason.msgid, reason.msgno, *reason.variables, parameter=ITEMS,
                           field=row["SRCTAID"])
    if problems:
        ET_BIT_RESULT[:] = []
        RETURN[:] = problems.rows
    else:
        for row in old:
            ctx.delete(BIT_TABLES[BITCAT][RAW], {name: row[name] for name in KEY})
        ET_BIT_RESULT[:] = [write(ctx, BITCAT, row, None, order_item)
                            for row, order_item in zip(rows, order_items, strict=True)]
        RETURN[:] = [problems.success("FKK_CI", "039", len(rows))]
    return {ITEMS: IT_BIT_IT, "ET_BIT_RESULT": ET_BIT_RESULT, "RETURN": RETURN}


for _bitcat in BIT_TABLES:
    register_class(group, _bitcat)
