"""Creating and changing customers and vendors from master data IDocs (XD01/XD02, XK01/XK02).

Both objects have the same shape: general data (KNA1/LFA1) with company code data (KNB1/LFB1)
and sales area or purchasing organization data (KNVV/LFM1) under it, each level carried by one
segment with its own MSGFN (blank: the general segment's):

- 009 original, 005 replace, 018 resend (or blank): create the level, or replace it when it
  exists; every field of the segment is taken over, a blank one clears the value.
- 004 change: the level must exist; only fields the segment fills are changed.
- 003 delete: the level must exist; its deletion flag LOEVM is set (SAP does not delete master
  data from an IDoc either).

A new partner needs an account group; its number comes from the group's interval of the
DEBITOR/KREDITOR range (internal) or from the IDoc (external, checked against the interval).
Every problem is reported, not only the first; nothing is registered in the LUW unless the
IDoc has none, and the number is drawn last, so a refused IDoc leaves no gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sapgw.erp_stub.basis.api import InSegment, Messages
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import update_terminated
from sapgw.erp_stub.kernel.money import currency_decimals
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.erp_stub.masterdata import change_documents
from sapgw.erp_stub.masterdata.organization import (
    account_group,
    purchasing_organization,
    sales_area,
)

REPLACE = ("", "005", "009", "018")
CHANGE, DELETE = "004", "003"
ALE_USER = "ALEREMOTE"


@dataclass(frozen=True)
class Level:
    """One level of the object: the segment that carries it and the table it is kept in."""

    segment: str
    table: type
    keys: tuple[str, ...]              # key fields beside the partner number
    fields: tuple[str, ...]            # segment fields taken over into the table
    required: tuple[str, ...] = ()     # must be filled when the level is created or replaced
    label: str = ""                    # how messages name one row ("sales area")

    @property
    def sql(self) -> Any:
        return self.table.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PartnerKind:
    """Customer or vendor: names, number range object, account groups, levels."""

    name: str                          # Customer / Vendor, for the messages
    number_field: str                  # KUNNR / LIFNR
    number_object: str                 # DEBITOR / KREDITOR
    koart: str                         # D customer / K vendor (account groups T077D/T077K)
    group_field: str                   # KTOKD / KTOKK
    general: Level
    company: Level
    area: Level
    not_in_company: str                # F5 102 / F5 104


@dataclass
class Write:
    """A registered change of one row, applied once the whole IDoc is known to be correct."""

    action: str                        # create, replace, change, delete
    level: Level
    keys: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)
    segment: InSegment | None = None   # where it came from, for messages


def maintain(ctx: CallContext, kind: PartnerKind, segments: list[InSegment],
             messages: Messages, tcode: str, origin: str = "") -> str | None:
    """Check the IDoc's segments and register its writes and their change document (CDHDR
    with `tcode`; `origin`: the partner an inbound IDoc came from), or report why not;
    answer the partner's number when its writes are registered."""
    root = next((s for s in segments if s.segnam == kind.general.segment), None)
    if root is None:
        messages.error("F2", "916", kind.general.segment)
        return None
    function = root.get("MSGFN")
    number = alpha(root.get(kind.number_field), 10)
    existing = _row(ctx, kind, kind.general, number, {}) if number else None
    writes: list[Write] = []
    draw_from = ""                     # interval of an internally numbered new partner
    if _known_function(function, root, messages):
        if existing is None and function in (CHANGE, DELETE):
            messages.error("F2", "904", kind.name, number or "-", segment=root,
                           field=kind.number_field)
        elif existing is None:
            draw_from = _new_number(ctx, kind, root, number, messages)
            values = _values(kind.general, root, function, messages, creating=True)
            writes.append(Write("create", kind.general, {}, {
                **values, kind.group_field: root.get(kind.group_field)}))
        else:
            writes.append(_write(kind.general, root, function, {}, messages))
    for segment in segments:
        if segment.psgnum != root.segnum:
            continue
        if segment.segnam == kind.company.segment:
            writes += _company(ctx, kind, segment, function, number, existing, messages)
        elif segment.segnam == kind.area.segment:
            writes += _area(ctx, kind, segment, function, number, existing, messages)
    _duplicates(writes, messages)
    if messages.failed:
        return None
    if draw_from:
        try:
            number = ctx.numbers.next(kind.number_object, "", draw_from)
        except NumberRangeError as error:
            messages.error(error.msg_class or "NR", error.msg_number or "752", error.msg_v1,
                           error.msg_v2, error.msg_v3)
            return None
    for write in writes:
        _register(ctx, kind, number, write)
    change_documents.record(ctx, kind, number, tcode, origin)
    messages.add("S", "F2", _SUCCESS[writes[0].action], kind.name, number)
    return number


