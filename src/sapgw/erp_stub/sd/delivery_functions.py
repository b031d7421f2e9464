"""BAPI_OUTB_DELIVERY_CREATE_SLS and BAPI_OUTB_DELIVERY_CONFIRM_DEC (goods issue).

SAP's names and parameters (the ones used here). Both check everything first and answer every
problem in RETURN; nothing is written unless all is right. The documents are written at
BAPI_TRANSACTION_COMMIT (or at the end of the tRFC unit), as in SAP. CONFIRM_DEC only posts
the goods issue here (HEADER_CONTROL-POST_GI_FLG = X): picking and quantity changes are not
emulated. The function group name is ours.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.sd import deliveries, goods_issue
from sapgw.erp_stub.sd.returns import Messages
from sapgw.erp_stub.sd.structures import (
    BAPIDLVITEMCREATED,
    BAPIDLVREFTOSALESORDER,
    BAPIOBDLVHDRCON,
    BAPIOBDLVHDRCTRLCON,
    BAPISHPDELIVNUMB,
)
from sapgw.rfc.ddic import CHAR, DATS, NUMC
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

RFC_USER = "RFC_USER"
DELIVERY_TEXT = "Outbound Delivery"

delivery_group = FunctionGroup("SD_DELIVERY")


@delivery_group.function(interface("BAPI_OUTB_DELIVERY_CREATE_SLS", [
    importing("SHIP_POINT", CHAR(4), text="Shipping point (kept in LIKP-VSTEL)"),
    importing("DUE_DATE", DATS, text="Planned goods issue date (blank: today)"),
    exporting("DELIVERY", CHAR(10), "Delivery created"),
    exporting("NUM_DELIVERIES", NUMC(6), "Number of deliveries created"),
    tables("SALES_ORDER_ITEMS", BAPIDLVREFTOSALESORDER, optional=False,
           text="Sales order items to deliver"),
    tables("DELIVERIES", BAPISHPDELIVNUMB, text="Deliveries created"),
    tables("CREATED_ITEMS", BAPIDLVITEMCREATED, text="Delivery items created"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Outbound delivery: create with reference to a sales order"))
def bapi_outb_delivery_create_sls(ctx: CallContext, SHIP_POINT: str, DUE_DATE: str,
                                  SALES_ORDER_ITEMS: list[dict[str, Any]],
                                  DELIVERIES: list[dict[str, Any]],
                                  CREATED_ITEMS: list[dict[str, Any]],
                                  RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    delivery, messages = deliveries.check(ctx, SALES_ORDER_ITEMS)
    vbeln, created = "", []
    if not messages:
        try:
            vbeln, created = deliveries.save(ctx, delivery, RFC_USER, SHIP_POINT, DUE_DATE)
        except NumberRangeError as error:
            messages.error(error.msg_class or "NR", error.msg_number or "752", error.msg_v1,
                           error.msg_v2, error.msg_v3, parameter=deliveries.ITEMS)
    RETURN[:] = messages.rows or [messages.success("VL", "311", DELIVERY_TEXT, vbeln)]
    DELIVERIES[:] = [{"DELIV_NUMB": vbeln}] if vbeln else []
    CREATED_ITEMS[:] = created
    return {"DELIVERY": vbeln, "NUM_DELIVERIES": f"{len(DELIVERIES):06d}",
            "SALES_ORDER_ITEMS": SALES_ORDER_ITEMS, "DELIVERIES": DELIVERIES,
            "CREATED_ITEMS": CREATED_ITEMS, "RETURN": RETURN}


@delivery_group.function(interface("BAPI_OUTB_DELIVERY_CONFIRM_DEC", [
    importing("HEADER_DATA", BAPIOBDLVHDRCON, optional=False, text="Header (DELIV_NUMB)"),
    importing("HEADER_CONTROL", BAPIOBDLVHDRCTRLCON, optional=False,
              text="Control: POST_GI_FLG = X posts the goods issue"),
    importing("DELIVERY", CHAR(10), optional=False, text="Delivery"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Outbound delivery: confirm (post goods issue)"))
def bapi_outb_delivery_confirm_dec(ctx: CallContext, HEADER_DATA: dict[str, Any],
                                   HEADER_CONTROL: dict[str, Any], DELIVERY: str,
                                   RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    messages = Messages(ctx.logical_system, "VL")
    for name, values in (("HEADER_DATA", HEADER_DATA), ("HEADER_CONTROL", HEADER_CONTROL)):
        number = values["DELIV_NUMB"]
        if number and number.lstrip("0") != DELIVERY.lstrip("0"):
            messages.error("VL", "912", name, number, DELIVERY, parameter=name,
                           field="DELIV_NUMB")
    if HEADER_CONTROL["POST_GI_FLG"] != "X":
        messages.error("VL", "913", parameter="HEADER_CONTROL", field="POST_GI_FLG")
    mblnr = mjahr = ""
    if not messages:
        try:
            mblnr, mjahr = goods_issue.post(ctx, DELIVERY, RFC_USER, messages)
        except NumberRangeError as error:
            messages.error(error.msg_class or "NR", error.msg_number or "752", error.msg_v1,
                           error.msg_v2, error.msg_v3, parameter="DELIVERY")
    RETURN[:] = messages.rows or [
        messages.success("VL", "311", DELIVERY_TEXT, DELIVERY.zfill(10)),
        messages.success("VL", "914", mblnr, mjahr)]
    return {"RETURN": RETURN}
