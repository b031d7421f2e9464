"""`sapgw fault add|list|clear`: failure injection rules from the command line, on the
databases of config.ini or, with --url, on a running server (admin role: --user)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sapgw.gateway.config import Settings
from sapgw.gateway.faults.rules import KINDS
from sapgw.gateway.tables_text import render

COLUMNS = [("id", "Rule"), ("status", "Status"), ("hits", "Hits"), ("remaining", "Left"),
           ("expires_at", "Expires (UTC)"), ("text", "What it does")]
# flag -> rule field
FIELDS = {"function": "function", "destination": "destination", "queue": "queue",
          "bdoc_type": "bdoc_type", "count": "count", "expires": "expires_in",
          "type": "msg_type", "msg_class": "msg_class", "number": "msg_number",
          "text": "message", "v1": "msg_v1", "v2": "msg_v2", "v3": "msg_v3", "v4": "msg_v4",
          "exception": "exception", "seconds": "seconds", "lock_user": "user",
          "lock_object": "lock_object"}


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    fault = sub.add_parser("fault", help="failure injection rules: add, list, clear "
                                         "(docs/FAULTS.md)")
    cmds = fault.add_subparsers(dest="fault_command", required=True, metavar="FAULT_COMMAND")
    add = cmds.add_parser("add", parents=[common], help="add a rule; prints it with its id")
    add.add_argument("kind", choices=list(KINDS), help="; ".join(
        f"{k}: {v}" for k, v in KINDS.items()))
    add.add_argument("--function", help="function name (glob, e.g. BAPI_ACC_*)")
    add.add_argument("--param", action="append", default=[], metavar="PATH=VALUE",
                     help="a parameter value to match, e.g. DOCUMENTHEADER.COMP_CODE=1000 "
                          "(repeatable; a table matches when any row does)")
    add.add_argument("--destination", help="RFC destination (glob), e.g. ERP")
    add.add_argument("--queue", help="queue name (glob), e.g. R3AUFMFPO*")
    add.add_argument("--bdoc-type", help="BDoc type behind the unit, e.g. CRM_FM_FPO")
    add.add_argument("--count", default="1", help="how many calls it hits (default 1; "
                                                   "'' : until it expires or is cleared)")
    add.add_argument("--expires", type=float, help="seconds from now, on the gateway's clock")
    add.add_argument("--type", help="return: message type E, A or W (default E)")
    add.add_argument("--msg-class", help="message class, e.g. RW")
    add.add_argument("--number", help="message number, e.g. 609")
    add.add_argument("--text", help="message text with &1..&4 (default: T100 of the system)")
    for n in range(1, 5):
        add.add_argument(f"--v{n}", help=f"message variable &{n}")
    add.add_argument("--exception", help="exception: the ABAP exception's name")
    add.add_argument("--seconds", type=float, help="slow: how long the answer takes")
    add.add_argument("--lock-user", help="lock: the user holding the lock")
    add.add_argument("--lock-object", help="lock: the lock object, e.g. EFBKPF")
    cmds.add_parser("list", parents=[common], help="every rule with its status")
    clear = cmds.add_parser("clear", parents=[common], help="delete one rule (F3) or all")
    clear.add_argument("id", nargs="?")


def rule_from_args(args: argparse.Namespace) -> dict[str, Any]:
    rule: dict[str, Any] = {"kind": args.kind}
    for flag, name in FIELDS.items():
        value = getattr(args, flag, None)
        if value is not None:
            rule[name] = value
    params = {}
    for item in args.param:
        path, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--param {item}: write PATH=VALUE, e.g. "
                             "DOCUMENTHEADER.COMP_CODE=1000")
        params[path.strip()] = value
    if params:
        rule["params"] = params
    return rule


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 done, 1 refused (a bad rule, an unknown id, no admin role)."""
    from sapgw.gateway.client import ClientError
    from sapgw.gateway.faults.rules import FaultRuleError
    from sapgw.gateway.faults.store import UnknownFault

    as_json = args.json
    try:
        with _target(settings, args) as target:
            if args.fault_command == "add":
                shown: Any = target("POST", rule_from_args(args))
                text = f"{shown['id']}: {shown['text']} ({shown['status']})"
            elif args.fault_command == "list":
                shown = target("GET", None)
                text = render(shown, COLUMNS, "(no fault rules)")
            else:
                shown = target("DELETE", args.id)
                text = f"{shown['cleared']} rule(s) cleared"
    except (FaultRuleError, UnknownFault, ClientError, ValueError) as exc:
        print(f"sapgw fault: {exc}", file=__import__("sys").stderr)
        return 1
    print(json.dumps(shown, indent=2, default=str) if as_json else text)
    return 0


class _target:
    """The rules of config.ini's gateway, or of a server at --url (REST)."""

    def __init__(self, settings: Settings, args: argparse.Namespace) -> None:
        self.settings, self.args = settings, args

    def __enter__(self) -> Any:
        from sapgw.gateway.cli import open_client

        self.client = open_client(self.settings, self.args.url, self.args.user)
        return self.call

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def call(self, method: str, value: Any) -> Any:
        http = getattr(self.client, "http", None)
        if http is None:  # in-process
            faults = self.client.gateway.faults
            if method == "POST":
                return faults.add(value, created_by=self.client.user)
            if method == "GET":
                return faults.list()
            return {"cleared": faults.clear(value)}
        path = "/api/admin/faults" + (f"/{value}" if method == "DELETE" and value else "")
        if method == "POST":
            return self.client._json(http.post(path, json=value))
        return self.client._json(http.request(method, path))