_SUCCESS = {"create": "901", "replace": "902", "change": "902", "delete": "903"}


def _known_function(function: str, segment: InSegment, messages: Messages) -> bool:
    if function in REPLACE or function in (CHANGE, DELETE):
        return True
    messages.error("F2", "910", function, segment.segnam, segment=segment, field="MSGFN")
    return False


def _new_number(ctx: CallContext, kind: PartnerKind, root: InSegment, number: str,
                messages: Messages) -> str:
    """Check the account group of a new partner and the number the IDoc gives: the interval
    to draw the number from when the group's interval is internal, else blank."""
    ktokd = root.get(kind.group_field)
    if not ktokd:
        messages.error("F2", "906", kind.group_field, root.segnam, segment=root,
                       field=kind.group_field)
        return ""
    group = account_group(ctx, kind.koart, ktokd)
    if group is None:
        messages.error("F2", "905", ktokd, segment=root, field=kind.group_field)
        return ""
    where = {"segment": root, "field": kind.number_field}
    interval = ctx.numbers.interval(kind.number_object, group.numkr)
    if interval is None or not interval.external:
        if number:
            messages.error("F2", "907", ktokd, number, **where)
        return group.numkr  # a missing interval is reported by the draw (NR 752)
    if not number:
        messages.error("F2", "908", ktokd, **where)
    elif not interval.contains(number):
        messages.error("F2", "909", number, f"{interval.low}-{interval.high}", ktokd, **where)
    return ""


def _values(level: Level, segment: InSegment, function: str, messages: Messages,
            creating: bool = False) -> dict[str, str]:
    """The level's fields from the segment: all of them to replace, filled ones to change."""
    if function == CHANGE and not creating:
        return {name: segment.get(name) for name in level.fields if segment.get(name)}
    for name in level.required:
        if not segment.get(name):
            messages.error("F2", "906", name, segment.segnam, segment=segment, field=name)
    return {name: segment.get(name) for name in level.fields}


def _write(level: Level, segment: InSegment, function: str, keys: dict[str, str],
           messages: Messages) -> Write:
    """The write for a row that exists: replace, change or flag for deletion."""
    if function == DELETE:
        return Write("delete", level, keys, {"LOEVM": "X"}, segment)
    action = "change" if function == CHANGE else "replace"
    return Write(action, level, keys, _values(level, segment, function, messages), segment)


def _child(ctx: CallContext, kind: PartnerKind, level: Level, segment: InSegment,
           root_function: str, number: str, parent: dict[str, Any] | None,
           keys: dict[str, str], label: str, messages: Messages) -> list[Write]:
    """Create, replace, change or flag one row under the general data."""
    function = segment.get("MSGFN") or root_function
    if not _known_function(function, segment, messages):
        return []
    existing = _row(ctx, kind, level, number, keys) if parent is not None else None
    if existing is None and function in (CHANGE, DELETE):
        if level is kind.company:
            messages.error("F5", kind.not_in_company, number or "-", keys["BUKRS"],
                           segment=segment, field="BUKRS")
        else:
            messages.error("F2", "918", kind.name, number or "-", level.label, label,
                           segment=segment, field=level.keys[0])
        return []
    if existing is None:
        return [Write("create", level, keys,
                      _values(level, segment, function, messages, creating=True), segment)]
    return [_write(level, segment, function, keys, messages)]


