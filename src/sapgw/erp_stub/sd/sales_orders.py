"""Sales documents (VA01-like): the check of BAPI_SALESORDER_CREATEFROMDAT2 and the document.

Everything is checked first and every problem answered (PARAMETER, ROW, FIELD). Pricing is
reduced to one condition: the caller's PR00 price per item (ORDER_CONDITIONS_IN, rate per
COND_P_UNT), the item's net value being quantity x rate / price unit rounded half up at the
document currency's decimals, per item; the header's net value is the sum of the items'.
Condition records (VK11), the pricing procedure, surcharges and taxes are not emulated.
The order quantity is the sum of the item's schedule lines, or TARGET_QTY without any.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.basis.api import unit
from sapgw.erp_stub.co.api import order
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount
from sapgw.erp_stub.masterdata import api as partners
from sapgw.erp_stub.mm import api as mm
from sapgw.erp_stub.sd.control import default_item_category, item_category, sales_document_type
from sapgw.erp_stub.sd.returns import Messages

HEADER, ITEMS, PARTNERS = "ORDER_HEADER_IN", "ORDER_ITEMS_IN", "ORDER_PARTNERS"
SCHEDULES, CONDITIONS = "ORDER_SCHEDULES_IN", "ORDER_CONDITIONS_IN"
PRICE = "PR00"
SOLD_TO = "AG"
HEADER_UNSUPPORTED = ("SALES_OFF", "SALES_GRP", "ORD_REASON", "BILL_BLOCK", "DLV_BLOCK",
                      "PMNTTRMS", "INCOTERMS1", "REF_DOC")
ITEM_UNSUPPORTED = ("HG_LV_ITEM", "WBS_ELEM", "PROFIT_CTR", "BILL_BLOCK", "REASON_REJ", "BATCH",
                    "STORE_LOC")


@dataclass
class Item:
    row: int
    posnr: str
    matnr: str = ""
    arktx: str = ""
    pstyv: str = ""
    fkrel: str = ""
    pricing: bool = True
    kwmeng: Decimal = Decimal(0)
    vrkme: str = ""
    netpr: Decimal = Decimal(0)
    kpein: Decimal = Decimal(1)
    kmein: str = ""
    netwr: Decimal = Decimal(0)
    wavwr: Decimal = Decimal(0)        # VPRS: cost at standard price, statistical
    werks: str = ""
    aufnr: str = ""
    schedules: list[tuple[str, str, Decimal]] = field(default_factory=list)


@dataclass
class SalesOrder:
    auart: str
    type_text: str = ""
    numki: str = ""
    vkorg: str = ""
    vtweg: str = ""
    spart: str = ""
    bukrs: str = ""
    waerk: str = ""
    kunnr: str = ""
    items: list[Item] = field(default_factory=list)

    @property
    def netwr(self) -> Decimal:
        return sum((item.netwr for item in self.items), Decimal(0))


def check(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]],
          partner_rows: list[dict[str, Any]], schedules: list[dict[str, Any]],
          conditions: list[dict[str, Any]]) -> tuple[SalesOrder, Messages]:
    """The sales order to save and every problem found in the call."""
    messages = Messages(ctx.logical_system, "V1")
    doc = _header(ctx, header, messages)
    _sold_to(ctx, doc, partner_rows, messages)
    if not items:
        messages.error("V1", "914", parameter=ITEMS)
    numbers: dict[str, Item] = {}
    for row, values in enumerate(items, start=1):
        item = _item(ctx, doc, values, row, numbers, messages)
        if item is not None:
            numbers[item.posnr] = item
            doc.items.append(item)
    _schedule_lines(numbers, schedules, messages)
    for item in doc.items:
        if not item.kwmeng > 0:
            messages.error("V1", "911", item.posnr, parameter=ITEMS, row=item.row,
                           field="TARGET_QTY")
    _prices(ctx, doc, numbers, conditions, messages)
    _costs(ctx, doc)
    return doc, messages


def _header(ctx: CallContext, header: dict[str, Any], messages: Messages) -> SalesOrder:
    doc = SalesOrder(header["DOC_TYPE"], vkorg=header["SALES_ORG"],
                     vtweg=header["DISTR_CHAN"], spart=header["DIVISION"])
    for name in ("DOC_TYPE", "SALES_ORG", "DISTR_CHAN", "DIVISION"):
        if not header[name]:
            messages.error("V1", "924", name, HEADER, parameter=HEADER, field=name)
    messages.unsupported(header, HEADER_UNSUPPORTED, HEADER)
    if doc.auart:
        doc_type = sales_document_type(ctx, doc.auart)
        if doc_type is None:
            messages.error("V1", "901", doc.auart, parameter=HEADER, field="DOC_TYPE")
        else:
            doc.type_text, doc.numki = doc_type.text, doc_type.numki
    organization = partners.sales_organization(ctx, doc.vkorg) if doc.vkorg else None
    if doc.vkorg and doc.vtweg and doc.spart and (
            organization is None or partners.sales_area(ctx, doc.vkorg, doc.vtweg,
                                                        doc.spart) is None):
        messages.error("V1", "902", doc.vkorg, doc.vtweg, doc.spart, parameter=HEADER,
                       field="SALES_ORG")
    if organization is not None:
        doc.bukrs, doc.waerk = organization.bukrs, organization.waers
    if header["CURRENCY"]:
        doc.waerk = header["CURRENCY"]
        if currency_decimals(ctx, doc.waerk) is None:
            messages.error("V1", "918", doc.waerk, parameter=HEADER, field="CURRENCY")
    return doc


def _sold_to(ctx: CallContext, doc: SalesOrder, rows: list[dict[str, Any]],
             messages: Messages) -> None:
    for row, partner in enumerate(rows, start=1):
        if partner["PARTN_ROLE"] != SOLD_TO or partner["ITM_NUMBER"].strip("0"):
            messages.error("V1", "906", partner["PARTN_ROLE"], parameter=PARTNERS, row=row,
                           field="PARTN_ROLE")
        elif not doc.kunnr:
            doc.kunnr = alpha(partner["PARTN_NUMB"], 10)
    if not doc.kunnr:
        messages.error("V1", "905", parameter=PARTNERS, field="PARTN_ROLE")
        return
    if not (doc.vkorg and doc.vtweg and doc.spart):
        return
    sales = partners.customer_sales_data(ctx, doc.kunnr, doc.vkorg, doc.vtweg, doc.spart)
    if sales is None or sales.deleted:
        messages.error("V1", "903", doc.kunnr, doc.vkorg, doc.vtweg, doc.spart,
                       parameter=PARTNERS, field="PARTN_NUMB")
    if doc.bukrs and partners.partner_account(ctx, "D", doc.kunnr, doc.bukrs) is None:
        messages.error("V1", "904", doc.kunnr, doc.bukrs, parameter=PARTNERS,
                       field="PARTN_NUMB")


def _item(ctx: CallContext, doc: SalesOrder, values: dict[str, Any], row: int,
          numbers: dict[str, Item], messages: Messages) -> Item | None:
    last = max((int(number) for number in numbers), default=0)
    posnr = values["ITM_NUMBER"] if values["ITM_NUMBER"].strip("0") else f"{last + 10:06d}"
    if posnr in numbers:
        messages.error("V1", "912", posnr, parameter=ITEMS, row=row, field="ITM_NUMBER")
        return None
    messages.unsupported(values, ITEM_UNSUPPORTED, ITEMS, row)
    item = Item(row, posnr, werks=values["PLANT"], kwmeng=Decimal(values["TARGET_QTY"] or 0))
    master = _material(ctx, item, values, messages)
    item.arktx = values["SHORT_TEXT"] or item.matnr
    item.vrkme = values["TARGET_QU"] or (master or {}).get("MEINS", "")
    if item.vrkme and unit(ctx, item.vrkme) is None:
        messages.error("V1", "923", item.vrkme, parameter=ITEMS, row=row, field="TARGET_QU")
    item.pstyv = values["ITEM_CATEG"] or (default_item_category(ctx, doc.auart) or "")
    category = item_category(ctx, item.pstyv) if item.pstyv else None
    if not item.pstyv and doc.numki:
        messages.error("V1", "908", doc.auart, "NORM", parameter=ITEMS, row=row,
                       field="ITEM_CATEG")
    elif item.pstyv and category is None:
        messages.error("V1", "907", item.pstyv, parameter=ITEMS, row=row, field="ITEM_CATEG")
    elif category is not None:
        item.fkrel, item.pricing = category.fkrel, category.pricing
    if values["ORDERID"]:
        item.aufnr = alpha(values["ORDERID"], 12)
        master_order = order(ctx, item.aufnr)
        if master_order is None:
            messages.error("V1", "920", item.aufnr, posnr, parameter=ITEMS, row=row,
                           field="ORDERID")
        elif doc.bukrs and master_order["BUKRS"] != doc.bukrs:
            messages.error("V1", "921", item.aufnr, posnr, master_order["BUKRS"], doc.bukrs,
                           parameter=ITEMS, row=row, field="ORDERID")
    return item


def _material(ctx: CallContext, item: Item, values: dict[str, Any], messages: Messages
              ) -> dict[str, Any] | None:
    if not values["MATERIAL"]:
        messages.error("V1", "924", "MATERIAL", ITEMS, parameter=ITEMS, row=item.row,
                       field="MATERIAL")
        return None
    item.matnr = mm.matnr(values["MATERIAL"])
    master = mm.material(ctx, item.matnr)
    if master is None:
        messages.error("V1", "909", item.matnr, parameter=ITEMS, row=item.row,
                       field="MATERIAL")
    elif item.werks and not mm.in_plant(ctx, item.matnr, item.werks):
        messages.error("V1", "910", item.matnr, item.werks, parameter=ITEMS, row=item.row,
                       field="PLANT")
    return master


def _schedule_lines(numbers: dict[str, Item], schedules: list[dict[str, Any]],
                    messages: Messages) -> None:
    """Schedule lines per item, numbered in order where SCHED_LINE is 0000; they replace
    TARGET_QTY as the order quantity."""
    quantities: dict[str, Decimal] = {}
    for row, line in enumerate(schedules, start=1):
        item = numbers.get(line["ITM_NUMBER"])
        if item is None:
            messages.error("V1", "922", SCHEDULES, row, line["ITM_NUMBER"],
                           parameter=SCHEDULES, row=row, field="ITM_NUMBER")
            continue
        etenr = (line["SCHED_LINE"] if line["SCHED_LINE"].strip("0")
                 else f"{len(item.schedules) + 1:04d}")
        quantity = Decimal(line["REQ_QTY"] or 0)
        item.schedules.append((etenr, line["REQ_DATE"], quantity))
        quantities[item.posnr] = quantities.get(item.posnr, Decimal(0)) + quantity
    for posnr, quantity in quantities.items():
        numbers[posnr].kwmeng = quantity


def _costs(ctx: CallContext, doc: SalesOrder) -> None:
    """VPRS per item (statistical, no effect on the net value): the material's standard
    price (MBEW) x order quantity / price unit, half up at the document currency's
    decimals. Ours: 0 when the plant's company code currency is not the document currency
    (no translation) and for a material that is not valuated in the plant."""
    decimals = currency_decimals(ctx, doc.waerk) if doc.waerk else None
    for item in doc.items:
        plant = mm.plant(ctx, item.werks) if item.werks and item.matnr else None
        company = fbas.company_code(ctx, plant.bukrs) if plant is not None else None
        if decimals is None or company is None or company.WAERS != doc.waerk:
            continue
        price, per = mm.standard_price(ctx, item.matnr, item.werks)
        item.wavwr = round_amount(item.kwmeng * price / per, decimals)


def _prices(ctx: CallContext, doc: SalesOrder, numbers: dict[str, Item],
            conditions: list[dict[str, Any]], messages: Messages) -> None:
    """PR00 per item: net value = quantity x rate / price unit, half up per item."""
    priced: set[str] = set()
    decimals = currency_decimals(ctx, doc.waerk) if doc.waerk else None
    for row, condition in enumerate(conditions, start=1):
        where: dict[str, Any] = {"parameter": CONDITIONS, "row": row}
        item = numbers.get(condition["ITM_NUMBER"])
        if item is None:
            messages.error("V1", "922", CONDITIONS, row, condition["ITM_NUMBER"], **where,
                           field="ITM_NUMBER")
            continue
        if condition["COND_TYPE"] != PRICE:
            messages.error("V1", "916", condition["COND_TYPE"], PRICE, **where,
                           field="COND_TYPE")
            continue
        if item.posnr in priced:
            messages.error("V1", "912", item.posnr, **where, field="ITM_NUMBER")
            continue
        priced.add(item.posnr)
        if condition["CURRENCY"] and condition["CURRENCY"] != doc.waerk:
            messages.error("V1", "917", condition["CURRENCY"], doc.waerk, **where,
                           field="CURRENCY")
        if condition["COND_UNIT"] and condition["COND_UNIT"] != item.vrkme:
            messages.error("V1", "913", "COND_UNIT", CONDITIONS, **where, field="COND_UNIT")
        item.kpein = Decimal(condition["COND_P_UNT"] or 1)
        if item.kpein <= 0:
            messages.error("V1", "919", item.posnr, **where, field="COND_P_UNT")
            continue
        item.kmein, rate = item.vrkme, Decimal(condition["COND_VALUE"])
        if decimals is not None:
            item.netpr = round_amount(rate, decimals)
            item.netwr = round_amount(item.kwmeng * rate / item.kpein, decimals)
    for item in doc.items:
        if item.pricing and item.posnr not in priced:
            messages.error("V1", "915", PRICE, item.posnr, parameter=ITEMS, row=item.row,
                           field="ITM_NUMBER")
