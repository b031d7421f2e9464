"""Provider contracts (FP_VT1 / FP_VT2): the check of a contract as a caller sends it, and its
save into DFKK_VT_H / DFKK_VT_I / DFKK_VT_ST with the item versions in DFKK_VT_IV.

A save is a create when the contract does not exist, else a change: the items sent replace
those with the same VTPOS, items not sent stay as they are (CRM sends the items a change
affects). An item whose fields or service types differ from its current row gets a new
version in DFKK_VT_IV naming the fields that changed (CHIND U); a new item gets version 1
(CHIND I); an unchanged item gets none. Earlier versions are never touched. `saved_items`
answers what changed, for what follows a save (revenue accounting order items).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.fica import master_data
from sapgw.erp_stub.fica.customizing import (
    CONVERGENT,
    RECURRING,
    change_reason,
    ra_settings,
    service_type,
)
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.fica.tables import DFKK_VT_H, DFKK_VT_I, DFKK_VT_IV, DFKK_VT_ST, ItemFields
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount

HEADER, ITEMS, SERVICE_TYPES = "VT_HEADER", "VT_ITEMS", "VT_SERVICE_TYPES"
END_OF_TIME = Decimal("99991231235959")
CREATED, CHANGED = "I", "U"
ITEM_FIELDS = tuple(name for name in ItemFields.model_fields
                    if name not in ("VTKEY", "VTPOS", "VERSN"))
AMOUNTS = ("TRPRC", "TRPRC_TOTAL", "SSPRC", "SSPRC_TOTAL")
ST_FIELD = "DFKK_VT_ST"   # how a change of the additional service types is named


@dataclass
class Item:
    row: int
    values: dict[str, Any]
    service_types: list[str] = field(default_factory=list)


@dataclass
class Contract:
    vtkey: str
    header: dict[str, Any]
    items: list[Item] = field(default_factory=list)
    existing: dict[str, Any] | None = None


@dataclass(frozen=True)
class SavedItem:
    """One item version a save writes: the item as saved, what changed, when."""

    vtpos: str
    version: str
    chind: str
    changed_fields: tuple[str, ...]
    values: dict[str, Any] = field(default_factory=dict)
    service_types: tuple[str, ...] = ()
    old_service_types: tuple[str, ...] = ()
    stamp: Decimal = Decimal(0)


def timestamp_ok(value: Decimal) -> bool:
    if not value:
        return True
    try:
        datetime.strptime(f"{int(value):014d}", "%Y%m%d%H%M%S")
    except ValueError:
        return False
    return True


def check(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]],
          service_types: list[dict[str, Any]], problems: Problems) -> Contract:
    """The contract to save, with every problem of the call in `problems`."""
    vtkey = header["VTKEY"]
    existing = current_header(ctx, vtkey) if vtkey else None
    gpart = alpha(header["GPART"], 10) if header["GPART"] else ""
    if existing is not None and gpart and gpart != existing["GPART"]:
        problems.error("FKK_CI", "021", vtkey, existing["GPART"], gpart, parameter=HEADER,
                       field="GPART")
    gpart = gpart or (existing or {}).get("GPART", "")
    if not gpart:
        problems.required("GPART", HEADER)
    elif master_data.partner(ctx, gpart) is None:
        problems.error("R11", "901", gpart, parameter=HEADER, field="GPART")
    bukrs = header["BUKRS"] or (existing or {}).get("BUKRS", "")
    if not bukrs:
        problems.required("BUKRS", HEADER)
    elif fbas.company_code(ctx, bukrs) is None:
        problems.error("FKK_CI", "004", bukrs, parameter=HEADER, field="BUKRS")
    for name in ("VTBEG", "VTEND"):
        if not timestamp_ok(header[name]):
            problems.error("FKK_CI", "025", header[name], name, parameter=HEADER, field=name)
    contract = Contract(vtkey, {**header, "GPART": gpart, "BUKRS": bukrs}, existing=existing)
    if not items and existing is None:
        problems.error("FKK_CI", "024", "", vtkey, parameter=ITEMS)
    seen: dict[str, Item] = {}
    for row, values in enumerate(items, start=1):
        item = _item(ctx, contract, values, row, problems)
        if item.values["VTPOS"] in seen:
            problems.error("FKK_CI", "014", item.values["VTPOS"], parameter=ITEMS, row=row,
                           field="VTPOS")
            continue
        seen[item.values["VTPOS"]] = item
        contract.items.append(item)
    for row, entry in enumerate(service_types, start=1):
        item = seen.get(f"{int(entry['VTPOS'] or 0):06d}")
        if item is None:
            problems.error("FKK_CI", "022", SERVICE_TYPES, row, entry["VTPOS"], ITEMS,
                           parameter=SERVICE_TYPES, row=row, field="VTPOS")
        elif service_type(ctx, entry["SERVICE_TYPE"]) is None:
            problems.error("FKK_CI", "015", entry["SERVICE_TYPE"], parameter=SERVICE_TYPES,
                           row=row, field="SERVICE_TYPE")
        elif entry["SERVICE_TYPE"] not in item.service_types:
            item.service_types.append(entry["SERVICE_TYPE"])
    return contract


def _item(ctx: CallContext, contract: Contract, values: dict[str, Any], row: int,
          problems: Problems) -> Item:
    where: dict[str, Any] = {"parameter": ITEMS, "row": row}
    vtpos = f"{int(values['VTPOS'] or 0):06d}"
    item = {name: values[name] for name in ITEM_FIELDS if name in values}
    item.update(VTPOS=vtpos, BUKRS=values["BUKRS"] or contract.header["BUKRS"],
                VALTO=values["VALTO"] or END_OF_TIME,
                VKONT=alpha(values["VKONT"], 12) if values["VKONT"] else "")
    if not vtpos.strip("0"):
        problems.required("VTPOS", ITEMS, row)
    for name in ("VALFR", "VALTO", "VALFROM_CTRTERM", "VALTO_CTRTERM"):
        if not timestamp_ok(item[name]):
            problems.error("FKK_CI", "025", item[name], name, **where, field=name)
    if item["VALFR"] > item["VALTO"]:
        problems.error("FKK_CI", "013", vtpos, item["VALFR"], item["VALTO"], **where,
                       field="VALFR")
    if not item["VKONT"]:
        problems.required("VKONT", ITEMS, row)
    elif master_data.contract_account(ctx, item["VKONT"]) is None:
        problems.error("FKK_CI", "002", item["VKONT"], **where, field="VKONT")
    elif contract.header["GPART"] and master_data.account_partner(
            ctx, item["VKONT"], contract.header["GPART"]) is None:
        problems.error("FKK_CI", "003", item["VKONT"], contract.header["GPART"], **where,
                       field="VKONT")
    if item["BUKRS"] != contract.header["BUKRS"] and fbas.company_code(
            ctx, item["BUKRS"]) is None:
        problems.error("FKK_CI", "004", item["BUKRS"], **where, field="BUKRS")
    _prices(ctx, item, vtpos, where, problems)
    _revenue_accounting(ctx, item, vtpos, where, problems)
    return Item(row, item)


def _prices(ctx: CallContext, item: dict[str, Any], vtpos: str, where: dict[str, Any],
            problems: Problems) -> None:
    """Amounts rounded half up at their currency's decimals; none negative."""
    item["SSPRC_CURR"] = item["SSPRC_CURR"] or item["TRPRC_CURR"]
    for amounts, currency in ((("TRPRC", "TRPRC_TOTAL"), "TRPRC_CURR"),
                              (("SSPRC", "SSPRC_TOTAL"), "SSPRC_CURR")):
        if not any(item[name] for name in amounts):
            continue
        if not item[currency]:
            problems.required(currency, ITEMS, where["row"])
            continue
        decimals = currency_decimals(ctx, item[currency])
        if decimals is None:
            problems.error("FKK_CI", "006", item[currency], **where, field=currency)
            continue
        for name in amounts:
            item[name] = round_amount(item[name], decimals)
            if item[name] < 0:
                problems.error("FKK_CI", "018", vtpos, name, **where, field=name)


