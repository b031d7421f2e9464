"""CRM_PROVCONTRACT_MAP_TO_ERP (ours): a CRM provider contract to the FI-CA provider contract
(seed 002, FICA_REVENUE_ACCOUNTING_INTEGR).

CRM sends the contract with the items a create or change affects; the mapping turns the BDoc
(CRM dates, CRM field names) into one call of the ERP's FKK_VT_MAINTAIN (DFKK_VT_H/DFKK_VT_I
field names, UTC timestamps: a validity date starts at 00:00:00 and ends at 23:59:59), in
one LUW per BDoc, in the contract's outbound queue R3AUPRVCT<CONTRACT_ID> so that its
changes reach the ERP in the order they were made. The ERP keeps every earlier item version.
Business partner and contract account must exist in the ERP (created over RFC,
BAPI_BUPA_CREATE_FROM_DATA / BAPI_CTRACCONTRACTACCOUNT_CREATE); a contract referring to a
missing one fails in the ERP (R11 901 / FKK_CI 002), its BDoc ends in error and can be sent
again once the master data exists. The scenario's declaration is at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sapgw.adapters.scenario import AdapterObject, CrmScenario, ErpLink, FlowKey, MappingInput
from sapgw.types import RfcCall

ITEM_FIELDS = {  # BDoc field -> FKK_VT_I_API field, taken as they are
    "PRODUCT": "PRDNR", "DESCRIPTION": "VTITT", "CONTRACT_ACCOUNT": "VKONT",
    "QUANTITY": "QUANTITY", "UNIT": "QUANTITY_UNIT", "RA_RELEVANT": "RAREL",
    "SERVICE_TYPE": "RECURR_SERVICE_TYPE", "PRICE": "TRPRC", "TOTAL_PRICE": "TRPRC_TOTAL",
    "CURRENCY": "TRPRC_CURR", "PERIOD_UNIT": "TRPRC_FREQ_UNIT",
    "PERIOD_LENGTH": "TRPRC_FREQ_DURATION", "SSP": "SSPRC", "TOTAL_SSP": "SSPRC_TOTAL",
    "CHANGE_REASON": "CHRSN",
}


def start(date: str) -> str:
    """A validity start date as a UTC timestamp (00:00:00), blank for none."""
    return f"{date}000000" if date else "0"


def end(date: str) -> str:
    """A validity end date as a UTC timestamp (23:59:59), blank for unlimited."""
    return f"{date}235959" if date else "0"


def crm_provcontract_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    header = bdoc.data["HEADER"]
    items = [{**{target: item.get(source) or _blank(source)
                 for source, target in ITEM_FIELDS.items()},
              "VTPOS": item["ITEM_NO"], "VALFR": start(item["VALID_FROM"]),
              "VALTO": end(item.get("VALID_TO", "")),
              "VALFROM_CTRTERM": start(item.get("TERM_FROM", "")),
              "VALTO_CTRTERM": end(item.get("TERM_TO", "")), "BUKRS": header["COMP_CODE"]}
             for item in bdoc.data["ITEMS"]]
    service_types = [{"VTPOS": row["ITEM_NO"], "SERVICE_TYPE": row["SERVICE_TYPE"]}
                     for row in bdoc.data.get("SERVICE_TYPES") or []]
    return [RfcCall("FKK_VT_MAINTAIN", {
        "VT_HEADER": {"VTKEY": header["CONTRACT_ID"], "GPART": header["PARTNER"],
                      "VTBEZ": header.get("DESCRIPTION", ""),
                      "VTALT": header["CONTRACT_ID"], "BUKRS": header["COMP_CODE"],
                      "VTBEG": start(header["VALID_FROM"]),
                      "VTEND": end(header.get("VALID_TO", ""))},
        "VT_ITEMS": items, "VT_SERVICE_TYPES": service_types})]


def _blank(source: str) -> Any:
    return "0" if source in ("QUANTITY", "PRICE", "TOTAL_PRICE", "SSP", "TOTAL_SSP") else ""


def erp_links(bdoc_type: str, data: dict[str, Any]) -> list[ErpLink]:
    """The provider contract in FP_VT3."""
    vtkey = data["HEADER"]["CONTRACT_ID"]
    return [ErpLink("FP_VT3", f"provider contract {vtkey}", {"vtkey": vtkey})]


SCENARIO = CrmScenario(
    name="PROVCONTRACT",
    text="Provider contracts from CRM to FI-CA (Convergent Invoicing, revenue accounting)",
    types_file=Path(__file__).with_name("provcontract.toml"),
    adapters=(
        AdapterObject(
            name="PROVCONTRACT", text="Provider contract to FI-CA (DFKK_VT_H/DFKK_VT_I)",
            bdoc_type="CRM_PROVCONTRACT", site_type="R/3", to_erp=crm_provcontract_map_to_erp,
            queue_prefix="R3AUPRVCT", queue_key="HEADER.CONTRACT_ID",
            filter_fields=("COMP_CODE",)),
    ),
    links=erp_links,
    flow=(FlowKey("provider contract", "CRM_PROVCONTRACT", "HEADER.CONTRACT_ID"),),
)
