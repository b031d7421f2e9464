"""Invoice items for revenue accounting (source item type CAIN, ours) from invoicing: one main
item per invoicing document item that is relevant (RAREL X) and whose service type says so
(TFK_RA_SERVTYP-XINVOICE), with a condition of the service type's condition type for the
invoiced amount. Its origin is the contract item's order item (CAOI <contract>/<item>): RAR
posts the invoice correction to that performance obligation. Written with the invoicing
document, in the caller's LUW. From the invoicing document: DUE_DATE = its net due date
(FAEDN), INVOICE_TYPE = the FI-CA document type of its posting (DFKKKO-BLART, IN; ours, SAP's
values are not public), FINAL_INVOICE = X when the item bills up to the contract item's end
of validity (ours); REVERSAL stays blank (invoicing reversal is not built). Event 8205 sees
them before they are saved, as it sees a contract's order items (simulation, then for
real); a module that fails stops the account's invoicing document (invoicing.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.fica import contracts, event_8205
from sapgw.erp_stub.fica.customizing import ra_settings, service_type
from sapgw.erp_stub.fica.order_items import DEFAULT_REFTYPE, Records, add_main_condition, write
from sapgw.erp_stub.fica.rai_tables import CONTRACT_ITEM, INVOICE
from sapgw.erp_stub.kernel.context import CallContext


def prepare(ctx: CallContext, invdocno: str, header: dict[str, Any],
            items: list[dict[str, Any]]) -> Records:
    """The invoice items of an invoicing document after event 8205 (simulation, then for
    real); raises event_8205.EventError, before anything of the document is registered."""
    return event_8205.before_save(ctx, _invoice_items(ctx, invdocno, header, items))


def record(ctx: CallContext, records: Records) -> list[str]:
    """Register the prepared invoice items in the caller's LUW; their RAI_IDs."""
    return write(ctx, records) if records else []


def _invoice_items(ctx: CallContext, invdocno: str, header: dict[str, Any],
                   items: list[dict[str, Any]]) -> Records:
    settings = ra_settings(ctx)
    if not settings.active:
        return Records()
    stamp = Decimal(ctx.clock.now().strftime("%Y%m%d%H%M%S"))
    records = Records()
    for item in items:
        kind = service_type(ctx, item["SERVICE_TYPE"]) if item["SERVICE_TYPE"] else None
        if item["RAREL"] != "X" or kind is None or not kind.invoice_items:
            continue
        rai_id, srcdoc = f"${len(records.mi) + 1}", f"{invdocno}/{item['INVDOCITEM']}"
        contract_item = (contracts.current_item(ctx, item["VTREF"], item["VTPOS"]) or {}
                         if item["VTREF"] else {})
        records.mi.append({
            "RAI_ID": rai_id, "SRCDOC_COMP": settings.source_component,
            "SRCDOC_LOGSYS": ctx.logical_system, "SRCDOC_TYPE": INVOICE, "SRCDOC_ID": srcdoc,
            "TIMESTAMP_UTC": stamp, "HEADER_ID": invdocno, "ITEM_ID": item["INVDOCITEM"],
            "ORIGDOC_TYPE": CONTRACT_ITEM if item["VTREF"] else "",
            "ORIGDOC_ID": f"{item['VTREF']}/{item['VTPOS']}" if item["VTREF"] else "",
            "SERVICE_TYPE": kind.code, "CHIND": "", "X_ESTIMATED_QUAN": "",
            "PARTNER": header["GPART"], "VKONT": header["VKONT"], "VTREF": item["VTREF"],
            "VTPOS": item["VTPOS"], "SUBAP": item["SUBAP"], "BUKRS": item["BUKRS"],
            "BETRW": item["BETRW"], "WAERS": item["WAERS"], "QUANTITY": item["MENGE"],
            "QUANTITY_UNIT": item["MEINS"], "START_DATE": item["DATE_FROM"],
            "END_DATE": item["DATE_TO"], "POSTING_DATE": header["BUDAT"],
            "RA_REFTYPE": contract_item.get("RA_REFTYPE") or DEFAULT_REFTYPE,
            "RA_REFID": contract_item.get("RA_REFID") or item["VTREF"] or header["VKONT"],
            "CHRSN": "", "INVOICE_TYPE": header["BLART"], "DUE_DATE": header["FAEDN"],
            "FINAL_INVOICE": "X" if _final(contract_item, item["DATE_TO"]) else "",
            "REVERSAL": ""})
        add_main_condition(records, rai_id, kind)
    return records


def _final(contract_item: dict[str, Any], billed_to: str) -> bool:
    """The contract item's last invoice (ours): it bills up to the item's end of validity;
    an open-ended item (VALTO blank or end of time) has none."""
    valto = contract_item.get("VALTO") or Decimal(0)
    if not valto or valto >= contracts.END_OF_TIME or not billed_to:
        return False
    return bool(billed_to >= f"{int(valto):014d}"[:8])
