"""PS functions: trade promotions arriving as projects (CRM_MKTPL_R3_IN) and the project display.

A trade promotion (CRM marketing project) must exist in ERP as a PS project before its fund
usages can be transferred: CRMFM account assignments of controlling type T point to the
promotion's WBS element, and CRM_FM_ACCOUNTING_R3_IN refuses fund usages of a missing one.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.ps.maintenance import (
    ProjectData,
    add_wbs_element,
    change_project,
    create_project,
)
from sapgw.erp_stub.ps.projects import project, project_with_wbs, wbs_element, wbs_posid
from sapgw.rfc.ddic import CHAR, DATS, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("PS")

CRMS_MKTPL_ERP = structure(
    "CRMS_MKTPL_ERP",
    ("TPM_ID", CHAR(20), "Trade promotion (marketing project) ID"),
    ("DESCRIPTION", CHAR(40), "Description"),
    ("COMP_CODE", CHAR(4), "Company code"),
    ("SALES_ORG", CHAR(4), "Sales organization"),
    ("VALID_FROM", DATS, "Start of validity"),
    ("VALID_TO", DATS, "End of validity"),
)

BAPI_PROJECT_DEFINITION_EX = structure(
    "BAPI_PROJECT_DEFINITION_EX",
    ("PROJECT_DEFINITION", CHAR(24), "Project definition"),
    ("DESCRIPTION", CHAR(40), "Description"),
    ("COMP_CODE", CHAR(4), "Company code"),
    ("CONTROLLING_AREA", CHAR(4), "Controlling area"),
    ("START", DATS, "Planned start"),
    ("FINISH", DATS, "Planned finish"),
    ("OBJECT_NO", CHAR(22), "Object number (PROJ-OBJNR)"),
)

BAPI_WBS_ELEMENT_EXP = structure(
    "BAPI_WBS_ELEMENT_EXP",
    ("WBS_ELEMENT", CHAR(24), "WBS element"),
    ("PROJECT_DEFINITION", CHAR(24), "Project definition"),
    ("DESCRIPTION", CHAR(40), "Description"),
    ("COMPANY_CODE", CHAR(4), "Company code"),
    ("CONTROLLING_AREA", CHAR(4), "Controlling area"),
    ("OBJECT_NO", CHAR(22), "Object number (PRPS-OBJNR)"),
)


@group.function(interface("CRM_MKTPL_R3_IN", [
    importing("IS_MKTPL", CRMS_MKTPL_ERP, optional=False, text="Trade promotion"),
    tables("RETURN", BAPIRET2),
], text="CRM marketing project (trade promotion) -> PS project"))
def crm_mktpl_r3_in(ctx: CallContext, IS_MKTPL: dict[str, Any], RETURN: list[dict[str, Any]]
                    ) -> dict[str, Any]:
    RETURN.extend(replicate_promotion(ctx, IS_MKTPL))
    return {"RETURN": RETURN}


def replicate_promotion(ctx: CallContext, promotion: dict[str, Any]) -> list[dict[str, Any]]:
    """Create the promotion's project, or take over text and dates when it exists."""
    tpm_id = promotion["TPM_ID"]
    if not tpm_id:
        return [bapiret2("E", "CRM_MKTPL", "003", parameter="IS_MKTPL", field="TPM_ID")]
    start, finish = promotion["VALID_FROM"], promotion["VALID_TO"]
    if start and finish and start > finish:
        return [bapiret2("E", "CRM_MKTPL", "004", tpm_id, start, finish,
                         parameter="IS_MKTPL", field="VALID_TO")]
    company = fbas.company_code(ctx, promotion["COMP_CODE"])
    if company is None:
        return [bapiret2("E", "F5", "165", promotion["COMP_CODE"],
                         parameter="IS_MKTPL", field="COMP_CODE")]
    data = ProjectData(pspid=tpm_id, description=promotion["DESCRIPTION"] or tpm_id,
                       company_code=promotion["COMP_CODE"],
                       controlling_area=company.KOKRS, start=start, finish=finish)
    existing = project(ctx, tpm_id)
    if existing is None:
        create_project(ctx, data)
        return [bapiret2("S", "CRM_MKTPL", "001", tpm_id, tpm_id)]
    change_project(ctx, existing["PSPNR"], data)
    if wbs_element(ctx, wbs_posid(tpm_id)) is None:
        add_wbs_element(ctx, existing["PSPNR"], data)
    return [bapiret2("S", "CRM_MKTPL", "002", tpm_id, tpm_id)]


@group.function(interface("BAPI_PROJECT_GETINFO", [
    importing("PROJECT_DEFINITION", CHAR(24), optional=False, text="Project definition"),
    exporting("E_PROJECT_DEFINITION", BAPI_PROJECT_DEFINITION_EX),
    exporting("RETURN", BAPIRET2),
    tables("E_WBS_ELEMENT_TABLE", BAPI_WBS_ELEMENT_EXP),
], text="Project definition with its WBS elements (CJ20N display)"))
def bapi_project_getinfo(ctx: CallContext, PROJECT_DEFINITION: str,
                         E_WBS_ELEMENT_TABLE: list[dict[str, Any]]) -> dict[str, Any]:
    found = project_with_wbs(ctx, PROJECT_DEFINITION)
    if found is None:
        return {"RETURN": bapiret2("E", "CJ", "011", PROJECT_DEFINITION,
                                   parameter="PROJECT_DEFINITION")}
    definition = {
        "PROJECT_DEFINITION": found["PSPID"], "DESCRIPTION": found["POST1"],
        "COMP_CODE": found["VBUKR"], "CONTROLLING_AREA": found["VKOKR"],
        "START": found["PLFAZ"], "FINISH": found["PLSEZ"], "OBJECT_NO": found["OBJNR"],
    }
    E_WBS_ELEMENT_TABLE.extend({
        "WBS_ELEMENT": wbs["POSID"], "PROJECT_DEFINITION": found["PSPID"],
        "DESCRIPTION": wbs["POST1"], "COMPANY_CODE": wbs["PBUKR"],
        "CONTROLLING_AREA": wbs["PKOKR"], "OBJECT_NO": wbs["OBJNR"],
    } for wbs in found["WBS_ELEMENTS"])
    return {"E_PROJECT_DEFINITION": definition, "E_WBS_ELEMENT_TABLE": E_WBS_ELEMENT_TABLE}
