"""CRM_UPLOAD_ANSWER, served by the gateway: the ERP's messages about an upload it received.

An upload (CRM_UPLOAD_TRIGGER in queue R3AUBUPA…) runs in the ERP as a tRFC unit, whose
result does not come back to the sender. When the ERP accepts the unit but does not apply it
(later wins: the ERP changed the partner after CRM did, W F2 928), it answers in a unit of
its own, in the partner's delta queue; this handler writes those messages into the BDoc's
log (service ERP), so SMW01 shows why the ERP kept its data. The BDoc keeps its state (the
unit was executed). Interface ours (SAP's R/3 adapter answers uploads in its own format):
BDOC_ID, RETURN (BAPIRET2) in.
"""

from __future__ import annotations

from typing import Any

from sapgw.gateway.rfc.served import GatewayCall, gateway_function
from sapgw.gateway.store.bdocs import BDocNotFound, LogEntry
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2


@gateway_function(interface("CRM_UPLOAD_ANSWER", [
    importing("BDOC_ID", CHAR(32), optional=False, text="The BDoc the upload was made from"),
    tables("RETURN", BAPIRET2, text="The ERP's messages about the upload"),
], text="The ERP's answer to an upload: its messages into the BDoc's log (ours)"))
def crm_upload_answer(call: GatewayCall, params: dict[str, Any]) -> dict[str, Any]:
    gateway = call.gateway
    bdoc_id = params["BDOC_ID"].strip()
    with gateway.db.write() as conn:
        try:
            gateway.bdocs.state(conn, bdoc_id)
        except BDocNotFound:  # reorganised meanwhile: nothing to write the answer to
            rows: list[dict[str, Any]] = []
        else:
            rows = params["RETURN"]
        for row in rows:
            gateway.bdocs.log(conn, bdoc_id, LogEntry(
                "ERP", str(row.get("MESSAGE", "")), str(row.get("TYPE", "") or "I"),
                str(row.get("ID", "")), str(row.get("NUMBER", ""))))
        call.record_tid(conn)
    return {}
