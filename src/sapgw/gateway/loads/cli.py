"""`sapgw load`: R3AS (start), R3AR2/R3AR4 (request define/start), R3AM1 (monitor).

In-process on the databases of config.ini, `start` drives the ERP's extraction and works the
queues until the load is through (`--no-wait`: extract only; a running `sapgw serve` or
`sapgw worker` moves the blocks). With --url the server runs the load and the command
prints its first monitor line; follow it with `sapgw load monitor ID --url …`.
Exit 1 when a load shown ended in ERROR or was refused (SMOF/CRS message), 2 for a command
line that cannot work (a filter that is not FIELD=VALUE or FIELD=LOW..HIGH).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sapgw.gateway.cli_support import fail
from sapgw.gateway.tables_text import render

COLUMNS = [("load_id", "Load"), ("kind_text", "Type"), ("object", "Load object"),
           ("request", "Request"), ("source_site", "Source"), ("target_site", "Target"),
           ("status", "Status"), ("blocks_sent", "Blocks sent"),
           ("blocks_processed", "Processed"), ("blocks_in_error", "In error"),
           ("objects_sent", "Objects sent"), ("objects_received", "Received"),
           ("message", "Message")]
REQUEST_COLUMNS = [("name", "Request"), ("objname", "Load object"), ("source_site", "Source"),
                   ("ranges", "Ranges"), ("text", "Text")]
OBJECT_COLUMNS = [("name", "Load object"), ("text", "Text"), ("source_site_type", "Source"),
                  ("extractor", "Extractor"), ("block_size", "Block size"),
                  ("filters", "Filter fields (SMOFFILFLD)")]


def add_command(sub: Any, common: argparse.ArgumentParser) -> None:
    load = sub.add_parser("load", help="initial loads and requests (R3AS, R3AR2/R3AR4) and "
                          "their monitor (R3AM1)")
    load_sub = load.add_subparsers(dest="load_command", required=True)
    start = load_sub.add_parser("start", parents=[common], help="R3AS: start an initial load "
                                "(or go on with the unfinished one of the same settings)")
    start.add_argument("object", help="load object (R3AC1), e.g. CUSTOMER_MAIN")
    _load_options(start)
    start.add_argument("--target", default="CRM", help="target site (CRM)")
    monitor = load_sub.add_parser("monitor", parents=[common], help="R3AM1: loads with blocks "
                                  "sent, processed, in error (exit 1: one in ERROR)")
    monitor.add_argument("load_id", nargs="?", type=int, help="one load")
    load_sub.add_parser("objects", parents=[common], help="R3AC1: the load objects")
    request = load_sub.add_parser("request", help="R3AR2/R3AR3/R3AR4: requests")
    request_sub = request.add_subparsers(dest="request_command", required=True)
    define = request_sub.add_parser("define", parents=[common], help="R3AR2: define a request")
    define.add_argument("name")
    define.add_argument("object")
    define.add_argument("--source", default="", help="source site (default: the only R/3 "
                                                     "site)")
    define.add_argument("--filter", action="append", default=[], required=True,
                        metavar="FIELD=LOW[..HIGH]", help="a range (repeatable)")
    define.add_argument("--text", default="")
    run = request_sub.add_parser("start", parents=[common], help="R3AR4: start a request")
    run.add_argument("name")
    run.add_argument("--block-size", type=int, default=0)
    run.add_argument("--no-wait", action="store_true", help="extract only")
    request_sub.add_parser("list", parents=[common], help="R3AR3: the requests")


def _load_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", default="", help="source site (default: the only R/3 "
                                                     "site)")
    parser.add_argument("--block-size", type=int, default=0, help="objects per block "
                        "(default: the load object's)")
    parser.add_argument("--filter", action="append", default=[], metavar="FIELD=LOW[..HIGH]",
                        help="a range on an allowed filter field (repeatable)")
    parser.add_argument("--no-wait", action="store_true",
                        help="extract only; the queues are worked by a running server")


def run(args: argparse.Namespace, client: Any) -> int:
    # the service (and its tables) here, not at the top: the parser imports this module for
    # every command, and the tables cost `sapgw serve` 0.35 s before it listened (issue 15)
    from sapgw.gateway.loads.service import LoadError

    try:
        return _run(args, client)
    except LoadError as error:
        return fail(str(error), 2 if error.number == "917" else 1)


def _run(args: argparse.Namespace, client: Any) -> int:
    from sapgw.gateway.loads.service import Range

    gateway = getattr(client, "gateway", None)
    command = args.load_command
    if command == "objects":
        objects = (list(gateway.loads.objects.values()) if gateway else None)
        rows = ([vars(o) for o in objects] if objects is not None
                else _http(client, "GET", "/api/loads")["objects"])
        for row in rows:
            row["filters"] = ", ".join(row["filter_fields"])
        return _show(args, rows, render(rows, OBJECT_COLUMNS, "(no load objects)"))
    if command == "monitor":
        return _monitor(args, client, gateway)
    if command == "start":
        filters = [Range.parse(f) for f in args.filter]
        if gateway is None:
            body = {"object": args.object, "source": args.source, "target": args.target,
                    "block_size": args.block_size,
                    "filters": [{"field": f.field, "option": f.option, "low": f.low,
                                 "high": f.high} for f in filters]}
            return _started(args, _http(client, "POST", "/api/loads", body))
        load = gateway.loads.start(args.object, args.source, args.target, args.block_size,
                                   filters)
        return _started(args, gateway.loads.run(load["load_id"], process=not args.no_wait))
    if args.request_command == "list":
        rows = (gateway.loads.store.requests() if gateway
                else _http(client, "GET", "/api/loads/requests"))
        for row in rows:
            row["ranges"] = " ".join(f"{f['FIELDNAME']}={f['LOW']}" + (
                f"..{f['HIGH']}" if f["OPTION"] == "BT" else "") for f in row["filters"])
        return _show(args, rows, render(rows, REQUEST_COLUMNS, "(no requests)"))
    if args.request_command == "define":
        filters = [Range.parse(f) for f in args.filter]
        if gateway is None:
            body = {"object": args.object, "source": args.source, "text": args.text,
                    "filters": [{"field": f.field, "option": f.option, "low": f.low,
                                 "high": f.high} for f in filters]}
            done = _http(client, "PUT", f"/api/loads/requests/{args.name}", body)
        else:
            done = gateway.loads.define_request(args.name, args.object, filters, args.source,
                                                args.text)
        return _show(args, done, f"Request {done['name']} of {done['objname']} defined")
    if gateway is None:
        return _started(args, _http(client, "POST", f"/api/loads/requests/{args.name}/start",
                                    {"block_size": args.block_size}))
    load = gateway.loads.start_request(args.name, args.block_size)
    return _started(args, gateway.loads.run(load["load_id"], process=not args.no_wait))


def _monitor(args: argparse.Namespace, client: Any, gateway: Any) -> int:
    if args.load_id is not None:
        rows = [gateway.loads.status(args.load_id) if gateway
                else _http(client, "GET", f"/api/loads/{args.load_id}")]
    else:
        rows = gateway.loads.monitor() if gateway else _http(client, "GET", "/api/loads")["loads"]
    _show(args, rows, render(rows, COLUMNS, "(no loads)"))
    return 1 if any(r["status"] == "ERROR" for r in rows) else 0


def _started(args: argparse.Namespace, status: dict[str, Any]) -> int:
    _show(args, status, render([status], COLUMNS))
    return 1 if status["status"] == "ERROR" else 0


def _show(args: argparse.Namespace, data: Any, text: str) -> int:
    print(json.dumps(data, indent=2, default=str) if args.json else text)
    return 0


def _http(client: Any, method: str, path: str, body: Any = None) -> Any:
    """A call of the server's /api/loads; a refusal raises LoadError with its message."""
    from sapgw.gateway.loads.service import LoadError

    response = client.http.request(method, path, json=body)
    if response.status_code in (400, 404) and "error" in response.json():
        answer = response.json()
        msg_class, _, number = str(answer["error"]).partition(" ")
        raise LoadError(number or "000", answer["message"], msg_class)
    response.raise_for_status()
    return response.json()
