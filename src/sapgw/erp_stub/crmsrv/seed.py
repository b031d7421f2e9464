"""crmsrv's seed: the data set's CRM Service controlling customizing into its tables
(missing rows only, as every application's seed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.crmsrv.tables import (
    CRMC_CATS_CO,
    CRMSRV_BADI,
    CRMSRV_ITMCAT,
    CRMSRV_KALV,
    CRMSRV_TOOL,
    IAOM_CRMSRV_CSC,
    IAOM_CRMSRV_CTP,
)
from sapgw.erp_stub.kernel.conversions import alpha

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

FIRST_DAY = "19000101"


def seed(system: ErpSystem, data: DataSet) -> None:
    system.seed_rows(IAOM_CRMSRV_CTP, [{
        "PROCESS_TYPE_CTP": process_type, "SERVICE_ORG_CTP": spec.get("service_org", ""),
        "VALID_FROM": spec.get("valid_from", FIRST_DAY),
        "CO_TYPE": spec.get("co_type", "01"), "CO_LEVEL": spec.get("co_level", "0001"),
        "CO_REFERENCE": "X" if spec.get("co_reference") else ""}
        for process_type, spec in data.table("crmsrv_controlling_types").items()])
    system.seed_rows(IAOM_CRMSRV_CSC, [{
        "PROCESS_TYPE_CSC": process_type, "SERVICE_ORG_CSC": spec.get("service_org", ""),
        "VALID_FROM": spec.get("valid_from", FIRST_DAY), "KLVAR": spec.get("costing_variant", ""),
        "ABGSL": spec.get("ra_key", ""), "AUFPAR": spec.get("settlement_profile", ""),
        "STRATSEQ": spec.get("strategy_sequence", ""), "AUART": spec.get("order_type", ""),
        "REV_KSTAR": alpha(spec.get("revenue_element", ""), 10),
        "SD_AUART": spec.get("sales_document_type", ""),
        "VTWEG": spec.get("distribution_channel", ""), "SPART": spec.get("division", ""),
        "ERSCH": spec.get("pa_transfer_structure", "")}
        for process_type, spec in data.table("crmsrv_controlling_scenarios").items()])
    system.seed_rows(CRMC_CATS_CO, [_derivation(key, spec) for key, spec
                                    in data.table("crmsrv_cats_derivation").items()])
    system.seed_rows(CRMSRV_ITMCAT, [{
        "ITM_TYPE": itm_type, "KIND": spec["kind"], "TEXT": spec.get("text", "")[:40],
        "WERKS": spec.get("plant", ""), "LGORT": spec.get("storage_location", "")}
        for itm_type, spec in data.table("crmsrv_item_categories").items()])
    system.seed_rows(CRMSRV_TOOL, [{
        "PRODUCT_ID": product, "KOKRS": spec["controlling_area"],
        "KOSTL": alpha(spec["cost_center"], 10), "LSTAR": spec["activity_type"]}
        for product, spec in data.table("crmsrv_tools").items()])
    system.seed_rows(CRMSRV_KALV, [{
        "KLVAR": klvar, "TEXT": spec.get("text", "")[:40],
        "LABOUR_KOSTL": alpha(spec["labour_cost_center"], 10),
        "VERSN": spec.get("version", "000"),
        "MAT_KSTAR": alpha(spec["material_cost_element"], 10)}
        for klvar, spec in data.table("crmsrv_costing_variants").items()])
    system.seed_rows(CRMSRV_BADI, [{"EXIT_NAME": name, "CALLABLE": path} for name, path
                                   in data.table("crmsrv_badi_implementations").items()])


def _derivation(key: str, spec: dict[str, Any]) -> dict[str, Any]:
    """"ITEM/SERVICE_TYPE/VALUATION_TYPE" (blanks allowed) -> a CRMC_CATS_CO row."""
    parts = [*key.split("/"), "", ""]
    return {"CRM_ITEM_TYPE": parts[0], "CRM_SRV_TYPE": parts[1], "CRMT_VAL_TYPE": parts[2],
            "CATS_AWART": spec.get("attendance_type", ""),
            "CATSCO_KOKRS": spec.get("controlling_area", ""),
            "CATSCO_LSTAR": spec.get("activity_type", ""),
            "CATSCO_KSTAR": alpha(spec["cost_element"], 10) if spec.get("cost_element") else ""}
