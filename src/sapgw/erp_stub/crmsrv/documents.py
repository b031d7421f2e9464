"""A released service order or contract gets its controlling object (IAOM_CRMSRV_DOCUMENT_IN).

By the transaction type's controlling type (IAOM_CRMSRV_CTP):
- single-object controlling: an internal order per document (level 0001) or per item (0002),
  order type from the controlling scenario (blank: SAPS) changed by the BAdI
  IAOM_BUSINESS_SCENAR's CHANGE_ORDER_TYPE, its number from the order type's interval, the
  scenario's RA key and a settlement rule from its settlement profile and strategy sequence;
  each registered with IAOM under business scenario CRMSRV and key OBJECT_ID (or
  OBJECT_ID/item); its plan from the unit cost estimate (`costing`). A document that refers
  to a predecessor (an order of a contract) when CO_REFERENCE is set gets no order of its
  own: it posts to the predecessor's.
- mass-object controlling: no controlling object; billing's revenue goes to CO-PA, and so
  do the confirmations' costs (`mass_object`).
Either way the items with a net value become a sales document (BAPI_SALESORDER_CREATEFROMDAT2,
order-related billing) that BAPI_BILLINGDOC_CREATEMULTIPLE bills: its items carry the
internal order, so billing credits the revenue to it (KOFK).
Everything is checked before anything is created (a settlement rule the settlement
application refuses ends the LUW instead); a document transferred before answers what it got
then and creates nothing again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.crmsrv import customizing as cust
from sapgw.erp_stub.crmsrv import log
from sapgw.erp_stub.crmsrv.costing import PlannedValue, estimate
from sapgw.erp_stub.crmsrv.returns import Messages
from sapgw.erp_stub.iaom import api as iaom
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import update_terminated_by
from sapgw.erp_stub.masterdata import api as partners
from sapgw.erp_stub.settlement import api as settlement
from sapgw.rfc.structures import errors

SCENARIO = "CRMSRV"          # IAOM business scenario (ours: SAP's ID for CRM Service UNSURE)
HEADER, ITEMS = "IS_HEADER", "IT_ITEMS"
RATE_PLACES = Decimal("0.000000001")


@dataclass
class Target:
    """One controlling object to create: its IAOM key and the items it controls."""

    key: str
    text: str
    items: list[dict[str, Any]]
    number_int: str = "0000000000"
    objnr: str = ""


@dataclass
class Transfer:
    """What a document got: controlling objects per item, the sales document, messages."""

    messages: Messages
    objects: dict[str, str] = field(default_factory=dict)   # NUMBER_INT ("" header) -> OBJNR
    vbeln: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)
    bukrs: str = ""
    kokrs: str = ""


def business_key(object_id: str, number_int: str = "") -> str:
    """IAOM key: the transaction number, or transaction number/item for item level."""
    key = object_id.lstrip("0") or "0"
    return f"{key}/{int(number_int)}" if number_int else key


def transfer(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]],
             register: bool = True) -> Transfer:
    """Create the controlling objects, plan and sales document of a released document.
    `register` False: a confirmation without predecessor that is its own controlling object
    (`confirmations`) registers itself once its postings are made too."""
    result = Transfer(Messages(ctx))
    messages = result.messages
    object_id = header["OBJECT_ID"]
    known = log.document(ctx, object_id) if register else None
    if known is not None:
        messages.add("S", "IAOM_CRMSRV", "114", header["PROCESS_TYPE"], object_id.lstrip("0"),
                     known.OBJECT_NO or "CO-PA")
        result.objects[""] = known.OBJECT_NO
        result.vbeln = known.VBELN
        return result
    budat = header["POSTING_DATE"] or ctx.clock.today().strftime("%Y%m%d")
    ctp = cust.controlling_type(ctx, header["PROCESS_TYPE"], header["SERVICE_ORG"], budat)
    if ctp is None:
        messages.error("IAOM_CRMSRV", "101", header["PROCESS_TYPE"], header["SERVICE_ORG"],
                       parameter=HEADER, field="PROCESS_TYPE")
        return result
    vkorg = partners.sales_organization(ctx, header["SALES_ORG"])
    if vkorg is None:
        messages.error("IAOM_CRMSRV", "104", header["SALES_ORG"], parameter=HEADER,
                       field="SALES_ORG")
        return result
    if not items:
        messages.error("IAOM_CRMSRV", "121", object_id.lstrip("0"), parameter=ITEMS)
        return result
    bukrs = vkorg.bukrs
    kokrs = co.controlling_area_of(ctx, bukrs)
    csc = cust.controlling_scenario(ctx, header["PROCESS_TYPE"], header["SERVICE_ORG"], budat)
    if csc is None:
        messages.error("IAOM_CRMSRV", "102", header["PROCESS_TYPE"], header["SERVICE_ORG"],
                       parameter=HEADER, field="PROCESS_TYPE")
        return result
    if ctp.CO_TYPE == cust.MASS_OBJECT:
        messages.add("I", "IAOM_CRMSRV", "122", object_id.lstrip("0"))
    elif ctp.CO_TYPE != cust.SINGLE_OBJECT:
        messages.error("IAOM_CRMSRV", "103", ctp.CO_TYPE, header["PROCESS_TYPE"],
                       parameter=HEADER, field="PROCESS_TYPE")
        return result
    orders = None
    if ctp.CO_TYPE == cust.SINGLE_OBJECT:
        orders = _single_object(ctx, result, header, items, ctp, csc, kokrs, budat)
    if messages.failed:
        return result
    _sales_document(ctx, result, header, items, csc, check=True)
    if messages.failed:
        return result
    if orders is not None:
        _create(ctx, result, header, orders, kokrs, bukrs, budat)
    _sales_document(ctx, result, header, items, csc, check=False)
    result.bukrs, result.kokrs = bukrs, kokrs
    if register:
        log.register(ctx, header, result.objects.get("", ""), result.vbeln, bukrs, kokrs)
    return result


@dataclass
class Orders:
    """What single-object controlling will create: the order type, the orders and the
    estimate they are planned with."""

    order_type: str
    targets: list[Target]
    planned: list[PlannedValue]
    scenario: Any                   # the IAOM_CRMSRV_CSC entry: RA key, settlement profile


def _single_object(ctx: CallContext, result: Transfer, header: dict[str, Any],
                   items: list[dict[str, Any]], ctp: Any, csc: Any, kokrs: str, budat: str
                   ) -> Orders | None:
    """The predecessor's order (None), or the orders to create, checked; writes nothing."""
    messages, object_id = result.messages, header["OBJECT_ID"]
    if header["PREDECESSOR"].strip("0") and ctp.CO_REFERENCE == "X":
        before = log.document(ctx, header["PREDECESSOR"])
        if before is None or not before.OBJECT_NO:
            messages.error("IAOM_CRMSRV", "112", object_id.lstrip("0"),
                           header["PREDECESSOR"].lstrip("0"), parameter=HEADER,
                           field="PREDECESSOR")
            return None
        result.objects[""] = before.OBJECT_NO
        return None
    order_type = _order_type(ctx, header, csc.AUART or cust.DEFAULT_ORDER_TYPE, messages)
    planned = estimate(ctx, kokrs=kokrs, budat=budat, scenario=csc, items=items,
                       messages=messages)
    if order_type is None or messages.failed:
        return None
    text = header["DESCRIPTION"] or f"{header['PROCESS_TYPE']} {object_id.lstrip('0')}"
    if ctp.CO_LEVEL == cust.ITEM_LEVEL:
        targets = [Target(business_key(object_id, item["NUMBER_INT"]),
                          f"{object_id.lstrip('0')}/{int(item['NUMBER_INT'])} {text}", [item],
                          item["NUMBER_INT"]) for item in items]
    else:
        targets = [Target(business_key(object_id), text, items)]
    return Orders(order_type, targets, planned, csc)


