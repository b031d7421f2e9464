"""The `sapgw` command: serve, send, SMW01/SMQ1/SMQ2 lists, actions, ERP tools, demo.

Every command works on the databases of config.ini, or against a running server with --url.
Tables are for people; --json prints what scripts need.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sapgw.gateway.cli_support import (
    UsageError,
    alpha_arg,
    error_line,
    fail,
    failed_return,
    read_json,
    return_summary,
    states_arg,
)
from sapgw.gateway.config import (
    ConfigError,
    DestinationSettings,
    Settings,
    default_config_path,
    load_settings,
)
from sapgw.gateway.inputs import InvalidInput
from sapgw.gateway.tables_text import render
from sapgw.rfc.jsonvalues import RFC_PATH

BDOC_COLUMNS = [("bdoc_id", "BDoc ID"), ("type", "BDoc type"), ("state", "State"),
                ("light", "Light"), ("object_key", "Key"), ("created_at", "Created (UTC)"),
                ("error", "Error")]
QUEUE_COLUMNS = [("name", "Queue"), ("status", "Status"), ("entries", "Entries"),
                 ("destination", "Destination"), ("first_at", "First LUW (UTC)"),
                 ("error", "Error")]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of tables")
    common.add_argument("--url", help="talk to a running `sapgw serve` at this URL instead of "
                                      "the databases of config.ini")
    common.add_argument("--user", help="with --url: log on as this [auth] user (password from "
                                       "$SAPGW_PASSWORD or the prompt)")
    parser = argparse.ArgumentParser(
        prog="sapgw", description="SAP CRM Middleware and ERP stub emulator.",
        epilog="Environment: SAPGW_CONFIG (config file), SAPGW_DB_URL, SAPGW_ERP_DB_URL, "
               "SAPGW_PASSWORD (with --url --user).")
    parser.add_argument("--config", help="config.ini (default: $SAPGW_CONFIG or ./config.ini)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="HTTP server with the queue schedulers")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    sub.add_parser("init", help="create the databases (gateway and ERP) with demo customizing")
    sub.add_parser("worker", help="run the QIN/QOUT schedulers without the HTTP server "
                                  "(scale-out: any number beside `serve`; SIGTERM stops it)")
    reorg = sub.add_parser("reorg", help="SMO6_REORG: delete final BDocs older than "
                                         "[gateway] bdoc_retention_days")
    reorg.add_argument("--dry-run", action="store_true", help="only count what would go")
    reorg.add_argument("--json", action="store_true", help="print JSON")
    sub.add_parser("passwd", help="print a password hash for [auth] (password from the prompt "
                                  "or one line of stdin)")
    sub.add_parser("rfc-server", help="register at an SAP gateway (pyrfc.Server, "
                   "[rfc_server] in config.ini) and serve the gateway's and the ERP stub's "
                   "functions to SAP systems, with tRFC/qRFC (docs/PYRFC.md)")
    config = sub.add_parser("config", help="configuration tools")
    config.add_argument("action", choices=["check"])

    send = sub.add_parser("send", parents=[common], help="send a BDoc from a JSON file "
                          '({"type": ..., "sender": "CRM", "data": {...}}; - for stdin)')
    send.add_argument("file")
    send.add_argument("--wait", action="store_true", help="wait until the gateway is idle and "
                      "show the BDoc's final state")

    smw01 = sub.add_parser("smw01", parents=[common], help="BDoc messages (list or one)")
    smw01.add_argument("bdoc_id", nargs="?")
    smw01.add_argument("--state", type=states_arg, help="e.g. E06 or E04,E06")
    smw01.add_argument("--type", help="BDoc type")
    smw01.add_argument("--key", help="object key (e.g. trade promotion id)")
    smw01.add_argument("--context", help="flow context (e.g. MO1)")
    smw01.add_argument("--sender", help="sender site")
    smw01.add_argument("--queue", help="BDocs with a receiver in this queue")
    smw01.add_argument("--limit", type=_rows, default=50, help="1 to 1000 (default 50)")
    smw01.add_argument("--after", help="cursor printed under the previous page")
    for name, direction in (("smq1", "outbound"), ("smq2", "inbound")):
        queue = sub.add_parser(name, parents=[common], help=f"{direction} qRFC queues")
        queue.add_argument("queue", nargs="?", help="show one queue with its LUWs")
    for name, text in (("smw02", "BDoc summary by type, state and hour"),
                       ("smwp", "middleware cockpit: traffic lights and blocked queues")):
        summary_cmd = sub.add_parser(name, help=f"{text} (the databases of config.ini)")
        summary_cmd.add_argument("--json", action="store_true", help="print JSON")
    for action in ("reprocess", "discard", "set-processed"):
        cmd = sub.add_parser(action, parents=[common], help=f"SMW01: {action} a BDoc")
        cmd.add_argument("bdoc_id")
    change = sub.add_parser("change-data", parents=[common], help="SMW01: change fields of a "
                            "BDoc in E04/E08 (audited, old and new values kept)")
    change.add_argument("bdoc_id")
    change.add_argument("changes", nargs="+", type=_assignment, metavar="SEGMENT.FIELD=VALUE",
                        help="e.g. HEADER.COMP_CODE=1000 or ITEMS.1.AMOUNT=250.00")
    change.add_argument("--reprocess", action="store_true", help="reprocess it afterwards")
    for action in ("activate", "lock", "unlock"):
        cmd = sub.add_parser(action, parents=[common], help=f"SMQ1/SMQ2: {action} a queue")
        cmd.add_argument("queue")
        cmd.add_argument("--in", dest="inbound", action="store_true", help="inbound (SMQ2)")

    erp = sub.add_parser("erp", help="the ERP stub: serve, read tables, IAOMC, clock")
    erp_sub = erp.add_subparsers(dest="erp_command", required=True, metavar="ERP_COMMAND")
    erp_serve = erp_sub.add_parser("serve", help="serve only the ERP stub's JSON RFC")
    erp_serve.add_argument("--host", default="127.0.0.1")
    erp_serve.add_argument("--port", type=int, default=8081)
    erp_serve.add_argument("--system", default="", help="import path of the system to serve "
                           "(default: the ERP stub); e.g. sapgw.erp_stub.rar_system, with the "
                           "database of the [destination] that names it")
    read = erp_sub.add_parser("read-table", parents=[common], help="RFC_READ_TABLE")
    read.add_argument("table")
    read.add_argument("--fields", default="", help="comma-separated field names")
    read.add_argument("--where", default="", help="Open SQL condition, e.g. \"XBLNR = 'F1'\"")
    read.add_argument("--rowcount", type=int, default=0)
    read.add_argument("--typed", action="store_true", help="values typed by the table's "
                      "DDIC fields (numbers, amounts as decimals, dates); with --json")
    iaomc = erp_sub.add_parser("iaomc", parents=[common], help="account assignment object by "
                               "business scenario and key")
    iaomc.add_argument("key", type=_iaom_key, help="e.g. 1791/10 (fund usage/item; the "
                       "number gets its leading zeros: 00000000000000001791/10)")
    iaomc.add_argument("--scenario", default="CRMFM")
    cj20n = erp_sub.add_parser("cj20n", parents=[common], help="project with its WBS elements")
    cj20n.add_argument("project", help="project definition, e.g. the trade promotion id")
    clock = erp_sub.add_parser("clock", parents=[common], help="show or set the clock of a "
                               "running server (gateway and ERP share it)")
    clock.add_argument("action", choices=["show", "set"])
    clock.add_argument("moment", nargs="?", help="ISO date or date-time, e.g. 2026-12-31")
    clock.add_argument("--frozen", action="store_true", help="stop the clock there")
    smq1 = erp_sub.add_parser(
        "smq1", parents=[common], help="the ERP's outbound qRFC queues (its SMQ1: deltas to "
        "CRM); with a queue name its status, or an action on it")
    smq1.add_argument("queue", nargs="?", help="one queue (exit 1 if it does not exist)")
    smq1_action = smq1.add_mutually_exclusive_group()
    for action, text in (("activate", "restart after CPICERR/SYSFAIL (TRFC_QOUT_ACTIVATE)"),
                         ("lock", "stop the queue (TRFC_QOUT_STOP)"),
                         ("unlock", "unlock a stopped queue (TRFC_QOUT_UNLOCK)")):
        smq1_action.add_argument(f"--{action}", dest="action", action="store_const",
                                 const=action, help=text)
    from sapgw.gateway import ke24  # CO-PA line items (KE24-like)

    ke24.add_parsers(erp_sub, common)
    from sapgw.gateway import crmsrv_cli  # CRM service documents in the ERP

    crmsrv_cli.add_parsers(erp_sub, common)
    from sapgw.gateway import period_end_cli  # kka2, kkai, ko88, ko8g

    period_end_cli.add_parsers(erp_sub, common)
    from sapgw.gateway import cats_cli  # CATS: cat7, catsdb

    cats_cli.add_parsers(erp_sub, common)
    from sapgw.gateway import mb51_cli  # MM: mb51 material document list

    mb51_cli.add_parsers(erp_sub, common)
    from sapgw.gateway import fica_cli  # FI-CA billing and invoicing runs

    fica_cli.add_parsers(erp_sub, common)
    from sapgw.gateway import vms_cli  # VMS vehicles: create, action, show

    vms_cli.add_parsers(erp_sub, common)
    call = erp_sub.add_parser("call", parents=[common], help="call any RFC function")
    call.add_argument("function")
    call.add_argument("params", nargs="?", default="{}", help="parameters as a JSON object")

    from sapgw.gateway.idoc import cli as idoc_cli  # IDocs: WE02/WE05/BD87/WE20

    idoc_cli.add_commands(sub)
    from sapgw.gateway import rar_cli  # Revenue Accounting (destination RAR)

    rar_cli.add_commands(sub, common)
    from sapgw.gateway import flow_cli  # the document flow of a key

    flow_cli.add_command(sub, common)
    from sapgw.gateway.faults import cli as fault_cli  # failure injection rules

    fault_cli.add_commands(sub, common)
    from sapgw.gateway import isolation_cli  # reset, snapshot: docs/ISOLATION.md

    isolation_cli.add_commands(sub, common)
    from sapgw.gateway.jobs import cli as jobs_cli  # SM37: background jobs (docs/JOBS.md)

    jobs_cli.add_command(sub, common)
    from sapgw.gateway.loads import cli as load_cli  # R3AS, R3AR2/R3AR4, R3AM1

    load_cli.add_command(sub, common)
    from sapgw.gateway import scenario_cli  # scenario files (docs/SCENARIOS.md)

    scenario_cli.add_commands(sub)
    demo = sub.add_parser("demo", parents=[common], help="run a scenario end to end")
    demo.add_argument("scenario", nargs="?", default="funds", choices=["funds"])
    cassette = sub.add_parser("cassette", help="recorded RFC calls (record/replay destinations)")
    cassette_sub = cassette.add_subparsers(dest="cassette_command", required=True,
                                           metavar="CASSETTE_COMMAND")
    cdiff = cassette_sub.add_parser("diff", help="compare two cassettes call by call, field by "
                                    "field; exit 0 equal, 1 different, 2 bad input")
    cdiff.add_argument("a", help="cassette A (e.g. the stub's answers)")
    cdiff.add_argument("b", help="cassette B (e.g. a real system's)")
    cdiff.add_argument("--ignore", action="append", default=[], help="fields that differ by "
                       "nature, e.g. OBJ_KEY,RETURN.*.MESSAGE_V2 (repeatable)")
    cdiff.add_argument("--json", action="store_true", help="print JSON")
    return parser


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Parse; an option the chosen subcommand does not know is reported with that
    subcommand's usage (`sapgw smq1 --bogus` shows smq1's), not the top level's."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        chosen(parser, args).error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def chosen(parser: argparse.ArgumentParser, args: argparse.Namespace
           ) -> argparse.ArgumentParser:
    """The innermost subcommand parser the arguments selected."""
    for action in parser._actions:  # argparse keeps its subparsers here and nowhere else
        if isinstance(action, argparse._SubParsersAction):
            name = getattr(args, action.dest, None)
            if name in action.choices:
                return chosen(action.choices[name], args)
    return parser


def _rows(value: str) -> int:
    try:
        return int(value) if 1 <= int(value) <= 1000 else int("x")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number from 1 to 1000"
                                         ) from None


def _assignment(value: str) -> tuple[str, str]:
    path, equals, new = value.partition("=")
    if not equals or not path.strip():
        raise argparse.ArgumentTypeError(f"{value!r} is not SEGMENT.FIELD=VALUE, e.g. "
                                         "HEADER.COMP_CODE=1000")
    return path.strip(), new


def _iaom_key(value: str) -> str:
    head, slash, tail = value.strip().partition("/")
    return f"{alpha_arg(20)(head)}/{tail}" if slash else value.strip()


def main(argv: list[str] | None = None) -> int:
    args = parse(build_parser(), argv)
    if args.command == "passwd":  # needs no config.ini
        return passwd()
    if args.command == "cassette":  # needs no config.ini either
        return cassette_diff(args.a, args.b, ",".join(args.ignore).split(","), args.json)
    try:
        settings = load_settings(Path(args.config) if args.config else default_config_path())
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        return run(args, settings)
    except KeyboardInterrupt:
        return 130
    except ConfigError as exc:  # e.g. a pyrfc destination without pyrfc installed
        print(exc, file=sys.stderr)
        return 2
    except (UsageError, InvalidInput) as exc:
        return fail(str(exc), 2)
    except Exception as exc:  # the CLI reports, it never shows a traceback
        return fail(error_line(exc))


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "config":
        from sapgw.gateway.rfc.destinations import destination_problems

        problems = destination_problems(settings)
        if problems:
            print(ConfigError(problems), file=sys.stderr)
            return 2
        print(f"{settings.path}: no problems found")
        return 0
    if args.command == "rfc-server":
        from sapgw.gateway.rfc.rfc_server import run_rfc_server

        return run_rfc_server(settings)
    if args.command == "init":
        return init(settings)
    if args.command == "worker":
        from sapgw.gateway.worker_process import run_worker

        return run_worker(settings)
    if args.command == "reorg":
        from sapgw.gateway.reorg import reorg_command

        return reorg_command(settings, dry_run=args.dry_run, as_json=args.json)
    if args.command == "serve":
        return serve(settings, args.host, args.port)
    if args.command == "idoc":
        from sapgw.gateway.idoc import cli as idoc_cli

        return idoc_cli.run(args, settings)
    if args.command == "fault":
        from sapgw.gateway.faults import cli as fault_cli

        return fault_cli.run(args, settings)
    if args.command in ("reset", "snapshot"):
        from sapgw.gateway import isolation_cli

        return isolation_cli.run(args, settings)
    if args.command == "scenario":
        from sapgw.gateway import scenario_cli

        return scenario_cli.run(args, settings)
    if args.command == "erp" and args.erp_command == "serve":
        return erp_serve(settings, args.host, args.port, args.system)
    client = open_client(settings, getattr(args, "url", None), getattr(args, "user", None))
    try:
        return dispatch(args, client)
    except (UsageError, InvalidInput, KeyboardInterrupt):
        raise
    except Exception as exc:  # here the ERP can still give a message's T100 text
        return fail(error_line(exc, client))
    finally:
        client.close()


def open_client(settings: Settings, url: str | None, user: str | None = None) -> Any:
    from sapgw.gateway.client import HttpClient, LocalClient
    from sapgw.gateway.runtime import Gateway

    if url:
        return HttpClient(url, user=user or "", password=password_for(user) if user else "")
    if user:
        raise UsageError("--user goes with --url (without it the databases of config.ini "
                         "are used directly, and no one logs on)")
    return LocalClient(Gateway(settings))


def password_for(user: str) -> str:
    """`--user`'s password: $SAPGW_PASSWORD (scripts), else the prompt (never an argument:
    the process list and the shell history would show it)."""
    import getpass
    import os

    if "SAPGW_PASSWORD" in os.environ:
        return os.environ["SAPGW_PASSWORD"]
    if sys.stdin.isatty():
        return getpass.getpass(f"Password of {user}: ")
    raise UsageError(f"no password for {user}: set SAPGW_PASSWORD (stdin is no terminal to "
                     "ask on)")


def dispatch(args: argparse.Namespace, client: Any) -> int:
    show = _printer(args.json)
    command = args.command
    if command == "send":
        return send_command(args, client, show)
    if command == "smw01":
        if args.bdoc_id:
            detail = client.bdoc(args.bdoc_id)
            show(detail, _bdoc_text(detail))
        else:
            page = client.bdocs(state=args.state, bdoc_type=args.type, object_key=args.key,
                                flow_context=args.context, sender=args.sender,
                                queue=args.queue, limit=args.limit, after=args.after)
            text = render(page["items"], BDOC_COLUMNS, "(no BDocs)")
            if page["next"]:
                text += f"\nmore: --after '{page['next']}'"
            show(page, text)
        return 0
    if command in ("smw02", "smwp"):
        from sapgw.gateway.monitor import summary

        gateway = client.gateway  # no --url: these read the gateway database directly
        if command == "smw02":
            data = summary.smw02(gateway.db, gateway.clock.now())
            hours = [h for h in data["hourly"] if h["total"]]
            text = (render(data["counts"], [("type", "BDoc type"), ("state", "State"), (
                "state_text", "State text"), ("count", "BDocs")], "(no BDocs)") + "\n\n"
                + render(hours, [("hour", "Hour (UTC)"), ("total", "Received"), ("green",
                         "Final"), ("yellow", "In process"), ("red", "Error")], "(none in 24 h)"))
        else:
            data = summary.smwp(gateway.db, gateway.clock.now())
            text = (render(data["lights"], [("light", "Light"), ("label", "Figure"),
                                            ("value", "Value")]) + "\n\n"
                    + render(data["blocked_queues"], [("name", "Queue"), ("direction", "Dir"), (
                        "status", "Status"), ("destination", "Destination"), ("error", "Error")],
                        "(no blocked queues)"))
        show(data, text)
        return 0
    if command in ("smq1", "smq2"):
        direction = "out" if command == "smq1" else "in"
        if args.queue:
            detail = client.queue(args.queue, direction)
            show(detail, _queue_text(detail))
        else:
            queues = client.queues(direction)
            show(queues, render(queues, QUEUE_COLUMNS, "(no queues)"))
        return 0
    if command in ("reprocess", "discard", "set-processed"):
        result = client.bdoc_action(args.bdoc_id, command)
        show(result, f"BDoc {result['bdoc_id']}: {result['state']} ({result['message']})")
        return 0
    if command == "change-data":
        result = client.change_data(args.bdoc_id, dict(args.changes), args.reprocess)
        lines = [f"{path}: {c['old']!r} -> {c['new']!r}" for path, c in result["changes"].items()]
        show(result, "\n".join([*lines, f"BDoc {result['bdoc_id']}: {result['state']} "
                                          f"({result['message']})"]))
        return 0
    if command in ("activate", "lock", "unlock"):
        result = client.queue_action(args.queue, "in" if args.inbound else "out", command)
        show(result, f"queue {args.queue}: {result.get('status')}")
        return 0
    if command == "erp":
        return erp_command(args, client, show)
    if command == "jobs":
        from sapgw.gateway.jobs import cli as jobs_cli

        return jobs_cli.run(args, client)
    if command == "load":
        from sapgw.gateway.loads import cli as load_cli

        return load_cli.run(args, client)
    if command == "rar":
        from sapgw.gateway import rar_cli

        return rar_cli.run(args, client, show)
    if command == "flow":
        from sapgw.gateway.flow_cli import flow_command

        return flow_command(args, client)
    if command == "demo":
        from sapgw.gateway.demo import demo_funds

        result = demo_funds(client, echo=(lambda _t: None) if args.json else print)
        if args.json:
            show(result, None)
        failed = [b for b in result["bdocs"] if b["state"] != "F04"]
        for bdoc in failed:  # waiting ended: say why it did not end well
            fail(f"BDoc {bdoc['bdoc_id']} ({bdoc['type']}) ended in {bdoc['state']}: "
                 f"{bdoc.get('error') or 'sapgw smw01 ' + bdoc['bdoc_id']}")
        return 1 if failed else 0
    raise ValueError(f"unknown command {command}")


def erp_command(args: argparse.Namespace, client: Any, show: Any) -> int:
    if args.erp_command == "read-table":
        from sapgw.gateway.demo import read_table
        from sapgw.rfc.read_table import typed_rows

        fields = [f.strip().upper() for f in args.fields.split(",") if f.strip()]
        if args.typed:
            rows = typed_rows(SimpleNamespace(call=client.rfc), args.table.upper(), fields,
                              args.where, args.rowcount)
            show(rows, render(rows, [(k, k) for k in (rows[0] if rows else {})], "(no rows)"))
            return 0
        rows = read_table(client, args.table.upper(), fields, args.where)
        if args.rowcount:
            rows = rows[:args.rowcount]
        columns = [(k, k) for k in (rows[0] if rows else {})]
        show(rows, render(rows, columns, "(no rows)"))
        return 0
    if args.erp_command == "iaomc":
        result = client.rfc("IAOM_ASSIGNMENT_GET", BUS_SCENARIO_ID=args.scenario,
                            EXT_OBJECT_ID=args.key)
        error = failed_return(result)
        if error:
            return fail(error)
        assignment = result["ES_ASSIGNMENT"]
        show(assignment, "\n".join(f"{k:<18} {v}" for k, v in assignment.items()))
        return 0
    if args.erp_command == "cj20n":
        result = client.rfc("BAPI_PROJECT_GETINFO", PROJECT_DEFINITION=args.project)
        error = failed_return(result)
        if error:
            return fail(error)
        project = result["E_PROJECT_DEFINITION"]
        text = (f"Project {project['PROJECT_DEFINITION']}  {project['DESCRIPTION']}  "
                f"company code {project['COMP_CODE']}  {project['START']}-{project['FINISH']}\n"
                + render(result["E_WBS_ELEMENT_TABLE"], [
                    ("WBS_ELEMENT", "WBS element"), ("DESCRIPTION", "Description"),
                    ("OBJECT_NO", "Object number")]))
        show(result, text)
        return 0
    if args.erp_command == "clock":
        return clock_command(args, client, show)
    if args.erp_command == "smq1":
        from sapgw.gateway.erp_smq1 import smq1_command

        return smq1_command(args, client, show)
    if args.erp_command == "ke24":
        from sapgw.gateway import ke24

        return ke24.run(args, client, show)
    if args.erp_command == "crmsrv":
        from sapgw.gateway import crmsrv_cli

        return crmsrv_cli.run(args, client, show)
    if args.erp_command in ("kka2", "kkai", "ko88", "ko8g"):
        from sapgw.gateway import period_end_cli

        return period_end_cli.run(args, client, show)
    if args.erp_command in ("cat7", "catsdb"):
        from sapgw.gateway import cats_cli

        return cats_cli.run(args, client, show) or 0
    if args.erp_command == "vehicle":
        from sapgw.gateway import vms_cli

        return vms_cli.run(args, client, show)
    if args.erp_command == "mb51":
        from sapgw.gateway import mb51_cli

        return mb51_cli.run(args, client, show) or 0
    from sapgw.gateway import fica_cli

    ran = fica_cli.run(args, client, show)
    if ran is not None:
        return ran
    if args.erp_command == "call":
        params = _json_argument(args.params)
        result = client.rfc(args.function.upper(), **params)
        summary = return_summary(result)  # RETURN first, not after the initial values
        rest = {k: v for k, v in result.items() if k != "RETURN"}
        show(result, (f"RETURN\n{summary}\n\n" if summary else "")
             + json.dumps(rest, indent=2, default=str))
        return 1 if failed_return(result) else 0
    raise ValueError(f"unknown erp command {args.erp_command}")


def clock_command(args: argparse.Namespace, client: Any, show: Any) -> int:
    from sapgw.gateway.client import HttpClient

    if not isinstance(client, HttpClient):
        print("sapgw: the clock lives in the server process; use --url http://host:port "
              "(a local command would only move its own clock)", file=sys.stderr)
        return 2
    if args.action == "set":
        if not args.moment:
            print("sapgw: erp clock set needs a date, e.g. 2026-12-31", file=sys.stderr)
            return 2
        state = client.clock(args.moment, args.frozen)
    else:
        state = client.clock()
    show(state, f"{state['now']}{'  (frozen)' if state['frozen'] else ''}")
    return 0


def send_command(args: argparse.Namespace, client: Any, show: Any) -> int:
    """`sapgw send FILE [--wait]`: the file checked first; waiting ends non-zero with the
    reason when the BDoc ends in an error state."""
    payload = read_json(args.file, '{"type": "CRM_FM_FPO", "sender": "CRM", "data": {...}}')
    name = "stdin" if args.file == "-" else args.file
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str) \
            or not isinstance(payload.get("data"), dict | list):
        raise UsageError(f"{name}: expected a BDoc as {{\"type\": \"CRM_FM_FPO\", \"sender\": "
                         "\"CRM\", \"data\": {SEGMENT: {FIELD: value}}}: "
                         + _what_is_missing(payload) + " (docs/BDOC_TYPES.md)")
    result = client.send(payload["type"], payload["data"], payload.get("sender", "CRM"))
    if not args.wait:
        show(result, None if args.json else f"BDoc {result['bdoc_id']}: {result['state']}")
        return 0
    client.wait_idle()
    result = client.bdoc(result["bdoc_id"])
    text = f"BDoc {result['bdoc_id']}: {result['state']} ({result['state_text']})"
    show(result, None if args.json else text)
    if result["light"] == "green":
        return 0
    if result["light"] == "red":
        reason = result["error"] or f"the log says why: sapgw smw01 {result['bdoc_id']}"
        return fail(f"BDoc {result['bdoc_id']} ended in {result['state']}: {reason}")
    blocked = [f"queue {r['queue']} ({r['error'] or r['state']})" for r in result["receivers"]
               if r["queue"]]
    return fail(f"BDoc {result['bdoc_id']} is still in {result['state']} after the gateway "
                f"went idle; it waits in {', '.join(blocked) or 'its flow'} (sapgw smq1)")


def _what_is_missing(payload: Any) -> str:
    if not isinstance(payload, dict):
        return f"the file holds a JSON {type(payload).__name__}, not an object"
    if "type" not in payload:
        return "\"type\" is missing"
    if not isinstance(payload["type"], str):
        return "\"type\" must be a string"
    if "data" not in payload:
        return "\"data\" is missing (the segments go inside it)"
    return "\"data\" must be an object of segments"


def _json_argument(text: str) -> dict[str, Any]:
    """`erp call`'s parameters: a JSON object, or a UsageError saying where it broke."""
    try:
        params = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"params: not valid JSON at column {exc.colno} ({exc.msg}); expected "
                         "an object such as '{\"QUERY_TABLE\": \"T001\"}'") from None
    if not isinstance(params, dict):
        raise UsageError("params: expected a JSON object of parameter names and values, e.g. "
                         "'{\"QUERY_TABLE\": \"T001\"}'")
    return params


