"""Scenario files: the shipped examples pass in-process, from the CLI and against a server; a
failing expectation shows expected vs. found; a step that cannot run stops the run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from sapgw.gateway.cli import main
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.scenario_files import LocalDriver, load, parse, run_scenario
from sapgw.gateway.scenario_files.drivers import HttpDriver
from sapgw.gateway.scenario_files.report import junit_xml, text_report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
EXAMPLE_FILES = sorted(EXAMPLES.glob("scenario_*"))
CONFIG = str(Path(__file__).resolve().parents[2] / "config.ini")

PROMOTION = {"HEADER": {"TPM_ID": "TPM1", "DESCRIPTION": "Summer", "COMP_CODE": "1000",
                        "SALES_ORG": "1000", "VALID_FROM": "2026-06-01",
                        "VALID_TO": "2026-12-31"}}


def scenario(*steps: dict[str, Any], **top: Any) -> Any:
    return parse({"scenario": "test", "clock": "2026-11-22T12:00:00Z", "steps": list(steps),
                  **top})


def test_the_examples_are_shipped():
    assert {p.name for p in EXAMPLE_FILES} >= {
        "scenario_funds.yaml", "scenario_funds_missing_promotion.yaml",
        "scenario_customer_delta.json"}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_each_example_passes_in_process(path: Path, sapgw: Gateway):
    outcome = run_scenario(load(path), LocalDriver(sapgw))
    assert outcome.passed, text_report(outcome)
    assert len(outcome.checks) >= 6


def test_cli_runs_the_examples_fresh_and_writes_junit(tmp_path: Path, capsys):
    junit = tmp_path / "junit.xml"
    code = main(["--config", CONFIG, "scenario", "run", "--fresh", "--junit", str(junit),
                 *map(str, EXAMPLE_FILES)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{len(EXAMPLE_FILES)} of {len(EXAMPLE_FILES)} scenarios passed" in out
    assert "ok    BDoc fpo1 state: F04" in out
    suites = ET.parse(junit).getroot()
    assert len(suites) == len(EXAMPLE_FILES)
    assert all(s.get("failures") == "0" and s.get("errors") == "0" for s in suites)
    assert sum(int(s.get("tests") or 0) for s in suites) >= 30


def test_a_wrong_expectation_fails_with_expected_and_found(tmp_path: Path, capsys):
    file = tmp_path / "scenario_wrong.yaml"
    file.write_text("""
scenario: wrong amount
clock: 2026-11-22
steps:
  - send: CRM_MKTPL
    as: tpm
    data: {HEADER: {TPM_ID: TPM1, DESCRIPTION: S, COMP_CODE: "1000", SALES_ORG: "1000",
                    VALID_FROM: "2026-06-01", VALID_TO: "2026-12-31"}}
expect:
  bdocs: {tpm: E06}
  queues: {R3AUMKTPLTPM1: SYSFAIL}
  tables:
    - {table: PROJ, where: "PSPID = 'TPM1'", rows: [{PSPID: TPM2}]}
    - {table: PROJ, count: 0, where: "PSPID = 'TPM1'"}
