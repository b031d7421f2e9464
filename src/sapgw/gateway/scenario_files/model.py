"""A scenario file read and checked before anything runs: every problem, one sentence each.

A scenario is a name, an optional start time for the clock, an ordered list of steps and an
optional final `expect`. Each step is a mapping with exactly one verb (`send`, `idoc`, `rfc`,
`run`, `clock`, `fault`, `reset`, `reprocess`, …, `expect`) and the options that verb takes.
Checking here is structural (names, types, required options); what the values mean (a BDoc
type, a table) is the gateway's to judge when the step runs. docs/SCENARIOS.md is the format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sapgw.gateway.scenario_files.expectations import expectation_problems

TOP_KEYS = {"scenario", "description", "clock", "steps", "expect"}
# verb -> (options it takes, options it needs)
VERBS: dict[str, tuple[set[str], set[str]]] = {
    "send": ({"data", "items", "sender", "as"}, set()),
    "idoc": ({"segments", "control", "as"}, {"segments"}),
    "idoc_file": ({"as"}, set()),
    "rfc": ({"params", "commit", "allow_error", "as"}, set()),
    "run": ({"timeout"}, set()),
    "clock": (set(), set()),
    "fault": ({"as"}, set()),
    "reset": (set(), set()),
    "reprocess": (set(), set()), "discard": (set(), set()), "set_processed": (set(), set()),
    "lock": ({"direction"}, set()), "unlock": ({"direction"}, set()),
    "activate": ({"direction"}, set()),
    "expect": ({"settle"}, set()),
}
NOT_BUILT = {
    "period_end": "the ERP stub has no period-end runs yet (no closing program exists in it; "
                  "close a posting period with an `rfc` step calling FI_POSTING_PERIODS_MAINTAIN)",
}


class ScenarioError(ValueError):
    """A scenario file that cannot run; `problems` holds one sentence per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        super().__init__(f"{source}: " + "\n  ".join(problems) if len(problems) == 1 else
                         f"{source}: {len(problems)} problems:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Step:
    number: int
    verb: str
    value: Any
    options: dict[str, Any] = field(default_factory=dict)
    final: bool = False  # the file's top-level `expect`

    @property
    def label(self) -> str:
        return "final expect" if self.final else f"step {self.number} ({self.verb})"


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    source: str = "<scenario>"
    description: str = ""
    clock: datetime | None = None
    base_dir: Path = field(default_factory=Path.cwd)  # where relative file names start


def load(path: str | Path) -> Scenario:
    """Read a `.yaml`/`.yml` or `.json` scenario file and check it (ScenarioError if bad)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(str(path), [f"cannot be read: {error.strerror or error}"]) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as error:
            raise ScenarioError(str(path), [f"is not valid JSON: {error}"]) from None
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except (yaml.YAMLError, ValueError) as error:  # YAMLError says line and column
            raise ScenarioError(str(path), [f"is not valid YAML: {error}"]) from None
    return parse(data, str(path), path.resolve().parent)


def parse(data: Any, source: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """A scenario from the parsed file (a mapping); every problem found is raised at once."""
    if not isinstance(data, dict):
        raise ScenarioError(source, ["must be a mapping with `scenario` (a name) and `steps` "
                                     f"(a list), found {_kind(data)}"])
    problems = [f"unknown key `{key}` at the top (known: {', '.join(sorted(TOP_KEYS))})"
                for key in data if key not in TOP_KEYS]
    name = data.get("scenario")
    if not isinstance(name, str) or not name.strip():
        problems.append("`scenario` must be the scenario's name (a non-empty string)")
    clock = _moment(data.get("clock"), "`clock`", problems)
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(f"`steps` must be a non-empty list of steps, found {_kind(raw_steps)}")
        raw_steps = []
    steps = [step for number, raw in enumerate(raw_steps, 1)
             if (step := _step(number, raw, problems)) is not None]
    if "expect" in data:
        problems += expectation_problems(data["expect"], "final expect")
        steps.append(Step(len(steps) + 1, "expect", data["expect"], final=True))
    if problems:
        raise ScenarioError(source, problems)
    return Scenario(str(name), tuple(steps), source, str(data.get("description") or ""), clock,
                    base_dir or Path.cwd())


def _step(number: int, raw: Any, problems: list[str]) -> Step | None:
    where = f"step {number}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping such as `send: CRM_MKTPL`, found "
                        f"{_kind(raw)}")
        return None
    verbs = [key for key in raw if key in VERBS or key in NOT_BUILT]
    if len(verbs) != 1:
        problems.append(f"{where}: needs exactly one of {', '.join(VERBS)}; found "
                        f"{', '.join(verbs) or 'none'} (keys: {', '.join(map(str, raw))})")
        return None
    verb = verbs[0]
    if verb in NOT_BUILT:
        problems.append(f"{where}: `{verb}`: {NOT_BUILT[verb]}")
        return None
    where = f"{where} ({verb})"
    allowed, needed = VERBS[verb]
    options = {k: v for k, v in raw.items() if k != verb}
    problems += [f"{where}: unknown option `{k}` (this step takes: "
                 f"{', '.join(sorted(allowed)) or 'none'})" for k in options if k not in allowed]
    problems += [f"{where}: needs `{k}`" for k in sorted(needed - set(options))]
    _check_value(where, verb, raw[verb], options, problems)
    return Step(number, verb, raw[verb], options)


def _check_value(where: str, verb: str, value: Any, options: dict[str, Any],
                 problems: list[str]) -> None:
    """What each verb's own value must be."""
    if verb in ("send", "idoc", "idoc_file", "rfc", "reprocess", "discard", "set_processed",
                "lock", "unlock", "activate") and (not isinstance(value, str) or not value):
        what = {"send": "a BDoc type", "idoc": "an IDoc basic type such as DEBMAS07",
                "idoc_file": "a file name (IDoc-XML or flat)", "rfc": "a function name",
                "lock": "a queue name", "unlock": "a queue name", "activate": "a queue name"}
        wanted = what.get(verb, "the name a send saved with `as`")
        problems.append(f"{where}: `{verb}` must be {wanted}, found {_kind(value)}")
    if verb == "send":
        if ("data" in options) == ("items" in options):
            problems.append(f"{where}: give either `data` (one BDoc) or `items` (a posting run "
                            "of BDocs of this type, sent in one commit)")
        elif "data" in options and not isinstance(options["data"], dict):
            problems.append(f"{where}: `data` must be a mapping of the BDoc's segments, found "
                            f"{_kind(options['data'])}")
        elif "items" in options and not (isinstance(options["items"], list)
                                         and all(isinstance(i, dict) for i in options["items"])):
            problems.append(f"{where}: `items` must be a list of mappings (each a BDoc's data)")
        alias = options.get("as")
        if "items" in options and alias is not None and not (
                isinstance(alias, list) and len(alias) == len(options.get("items") or [])):
            problems.append(f"{where}: with `items`, `as` must be a list of one name per item")
    if verb == "idoc" and not (isinstance(options.get("segments"), list) and all(
            isinstance(s, dict) and len(s) == 1 for s in options.get("segments") or [None])):
        problems.append(f"{where}: `segments` must be a list of one-key mappings "
                        "(segment name: its fields), e.g. `- E1KNA1M: {NAME1: Becker}`")
    if verb == "rfc" and not isinstance(options.get("params", {}), dict):
        problems.append(f"{where}: `params` must be a mapping of parameter names to values")
    if verb == "run" and value is not None and not isinstance(value, int | float | dict):
        problems.append(f"{where}: `run` takes nothing or a timeout in seconds")
    if verb == "clock":
        if isinstance(value, dict):
            unknown = set(value) - {"set", "advance", "frozen"}
            if unknown or ("set" in value) == ("advance" in value):
                problems.append(f"{where}: `clock` takes `set: <ISO time>` or `advance: "
                                "<duration such as 2d, 3h, 30m, 10s>` (and `frozen: true`)")
            elif "set" in value:
                _moment(value["set"], f"{where}: `set`", problems)
        else:
            _moment(value, f"{where}: `clock`", problems)
    if verb == "fault" and not isinstance(value, dict):
        problems.append(f"{where}: `fault` must be the rule as a mapping (docs/FAULTS.md)")
    if verb == "reset" and value is not None and not isinstance(value, str):
        problems.append(f"{where}: `reset` takes nothing (the demo state) or a state's name")
    if options.get("direction", "out") not in ("in", "out"):
        problems.append(f"{where}: `direction` must be `out` (SMQ1) or `in` (SMQ2)")
    if verb == "expect":
        problems += expectation_problems(value, where)


def _moment(value: Any, what: str, problems: list[str]) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 12, 0)
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        problems.append(f"{what} must be an ISO date or date-time such as 2026-11-22T12:00:00Z, "
                        f"found {value!r}")
        return None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if value == [] or value == {}:
        return f"an empty {'list' if value == [] else 'mapping'}"
    return {dict: "a mapping", list: "a list", str: f"the text {value!r}"}.get(
        type(value), f"{type(value).__name__} {value!r}")
