"""Bad scenario files are refused before anything runs, with a sentence per problem naming the
step and the field; values compare by their ABAP type; the pytest plugin collects files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sapgw.gateway.cli import main
from sapgw.gateway.scenario_files import ScenarioError, load, parse
from sapgw.gateway.scenario_files.steps import StepFailed, duration
from sapgw.gateway.scenario_files.table_checks import same

SRC = Path(__file__).resolve().parents[2] / "src"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"


def problems(data: Any) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse(data, "s.yaml")
    return caught.value.problems


def steps(*items: Any, **top: Any) -> dict[str, Any]:
    return {"scenario": "x", "steps": list(items), **top}


@pytest.mark.parametrize(("data", "expected"), [
    ([1], "must be a mapping with `scenario` (a name) and `steps` (a list), found a list"),
    ({"steps": [{"run": None}]}, "`scenario` must be the scenario's name (a non-empty string)"),
    ({"scenario": "x"}, "`steps` must be a non-empty list of steps, found nothing"),
    (steps({"run": None}, given=1), "unknown key `given` at the top (known: clock, "
                                    "description, expect, scenario, steps)"),
    (steps({"sendd": "CRM_MKTPL"}), "step 1: needs exactly one of send, idoc, idoc_file, rfc, "
                                    "run, clock, fault, reset, reprocess, discard, "
                                    "set_processed, lock, unlock, activate, expect; found none "
                                    "(keys: sendd)"),
    (steps({"run": None, "reset": None}), "step 1: needs exactly one of"),
    (steps({"send": "CRM_MKTPL"}), "step 1 (send): give either `data` (one BDoc) or `items`"),
    (steps({"send": "CRM_MKTPL", "data": [1]}), "step 1 (send): `data` must be a mapping of "
                                                "the BDoc's segments, found a list"),
    (steps({"send": "CRM_FM_FPO", "items": [{}, {}], "as": "x"}),
     "step 1 (send): with `items`, `as` must be a list of one name per item"),
    (steps({"send": None, "data": {}}), "step 1 (send): `send` must be a BDoc type, found "
                                        "nothing"),
    (steps({"send": "T", "data": {}, "wait": True}), "step 1 (send): unknown option `wait` "
                                                     "(this step takes: as, data, items, sender)"),
    (steps({"idoc": "DEBMAS07"}), "step 1 (idoc): needs `segments`"),
    (steps({"period_end": "2026-12"}), "step 1: `period_end`: the ERP stub has no period-end "
                                       "runs yet"),
    (steps({"clock": "tomorrow"}), "step 1 (clock): `clock` must be an ISO date or date-time"),
    (steps({"clock": {"advance": "1d", "set": "2026-01-01"}}), "step 1 (clock): `clock` takes"),
    (steps({"lock": "Q", "direction": "up"}), "step 1 (lock): `direction` must be `out` (SMQ1) "
                                              "or `in` (SMQ2)"),
    (steps({"expect": {"bdoc": {}}}), "step 1 (expect): unknown expectation `bdoc` (known: "
                                      "bdocs, queues, idocs, tables)"),
    (steps({"expect": {"bdocs": [{"state": "F04"}]}}),
     "step 1 (expect): bdocs[1]: needs `name` (saved by a send's `as`) or `type`"),
    (steps({"expect": {"bdocs": [{"type": "T", "count": -1}]}}),
     "step 1 (expect): bdocs[1]: `count` must be a whole number ≥ 0"),
    (steps({"run": None}, expect={"tables": [{"where": "A = 'B'", "rows": [{"A": 1}]}]}),
     "final expect: tables[1]: needs `table`, the SAP table's name (e.g. BKPF)"),
    (steps({"run": None}, expect={"tables": [{"table": "BKPF"}]}),
     "final expect: tables[1]: says nothing to check (give rows, contains, count, sum or as)"),
    (steps({"run": None}, expect={"tables": [{"table": "BKPF", "rows": {"A": 1}}]}),
     "final expect: tables[1]: `rows` must be a list of mappings (field: value)"),
    (steps({"run": None}, expect={"queues": {"Q": {"state": "READY"}}}),
     "final expect: queues[Q]: unknown field `state` (known: direction, entries, error, "
     "status)"),
])
def test_a_bad_file_gets_a_sentence_naming_step_and_field(data: Any, expected: str):
    found = problems(data)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_listed_at_once():
    found = problems(steps({"send": "T"}, {"nope": 1}, {"clock": "x"}))
    assert [p.split(":")[0] for p in found] == ["step 1 (send)", "step 2", "step 3 (clock)"]


def test_files_that_are_not_yaml_or_json(tmp_path: Path):
    bad_yaml = tmp_path / "scenario_a.yaml"
    bad_yaml.write_text("scenario: x\nsteps:\n  - send: [\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"(?s)is not valid YAML: .*line 4"):
        load(bad_yaml)
    bad_json = tmp_path / "scenario_b.json"
    bad_json.write_text('{"scenario": "x",}', encoding="utf-8")
    with pytest.raises(ScenarioError, match="is not valid JSON"):
        load(bad_json)
    with pytest.raises(ScenarioError, match="cannot be read"):
        load(tmp_path / "scenario_none.yaml")


def test_cli_refuses_a_bad_file_with_exit_2(tmp_path: Path, capsys):
    file = tmp_path / "scenario_bad.yaml"
    file.write_text("scenario: bad\nsteps:\n  - send: CRM_MKTPL\n", encoding="utf-8")
    assert main(["scenario", "check", str(file)]) == 2
    assert "step 1 (send): give either `data`" in capsys.readouterr().err
    assert main(["scenario", "check", str(EXAMPLES / "scenario_funds.yaml")]) == 0
    assert "no problems" in capsys.readouterr().out


@pytest.mark.parametrize(("expected", "found", "abap_type", "equal"), [
    ("250.00", "250.00", "P", True), (250, "250.00", "P", True), (250.5, "250.50", "P", True),
    ("250.00", "250.00-", "P", False), ("-250", "250.00-", "P", True), ("0", "", "P", True),
    ("abc", "1.00", "P", False), (3, "3", "I", True),
    (1000, "1000", "C", True), (477000, "0000477000", "N", True),
    (477000, "0000477000", "C", False), ("0000477000", "0000477000", "C", True),
    (date(2026, 11, 22), "20261122", "D", True), ("2026-11-22", "20261122", "D", True),
    (True, "X", "C", True), (False, "", "C", True), (None, "", "C", True),
])
def test_values_compare_by_abap_type(expected: Any, found: str, abap_type: str, equal: bool):
    assert same(expected, found, abap_type) is equal


def test_durations():
    assert duration("2d").days == 2 and duration("90").seconds == 90
    assert duration("1.5h").seconds == 5400
    with pytest.raises(StepFailed, match="no duration"):
        duration("soon")


def test_pytest_plugin_collects_scenario_files(tmp_path: Path):
    shutil.copy(EXAMPLES / "scenario_funds_missing_promotion.yaml", tmp_path)
    (tmp_path / "scenario_wrong.json").write_text(
        '{"scenario": "wrong", "steps": [{"send": "CRM_MKTPL", "as": "t", "data": {"HEADER": '
        '{"TPM_ID": "T1", "DESCRIPTION": "D", "COMP_CODE": "1000", "SALES_ORG": "1000", '
        '"VALID_FROM": "2026-01-01", "VALID_TO": "2026-12-31"}}}], '
        '"expect": {"bdocs": {"t": "E04"}}}', encoding="utf-8")
    (tmp_path / "scenario_bad.yaml").write_text("scenario: bad\nsteps: []\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("not: collected\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "--continue-on-collection-errors", str(tmp_path)], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300)
    out = run.stdout
    assert run.returncode == 1, out
    assert "1 failed, 1 passed, 1 error" in out, out
    assert "FAIL  BDoc t state\n            expected E04\n            found    F04" in out
    assert "`steps` must be a non-empty list of steps, found an empty list" in out
