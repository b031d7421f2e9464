"""BAPI_CRM_SAVE, served by the gateway: the ERP's delta download becomes a BDoc (MI0).

What CRS_SEND_TO_SERVER in the ERP sends (reference/domain.md §3.3): a qRFC unit in a queue
such as R3AD_CUSTOME<customer>, calling BAPI_CRM_SAVE with the adapter object's name and the
changed object as BAPIMTCS container rows. A unit with a queue name lands in the gateway's
inbound queue (SMQ2) and runs there in order, once per TID (`served.py`). This handler runs
the adapter object's mapping module R/3 -> CRM (`sapgw.adapters.bupa`), and stores the BDoc
with flow context MI0 and the sending site as sender, together with its flow LUW and the
unit's TID record, in one transaction. The flow then validates it, ends it F04 (saved in
CRM) or replicates it to the other subscribed sites, never back to the sender.

The interface is ours where SAP's is not public: HEADER (BAPICRMDH1: OBJNAME the adapter
object, OBJCLASS, LOAD_TYPE D delta or I initial, SENDER the logical system, OBJKEY),
BAPISTRUCTURES (BAPIMTCS: TABNAME + DATA, DATA a JSON object of the row's fields) and RETURN
(BAPIRET2). A block of an initial load or request (LOAD_TYPE I/R with LOAD_ID, BLOCK_NO,
and OBJKEY on each row; ours) goes to `gateway/loads/receive.py`: one BDoc per object
(docs/LOADS.md). Errors come back as RETURN rows of class SMOF (numbers 9xx ours, docs/MESSAGES.md),
which fail the unit: the queue stops in SYSFAIL with the message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.adapters.bupa import DownloadError
from sapgw.adapters.scenario import MappingError
from sapgw.gateway.config import SiteSettings
from sapgw.gateway.loads.receive import is_load_block, message, receive_block
from sapgw.gateway.rfc.served import GatewayCall, gateway_function
from sapgw.rfc.ddic import CHAR, INT4, STRING, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

if TYPE_CHECKING:
    from sapgw.gateway.runtime import Gateway

BAPICRMDH1 = structure(
    "BAPICRMDH1",
    ("OBJNAME", CHAR(20), "Adapter object (R3AC1), e.g. CUSTOMER_MAIN"),
    ("OBJCLASS", CHAR(20), "Object class, e.g. CUSTOMERS"),
    ("LOAD_TYPE", CHAR(1), "D delta download, I initial load"),
    ("SENDER", CHAR(10), "Logical system of the sending ERP"),
    ("OBJKEY", CHAR(40), "Key of the object sent"),
    ("CHANGED_AT", CHAR(21), "When the sender saved it, UTC YYYYMMDDhhmmss.ffffff (ours)"),
    ("LOAD_ID", CHAR(32), "Initial load or request of the block (ours, docs/LOADS.md)"),
    ("BLOCK_NO", INT4, "Number of the block in its load (ours)"),
)
BAPIMTCS = structure(
    "BAPIMTCS",
    ("TABNAME", CHAR(30), "Table the row belongs to (KNA1, KNB1, ...)"),
    ("DATA", STRING, "The row: a JSON object of its fields (ours; SAP: fixed width)"),
    ("OBJKEY", CHAR(40), "Object of a load block the row belongs to (ours)"),
)
FLOW_CONTEXT = "MI0"


def sender_site(gateway: Gateway, logical_system: str) -> SiteSettings | None:
    """The R/3 site a logical system sends from: the one behind the served ERP for the
    ERP's own logical system, else the only R/3 site there is."""
    sites = [s for s in gateway.settings.sites.values() if s.type == "R/3"]
    if logical_system in ("", gateway.settings.erp_logical_system):
        for site in sites:
            if site.destination == gateway.settings.rfc_destination:
                return site
    return sites[0] if len(sites) == 1 else None


@gateway_function(interface("BAPI_CRM_SAVE", [
    importing("HEADER", BAPICRMDH1, optional=False, text="Object sent (ours: BAPICRMDH1)"),
    tables("BAPISTRUCTURES", BAPIMTCS, optional=False, text="Container rows (BAPIMTCS)"),
    tables("RETURN", BAPIRET2, text="Messages (out)"),
], text="Receive an object from the ERP (R/3 adapter, delta download)"))
def bapi_crm_save(call: GatewayCall, params: dict[str, Any]) -> dict[str, Any]:
    gateway = call.gateway
    header = params["HEADER"]
    objname = header["OBJNAME"].strip().upper()
    try:
        adapter = gateway.scenarios.from_site(objname)
    except MappingError as error:
        return {"RETURN": [message("901", f"Adapter object {objname or '(blank)'}: {error}",
                                    objname)]}
    site = sender_site(gateway, header["SENDER"].strip())
    if site is None:
        return {"RETURN": [message(
            "904", f"No R/3 site sends as logical system {header['SENDER']}", header["SENDER"])]}
    if is_load_block(header):  # a block of an initial load or request (docs/LOADS.md)
        return receive_block(call, params, adapter, site.name)
    try:
        data = adapter.map_from_erp(params)
    except MappingError as error:
        cause = error.__cause__
        if isinstance(cause, DownloadError):
            return {"RETURN": [message(cause.number, str(cause), *cause.variables)]}
        return {"RETURN": [message("905", str(error), adapter.mapping_module)]}
    with gateway.db.write() as conn:
        accepted = gateway.accept(conn, adapter.bdoc_type, [data], site.name,
                                  FLOW_CONTEXT)
        call.record_tid(conn)
    gateway.schedulers.wake("in")
    return {"RETURN": [{"TYPE": "S", "ID": "SMOF", "NUMBER": "900",
                        "MESSAGE": f"BDoc {accepted[0]['bdoc_id']} of type "
                                   f"{adapter.bdoc_type} received from site {site.name}",
                        "MESSAGE_V1": accepted[0]["bdoc_id"]}]}