def _printer(as_json: bool) -> Any:
    def show(data: Any, text: str | None) -> None:
        if as_json or text is None:
            print(json.dumps(data, indent=2, default=str))
        else:
            print(text)

    return show


def _bdoc_text(d: dict[str, Any]) -> str:
    lines = [f"BDoc {d['bdoc_id']}  type {d['type']}  state {d['state']} ({d['state_text']})",
             f"created {d['created_at']}  sender {d['sender']}  key {d['object_key']}"]
    if d["error"]:
        lines.append(f"error: {d['error']}")
    lines += ["", "Receivers", render(d["receivers"], [("site", "Site"), ("state", "State"),
                                                      ("queue", "Queue"), ("error", "Error")]),
              "", "Log", render(d["log"], [("time", "Time (UTC)"), ("service", "Service"),
                                           ("state_to", "State"), ("type", "T"),
                                           ("message", "Message")])]
    return "\n".join(lines)


def _queue_text(q: dict[str, Any]) -> str:
    lines = [f"Queue {q['name']} ({q['direction']})  status {q['status']}  "
             f"entries {q['entries']}"]
    if q.get("error"):
        lines.append(f"error: {q['error']}")
    rows = [{**luw, "functions": ", ".join(c[0] for c in luw["calls"])} for luw in q["luws"]]
    lines.append(render(rows, [("seq", "Seq"), ("tid", "TID"), ("functions", "Functions"),
                               ("bdoc_id", "BDoc"), ("wait_for", "Waits for")]))
    return "\n".join(lines)


