"""Mapping modules of Funds Management (seed 004): fund usages and fund postings to ERP.

CRM_FM_ACCOUNTING_MAP_TO_ERP (adapter object CRMFMACCOUNTING) asks the ERP for an account
assignment object per fund usage item; CRM_FM_ACCRUAL_MAP_TO_ERP (adapter object ACCRUAL)
calls CRM_FM_ACCRUAL_MAPPING to turn fund postings into the ERP transfer structure for
CRM_FM_ACL_ACCRUAL_R3_IN. The scenario's declaration (BDoc types in funds.toml, the two
adapter objects, the monitor's links to IAOMC and FB03) is at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sapgw.adapters.scenario import AdapterObject, CrmScenario, ErpLink, FlowKey, MappingInput
from sapgw.types import RfcCall

BUSINESS_SCENARIO = "CRMFM"
POSTING_TYPES = {"ACCRUAL": "A", "REVERSAL": "R"}


def business_key(fu_id: str, item_id: str) -> str:
    """IAOM business key: fund usage id with leading zeros (20) / item id, e.g. …1791/10."""
    item = item_id.strip()
    if item.isdigit():
        item = str(int(item))
    return f"{fu_id.zfill(20)}/{item}"


def crm_fm_accounting_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    header = bdoc.data["HEADER"]
    fund_usage = {field: header[field] for field in (
        "FU_ID", "FUND_ID", "FUND_TYPE", "TPM_ID", "COMP_CODE", "SALES_ORG", "CURRENCY",
        "EXPENSE_TYPE", "DESCRIPTION")}
    items = [{"ITEM_ID": item["ITEM_ID"], "AMOUNT": item["AMOUNT"],
              "EXPENSE_TYPE": item.get("EXPENSE_TYPE", "")} for item in bdoc.data["ITEMS"]]
    return [RfcCall("CRM_FM_ACCOUNTING_R3_IN", {"IS_FUND_USAGE": fund_usage, "IT_ITEMS": items})]


def crm_fm_accrual_mapping(posting: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """CRM_FM_ACCRUAL_MAPPING: a fund posting -> transfer header and items for the ERP."""
    header = {
        "FPO_ID": posting["FPO_ID"],
        "POSTING_TYPE": POSTING_TYPES[posting["POSTING_TYPE"]],
        "POSTING_DATE": posting["POSTING_DATE"],
        "DOC_DATE": posting["POSTING_DATE"],
        "COMP_CODE": posting["COMP_CODE"],
        "HEADER_TXT": posting.get("HEADER_TXT") or f"Accrual {posting['FPO_ID']}"[:25],
        "RUN_ID": posting.get("RUN_ID", ""),
        "REVERSED_FPO_ID": posting.get("REVERSED_FPO_ID", ""),
        "USERNAME": "CRM_FM",
    }
    item = {
        "ITEMNO_ACC": "1",
        "FU_ID": posting["FU_ID"],
        "FU_ITEM": posting["FU_ITEM"],
        "EXPENSE_TYPE": posting["EXPENSE_TYPE"],
        "SALES_ORG": posting["SALES_ORG"],
        "AMOUNT": posting["AMOUNT"],
        "CURRENCY": posting["CURRENCY"],
        "BUS_SCENARIO": BUSINESS_SCENARIO,
        "EXT_OBJECT_ID": business_key(posting["FU_ID"], posting["FU_ITEM"]),
        "ITEM_TEXT": f"Fund posting {posting['FPO_ID']}"[:50],
    }
    return header, [item]


def crm_fm_accrual_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    header, items = crm_fm_accrual_mapping(bdoc.data["HEADER"])
    return [RfcCall("CRM_FM_ACL_ACCRUAL_R3_IN", {"IS_HEADER": header, "IT_ITEMS": items})]


def erp_links(bdoc_type: str, data: dict[str, Any]) -> list[ErpLink]:
    """A fund usage: the IAOM assignment of each item; a fund posting: the assignment of its
    item and the accrual document, found in FB03 by its reference (XBLNR = FPO_ID)."""
    header = data["HEADER"]
    items = ([item["ITEM_ID"] for item in data["ITEMS"]] if bdoc_type == "CRM_FM_FU"
             else [header["FU_ITEM"]])
    links = [ErpLink("IAOMC", f"{BUSINESS_SCENARIO} {key}",
                     {"scenario": BUSINESS_SCENARIO, "key": key})
             for key in (business_key(header["FU_ID"], item) for item in items if item.strip())]
    if bdoc_type == "CRM_FM_FPO":
        links.append(ErpLink("FB03", f"accrual document {header['FPO_ID']}",
                             {"bukrs": header["COMP_CODE"], "xblnr": header["FPO_ID"]}))
    return links


SCENARIO = CrmScenario(
    name=BUSINESS_SCENARIO,
    text="Funds management: fund usages (IAOM assignments) and fund postings (accruals) to ERP",
    types_file=Path(__file__).with_name("funds.toml"),
    adapters=(
        AdapterObject(
            name="CRMFMACCOUNTING", text="Fund usage: account assignment object (IAOM) in ERP",
            bdoc_type="CRM_FM_FU", site_type="R/3", to_erp=crm_fm_accounting_map_to_erp,
            queue_prefix="R3AUFMFU", queue_key="HEADER.FU_ID",
            filter_fields=("COMP_CODE", "SALES_ORG")),
        AdapterObject(
            name="ACCRUAL", text="Fund posting: accrual document in ERP FI/CO",
            bdoc_type="CRM_FM_FPO", site_type="R/3", to_erp=crm_fm_accrual_map_to_erp,
            queue_prefix="R3AUFMFPO", queue_key="HEADER.FU_ID",
            filter_fields=("COMP_CODE", "SALES_ORG")),
    ),
    links=erp_links,
    flow=(FlowKey("fund usage", "CRM_FM_FU", "HEADER.FU_ID"),
          FlowKey("fund usage", "CRM_FM_FPO", "HEADER.FU_ID"),
          FlowKey("fund posting", "CRM_FM_FPO", "HEADER.FPO_ID")),
)
