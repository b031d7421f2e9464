"""Unit tests of the gateway's pure parts: BDoc types, states, mapping, replication, config."""

import configparser
from decimal import Decimal
from pathlib import Path

import pytest

from sapgw.adapters.funds import business_key, crm_fm_accrual_mapping
from sapgw.adapters.registry import Scenarios, queue_name
from sapgw.adapters.scenarios import SCENARIOS
from sapgw.bdoc.states import BDocState, IllegalTransition, check_transition
from sapgw.gateway.config import ConfigError, parse_settings
from sapgw.gateway.replication.service import ReplicationService
from sapgw.rfc.connection import describe_from_params

ROOT = Path(__file__).resolve().parents[2]


def settings_with(**sections: dict[str, str]):
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "config.ini")
    for section, values in sections.items():
        name = section.replace("__", " ")
        if not parser.has_section(name):
            parser.add_section(name)
        parser[name].update(values)
    return parse_settings(parser, ROOT, None)


def load_types():
    return Scenarios(SCENARIOS).types


def test_validation_converts_and_lists_every_problem():
    fpo = load_types()["CRM_FM_FPO"]
    data, problems = fpo.validate({"HEADER": {
        "FPO_ID": "F1", "POSTING_TYPE": "REVERSAL", "POSTING_DATE": "2026-11-30",
        "FU_ID": "1791", "FU_ITEM": "10", "AMOUNT": "100.5", "CURRENCY": "EUR",
        "EXPENSE_TYPE": "TPM1", "SALES_ORG": "1000", "COMP_CODE": "1000", "EXTRA": "x"},
        "NOISE": {}})
    assert data["HEADER"]["FU_ID"] == "00000000000000001791"
    assert data["HEADER"]["AMOUNT"] == Decimal("100.50")
    assert data["HEADER"]["POSTING_DATE"] == "20261130"
    assert sorted(problems) == sorted([
        "segment NOISE: not a segment of CRM_FM_FPO (segments: HEADER)",
        "HEADER-EXTRA: unknown field",
        "HEADER-REVERSED_FPO_ID: is required"])
    _, problems = load_types()["CRM_FM_FU"].validate({"HEADER": {}, "ITEMS": []})
    assert "segment ITEMS: must be a non-empty list of rows" in problems
    assert load_types()["CRM_FM_FU"].validate([1, 2])[1] == ["data must be an object of segments"]


def test_state_machine_refuses_illegal_transitions():
    check_transition(BDocState.I01, BDocState.I02)
    check_transition(BDocState.E06, BDocState.F04)
    with pytest.raises(IllegalTransition, match="F04"):
        check_transition(BDocState.F04, BDocState.E06)
    with pytest.raises(IllegalTransition):
        check_transition(BDocState.I02, BDocState.F01)
    assert BDocState.E04.light == "red" and BDocState.F05.light == "green"


def test_accrual_mapping_builds_the_erp_transfer_structure():
    header, items = crm_fm_accrual_mapping({
        "FPO_ID": "F1", "POSTING_TYPE": "REVERSAL", "POSTING_DATE": "20261130",
        "FU_ID": "00000000000000001791", "FU_ITEM": "0010", "AMOUNT": Decimal("5.00"),
        "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1", "SALES_ORG": "1000", "COMP_CODE": "1000",
        "RUN_ID": "R1", "REVERSED_FPO_ID": "F0", "HEADER_TXT": ""})
    assert header["POSTING_TYPE"] == "R" and header["REVERSED_FPO_ID"] == "F0"
    assert items[0]["EXT_OBJECT_ID"] == "00000000000000001791/10"
    assert items[0]["BUS_SCENARIO"] == "CRMFM"
    assert business_key("1791", "10") == "00000000000000001791/10"


def test_queue_names_follow_the_adapter_rule():
    adapters = Scenarios(SCENARIOS)
    assert adapters.for_type("CRM_FM_FPO", "R/3").name == "ACCRUAL"
    assert queue_name("R3AUFMFPO", "00000000000000001791") == "R3AUFMFPO1791"
    assert len(queue_name("R3AUMKTPL", "X" * 40)) == 24


def test_subscription_criteria_select_receivers():
    data = {"HEADER": {"COMP_CODE": "1000", "SALES_ORG": "1000"}}
    open_sites = ReplicationService(settings_with()).receivers("CRM_FM_FU", data)
    assert [s.name for s in open_sites] == ["ERP"]
    filtered = settings_with(subscription__ERP__Fund__Usages={"criteria.COMP_CODE": "2000"})
    assert ReplicationService(filtered).receivers("CRM_FM_FU", data) == []
    assert ReplicationService(filtered).receivers("CRM_MKTPL", data) != []


def test_config_problems_name_section_and_key():
    with pytest.raises(ConfigError) as error:
        settings_with(gateway={"port": "99999", "queue_dependencies": "perhaps"},
                      destination__ERP={"type": "pyrfc"},
                      subscription__ERP__Fund__Usages={"criteria.COLOUR": "red"})
    problems = error.value.problems
    assert "[gateway] port: 99999 is outside 1..65535" in problems
    assert "[gateway] queue_dependencies: 'perhaps' is not yes or no" in problems
    assert any(p.startswith("[destination ERP] type: 'pyrfc'") for p in problems)
    assert any("COLOUR is not a criteria field" in p for p in problems)


def test_function_description_from_the_interface(sapgw):
    description = sapgw.destination("ERP").get_function_description("STFC_CONNECTION")
    assert [(p["name"], p["direction"]) for p in description["parameters"]] == [
        ("REQUTEXT", "RFC_IMPORT"), ("ECHOTEXT", "RFC_EXPORT"), ("RESPTEXT", "RFC_EXPORT")]
    bapiret = describe_from_params("X", [
        {"PARAMCLASS": "T", "PARAMETER": "RETURN", "TABNAME": "BAPIRET2", "FIELDNAME": "",
         "EXID": "h", "INTLENGTH": 10, "DECIMALS": 0, "DEFAULT": "", "PARAMTEXT": "",
         "OPTIONAL": "X", "OFFSET": 0},
        {"PARAMCLASS": "T", "PARAMETER": "RETURN", "TABNAME": "BAPIRET2", "FIELDNAME": "TYPE",
         "EXID": "C", "INTLENGTH": 2, "DECIMALS": 0, "DEFAULT": "", "PARAMTEXT": "",
         "OPTIONAL": "X", "OFFSET": 0}])
    assert bapiret["parameters"][0]["type_description"]["fields"][0]["name"] == "TYPE"