def _create(ctx: CallContext, result: Transfer, header: dict[str, Any], orders: Orders,
            kokrs: str, bukrs: str, budat: str) -> None:
    """The orders, their IAOM keys and plans, in the caller's LUW."""
    for target in orders.targets:
        aufnr = co.create_order(ctx, order_type=orders.order_type, text=target.text[:40],
                                company_code=bukrs, controlling_area=kokrs,
                                ra_key=orders.scenario.ABGSL)
        target.objnr = f"OR{aufnr}"
        iaom.register(ctx, SCENARIO, target.key, target.objnr, "S")
        _settlement_rule(ctx, target, header, orders.scenario)
        numbers = {item["NUMBER_INT"] for item in target.items}
        for item in target.items:
            result.objects[item["NUMBER_INT"]] = target.objnr
        if len(orders.targets) == 1:
            result.objects[""] = target.objnr
        _plan(ctx, target, [p for p in orders.planned if p.number_int in numbers], kokrs,
              budat)
        result.messages.add("S", "IAOM_CRMSRV", "113", aufnr.lstrip("0"),
                            header["PROCESS_TYPE"], target.key)
        result.results.append({"NUMBER_INT": target.number_int, "OBJECT_NO": target.objnr,
                               "AUFNR": aufnr, "DOC_TYPE": "ORDER", "DOC_NO": aufnr})


def _settlement_rule(ctx: CallContext, target: Target, header: dict[str, Any], csc: Any
                     ) -> None:
    """The settlement rule from the scenario's settlement profile and strategy sequence
    (SAPCRM: to the profitability segment of the sold-to party and sales organisation). A
    refusal (KD: unknown profile, receiver not allowed) ends the LUW: nothing stays."""
    if not csc.AUFPAR:
        return
    try:
        settlement.generate_rule(
            ctx, target.objnr, profile=csc.AUFPAR,
            strategy_sequence=csc.STRATSEQ or "SAPCRM",
            characteristics={"KNDNR": alpha(header["SOLD_TO_PARTY"], 10),
                             "VKORG": header["SALES_ORG"]})
    except settlement.SettlementError as error:
        abort(error.bapiret2(system=ctx.logical_system))


