"""Confirmed sales items go through SD: delivery of the order's sales document item, then
its goods issue 601, which posts the material's cost to the item's internal order.

The service order's sales items became items of its sales document when it was released
(`documents`, VBAP-AUFNR = the internal order under single-object controlling). A confirmed
sales item names its product and quantity, not the order item (ours: CRM's reference to the
order item is not in the upload structure): it is the sales document's first item of that
material that has no delivery yet and was not taken by an earlier item of the same
confirmation. The delivery (BAPI_OUTB_DELIVERY_CREATE_SLS, one per confirmation) delivers
the confirmed quantity - SD refuses a quantity other than the item's (VL 906: partial
deliveries are not emulated) - and BAPI_OUTB_DELIVERY_CONFIRM_DEC posts the goods issue
(601, today's date as SD's goods issue posts it): stock reduced, FI Dr COGS / Cr stock, and
with VBAP-AUFNR set the COGS line debits the order (COIN).
Ours, not SAP's: in SAP the delivery of a CRM service order's sales item is made in the ERP
from the sales order (VL01N, delivery due list), not triggered by the confirmation.

Before anything is posted SD simulates both (`sd.api.simulate_delivery`: the delivery's
checks and MM's test run of the 601, so a missing stock is answered as M7 021 with the
confirmation row); posting then calls the two BAPIs in the confirmation's LUW, and a
failure after the simulation ends the LUW (an A message).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.crmsrv.documents import abort
from sapgw.erp_stub.crmsrv.returns import Messages
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.mm import api as mm
from sapgw.erp_stub.sd import api as sd
from sapgw.rfc.structures import errors

if TYPE_CHECKING:
    from sapgw.erp_stub.crmsrv.confirmations import Posting

ITEMS = "IT_ITEMS"
USER = "CRM_SRV"
DELIVERED = "J"                 # VBFA-VBTYP_N of a delivery


def collect(ctx: CallContext, sales: Posting, row: int, item: dict[str, Any], vbeln: str,
            messages: Messages) -> None:
    """The item as a row of the delivery (SALES_ORDER_ITEMS), or IAOM_CRMSRV 127."""
    matnr = mm.matnr(item["PRODUCT_ID"])
    taken = {values["REF_ITEM"] for values in sales.rows}
    delivered = {flow["POSNV"] for flow in sd.document_flow(ctx, vbeln)
                 if flow["VBTYP_N"] == DELIVERED} if vbeln else set()
    found = next((vbap for vbap in (sd.sales_items(ctx, vbeln) if vbeln else [])
                  if vbap["MATNR"] == matnr and vbap["POSNR"] not in taken | delivered), None)
    if found is None:
        messages.error("IAOM_CRMSRV", "127", int(item["NUMBER_INT"]), item["PRODUCT_ID"],
                       vbeln.lstrip("0") or "-", parameter=ITEMS, row=row, field="PRODUCT_ID")
        return
    sales.add(row, {"REF_DOC": found["VBELN"], "REF_ITEM": found["POSNR"],
                    "DLV_QTY": item["QUANTITY"], "SALES_UNIT": item["UNIT"]})


def check(ctx: CallContext, sales: Posting, messages: Messages) -> None:
    """SD's simulation of the delivery and its goods issue, each problem on its item's row."""
    if not sales.rows:
        return
    for problem in sd.simulate_delivery(ctx, _rows(sales), USER):
        messages.extend([{**problem, "PARAMETER": ITEMS}],
                        sales.origin_of(int(problem.get("ROW") or 0)))


def post(ctx: CallContext, sales: Posting, budat: str) -> list[dict[str, Any]]:
    """The delivery and its goods issue, in the caller's LUW; what was posted."""
    if not sales.rows:
        return []
    created = ctx.call("BAPI_OUTB_DELIVERY_CREATE_SLS", DUE_DATE=budat,
                       SALES_ORDER_ITEMS=_rows(sales))
    failed = errors(created["RETURN"])
    if failed:
        abort(failed[0])
    vbeln = created["DELIVERY"]
    issued = ctx.call("BAPI_OUTB_DELIVERY_CONFIRM_DEC", DELIVERY=vbeln,
                      HEADER_DATA={"DELIV_NUMB": vbeln},
                      HEADER_CONTROL={"DELIV_NUMB": vbeln, "POST_GI_FLG": "X"})
    failed = errors(issued["RETURN"])
    if failed:
        abort(failed[0])
    mblnr = next((m["MESSAGE_V1"] for m in issued["RETURN"]
                  if m["ID"] == "VL" and m["NUMBER"] == "914"), "")
    return [_result("DELIVERY", vbeln), _result("MKPF", mblnr)]


def _rows(sales: Posting) -> list[dict[str, Any]]:
    return [dict(values) for values in sales.rows]


def _result(doc_type: str, number: str) -> dict[str, Any]:
    return {"NUMBER_INT": "0000000000", "OBJECT_NO": "", "AUFNR": "", "DOC_TYPE": doc_type,
            "DOC_NO": number}