def cassette_diff(a: str, b: str, ignore: list[str], as_json: bool) -> int:
    """`sapgw cassette diff`: 0 when the cassettes agree, 1 when they differ, 2 on bad input."""
    from sapgw.rfc.cassette import CassetteError, diff, read_lines, recordings

    try:
        lines_a, lines_b = read_lines(a), read_lines(b)
        recordings(lines_a, a), recordings(lines_b, b)  # each unit's parts whole, in order
    except CassetteError as exc:
        print(f"sapgw: {exc}", file=sys.stderr)
        return 2
    found = diff(lines_a, lines_b, ignore)
    if as_json:
        print(json.dumps({"equal": not found, "calls": [len(lines_a), len(lines_b)],
                          "differences": [d.to_json() for d in found]}, indent=2, default=str))
    else:
        for difference in found:
            print(difference.text())
        print(f"{len(found)} difference(s)" if found else "no differences", f"(A: {len(lines_a)} "
              f"calls, B: {len(lines_b)} calls)")
    return 1 if found else 0


def init(settings: Settings) -> int:
    from sapgw.gateway.runtime import Gateway

    gateway = Gateway(settings)
    try:
        for name, destination in settings.destinations.items():
            if destination.type == "local":
                gateway.destinations.local_system(name)
        print(f"gateway database: {settings.db_url}\nERP database:     {settings.erp_db_url}")
    finally:
        gateway.close()
    return 0