def _revenue_accounting(ctx: CallContext, item: dict[str, Any], vtpos: str,
                        where: dict[str, Any], problems: Problems) -> None:
    if item["CHRSN"] and change_reason(ctx, item["CHRSN"]) is None:
        problems.error("FKK_CI", "016", item["CHRSN"], **where, field="CHRSN")
    servtype = item["RECURR_SERVICE_TYPE"]
    if servtype:
        found = service_type(ctx, servtype)
        if found is None:
            problems.error("FKK_CI", "015", servtype, **where, field="RECURR_SERVICE_TYPE")
        elif found.category != RECURRING:
            problems.error("FKK_CI", "019", servtype, vtpos, found.category, **where,
                           field="RECURR_SERVICE_TYPE")
    if item["RAREL"] != "X":
        return
    if not ra_settings(ctx).active:
        problems.error("FKK_CI", "020", vtpos, CONVERGENT, **where, field="RAREL")
    if not servtype:
        problems.error("FKK_CI", "017", vtpos, **where, field="RECURR_SERVICE_TYPE")
    if not item["TRPRC_CURR"]:
        problems.required("TRPRC_CURR", ITEMS, where["row"])


def changes(ctx: CallContext, contract: Contract) -> list[SavedItem]:
    """The item versions a save of the checked contract writes (nothing written yet)."""
    stamp = Decimal(ctx.clock.now().strftime("%Y%m%d%H%M%S"))
    found = [_change(ctx, contract.vtkey, item, stamp) for item in contract.items]
    return [change for change in found if change is not None]


