"""Goods issue for an outbound delivery (VL02N "Post Goods Issue"): movement type 601.

The delivery's items go to MM as one material document of transaction VL02N (mm.api's
`post_for_transaction`): valued at the standard price, stock reduced, FI document Dr cost of
goods sold (OBYC GBB-VAX) / Cr stock (BSX). An item whose sales item is assigned to an
internal order (LIPS-AUFNR from VBAP-AUFNR) carries the order on the COGS line, so FI's CO
interface debits the order (COEP, business transaction COIN). MM's errors (deficit M7 021,
closed period F5 201, account determination M8 147) come back as they are; nothing is
written unless all is right. Then LIKP-WBSTK = C with the actual goods issue date, and the
flow delivery item -> material document item (VBFA, VBTYP_N R) is registered, all in the
caller's LUW; at commit the status changes only from A, so two LUWs cannot both post it.
The posting date is today (ctx.clock): HEADER_DEADLINES is not emulated.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, update

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import update_terminated
from sapgw.erp_stub.mm import api as mm
from sapgw.erp_stub.sd import deliveries
from sapgw.erp_stub.sd.deliveries import (
    DELIVERY,
    GOODS_ISSUE,
    POSTED,
    delivery_header,
    delivery_items,
    issued,
)
from sapgw.erp_stub.sd.documents import document_flow
from sapgw.erp_stub.sd.returns import Messages
from sapgw.erp_stub.sd.tables import LIKP, VBFA

TRANSACTION = "VL02N"      # MM transaction (T158) of the delivery's goods issue
MOVEMENT_TYPE = "601"


def post(ctx: CallContext, vbeln: str, usnam: str, messages: Messages
         ) -> tuple[str, str]:
    """Post the goods issue of delivery `vbeln`; (MBLNR, MJAHR), or ("", "") with the
    problems in `messages`."""
    likp = delivery_header(ctx, vbeln) if vbeln else None
    if likp is None:
        messages.error("VL", "910", vbeln or "-", parameter="DELIVERY", field="DELIVERY")
        return "", ""
    if likp["WBSTK"] == POSTED:
        messages.error("VL", "911", likp["VBELN"], _material_document(ctx, likp["VBELN"]),
                       parameter="DELIVERY", field="DELIVERY")
        return "", ""
    items = delivery_items(ctx, likp["VBELN"])
    budat = ctx.clock.today().strftime("%Y%m%d")
    header, movement = _movement(likp["VBELN"], likp["KUNNR"], items, usnam, budat)
    mblnr, mjahr, rows = mm.post_for_transaction(ctx, TRANSACTION, header, movement)
    if rows:
        messages.rows += rows
        return "", ""
    now = ctx.clock.now()
    ctx.task(mark_issued(likp["VBELN"], budat))
    issued(ctx, likp["VBELN"], budat)
    ctx.insert(VBFA, [{
        "VBELV": likp["VBELN"], "POSNV": item["POSNR"], "VBELN": mblnr,
        "POSNN": f"{number:06d}", "VBTYP_N": GOODS_ISSUE, "VBTYP_V": DELIVERY,
        "RFMNG": item["LFIMG"], "MEINS": item["VRKME"], "MATNR": item["MATNR"],
        "ERDAT": budat, "ERZET": now.strftime("%H%M%S")}
        for number, item in enumerate(items, start=1)])
    return mblnr, mjahr


def simulate(ctx: CallContext, rows: list[dict[str, Any]], usnam: str) -> list[dict[str, Any]]:
    """Every problem a delivery of the sales order items `rows` (SALES_ORDER_ITEMS of
    BAPI_OUTB_DELIVERY_CREATE_SLS) and its goods issue today would meet - the delivery's
    checks, then MM's test run of the 601 (deficit, closed period, account determination) -
    writing nothing; [] when both would post."""
    delivery, messages = deliveries.check(ctx, rows)
    if messages:
        return messages.rows
    budat = ctx.clock.today().strftime("%Y%m%d")
    header, movement = _movement("", delivery.order["KUNNR"], deliveries.lips_rows(delivery),
                                 usnam, budat)
    return mm.post_for_transaction(ctx, TRANSACTION, header, movement, testrun=True)[2]


def _movement(vbeln: str, kunnr: str, items: list[dict[str, Any]], usnam: str, budat: str
              ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The 601 of the delivery's items: MM's header and items."""
    header = {"PSTNG_DATE": budat, "DOC_DATE": budat, "REF_DOC_NO": vbeln,
              "PR_UNAME": usnam[:12], "HEADER_TXT": f"Delivery {vbeln}"}
    return header, [{"MATERIAL": item["MATNR"], "PLANT": item["WERKS"],
                     "STGE_LOC": item["LGORT"], "MOVE_TYPE": MOVEMENT_TYPE,
                     "ENTRY_QNT": item["LFIMG"], "ENTRY_UOM": item["VRKME"],
                     "ORDERID": item["AUFNR"], "CUSTOMER": kunnr,
                     "ITEM_TEXT": f"{item['VGBEL']}/{item['VGPOS']} {item['ARKTX']}"[:50]}
                    for item in items]


def mark_issued(vbeln: str, budat: str) -> Task:
    """Update task: WBSTK A -> C only while it is still A, so that of two LUWs posting the
    goods issue of one delivery the second commit terminates (VL 911), nothing of it written."""
    table = LIKP.__table__  # type: ignore[attr-defined]

    def run(conn: Connection) -> None:
        result = conn.execute(update(table).where(table.c.VBELN == vbeln,
                                                  table.c.WBSTK != POSTED)
                              .values(WBSTK=POSTED, WADAT_IST=budat))
        if result.rowcount != 1:
            raise update_terminated("VL", "911", vbeln)

    return run


def _material_document(ctx: CallContext, vbeln: str) -> str:
    return next((flow["VBELN"] for flow in document_flow(ctx, vbeln)
                 if flow["VBTYP_N"] == GOODS_ISSUE), "")
