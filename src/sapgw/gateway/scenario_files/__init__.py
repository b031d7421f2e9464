"""Declarative scenario files: BDocs and IDocs to send, steps, the outcome to expect.

Not to be confused with CRM scenarios (`sapgw.adapters`): these are integration tests written
as YAML or JSON (docs/SCENARIOS.md). `load` reads and checks a file, `run_scenario` runs it on a
driver (in-process `LocalDriver` or `HttpDriver` against a server), `report` prints the outcome
and writes JUnit XML.
"""

from sapgw.gateway.scenario_files.drivers import HttpDriver, LocalDriver
from sapgw.gateway.scenario_files.model import Scenario, ScenarioError, Step, load, parse
from sapgw.gateway.scenario_files.results import Check, Outcome, StepResult
from sapgw.gateway.scenario_files.runner import run_scenario

__all__ = ["Check", "HttpDriver", "LocalDriver", "Outcome", "Scenario", "ScenarioError",
           "Step", "StepResult", "load", "parse", "run_scenario"]
