"""CRM scenario declarations: what the catalogue accepts, refuses at load, and answers."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from sapgw.adapters import bupa, funds, marketing, service
from sapgw.adapters.registry import MappingError, ScenarioError, Scenarios
from sapgw.adapters.scenario import (
    AdapterObject,
    CrmScenario,
    ErpLink,
    MappingInput,
    Route,
    Wait,
)
from sapgw.adapters.scenarios import SCENARIOS
from sapgw.types import RfcCall

CUSTOMER_TYPE = """
[BUPA_TEST]
text = "Customer from the ERP (test type)"
key = "HEADER.KUNNR"
flow_queue = "CSABUPA"

[BUPA_TEST.segments.HEADER.fields]
KUNNR = "CHAR 10 required"
NAME1 = "CHAR 35 required"
"""


def types_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def customer_from_erp(params: dict) -> dict:
    """A R/3 -> CRM mapping module: received RFC parameters -> BDoc data."""
    return {"HEADER": {"KUNNR": params["CUSTOMERNO"], "NAME1": params["NAME"]}}


def customer_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    return [RfcCall("BAPI_CUSTOMER_CHANGEFROMDATA1", {"CUSTOMERNO": bdoc.data["HEADER"]["KUNNR"]})]


def customer_scenario(tmp_path: Path, **adapter: object) -> CrmScenario:
    spec = {"name": "CUSTOMER_TEST", "text": "Customer", "bdoc_type": "BUPA_TEST",
            "from_erp": customer_from_erp, **adapter}
    return CrmScenario("BUPA_TEST", "Customers from the ERP (test)",
                       types_file(tmp_path, "bupa.toml", CUSTOMER_TYPE),
                       (AdapterObject(**spec),))  # type: ignore[arg-type]


def test_the_gateway_scenarios_declare_every_type_once():
    scenarios = Scenarios(SCENARIOS)
    assert sorted(scenarios.types) == ["BUAG_MAIN", "BUPA_MAIN", "BUS_TRANS_MSG",
                                       "CRM_FM_FPO", "CRM_FM_FU", "CRM_MKTPL",
                                       "CRM_PROVCONTRACT", "CRM_VEHICLE", "VEND_MAIN"]
    assert scenarios.scenario_of("BUPA_MAIN") is bupa.SCENARIO
    assert scenarios.from_site("CUSTOMER_MAIN").bdoc_type == "BUPA_MAIN"
    assert scenarios.scenario_of("CRM_FM_FPO") is funds.SCENARIO
    assert scenarios.scenario_of("CRM_MKTPL") is marketing.SCENARIO
    accrual = scenarios.for_type("CRM_FM_FPO", "R/3")
    assert accrual is not None and accrual.name == "ACCRUAL"
    assert accrual.mapping_module == "CRM_FM_ACCRUAL_MAP_TO_ERP"
    assert accrual.queue_name("00000000000000001791") == "R3AUFMFPO1791"
    assert scenarios.for_type("CRM_FM_FPO", "XIF") is None


def test_links_are_computed_from_the_declaration():
    scenarios = Scenarios(SCENARIOS)
    fu = {"HEADER": {"FU_ID": "1791", "FUND_ID": "F", "COMP_CODE": "1000", "SALES_ORG": "1000",
                     "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1"},
          "ITEMS": [{"ITEM_ID": "10", "AMOUNT": "1"}, {"ITEM_ID": "0020", "AMOUNT": "2"}]}
    assert scenarios.links("CRM_FM_FU", fu) == [
        ErpLink("IAOMC", "CRMFM 00000000000000001791/10",
                {"scenario": "CRMFM", "key": "00000000000000001791/10"}),
        ErpLink("IAOMC", "CRMFM 00000000000000001791/20",
                {"scenario": "CRMFM", "key": "00000000000000001791/20"})]
    fpo = {"HEADER": {"FPO_ID": "FPO1", "POSTING_TYPE": "ACCRUAL", "POSTING_DATE": "20261130",
                      "FU_ID": "1791", "FU_ITEM": "10", "AMOUNT": Decimal("5"),
                      "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1", "SALES_ORG": "1000",
                      "COMP_CODE": "2000"}}
    found = scenarios.links("CRM_FM_FPO", fpo)
    assert [(link.transaction, dict(link.params)) for link in found] == [
        ("IAOMC", {"scenario": "CRMFM", "key": "00000000000000001791/10"}),
        ("FB03", {"bukrs": "2000", "xblnr": "FPO1"})]
    tpm = {"HEADER": {"TPM_ID": "TPM1", "DESCRIPTION": "x", "COMP_CODE": "1000",
                      "SALES_ORG": "1000", "VALID_FROM": "20260101", "VALID_TO": "20261231"}}
    assert scenarios.links("CRM_MKTPL", tpm) == [ErpLink("CJ20N", "project TPM1",
                                                         {"project": "TPM1"})]
    # Data that fails validation (E04) produced nothing in the ERP; unknown types have no links.
    assert scenarios.links("CRM_FM_FPO", {"HEADER": {"FPO_ID": "FPO1"}}) == []
    assert scenarios.links("CRM_FM_FPO", "not an object") == []
    assert scenarios.links("NO_SUCH_TYPE", fpo) == []


def test_duplicate_bdoc_type_across_two_scenarios_is_refused_naming_both(tmp_path):
    copy = replace(marketing.SCENARIO, name="COPY", adapters=(), links=None,
                   types_file=types_file(tmp_path, "copy.toml",
                                         marketing.SCENARIO.types_file.read_text()))
    with pytest.raises(ScenarioError) as refused:
        Scenarios([*SCENARIOS, copy])
    assert refused.value.problems == [
        "BDoc type CRM_MKTPL is declared by scenario MKTPL (marketing.toml) and by scenario "
        "COPY (copy.toml)"]


def test_bad_mappings_are_refused_at_load_with_every_problem(tmp_path):
    def two_arguments(bdoc, site):
        return []

    bad = customer_scenario(tmp_path, to_erp=two_arguments, from_erp="BUPA_MWX",
                            queue_key="HEADER.NOPE", filter_fields=("REGION",))
    with pytest.raises(ScenarioError) as refused:
        Scenarios([bad])
    assert refused.value.problems == [
        "adapter object CUSTOMER_TEST: to_erp TWO_ARGUMENTS must take exactly one argument; "
        "it takes (bdoc, site)",
        "adapter object CUSTOMER_TEST: from_erp is not a function: 'BUPA_MWX'",
        "adapter object CUSTOMER_TEST: queue_prefix is required with a mapping to the ERP",
        "adapter object CUSTOMER_TEST: queue_key 'HEADER.NOPE' is not a field of BDoc type "
        "BUPA_TEST (SEGMENT.FIELD)",
        "adapter object CUSTOMER_TEST: filter field REGION is not a field of BDoc type "
        "BUPA_TEST"]
    none = customer_scenario(tmp_path, from_erp=None)
    with pytest.raises(ScenarioError, match="declares no mapping module"):
        Scenarios([none])


def test_scenarios_that_do_not_fit_together_are_refused(tmp_path):
    stray = replace(customer_scenario(tmp_path), adapters=(
        AdapterObject("CUSTOMER_TEST", "Customer", "CRM_MKTPL", from_erp=customer_from_erp),))
    twice = replace(customer_scenario(tmp_path), name="BUPA2", types_file=types_file(
        tmp_path, "empty.toml", ""))
    dependent = replace(customer_scenario(tmp_path), types_file=types_file(
        tmp_path, "dep.toml", CUSTOMER_TYPE.replace(
            'flow_queue = "CSABUPA"',
            'flow_queue = "CSABUPA"\ndepends_on = [{ type = "BUPA_REL", key = "HEADER.KUNNR" }]')))
    with pytest.raises(ScenarioError) as refused:
        Scenarios([stray])
    assert refused.value.problems == [
        "adapter object CUSTOMER_TEST of scenario BUPA_TEST maps BDoc type CRM_MKTPL, which "
        "bupa.toml does not declare (its types: BUPA_TEST)"]
    with pytest.raises(ScenarioError, match="adapter object CUSTOMER_TEST is declared twice"):
        Scenarios([customer_scenario(tmp_path), twice])
    with pytest.raises(ScenarioError, match="depends on BUPA_REL, which no scenario declares"):
        Scenarios([dependent])
    broken = replace(customer_scenario(tmp_path),
                     types_file=types_file(tmp_path, "broken.toml", "[X\n"))
    with pytest.raises(ScenarioError, match=r"scenario BUPA_TEST: BDoc types file .*broken\.toml"):
        Scenarios([broken])


def test_an_inbound_scenario_maps_received_parameters_to_bdoc_data(tmp_path):
    """R/3 -> CRM: the adapter object named in the call turns its parameters into a BDoc."""
    scenarios = Scenarios([*SCENARIOS, customer_scenario(tmp_path)])
    adapter = scenarios.from_site("CUSTOMER_TEST")
    assert adapter.mapping_module == "CUSTOMER_FROM_ERP"
    data = adapter.map_from_erp({"CUSTOMERNO": "0000001000", "NAME": "Becker Berlin"})
    assert scenarios.types[adapter.bdoc_type].validate(data) == (
        {"HEADER": {"KUNNR": "0000001000", "NAME1": "Becker Berlin"}}, [])
    # It sends nothing to the ERP: no CRM -> R/3 mapping module was declared.
    assert scenarios.for_type("BUPA_TEST", "R/3") is None
    with pytest.raises(MappingError, match="CUSTOMER_FROM_ERP: KeyError: 'NAME'"):
        adapter.map_from_erp({"CUSTOMERNO": "1000"})
    with pytest.raises(MappingError, match=r"no adapter object 'ACCRUAL' with a mapping module "
                                           r"R/3 -> CRM \(known: CUSTOMER_MAIN, CUSTOMER_TEST, "
                                           r"VEHICLE, VENDOR_MAIN\)"):
        scenarios.from_site("ACCRUAL")


def test_one_adapter_object_may_map_both_directions(tmp_path):
    both = customer_scenario(tmp_path, to_erp=customer_to_erp, queue_prefix="R3AUBUPA",
                             queue_key="HEADER.KUNNR")
    scenarios = Scenarios([both])
    adapter = scenarios.for_type("BUPA_TEST", "R/3")
    assert adapter is scenarios.from_site("CUSTOMER_TEST")
    assert adapter.mapping_module == "CUSTOMER_TO_ERP / CUSTOMER_FROM_ERP"
    calls = adapter.map_to_erp(MappingInput("B1", "BUPA_TEST", {"HEADER": {"KUNNR": "1000"}}))
    assert calls == [RfcCall("BAPI_CUSTOMER_CHANGEFROMDATA1", {"CUSTOMERNO": "1000"})]
    assert adapter.queue_name("0000001000") == "R3AUBUPA1000"
    with pytest.raises(MappingError, match="CUSTOMER_TO_ERP: KeyError: 'HEADER'"):
        adapter.map_to_erp(MappingInput("B1", "BUPA_TEST", {}))


def test_one_type_routed_by_a_field_to_several_adapter_objects():
    scenarios = Scenarios(SCENARIOS)
    assert scenarios.scenario_of("BUS_TRANS_MSG") is service.SCENARIO
    routed = {process_type: scenarios.for_type("BUS_TRANS_MSG", "R/3",
                                               {"HEADER": {"PROCESS_TYPE": process_type}})
              for process_type in ("SRVO", "SC", "SRVC", "ZZZZ")}
    assert {k: a.name if a else None for k, a in routed.items()} == {
        "SRVO": "SERVICE_ORDER", "SC": "SERVICE_CONTRACT", "SRVC": "SERVICE_CONFIRM",
        "ZZZZ": None}
    assert scenarios.for_type("BUS_TRANS_MSG", "R/3") is None, "no data: no route"


ORDER_TYPE = """
[ORDER_TEST]
text = "One-order (test type)"
key = "HEADER.OBJECT_ID"
flow_queue = "CSAORD"