def _change(ctx: CallContext, vtkey: str, item: Item, stamp: Decimal) -> SavedItem | None:
    values = {**item.values, "VTKEY": vtkey}
    vtpos = values["VTPOS"]
    current = current_item(ctx, vtkey, vtpos) if vtkey else None
    types = tuple(sorted(item.service_types))
    if current is None:
        return SavedItem(vtpos, "0001", CREATED, (), values, types, (), stamp)
    if not values.get("RA_REFID"):  # a renewal's reference stays until one is sent
        values["RA_REFID"] = current["RA_REFID"]
    old_types = tuple(item_service_types(ctx, vtkey, vtpos))
    changed = tuple(name for name in ITEM_FIELDS
                    if _differs(current.get(name), values.get(name)))
    if types != old_types:
        changed += (ST_FIELD,)
    if not changed:
        return None
    return SavedItem(vtpos, f"{int(current['VERSN']) + 1:04d}", CHANGED, changed, values,
                     types, old_types, later_than(stamp, _last_stamp(ctx, vtkey, vtpos)))


def _last_stamp(ctx: CallContext, vtkey: str, vtpos: str) -> Decimal:
    versions = item_versions(ctx, vtkey, vtpos)
    return max((row["CHANGED_TS"] for row in versions), default=Decimal(0))


def later_than(stamp: Decimal, last: Decimal) -> Decimal:
    """The version's timestamp (UTC, DEC15 = seconds): `stamp`, or one second after the
    item's previous version when that was saved in the same second (or, with a clock set
    back, later). A version's timestamp is the revenue accounting source item's
    TIMESTAMP_UTC, so two versions must never share it (ours: SAP's rule is not public)."""
    if stamp > last:
        return stamp
    moment = datetime.strptime(f"{int(last):014d}", "%Y%m%d%H%M%S") + timedelta(seconds=1)
    return Decimal(moment.strftime("%Y%m%d%H%M%S"))


