"""Mapping modules of Funds Management (seed 004): fund usages and fund postings to ERP.

CRM_FM_ACCOUNTING_MAP_TO_ERP (adapter object CRMFMACCOUNTING) asks the ERP for an account
assignment object per fund usage item; CRM_FM_ACCRUAL_MAP_TO_ERP (adapter object ACCRUAL)
calls CRM_FM_ACCRUAL_MAPPING to turn fund postings into the ERP transfer structure for
CRM_FM_ACL_ACCRUAL_R3_IN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.types import RfcCall

if TYPE_CHECKING:
    from sapgw.adapters.registry import MappingInput

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
