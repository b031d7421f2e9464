"""Outbound deliveries for sales orders (VL01N-like): LIKP/LIPS and the flow order -> J.

One call delivers items of one sales document into one delivery (delivery type LF, number
from RV_BELEG interval 17). Every item is delivered complete: a DLV_QTY other than the open
order quantity is refused (partial deliveries are not emulated), and an item that already has
a delivery (VBFA J) is refused too. Any sales item with a material and a plant may be
delivered, whatever its item category (ours: SAP asks the item category's delivery
relevance; here the service order's sales items must reach the warehouse). The storage
location is picked as MALA would with one rule (ours): the plant's first storage location
holding the quantity, else its first one (the goods issue then answers the deficit).
Everything is checked first and every problem answered; the delivery is written at COMMIT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.mm import api as mm
from sapgw.erp_stub.sd.documents import (
    document_flow,
    register_flows,
    sales_document,
    sales_items,
)
from sapgw.erp_stub.sd.returns import Messages
from sapgw.erp_stub.sd.tables import LIKP, LIPS

ITEMS = "SALES_ORDER_ITEMS"
ORDER, DELIVERY, GOODS_ISSUE = "C", "J", "R"
DELIVERY_TYPE, DELIVERY_INTERVAL = "LF", "17"
NOT_POSTED, POSTED = "A", "C"
_CREATED = "sd.deliveries"      # LUW memory: deliveries saved and not yet committed


@dataclass
class Delivery:
    order: dict[str, Any] = field(default_factory=dict)
    items: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # VBAP, LGORT


def check(ctx: CallContext, rows: list[dict[str, Any]]) -> tuple[Delivery, Messages]:
    """The delivery to save and every problem of the call."""
    messages = Messages(ctx.logical_system, "VL")
    delivery = Delivery()
    if not rows:
        messages.error("VL", "901", parameter=ITEMS)
        return delivery, messages
    seen: set[tuple[str, str]] = set()
    for row, values in enumerate(rows, start=1):
        vbeln, posnr = _vbeln(values["REF_DOC"]), values["REF_ITEM"]
        where: dict[str, Any] = {"parameter": ITEMS, "row": row}
        if not delivery.order:
            found = sales_document(ctx, vbeln) if vbeln else None
            if found is None:
                messages.error("VL", "902", vbeln or "-", **where, field="REF_DOC")
                return delivery, messages
            delivery.order = found
        elif vbeln != delivery.order["VBELN"]:
            messages.error("VL", "907", vbeln, delivery.order["VBELN"], **where,
                           field="REF_DOC")
            continue
        if (vbeln, posnr) in seen:
            messages.error("VL", "908", posnr, **where, field="REF_ITEM")
            continue
        seen.add((vbeln, posnr))
        item = _item(ctx, vbeln, posnr, values, where, messages)
        if item is not None:
            delivery.items.append((item, _picking_location(ctx, item)))
    return delivery, messages


def _item(ctx: CallContext, vbeln: str, posnr: str, values: dict[str, Any],
          where: dict[str, Any], messages: Messages) -> dict[str, Any] | None:
    item = next((i for i in sales_items(ctx, vbeln) if i["POSNR"] == posnr), None)
    if item is None:
        messages.error("VL", "903", vbeln, posnr, **where, field="REF_ITEM")
        return None
    if not item["MATNR"] or not item["WERKS"]:
        messages.error("VL", "904", vbeln, posnr, **where, field="REF_ITEM")
        return None
    done = [flow["VBELN"] for flow in document_flow(ctx, vbeln)
            if flow["POSNV"] == posnr and flow["VBTYP_N"] == DELIVERY]
    if done:
        messages.error("VL", "905", vbeln, posnr, done[0], **where, field="REF_ITEM")
        return None
    quantity = Decimal(values["DLV_QTY"] or 0)
    if quantity and quantity != item["KWMENG"]:
        messages.error("VL", "906", _text(quantity), _text(item["KWMENG"]), posnr, **where,
                       field="DLV_QTY")
        return None
    if values["SALES_UNIT"] and values["SALES_UNIT"] != item["VRKME"]:
        messages.error("VL", "909", values["SALES_UNIT"], item["VRKME"], posnr, **where,
                       field="SALES_UNIT")
        return None
    return item


def _picking_location(ctx: CallContext, item: dict[str, Any]) -> str:
    locations = mm.storage_locations(ctx, item["WERKS"])
    covering = [lgort for lgort in locations
                if mm.stock(ctx, item["MATNR"], item["WERKS"], lgort) >= item["KWMENG"]]
    return (covering or locations or [""])[0]


def save(ctx: CallContext, delivery: Delivery, usnam: str, ship_point: str, due_date: str
         ) -> tuple[str, list[dict[str, Any]]]:
    """Draw the number and register LIKP, LIPS and the flow; (VBELN, CREATED_ITEMS rows)."""
    vbeln = ctx.numbers.next("RV_BELEG", "", DELIVERY_INTERVAL)
    now = ctx.clock.now()
    erdat, erzet = now.strftime("%Y%m%d"), now.strftime("%H%M%S")
    order = delivery.order
    likp = {
        "VBELN": vbeln, "LFART": DELIVERY_TYPE, "VBTYP": DELIVERY, "VSTEL": ship_point,
        "VKORG": order["VKORG"], "KUNNR": order["KUNNR"], "KUNAG": order["KUNNR"],
        "WADAT": due_date or erdat, "WADAT_IST": "", "WBSTK": NOT_POSTED, "ERNAM": usnam,
        "ERDAT": erdat, "ERZET": erzet}
    ctx.insert(LIKP, likp)
    lips, flows, created = [], [], []
    for number, (item, lgort) in enumerate(delivery.items, start=1):
        posnr = f"{number * 10:06d}"
        lips.append({
            "VBELN": vbeln, "POSNR": posnr, "MATNR": item["MATNR"], "ARKTX": item["ARKTX"],
            "PSTYV": item["PSTYV"], "WERKS": item["WERKS"], "LGORT": lgort,
            "LFIMG": item["KWMENG"], "VRKME": item["VRKME"], "VGBEL": order["VBELN"],
            "VGPOS": item["POSNR"], "VGTYP": ORDER, "AUFNR": item["AUFNR"], "ERDAT": erdat})
        flows.append({
            "VBELV": order["VBELN"], "POSNV": item["POSNR"], "VBELN": vbeln, "POSNN": posnr,
            "VBTYP_N": DELIVERY, "VBTYP_V": ORDER, "RFMNG": item["KWMENG"],
            "MEINS": item["VRKME"], "RFWRT": item["NETWR"], "WAERS": item["WAERK"],
            "MATNR": item["MATNR"], "ERDAT": erdat, "ERZET": erzet})
        created.append({"REF_DOC": order["VBELN"], "REF_ITEM": item["POSNR"],
                        "DELIV_NUMB": vbeln, "DELIV_ITEM": posnr, "MATERIAL": item["MATNR"],
                        "DLV_QTY": item["KWMENG"], "SALES_UNIT": item["VRKME"]})
    ctx.insert(LIPS, lips)
    register_flows(ctx, flows)
    ctx.luw.memory.setdefault(_CREATED, {})[vbeln] = (dict(likp), lips)
    return vbeln, created


def lips_rows(delivery: Delivery) -> list[dict[str, Any]]:
    """The LIPS rows `save` would write (without a number): what the goods issue of the
    delivery would move, for a simulation before the delivery exists."""
    return [{"VBELN": "", "POSNR": f"{number * 10:06d}", "MATNR": item["MATNR"],
             "ARKTX": item["ARKTX"], "WERKS": item["WERKS"], "LGORT": lgort,
             "LFIMG": item["KWMENG"], "VRKME": item["VRKME"], "VGBEL": item["VBELN"],
             "VGPOS": item["POSNR"], "AUFNR": item["AUFNR"]}
            for number, (item, lgort) in enumerate(delivery.items, start=1)]


def issued(ctx: CallContext, vbeln: str, budat: str) -> None:
    """A delivery of the caller's LUW whose goods issue was just posted: so it reads, so a
    second goods issue in the same LUW is refused (VL 911)."""
    created = ctx.luw.memory.get(_CREATED, {}).get(_vbeln(vbeln))
    if created is not None:
        created[0].update(WBSTK=POSTED, WADAT_IST=budat)


def delivery_header(ctx: CallContext, vbeln: str) -> dict[str, Any] | None:
    """LIKP of a delivery, or None: one saved earlier in the caller's LUW (SAP's delivery
    buffer: a delivery and its goods issue may be posted in one LUW), else a committed one."""
    created = ctx.luw.memory.get(_CREATED, {}).get(_vbeln(vbeln))
    if created is not None:
        return dict(created[0])
    table = LIKP.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        row = conn.execute(select(table).where(table.c.VBELN == _vbeln(vbeln))
                           ).mappings().first()
    return dict(row) if row else None


def delivery_items(ctx: CallContext, vbeln: str) -> list[dict[str, Any]]:
    """LIPS rows of a delivery (saved earlier in the caller's LUW, or committed), in item
    order."""
    created = ctx.luw.memory.get(_CREATED, {}).get(_vbeln(vbeln))
    if created is not None:
        return [dict(row) for row in created[1]]
    table = LIPS.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(
            select(table).where(table.c.VBELN == _vbeln(vbeln)).order_by(table.c.POSNR)
        ).mappings()]


def _text(quantity: Decimal) -> str:
    return f"{Decimal(quantity).normalize():f}"


def _vbeln(value: str) -> str:
    return value.zfill(10) if value.isdigit() else value