def save(ctx: CallContext, contract: Contract, saved: list[SavedItem], user: str) -> bool:
    """Register the contract and the item versions `saved` (from `changes`) in the caller's
    LUW; whether anything changed (a new contract, a changed header or item)."""
    now = ctx.clock.now()
    date, time = now.strftime("%Y%m%d"), now.strftime("%H%M%S")
    for item in saved:
        _save_item(ctx, contract.vtkey, item, user)
    header = {name: contract.header[name] for name in
              ("GPART", "VTBEZ", "VTALT", "VTBEG", "VTEND", "BUKRS", "VTCAT")}
    header["VTEND"] = header["VTEND"] or END_OF_TIME
    existing = contract.existing
    if existing is None:
        ctx.insert(DFKK_VT_H, {**header, "VTKEY": contract.vtkey, "VTVRS": "000001",
                               "SENDER": ctx.logical_system, "ERNAM": user, "ERDAT": date,
                               "ERTIM": time})
        return True
    if saved or any(_differs(existing[name], value) for name, value in header.items()):
        ctx.update(DFKK_VT_H, {"VTKEY": contract.vtkey},
                   {**header, "VTVRS": f"{int(existing['VTVRS']) + 1:06d}", "AENAM": user,
                    "AEDAT": date, "AETIM": time})
        return True
    return False


def _save_item(ctx: CallContext, vtkey: str, item: SavedItem, user: str) -> None:
    values = {**item.values, "VTKEY": vtkey, "VERSN": item.version}
    key = {"VTKEY": vtkey, "VTPOS": item.vtpos}
    if item.chind == CREATED:
        ctx.insert(DFKK_VT_I, values)
    else:
        ctx.update(DFKK_VT_I, key, values)
        for old in item.old_service_types:
            ctx.delete(DFKK_VT_ST, {**key, "SERVICE_TYPE": old})
    if item.service_types:
        ctx.insert(DFKK_VT_ST, [{**key, "SERVICE_TYPE": code} for code in item.service_types])
    ctx.insert(DFKK_VT_IV, {**values, "CHIND": item.chind,
                            "CHANGED_FIELDS": ",".join(item.changed_fields)[:255],
                            "CHANGED_TS": item.stamp, "CHANGED_BY": user})


def _differs(old: Any, new: Any) -> bool:
    if new is None:
        return False
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return Decimal(old or 0) != Decimal(new or 0)
    return (old or "") != (new or "")


def current_header(ctx: CallContext, vtkey: str) -> dict[str, Any] | None:
    found = _rows(ctx, DFKK_VT_H, VTKEY=vtkey)
    return found[0] if found else None


def current_item(ctx: CallContext, vtkey: str, vtpos: str) -> dict[str, Any] | None:
    found = _rows(ctx, DFKK_VT_I, VTKEY=vtkey, VTPOS=vtpos)
    return found[0] if found else None


def contract_items(ctx: CallContext, vtkey: str) -> list[dict[str, Any]]:
    """DFKK_VT_I of a committed contract, by item."""
    return _rows(ctx, DFKK_VT_I, VTKEY=vtkey)


def item_versions(ctx: CallContext, vtkey: str, vtpos: str) -> list[dict[str, Any]]:
    """Every version of an item in DFKK_VT_IV, oldest first."""
    return _rows(ctx, DFKK_VT_IV, VTKEY=vtkey, VTPOS=vtpos)


def item_service_types(ctx: CallContext, vtkey: str, vtpos: str) -> list[str]:
    return sorted(row["SERVICE_TYPE"] for row in
                  _rows(ctx, DFKK_VT_ST, VTKEY=vtkey, VTPOS=vtpos))


def _rows(ctx: CallContext, model: Any, **key: str) -> list[dict[str, Any]]:
    table = model.__table__
    query = select(table).where(*(table.c[name] == value for name, value in key.items()))
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(
            query.order_by(*table.primary_key.columns)).mappings()]
