"""Run a scenario on a driver: step after step, every expectation checked, nothing hidden.

A step that cannot be done (the gateway refuses a BDoc, an RFC call raises, a fault seam is
missing) stops the run: its error is reported and the later steps are listed as not run. An
expectation that does not hold is a failed check; the run goes on, so one report shows every
difference. Before each `expect` the queues run until nothing more can run now (`settle:
false` checks the state as it is).

`${name}` and `${name.FIELD}` in any text are replaced by what an earlier step saved with
`as: name`: a BDoc's `bdoc_id`, an IDoc's `DOCNUM`/`STATUS`, an RFC call's result, the first
row a table check read. `${run.id}` is a number unique to this run (keys that must not clash
with earlier runs on the same databases).
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Any

from sapgw.gateway.scenario_files import steps as step_verbs
from sapgw.gateway.scenario_files.expectations import evaluate
from sapgw.gateway.scenario_files.model import Scenario, Step
from sapgw.gateway.scenario_files.results import Outcome, StepResult
from sapgw.gateway.scenario_files.steps import StepFailed

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][\w-]*(?:\.[\w-]+)*)\}")
RUN_TIMEOUT = 60.0


def run_scenario(scenario: Scenario, driver: Any) -> Outcome:
    started = time.monotonic()
    outcome = Outcome(scenario.name, scenario.source)
    saved: dict[str, Any] = {"run": {"id": f"{int(time.time() * 1000) % 10**6:06d}"}}
    if scenario.clock is not None:
        driver.clock(scenario.clock, None, frozen=True)
    for index, step in enumerate(scenario.steps):
        result = StepResult(step.label)
        outcome.steps.append(result)
        try:
            _run_step(step, scenario, driver, saved, result)
        except Exception as error:  # the report names the step and the cause, no traceback
            result.error = _message(error)
            outcome.not_run = [s.label for s in scenario.steps[index + 1:]]
            break
    outcome.seconds = time.monotonic() - started
    return outcome


def _run_step(step: Step, scenario: Scenario, driver: Any, saved: dict[str, Any],
              result: StepResult) -> None:
    options = substitute(step.options, saved)
    if step.verb == "expect":
        if options.get("settle", True):
            driver.run_idle(RUN_TIMEOUT)
        result.text = "checked after the queues ran" if options.get("settle", True) else \
            "checked as it is"
        # each check is resolved just before it runs: a table check may use what the one
        # before it saved (`as`)
        result.checks = evaluate(step.value, driver, saved, lambda v: substitute(v, saved))
        return
    result.text = step_verbs.run_verb(step.verb, substitute(step.value, saved), options,
                                      scenario.base_dir, driver, saved)


def substitute(value: Any, saved: dict[str, Any]) -> Any:
    """`${name.FIELD}` replaced in every text of a value; floats made Decimal (amounts)."""
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole:
            return _lookup(whole.group(1), saved)
        return PLACEHOLDER.sub(lambda m: str(_lookup(m.group(1), saved)), value)
    if isinstance(value, dict):
        return {key: substitute(item, saved) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, saved) for item in value]
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _lookup(path: str, saved: dict[str, Any]) -> Any:
    name, *fields = path.split(".")
    if name not in saved:
        raise StepFailed(f"${{{path}}}: no earlier step saved {name!r} (`as: {name}`)")
    value = saved[name]
    if not fields and isinstance(value, dict):
        for key in ("bdoc_id", "DOCNUM"):  # ${tpm} is the BDoc id, ${customer} the DOCNUM
            if key in value:
                return value[key]
    for number, field in enumerate(fields):
        where = ".".join([name, *fields[:number]])
        if isinstance(value, dict) and field in value:
            value = value[field]
        elif isinstance(value, list) and field.isdigit() and int(field) < len(value):
            value = value[int(field)]
        else:
            known = ", ".join(map(str, value)) if isinstance(value, dict) else "none"
            raise StepFailed(f"${{{path}}}: {where} has no {field!r} (it has: {known or 'none'})")
    return value


def _message(error: Exception) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, StepFailed | LookupError | ValueError):
        return text
    return f"{type(error).__name__}: {text}"
