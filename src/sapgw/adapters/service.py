"""Mapping modules of CRM Service (seed 001): service orders, contracts and confirmations
to the ERP's controlling integration.

CRM sends all three as the one-order BDoc BUS_TRANS_MSG; the R/3 adapter routes it by
transaction type (HEADER-PROCESS_TYPE) to an adapter object each, with its own mapping module
and outbound queue (ours: SAP's adapter object names for the CO upload are not public):
SERVICE_ORDER (SRVO) and SERVICE_CONTRACT (SC) call IAOM_CRMSRV_DOCUMENT_IN when the
document is released; SERVICE_CONFIRM (SRVC) calls IAOM_CRMSRV_CONFIRM_IN when the
confirmation is completed. Which documents go at all is the subscription's business
(config.ini: released orders and contracts, completed confirmations). A confirmation's LUW
waits while its order's queue holds older LUWs, an order's while its contract's does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sapgw.adapters.scenario import (
    AdapterObject,
    CrmScenario,
    ErpLink,
    FlowKey,
    MappingInput,
    Route,
    Wait,
)
from sapgw.types import RfcCall

BUSINESS_SCENARIO = "CRMSRV"     # the IAOM business scenario the ERP registers keys under
ORDER_TYPES = ("SRVO",)
CONTRACT_TYPES = ("SC",)
CONFIRMATION_TYPES = ("SRVC",)
HEADER_FIELDS = ("OBJECT_ID", "PROCESS_TYPE", "DESCRIPTION", "POSTING_DATE", "SOLD_TO_PARTY",
                 "SALES_ORG", "SERVICE_ORG", "CURRENCY", "PREDECESSOR")
ITEM_FIELDS = ("NUMBER_INT", "ITM_TYPE", "PRODUCT_ID", "QUANTITY", "UNIT", "NET_VALUE",
               "SERVICE_TYPE", "VALUATION_TYPE", "EMPLOYEE", "WORK_DATE", "PLANT", "STGE_LOC")


def _transfer(data: dict[str, Any]) -> dict[str, Any]:
    """The BDoc's header and items as the ERP's transfer structures (same field names)."""
    header = {name: data["HEADER"][name] for name in HEADER_FIELDS}
    header["PREDECESSOR"] = _predecessor(data)
    items = [{name: item[name] for name in ITEM_FIELDS} for item in data["ITEMS"]]
    return {"IS_HEADER": header, "IT_ITEMS": items}


def _predecessor(data: dict[str, Any]) -> str:
    """PREDECESSOR, blank when none (validation pads an empty NUMC with zeros)."""
    value = str(data["HEADER"]["PREDECESSOR"])
    return value if value.strip("0") else ""


def crm_srv_document_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    """A released service order or contract -> its controlling object in the ERP."""
    return [RfcCall("IAOM_CRMSRV_DOCUMENT_IN", _transfer(bdoc.data))]


def crm_srv_confirm_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    """A completed confirmation -> its postings in the ERP (one without predecessor is its
    own controlling object there)."""
    return [RfcCall("IAOM_CRMSRV_CONFIRM_IN", _transfer(bdoc.data))]


def erp_links(bdoc_type: str, data: dict[str, Any]) -> list[ErpLink]:
    """The document in the ERP (CRMSRV: its internal order with a link to KO03, the CO line
    items, CATS rows and goods issues on it) and, for an order or contract, its IAOM
    assignment (IAOMC); a confirmation's page is its order's, or its own when it has no
    predecessor (it is its own controlling object then)."""
    header = data["HEADER"]
    object_id = header["OBJECT_ID"].lstrip("0")
    if header["PROCESS_TYPE"] in CONFIRMATION_TYPES:
        order = _predecessor(data).lstrip("0")
        if not order:
            return [ErpLink("CRMSRV", f"{object_id}: its own order, CO documents, CATS rows",
                            {"object_id": object_id})]
        return [ErpLink("CRMSRV", f"order {order}: CO documents, CATS rows, goods issues",
                        {"object_id": order})]
    return [ErpLink("CRMSRV", f"{object_id}: order, CO documents, CATS rows",
                    {"object_id": object_id}),
            ErpLink("IAOMC", f"{BUSINESS_SCENARIO} {object_id}",
                    {"scenario": BUSINESS_SCENARIO, "key": object_id})]


_DOCUMENT_FILTER = ("PROCESS_TYPE", "SALES_ORG", "SERVICE_ORG")

SCENARIO = CrmScenario(
    name=BUSINESS_SCENARIO,
    text="CRM Service to Controlling: service orders, contracts and confirmations on "
         "internal orders",
    types_file=Path(__file__).with_name("service.toml"),
    adapters=(
        AdapterObject(
            name="SERVICE_CONTRACT", text="Service contract released: internal order in ERP",
            bdoc_type="BUS_TRANS_MSG", to_erp=crm_srv_document_map_to_erp,
            queue_prefix="R3AUSRVCTR", queue_key="HEADER.OBJECT_ID",
            filter_fields=_DOCUMENT_FILTER,
            route=Route("HEADER.PROCESS_TYPE", CONTRACT_TYPES)),
        AdapterObject(
            name="SERVICE_ORDER", text="Service order released: internal order in ERP",
            bdoc_type="BUS_TRANS_MSG", to_erp=crm_srv_document_map_to_erp,
            queue_prefix="R3AUSRVORD", queue_key="HEADER.OBJECT_ID",
            filter_fields=_DOCUMENT_FILTER, route=Route("HEADER.PROCESS_TYPE", ORDER_TYPES),
            waits_for=(Wait("SERVICE_CONTRACT", "HEADER.PREDECESSOR"),)),
        AdapterObject(
            name="SERVICE_CONFIRM", text="Service confirmation completed: postings in ERP",
            bdoc_type="BUS_TRANS_MSG", to_erp=crm_srv_confirm_map_to_erp,
            queue_prefix="R3AUSRVCNF", queue_key="HEADER.OBJECT_ID",
            filter_fields=_DOCUMENT_FILTER,
            route=Route("HEADER.PROCESS_TYPE", CONFIRMATION_TYPES),
            waits_for=(Wait("SERVICE_ORDER", "HEADER.PREDECESSOR"),)),
    ),
    links=erp_links,
    flow=(FlowKey("service transaction", "BUS_TRANS_MSG", "HEADER.OBJECT_ID"),
          FlowKey("preceding transaction", "BUS_TRANS_MSG", "HEADER.PREDECESSOR")),
)