[ORDER_TEST.segments.HEADER.fields]
OBJECT_ID = "CHAR 10 required"
PROCESS_TYPE = "CHAR 4 required"
PREDECESSOR = "CHAR 10"
"""


def order_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    return [RfcCall("RFC_PING", {})]


def test_overlapping_routes_and_unknown_waits_are_refused(tmp_path):
    def adapter(name: str, values: tuple[str, ...], **more: object) -> AdapterObject:
        return AdapterObject(name=name, text=name, bdoc_type="ORDER_TEST", to_erp=order_to_erp,
                             queue_prefix=name[:4], queue_key="HEADER.OBJECT_ID",
                             route=Route("HEADER.PROCESS_TYPE", values), **more)  # type: ignore[arg-type]

    path = types_file(tmp_path, "order.toml", ORDER_TYPE)
    fine = CrmScenario("ORD", "Orders", path, (
        adapter("ORDA", ("A",)), adapter("ORDB", ("B",), waits_for=(
            Wait("ORDA", "HEADER.PREDECESSOR"),))))
    assert Scenarios([fine]).for_type("ORDER_TEST", "R/3",
                                      {"HEADER": {"PROCESS_TYPE": "B"}}).name == "ORDB"
    bad = CrmScenario("ORD", "Orders", path, (
        adapter("ORDA", ("A", "B")), adapter("ORDB", ("B",), waits_for=(
            Wait("NOPE", "HEADER.PREDECESSOR"), Wait("ORDA", "HEADER.NOFIELD")))))
    with pytest.raises(ScenarioError) as refused:
        Scenarios([bad])
    assert len(refused.value.problems) == 3
    assert any("ORDA and ORDB both map" in p for p in refused.value.problems)
    assert any("waits for adapter object NOPE" in p for p in refused.value.problems)
    assert any("'HEADER.NOFIELD'" in p for p in refused.value.problems)
