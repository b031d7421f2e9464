"""The ERP inbound of CRM Service (ours: names and interfaces; SAP's upload of service
documents to controlling runs in package IAOM_CRMSERVICE_EXEC and is not public).

IAOM_CRMSRV_DOCUMENT_IN takes a released service order or contract (`documents`),
IAOM_CRMSRV_CONFIRM_IN a completed service confirmation (`confirmations`). Both answer every
problem in RETURN (BAPIRET2, ROW = the IT_ITEMS row) and then create or post nothing; run
as a qRFC unit from the CRM middleware, an error stops the queue in SYSFAIL with the first
message as its text, and the LUW leaves no trace.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.crmsrv import confirmations, documents
from sapgw.erp_stub.crmsrv.structures import (
    CRMS_SRV_CO_HEADER,
    CRMS_SRV_CO_ITEM,
    CRMS_SRV_CO_RESULT,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("IAOM_CRMSRV")


@group.function(interface("IAOM_CRMSRV_DOCUMENT_IN", [
    importing("IS_HEADER", CRMS_SRV_CO_HEADER, optional=False, text="Service order/contract"),
    exporting("E_OBJECT_NO", CHAR(22), "Controlling object of the document (blank: CO-PA "
                                       "or item level)"),
    exporting("E_VBELN", CHAR(10), "Sales document billing the document"),
    tables("IT_ITEMS", CRMS_SRV_CO_ITEM, text="Items"),
    tables("ET_RESULT", CRMS_SRV_CO_RESULT, text="Objects created"),
    tables("RETURN", BAPIRET2),
], text="CRM service order/contract released -> internal order, plan, sales document"))
def iaom_crmsrv_document_in(ctx: CallContext, IS_HEADER: dict[str, Any],
                            IT_ITEMS: list[dict[str, Any]], ET_RESULT: list[dict[str, Any]],
                            RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    result = documents.transfer(ctx, IS_HEADER, IT_ITEMS)
    RETURN[:] = result.messages.rows
    failed = result.messages.failed
    ET_RESULT[:] = [] if failed else result.results
    return {"E_OBJECT_NO": "" if failed else result.objects.get("", ""),
            "E_VBELN": "" if failed else result.vbeln,
            "IT_ITEMS": IT_ITEMS, "ET_RESULT": ET_RESULT, "RETURN": RETURN}


@group.function(interface("IAOM_CRMSRV_CONFIRM_IN", [
    importing("IS_HEADER", CRMS_SRV_CO_HEADER, optional=False, text="Service confirmation"),
    tables("IT_ITEMS", CRMS_SRV_CO_ITEM, text="Confirmation items"),
    tables("ET_RESULT", CRMS_SRV_CO_RESULT, text="Documents posted"),
    tables("RETURN", BAPIRET2),
], text="CRM service confirmation completed -> CATS, allocations, repostings, goods issue"))
def iaom_crmsrv_confirm_in(ctx: CallContext, IS_HEADER: dict[str, Any],
                           IT_ITEMS: list[dict[str, Any]], ET_RESULT: list[dict[str, Any]],
                           RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    messages, posted = confirmations.post(ctx, IS_HEADER, IT_ITEMS)
    RETURN[:] = messages.rows
    ET_RESULT[:] = posted
    return {"IT_ITEMS": IT_ITEMS, "ET_RESULT": ET_RESULT, "RETURN": RETURN}
