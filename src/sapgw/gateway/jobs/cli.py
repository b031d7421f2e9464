"""`sapgw jobs` (SM37): the background jobs of config.ini and their runs, with each run's
log; `sapgw jobs NAME --run` runs one at once (SM36 "immediately").

Reads and runs on the gateway database of config.ini (the runs are the gateway's, like its
queues); with --url it refuses, as the server has no jobs route.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sapgw.gateway.tables_text import render

JOB_COLUMNS = [("name", "Job"), ("function", "Function"), ("destination", "Destination"),
               ("schedule", "Schedule"), ("enabled", "Enabled")]
RUN_COLUMNS = [("jobcount", "Count"), ("jobname", "Job"), ("occurrence", "Occurrence"),
               ("status_text", "Status"), ("started_at", "Started (UTC)"),
               ("ended_at", "Ended (UTC)"), ("errors", "Errors"), ("process", "Process")]


def add_command(sub: Any, common: argparse.ArgumentParser) -> None:
    jobs = sub.add_parser("jobs", parents=[common], help="SM37: background jobs ([job …] in "
                          "config.ini) and their runs; exit 1 if a run listed was cancelled "
                          "or, with --run, logged an error")
    jobs.add_argument("name", nargs="?", help="one job: its runs with their logs")
    jobs.add_argument("--run", action="store_true", help="run the job NAME now")
    jobs.add_argument("--limit", type=int, default=20, help="runs shown (default 20)")


def run(args: argparse.Namespace, client: Any) -> int:
    gateway = getattr(client, "gateway", None)
    if gateway is None:
        print("sapgw: jobs reads the gateway database of config.ini; run it without --url",
              file=sys.stderr)
        return 2
    runner = gateway.jobs
    if args.name and args.name not in runner.jobs:
        print(f"sapgw: no [job {args.name}] in config.ini; jobs: "
              f"{', '.join(runner.jobs) or '(none)'}", file=sys.stderr)
        return 2
    if args.run:
        if not args.name:
            print("sapgw: jobs --run needs a job name", file=sys.stderr)
            return 2
        done = runner.run_now(args.name)
        _print(args.json, done, _run_text(done))
        return 1 if done["status"] != "F" or done["errors"] else 0
    definitions = [{"name": job.name, "function": job.function,
                    "destination": job.destination, "schedule": job.schedule,
                    "enabled": "yes" if job.enabled else "no", "parameters": job.parameters}
                   for job in runner.jobs.values() if not args.name or job.name == args.name]
    runs = runner.runs(args.name, args.limit)
    text = (render(definitions, JOB_COLUMNS, "(no [job …] sections in config.ini)") + "\n\n"
            + render(runs, RUN_COLUMNS, "(no runs)"))
    if args.name and runs:
        text += "\n\n" + _run_text(runs[0])
    _print(args.json, {"jobs": definitions, "runs": runs}, text)
    return 1 if any(r["status"] == "A" for r in runs) else 0


def _run_text(run: dict[str, Any]) -> str:
    head = (f"Job {run['jobname']} count {run['jobcount']}: {run['status_text']} "
            f"({run['function']} on {run['destination']}, occurrence {run['occurrence']})")
    lines = [f"{m['type']} {m['id']} {m['number']} {m['message']}".replace("  ", " ")
             for m in run["log"]]
    return "\n".join([head, *lines])


def _print(as_json: bool, data: Any, text: str) -> None:
    import json

    print(json.dumps(data, indent=2, default=str) if as_json else text)