def serve(settings: Settings, host: str | None, port: int | None) -> int:
    """Listen at once; the app is built in a thread (`api.starting`, issue 15's start-up)."""
    import uvicorn

    from sapgw import __version__
    from sapgw.gateway.api.http_protocol import SapgwHttpProtocol
    from sapgw.gateway.api.starting import StartingApp

    bind = host or settings.host
    refusal = bind_refusal(settings, bind)
    if refusal:
        print(f"sapgw: {refusal}", file=sys.stderr)
        return 2
    if not _loopback(bind):
        print("sapgw: note: HTTP Basic sends passwords readable on the wire; put a TLS proxy "
              f"in front of {bind}", file=sys.stderr)

    def build() -> Any:
        from sapgw.gateway.api.auth import Authenticator
        from sapgw.gateway.api.rfc_app import json_rfc
        from sapgw.gateway.runtime import Gateway

        gateway = Gateway(settings)
        try:
            early = None
            if settings.rfc_destination:  # the ERP stub and its buffer, before the first call
                gateway.served_rfc.warm_up()
                early = json_rfc(gateway, Authenticator(settings.auth))
                app.serve_early(early.app)  # JSON RFC now; the routers take ~0.4 s more
            from sapgw.gateway.api.app import create_app

            built = create_app(gateway, warm_up=False, early=early)
        except BaseException:
            gateway.close()
            raise
        return built

    def stop(_cause: str) -> None:
        server.should_exit = True

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            app.begin()  # listening now: the build cannot delay the bind

    app = StartingApp(build, __version__, lifespan=lambda a: a.router.lifespan_context(a),
                      on_error=stop, deferred=True, early_prefix=RFC_PATH)
    # httptools, with one send per answer and no access-log line for answered JSON RFC calls
    config = uvicorn.Config(app, host=bind, port=port or settings.port, loop="uvloop",
                            http=SapgwHttpProtocol, log_level="info")  # configures the loggers
    server = Server(config)
    server.run()
    return 1 if app.error else 0