def _company(ctx: CallContext, kind: PartnerKind, segment: InSegment, root_function: str,
             number: str, parent: dict[str, Any] | None, messages: Messages) -> list[Write]:
    """Company code data: a defined company code and a balance sheet reconciliation account."""
    bukrs = segment.get("BUKRS")
    if not bukrs:
        messages.error("F2", "906", "BUKRS", segment.segnam, segment=segment, field="BUKRS")
        return []
    if len(bukrs) > 4 or fbas.company_code(ctx, bukrs) is None:
        messages.error("F5", "165", bukrs, segment=segment, field="BUKRS")
        return []
    writes = _child(ctx, kind, kind.company, segment, root_function, number, parent,
                    {"BUKRS": bukrs}, bukrs, messages)
    akont = alpha(segment.get("AKONT"), 10)
    if writes and writes[0].action in ("create", "replace") and not akont:
        messages.error("F2", "911", bukrs, kind.name, segment=segment, field="AKONT")
    elif writes and writes[0].action != "delete" and akont:
        account = fbas.gl_account(ctx, akont, bukrs)
        if account is None or not account.balance_sheet:
            messages.error("F2", "912", akont, bukrs, segment=segment, field="AKONT")
        writes[0].values["AKONT"] = akont
    return writes


def _area(ctx: CallContext, kind: PartnerKind, segment: InSegment, root_function: str,
          number: str, parent: dict[str, Any] | None, messages: Messages) -> list[Write]:
    """Sales area (KNVV) or purchasing organization (LFM1) data."""
    keys = {name: segment.get(name) for name in kind.area.keys}
    label = "/".join(keys.values())
    missing = [name for name, value in keys.items() if not value]
    for name in missing:
        messages.error("F2", "906", name, segment.segnam, segment=segment, field=name)
    if missing:
        return []
    if kind.area.keys == ("EKORG",):
        if purchasing_organization(ctx, keys["EKORG"]) is None:
            messages.error("F2", "914", label, segment=segment, field="EKORG")
            return []
    elif sales_area(ctx, keys["VKORG"], keys["VTWEG"], keys["SPART"]) is None:
        messages.error("F2", "913", *keys.values(), segment=segment, field="VKORG")
        return []
    waers = segment.get("WAERS")
    if waers and currency_decimals(ctx, waers) is None:
        messages.error("F2", "915", waers, segment=segment, field="WAERS")
    return _child(ctx, kind, kind.area, segment, root_function, number, parent, keys, label,
                  messages)


def _row(ctx: CallContext, kind: PartnerKind, level: Level, number: str,
         keys: dict[str, str]) -> dict[str, Any] | None:
    table = level.sql
    condition = and_(table.c[kind.number_field] == number,
                     *(table.c[k] == v for k, v in keys.items()))
    with ctx.read() as conn:
        row = conn.execute(select(table).where(condition)).mappings().first()
    return dict(row) if row else None


def _duplicates(writes: list[Write], messages: Messages) -> None:
    """One row may be maintained once per IDoc (two E1KNB1M for company code 1000: error)."""
    seen: set[tuple[str, ...]] = set()
    for write in writes:
        key = (write.level.segment, *write.keys.values())
        if key in seen:
            messages.error("F2", "920", write.level.segment, "/".join(write.keys.values()),
                           segment=write.segment)
        seen.add(key)


def _register(ctx: CallContext, kind: PartnerKind, number: str, write: Write) -> None:
    table = write.level.sql
    if write.action == "create":
        ctx.task(_create(kind, write, {
            kind.number_field: number, **write.keys, **write.values,
            "ERDAT": ctx.clock.today().strftime("%Y%m%d"), "ERNAM": ALE_USER}))
        return
    if not write.values:
        return
    condition = and_(table.c[kind.number_field] == number,
                     *(table.c[k] == v for k, v in write.keys.items()))
    statement = update(table).where(condition).values(**write.values)

    def run(conn: Connection) -> None:
        conn.execute(statement)

    ctx.task(run)


def _create(kind: PartnerKind, write: Write, row: dict[str, str]) -> Task:
    """Update task: insert the row; if another LUW created it since the check, the commit
    terminates (ABAP's update termination) instead of failing on the duplicate key."""
    table = write.level.sql
    number = row[kind.number_field]
    label = write.level.label or "general data"

    def run(conn: Connection) -> None:
        insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
        # RETURNING, not rowcount: SQLAlchemy answers -1 for an INSERT on PostgreSQL
        statement = (insert(table).values(**row).on_conflict_do_nothing()
                     .returning(table.c[kind.number_field]))
        if conn.execute(statement).first() is None:
            where = "/".join(write.keys.values())
            raise update_terminated("F2", "919", kind.name, number, label, where)

    return run
