"""CRM_BUAG_MAIN_MAP_TO_ERP (ours): a CRM business partner with its business agreement to
FI-CA's business partner and contract account (seed 002; reference domain.md §3.1: the
utilities/FI-CA replication object BUAG_MAIN, §9.2: CRMC_BUT_CALL_FU's BUAG entry
COM_BUAG_MWX_MAP_MAIN_CENTRAL).

The BDoc BUAG_MAIN goes through adapter object BUAG_MAIN, in the business agreement's
outbound queue R3AUBUAG<BUAG_ID>, as one call of the ERP's FKK_BUAG_MAINTAIN in one LUW:
the business partner (BUT000: created, or its names changed, when the BDoc carries its
PARTNER segment; else it must exist in the ERP) and the contract account (FKKVK/FKKVKP,
created or changed). The mapping is data: `PARTNER_FIELDS` and `ACCOUNT_FIELDS` say which
BDoc field fills which ERP field. What the ERP refuses (R11 901 partner unknown, FKK_CI 004
company code unknown, …) ends the BDoc in E08 with that message and it can be reprocessed
once the cause is corrected. Provider contracts (adapters/provcontract.py) refer to the
account by its number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sapgw.adapters.scenario import AdapterObject, CrmScenario, ErpLink, FlowKey, MappingInput
from sapgw.types import RfcCall

ERP_FUNCTION = "FKK_BUAG_MAINTAIN"
PARTNER_FIELDS = {  # BDoc PARTNER segment -> FKK_BUAG_PARTNER (BUT000)
    "CATEGORY": "TYPE", "GROUPING": "BU_GROUP", "SEARCHTERM": "BU_SORT1",
    "NAME_ORG1": "NAME_ORG1", "FIRSTNAME": "NAME_FIRST", "LASTNAME": "NAME_LAST"}
ACCOUNT_FIELDS = {  # BDoc HEADER -> FKK_BUAG_ACCOUNT (FKKVK, FKKVKP)
    "BUAG_ID": "VKONT", "ACCT_CAT": "VKTYP", "DESCRIPTION": "VKBEZ", "LEGACY_ACCT": "VKONA",
    "COMP_CODE_GROUP": "OPBUK", "COMP_CODE": "STDBK", "ACCT_DETERM_ID": "KOFIZ",
    "INV_CURRENCY": "INV_CURR"}


def crm_buag_main_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    header = bdoc.data["HEADER"]
    person = bdoc.data.get("PARTNER") or {}
    return [RfcCall(ERP_FUNCTION, {
        "IS_PARTNER": {"PARTNER": header["PARTNER"],
                       **{target: person.get(source) or ""
                          for source, target in PARTNER_FIELDS.items()}},
        "IS_ACCOUNT": {target: header.get(source) or ""
                       for source, target in ACCOUNT_FIELDS.items()}})]


def erp_links(bdoc_type: str, data: dict[str, Any]) -> list[ErpLink]:
    """The contract account in CAA3."""
    vkont = data["HEADER"]["BUAG_ID"]
    return [ErpLink("CAA3", f"contract account {vkont}", {"vkont": vkont})]


SCENARIO = CrmScenario(
    name="BUAG",
    text="Business partners with business agreements from CRM to FI-CA contract accounts",
    types_file=Path(__file__).with_name("buag.toml"),
    adapters=(
        AdapterObject(
            name="BUAG_MAIN", text="Business agreement to FI-CA (BUT000, FKKVK/FKKVKP)",
            bdoc_type="BUAG_MAIN", site_type="R/3", to_erp=crm_buag_main_map_to_erp,
            queue_prefix="R3AUBUAG", queue_key="HEADER.BUAG_ID",
            filter_fields=("COMP_CODE",)),
    ),
    links=erp_links,
    flow=(FlowKey("business agreement", "BUAG_MAIN", "HEADER.BUAG_ID"),),
)