def bind_refusal(settings: Settings, host: str) -> str:
    """Why `serve` must not bind to `host` ("" if it may): without [auth] users only loopback."""
    if settings.auth.users or _loopback(host):
        return ""
    return (f"refusing to serve on {host}: no [auth] users are configured, so the monitor, "
            "the REST actions and the RFC services would be open to anyone who reaches the "
            "port. Without users the server binds to loopback (127.0.0.1, ::1, localhost) "
            "only. Add users to config.ini, e.g.\n  [auth]\n  users = alice:admin:<hash>, "
            "bob:display:<hash>, erp:rfc:<hash>\nwith each <hash> printed by `sapgw passwd`.")


def passwd() -> int:
    """Print `scrypt$n$r$p$salt$hash` for a password typed twice, or read from a pipe."""
    import getpass

    from sapgw.gateway.api.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("sapgw: the passwords differ", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        print("sapgw: empty password", file=sys.stderr)
        return 2
    print(hash_password(password))
    return 0


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def erp_serve(settings: Settings, host: str, port: int, system: str = "") -> int:
    import uvicorn

    refusal = bind_refusal(settings, host)
    if refusal:
        print(f"sapgw: {refusal}", file=sys.stderr)
        return 2
    uvicorn.run(erp_app(settings, system), host=host, port=port, loop="uvloop", http="httptools",
                log_level="info")
    return 0


def erp_app(settings: Settings, system_path: str = "") -> Any:
    """`sapgw erp serve`'s app: the ERP stub's JSON RFC (or, with `system_path`, another
    system such as RAR, on the database of the local destination that names it), behind
    `[auth]` as `sapgw serve` is (role rfc or admin for `/sap/...` once users exist)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware

    from sapgw.gateway.api.auth import Authenticator, AuthMiddleware
    from sapgw.gateway.config import env_value
    from sapgw.gateway.rfc.destinations import ERP_SYSTEM, local_database
    from sapgw.rfc.jsonrfc_client import HttpRfcConnection
    from sapgw.rfc.jsonrfc_server import rfc_routes

    served = settings.destinations.get(settings.rfc_destination)
    module = system_path or (served.system if served is not None and served.type == "local"
                             else ERP_SYSTEM)
    if module == ERP_SYSTEM or (served is not None and module == served.system):
        system = importlib.import_module(module).create_system(
            settings.erp_db_url, schema=settings.erp_db_schema,
            customizing_dir=settings.erp_customizing,
            logical_system=settings.erp_logical_system)
    else:  # another system: the database its [destination] gives it
        dest = next((d for d in settings.destinations.values()
                     if d.type == "local" and d.system == module),
                    DestinationSettings(name=module.rsplit(".", 1)[-1].removesuffix("_system")
                                        .upper(), type="local", system=module))
        db_url, schema = local_database(settings, dest)
        system = importlib.import_module(module).create_system(
            db_url, schema=schema, customizing_dir=settings.erp_customizing)
    # SM59 of the served system: JSON RFC to the gateway (CRM) and to a served RAR.
    for name, (url, user, passwd) in {
            "CRM": (settings.erp_crm_url, settings.erp_crm_user, settings.erp_crm_passwd),
            "RAR": (settings.erp_rar_url, settings.erp_rar_user, settings.erp_rar_passwd),
    }.items():
        if url:
            system.outbound.set_destination(name, lambda u=url, n=user, p=passwd: (
                HttpRfcConnection(u, user=n, passwd=env_value(p))))
    # Sole user of its own SQLite file: calls run on the event loop (see rfc_routes).
    routes = rfc_routes(system.connect, inline=system.db.is_sqlite)
    guard = Middleware(AuthMiddleware, authenticator=Authenticator(settings.auth))

    @contextlib.asynccontextmanager
    async def qout(_app: Any) -> Any:
        system.outbound.start(settings.poll_interval)  # its QOUT scheduler (SMQ1 -> CRM)
        try:
            yield
        finally:
            system.outbound.stop()

    return Starlette(routes=routes, middleware=[guard], lifespan=qout)


if __name__ == "__main__":
    sys.exit(main())