def _order_type(ctx: CallContext, header: dict[str, Any], default: str, messages: Messages
                ) -> str | None:
    """The BAdI CHANGE_ORDER_TYPE's answer (or the default), checked against T003O."""
    try:
        rule = cust.order_type_rule(ctx)
    except ValueError as exc:
        messages.error("IAOM_CRMSRV", "110", cust.ORDER_TYPE_BADI, str(exc)[:50],
                       parameter=HEADER, field="PROCESS_TYPE")
        return None
    order_type = default
    if rule is not None:
        name, change = rule
        try:
            order_type = str(change(dict(header), default))
        except Exception as exc:  # customer code: any failure is the BAdI's message
            messages.error("IAOM_CRMSRV", "110", name, f"{type(exc).__name__}: {exc}"[:50],
                           parameter=HEADER, field="PROCESS_TYPE")
            return None
    if co.order_type(ctx, order_type) is None:
        messages.error("IAOM_CRMSRV", "111", cust.ORDER_TYPE_BADI, order_type,
                       parameter=HEADER, field="PROCESS_TYPE")
        return None
    return order_type


def _plan(ctx: CallContext, target: Target, planned: list[PlannedValue], kokrs: str,
          budat: str) -> None:
    """The estimate on the order as its plan (value type 01, version 000)."""
    if planned:
        co.post_plan(ctx, kokrs=kokrs, objnr=target.objnr, plan_date=budat, lines=[
            co.PlanLine(kstar=p.kstar, amount=p.value, quantity=p.quantity or None,
                        unit=p.unit, parob=p.parob) for p in planned])


def _sales_document(ctx: CallContext, result: Transfer, header: dict[str, Any],
                    items: list[dict[str, Any]], csc: Any, check: bool) -> None:
    """The billing-relevant sales document of the items with a net value: checked (a test
    run, before the orders it is assigned to exist) or created; a creation that fails after
    its check ends the LUW."""
    billed = [item for item in items if Decimal(item["NET_VALUE"] or 0) > 0]
    if not billed or not csc.SD_AUART:
        return
    order_items, conditions = [], []
    for row, item in enumerate(billed, start=1):
        posnr = f"{row * 10:06d}"
        quantity = Decimal(item["QUANTITY"] or 0) or Decimal(1)
        net = Decimal(item["NET_VALUE"])
        rate = (net / quantity).quantize(RATE_PLACES)
        objnr = result.objects.get(item["NUMBER_INT"]) or result.objects.get("", "")
        category = cust.item_category(ctx, item["ITM_TYPE"])
        order_items.append({
            "ITM_NUMBER": posnr, "MATERIAL": item["PRODUCT_ID"],
            "PLANT": item["PLANT"] or (category.WERKS if category is not None else ""),
            "TARGET_QTY": quantity, "TARGET_QU": item["UNIT"],
            "SHORT_TEXT": f"{header['OBJECT_ID'].lstrip('0')}/{int(item['NUMBER_INT'])}",
            "ORDERID": objnr[2:] if objnr.startswith("OR") and not check else ""})
        conditions.append({"ITM_NUMBER": posnr, "COND_TYPE": "PR00", "COND_VALUE": rate,
                           "CURRENCY": header["CURRENCY"], "COND_P_UNT": Decimal(1)})
    answer = ctx.call(
        "BAPI_SALESORDER_CREATEFROMDAT2",
        ORDER_HEADER_IN={"DOC_TYPE": csc.SD_AUART, "SALES_ORG": header["SALES_ORG"],
                         "DISTR_CHAN": csc.VTWEG, "DIVISION": csc.SPART,
                         "CURRENCY": header["CURRENCY"],
                         "PURCH_NO_C": f"{header['PROCESS_TYPE']} "
                                       f"{header['OBJECT_ID'].lstrip('0')}"},
        ORDER_ITEMS_IN=order_items,
        ORDER_PARTNERS=[{"PARTN_ROLE": "AG", "PARTN_NUMB": header["SOLD_TO_PARTY"]}],
        ORDER_CONDITIONS_IN=conditions, TESTRUN="X" if check else "")
    failed = errors(answer["RETURN"])
    if failed and check:
        result.messages.extend(failed)
    elif failed:
        abort(failed[0])
    if check or failed:
        return
    result.vbeln = answer["SALESDOCUMENT"]
    result.results.append({"NUMBER_INT": "0000000000", "OBJECT_NO": result.objects.get("", ""),
                           "AUFNR": "", "DOC_TYPE": "SALESDOC", "DOC_NO": result.vbeln})


def abort(problem: dict[str, Any]) -> None:
    """End the LUW with the message of a posting that failed after its check (an A message:
    nothing of the document stays)."""
    raise update_terminated_by(problem)