""", encoding="utf-8")
    junit = tmp_path / "j.xml"
    code = main(["--config", CONFIG, "scenario", "run", "--fresh", "--quiet", "--junit",
                 str(junit), str(file)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("FAIL  wrong amount")
    assert "FAIL  BDoc tpm state\n            expected E06\n            found    F04" in out
    assert "found    EMPTY" in out
    assert "missing {PSPID=TPM2}" in out
    assert "number of rows\n            expected 0\n            found    1" in out
    suite = ET.parse(junit).getroot()[0]
    assert (suite.get("tests"), suite.get("failures")) == ("4", "4")
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("message", "").startswith("expected E06, found F04")


def test_amounts_compare_as_decimal_and_sum(sapgw: Gateway):
    outcome = run_scenario(scenario(
        {"rfc": "BAPI_ACC_DOCUMENT_POST", "commit": True, "params": {
            "DOCUMENTHEADER": {"COMP_CODE": "1000", "PSTNG_DATE": "20261122",
                               "DOC_DATE": "20261122", "DOC_TYPE": "SA", "USERNAME": "T",
                               "REF_DOC_NO": "DEC1"},
            "ACCOUNTGL": [{"ITEMNO_ACC": "0000000001", "GL_ACCOUNT": "0000113100"},
                          {"ITEMNO_ACC": "0000000002", "GL_ACCOUNT": "0000140000"}],
            "CURRENCYAMOUNT": [
                {"ITEMNO_ACC": "0000000001", "CURRENCY": "EUR", "AMT_DOCCUR": "0.10"},
                {"ITEMNO_ACC": "0000000002", "CURRENCY": "EUR", "AMT_DOCCUR": "-0.10"}]}},
        expect={"tables": [
            {"table": "BKPF", "where": "XBLNR = 'DEC1'", "fields": ["BELNR"], "as": "doc",
             "rows": [{"BLDAT": "2026-11-22", "BUKRS": 1000}]},
            {"table": "BSEG", "where": "BELNR = '${doc.BELNR}'",
             "rows": [{"WRBTR": 0.1, "SHKZG": "S"}, {"WRBTR": "0.1000", "SHKZG": "H"}],
             "sum": {"WRBTR": "0.2"}}]}), LocalDriver(sapgw))
    assert outcome.passed, text_report(outcome)


def test_a_step_that_cannot_run_stops_the_run(sapgw: Gateway):
    outcome = run_scenario(scenario(
        {"send": "CRM_MKTPL", "data": PROMOTION},
        {"rfc": "Z_DOES_NOT_EXIST"},
        {"run": 5}), LocalDriver(sapgw))
    assert not outcome.passed
    assert "Z_DOES_NOT_EXIST" in (outcome.steps[1].error or "")
    assert outcome.not_run == ["step 3 (run)"]
    report = text_report(outcome)
    assert "ERROR" in report and "step 3 (run)           not run" in report
    root = ET.fromstring(junit_xml([outcome]))[0]
    assert (root.get("errors"), root.get("skipped")) == ("1", "1")


def test_rfc_return_error_stops_unless_allowed(sapgw: Gateway):
    call = {"rfc": "BAPI_CUSTOMER_CHANGEFROMDATA1", "params": {
        "CUSTOMERNO": "0000999999", "PI_SALESORG": "1000", "PI_DISTR_CHAN": "10",
        "PI_DIVISION": "00", "PI_COMPANYDATA": {"CITY": "Berlin"},
        "PI_COMPANYDATAX": {"CITY": "X"}}}
    failed = run_scenario(scenario(call), LocalDriver(sapgw))
    assert "RETURN E" in (failed.steps[0].error or "") and "allow_error" in failed.steps[0].error
    allowed = run_scenario(scenario({**call, "allow_error": True, "as": "answer"}),
                           LocalDriver(sapgw))
    assert allowed.passed, text_report(allowed)


def test_names_saved_by_as_fill_placeholders(sapgw: Gateway):
    outcome = run_scenario(scenario(
        {"send": "CRM_MKTPL", "as": "tpm", "data": PROMOTION},
        {"discard": "${tpm}"},  # ${tpm} is the BDoc id; I01 cannot be discarded
    ), LocalDriver(sapgw))
    bdoc_id = outcome.steps[0].text.split()[1]
    assert outcome.steps[1].error == (
        f"ActionRefused: BDoc {bdoc_id} in state I01 (Received) cannot be discarded; only "
        "BDocs in an error state can")
    missing = run_scenario(scenario({"reprocess": "${nobody.bdoc_id}"}), LocalDriver(sapgw))
    assert missing.steps[0].error == ("${nobody.bdoc_id}: no earlier step saved 'nobody' "
                                      "(`as: nobody`)")


def test_clock_steps_set_and_advance(sapgw: Gateway):
    outcome = run_scenario(scenario({"clock": {"set": "2026-12-31T08:00:00Z"}},
                                    {"clock": {"advance": "2d"}}), LocalDriver(sapgw))
    assert outcome.passed
    assert sapgw.clock.now().isoformat() == "2027-01-02T08:00:00+00:00"
    assert sapgw.clock.frozen  # `clock:` at the top froze it


def test_queue_steps_and_dependency_waiting(sapgw: Gateway):
    fund_usage = {"HEADER": {"FU_ID": "1792", "FUND_ID": "F", "FUND_TYPE": "TPM",
                             "TPM_ID": "TPM1", "COMP_CODE": "1000", "SALES_ORG": "1000",
                             "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1", "DESCRIPTION": "FU"},
                  "ITEMS": [{"ITEM_ID": "10", "AMOUNT": "5.00"}]}
    outcome = run_scenario(scenario(
        {"lock": "R3AUMKTPLTPM1"},
        {"send": "CRM_MKTPL", "as": "tpm", "data": PROMOTION},
        {"send": "CRM_FM_FU", "as": "fu", "data": fund_usage},
        {"expect": {"bdocs": {"fu": "I02"}, "queues": {
            "R3AUMKTPLTPM1": "STOP", "R3AUFMFU1792": {"status": "WAITING", "entries": 1}}}},
        {"unlock": "R3AUMKTPLTPM1"},
        expect={"bdocs": [{"type": "CRM_FM_FU", "key": "1792", "state": "F04", "count": 1}]},
    ), LocalDriver(sapgw))
    assert outcome.passed, text_report(outcome)


class Faults:
    def __init__(self) -> None:
        self.rules: list[dict[str, Any]] = []

    def add(self, rule: dict[str, Any]) -> dict[str, Any]:
        self.rules.append(rule)
        return {"id": len(self.rules), **rule}


def test_fault_and_reset_steps_use_the_seams(sapgw: Gateway, monkeypatch):
    rule = {"function": "BAPI_ACC_DOCUMENT_POST", "return": {"TYPE": "E"}, "count": 1}
    faults, resets = Faults(), []
    monkeypatch.setattr(sapgw, "faults", faults, raising=False)
    monkeypatch.setattr(sapgw, "reset", lambda state=None: resets.append(state), raising=False)
    outcome = run_scenario(scenario({"fault": rule, "as": "f"}, {"reset": None},
                                    {"reset": "empty"}), LocalDriver(sapgw))
    assert outcome.passed, text_report(outcome)
    assert faults.rules == [rule] and resets == [None, "empty"]

    monkeypatch.setattr(sapgw, "faults", None, raising=False)
    outcome = run_scenario(scenario({"fault": rule}), LocalDriver(sapgw))
    assert outcome.steps[0].error == ("this gateway has no failure injection (Gateway.faults, "
                                      "docs/FAULTS.md)")


@pytest.mark.server
def test_the_funds_example_passes_against_a_server(sapgw_server: str, capsys):
    driver = HttpDriver(sapgw_server)
    try:
        outcome = run_scenario(load(EXAMPLES / "scenario_funds.yaml"), driver)
    finally:
        driver.close()
    assert outcome.passed, text_report(outcome)
    code = main(["--config", CONFIG, "scenario", "run", "--url", sapgw_server, "--json",
                 str(EXAMPLES / "scenario_customer_delta.json")])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result[0]["passed"], result


def test_the_full_example_of_docs_scenarios_passes(sapgw: Gateway):
    import yaml

    text = (EXAMPLES.parents[1] / "docs" / "SCENARIOS.md").read_text(encoding="utf-8")
    block = text.split("## The format", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    outcome = run_scenario(parse(yaml.safe_load(block), "docs/SCENARIOS.md"),
                           LocalDriver(sapgw))
    assert outcome.passed, text_report(outcome)
    assert len(outcome.checks) == 7
