"""Mapping module for trade promotions (CRM marketing projects) to ERP PS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sapgw.types import RfcCall

if TYPE_CHECKING:
    from sapgw.adapters.registry import MappingInput


def crm_mktpl_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    """CRM_MKTPL_MAP_TO_ERP: one call of CRM_MKTPL_R3_IN with the promotion's header."""
    header = bdoc.data["HEADER"]
    return [RfcCall("CRM_MKTPL_R3_IN", {"IS_MKTPL": {
        "TPM_ID": header["TPM_ID"],
        "DESCRIPTION": header["DESCRIPTION"],
        "COMP_CODE": header["COMP_CODE"],
        "SALES_ORG": header["SALES_ORG"],
        "VALID_FROM": header["VALID_FROM"],
        "VALID_TO": header["VALID_TO"],
    }})]
