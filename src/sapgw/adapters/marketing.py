"""Trade promotions (CRM marketing projects) to ERP PS: mapping module and scenario declaration.

A trade promotion becomes an ERP project (PROJ, PSPID = TPM_ID) with one WBS element; the
fund usages of the funds scenario wait for it (their BDoc type depends on CRM_MKTPL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sapgw.adapters.scenario import AdapterObject, CrmScenario, ErpLink, FlowKey, MappingInput
from sapgw.types import RfcCall


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


def erp_links(bdoc_type: str, data: dict[str, Any]) -> list[ErpLink]:
    """The project the promotion created, in CJ20N."""
    project = data["HEADER"]["TPM_ID"]
    return [ErpLink("CJ20N", f"project {project}", {"project": project})]


SCENARIO = CrmScenario(
    name="MKTPL",
    text="Trade promotions (CRM marketing projects) to ERP projects (PS)",
    types_file=Path(__file__).with_name("marketing.toml"),
    adapters=(
        AdapterObject(
            name="MKTPL", text="Trade promotion to ERP project (PS)", bdoc_type="CRM_MKTPL",
            site_type="R/3", to_erp=crm_mktpl_map_to_erp,
            queue_prefix="R3AUMKTPL", queue_key="HEADER.TPM_ID",
            filter_fields=("COMP_CODE", "SALES_ORG")),
    ),
    links=erp_links,
    flow=(FlowKey("trade promotion", "CRM_MKTPL", "HEADER.TPM_ID"),),
)
