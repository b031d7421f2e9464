"""`sapgw scenario run FILE…`: run scenario files and say what passed (docs/SCENARIOS.md).

Where: the databases of config.ini (default), a fresh gateway on temporary databases per file
(`--fresh`, with config.ini's settings), or a running server (`--url`, `--user`). Every file is
read and checked before the first one runs: a bad file stops the command with exit code 2 and
one sentence per problem. Exit code 1 when any scenario failed, 0 when all passed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from sapgw.gateway.config import Settings


def add_commands(sub: Any) -> None:
    scenario = sub.add_parser("scenario", help="declarative scenario files: BDocs and IDocs to "
                              "send, steps, expected outcome (docs/SCENARIOS.md)")
    cmds = scenario.add_subparsers(dest="scenario_command", required=True,
                                   metavar="SCENARIO_COMMAND")
    run = cmds.add_parser("run", help="run scenario files (YAML or JSON) and report pass/fail")
    run.add_argument("files", nargs="+", metavar="FILE")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--fresh", action="store_true", help="a fresh gateway and ERP on "
                       "temporary databases for each file (config.ini's other settings)")
    where.add_argument("--url", help="run against a running `sapgw serve` at this URL")
    run.add_argument("--user", help="with --url: log on as this [auth] user (password from "
                                    "$SAPGW_PASSWORD or the prompt)")
    run.add_argument("--junit", metavar="FILE", help="also write JUnit XML to FILE")
    run.add_argument("--quiet", action="store_true", help="show only failed steps and checks")
    run.add_argument("--json", action="store_true", help="print the outcome as JSON")
    cmds.add_parser("check", help="only read and check scenario files").add_argument(
        "files", nargs="+", metavar="FILE")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from sapgw.gateway.scenario_files import ScenarioError, load

    scenarios, problems = [], []
    for file in args.files:
        try:
            scenarios.append(load(file))
        except ScenarioError as error:
            problems.append(str(error))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    if args.scenario_command == "check":
        for scenario in scenarios:
            print(f"{scenario.source}: {scenario.name}: {len(scenario.steps)} steps, no problems")
        return 0
    if args.user and not args.url:
        print("sapgw: --user goes with --url", file=sys.stderr)
        return 2
    outcomes = [_run_one(scenario, args, settings) for scenario in scenarios]
    return _report(outcomes, args)


def _run_one(scenario: Any, args: argparse.Namespace, settings: Settings) -> Any:
    from sapgw.gateway.runtime import Gateway
    from sapgw.gateway.scenario_files import HttpDriver, LocalDriver, run_scenario

    if args.url:
        from sapgw.gateway.cli import password_for

        driver = HttpDriver(args.url, args.user or "",
                            password_for(args.user) if args.user else "")
        try:
            return run_scenario(scenario, driver)
        finally:
            driver.close()
    gateway = (Gateway.in_memory(config=settings.path) if args.fresh else Gateway(settings))
    try:
        return run_scenario(scenario, LocalDriver(gateway))
    finally:
        gateway.close()


def _report(outcomes: list[Any], args: argparse.Namespace) -> int:
    from sapgw.gateway.scenario_files.report import text_report, write_junit

    if args.junit:
        write_junit(args.junit, outcomes)
    if args.json:
        print(json.dumps([{**asdict(o), "passed": o.passed} for o in outcomes], indent=2))
    else:
        print("\n\n".join(text_report(o, verbose=not args.quiet) for o in outcomes))
        passed = sum(o.passed for o in outcomes)
        if len(outcomes) > 1:
            print(f"\n{passed} of {len(outcomes)} scenarios passed")
    return 0 if all(o.passed for o in outcomes) else 1
