"""CRM_PROVCONTRACT_MAP_TO_ERP: BDoc fields to FKK_VT_MAINTAIN's, dates to UTC timestamps."""

from __future__ import annotations

from decimal import Decimal

from sapgw.adapters.provcontract import crm_provcontract_map_to_erp
from sapgw.adapters.registry import Scenarios
from sapgw.adapters.scenario import MappingInput
from sapgw.adapters.scenarios import SCENARIOS


def test_the_contract_becomes_one_call_with_timestamps() -> None:
    data, problems = Scenarios(SCENARIOS).types["CRM_PROVCONTRACT"].validate({
        "HEADER": {"CONTRACT_ID": "PC-1", "PARTNER": "200000", "COMP_CODE": "1000",
                   "VALID_FROM": "2026-12-01"},
        "ITEMS": [{"ITEM_NO": "10", "PRODUCT": "DEVICE", "CONTRACT_ACCOUNT": "300000",
                   "VALID_FROM": "20261201", "TOTAL_PRICE": "90", "CURRENCY": "EUR",
                   "RA_RELEVANT": "X", "SERVICE_TYPE": "RECFEE", "CHANGE_REASON": "RN"}],
        "SERVICE_TYPES": [{"ITEM_NO": "10", "SERVICE_TYPE": "USAGE"}]})
    assert problems == []

    [call] = crm_provcontract_map_to_erp(MappingInput("1" * 32, "CRM_PROVCONTRACT", data))

    assert call.function == "FKK_VT_MAINTAIN"
    header, [item] = call.params["VT_HEADER"], call.params["VT_ITEMS"]
    assert header == {"VTKEY": "PC-1", "GPART": "200000", "VTBEZ": "", "VTALT": "PC-1",
                      "BUKRS": "1000", "VTBEG": "20261201000000", "VTEND": "0"}
    assert (item["VTPOS"], item["VALFR"], item["VALTO"], item["VKONT"], item["PRDNR"]) == (
        "000010", "20261201000000", "0", "300000", "DEVICE")
    assert (item["RAREL"], item["RECURR_SERVICE_TYPE"], item["CHRSN"], item["TRPRC_CURR"]) == (
        "X", "RECFEE", "RN", "EUR")
    assert Decimal(item["TRPRC_TOTAL"]) == Decimal("90")
    assert call.params["VT_SERVICE_TYPES"] == [{"VTPOS": "000010", "SERVICE_TYPE": "USAGE"}]


def test_a_missing_required_field_is_a_validation_problem() -> None:
    _, problems = Scenarios(SCENARIOS).types["CRM_PROVCONTRACT"].validate({
        "HEADER": {"CONTRACT_ID": "PC-1", "COMP_CODE": "1000", "VALID_FROM": "2026-12-01"},
        "ITEMS": [{"ITEM_NO": "10", "PRODUCT": "DEVICE", "VALID_FROM": "20261201"}]})
    assert any("PARTNER" in problem for problem in problems)
    assert any("CONTRACT_ACCOUNT" in problem for problem in problems)
