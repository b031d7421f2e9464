"""`sapgw flow KEY`: the document flow of a key as a table, or JSON with --json.

In-process on the databases of config.ini (the ERP read over its destination), or from a
running server with --url (`GET /api/flow/{key}`). Exit 0 when something was found, 1 when
nothing was (or the server refused), 2 for a key that cannot be one.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any
from urllib.parse import quote

from sapgw.gateway.tables_text import render

COLUMNS = [("when", "Time (UTC)"), ("seq", "#"), ("parent", "From"), ("system", "System"),
           ("kind", "Kind"), ("object_type", "Type"), ("object_id", "Object"),
           ("status", "Status"), ("tid", "TID"), ("text", "What")]


def add_command(sub: Any, common: argparse.ArgumentParser) -> None:
    flow = sub.add_parser("flow", parents=[common], help="document flow of a key: every BDoc, "
                          "LUW, IDoc and ERP document it produced (exit 1: nothing found)")
    flow.add_argument("key", help="fund usage, fund posting, trade promotion or customer "
                                  "number, BDoc id, TID or IDoc number")


def fetch(client: Any, key: str) -> tuple[int, dict[str, Any]]:
    """(HTTP-like status, body) from the gateway in this process or the server at --url."""
    gateway = getattr(client, "gateway", None)
    if gateway is not None:
        from sapgw.gateway.docflow.routes import flow_json

        return flow_json(gateway, key)
    response = client.http.get(f"/api/flow/{quote(key.strip(), safe='')}")
    if response.status_code in (200, 400, 404):
        return response.status_code, response.json()
    from sapgw.gateway.client import ClientError

    raise ClientError(f"HTTP {response.status_code} from {client.url}: {response.text[:300]}")


def flow_command(args: argparse.Namespace, client: Any) -> int:
    status, body = fetch(client, args.key)
    if status == 400:
        print(f"sapgw: {body['message']}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(body, indent=2, default=str))
    elif status == 200:
        print(text(body))
    for problem in body.get("problems", []):
        print(f"sapgw: {problem}", file=sys.stderr)
    if status == 404:
        print(f"sapgw: {body['message']}", file=sys.stderr)
        return 1
    return 0


def text(body: dict[str, Any]) -> str:
    rows = [{**e, "parent": e["parent"] or "", "when": (e["at"] or "") if e["date_only"]
             else (e["at"] or "")[:19].replace("T", " ")} for e in body["entries"]]
    return (f"Document flow of {body['key']} (found as: {'; '.join(body['found_as'])})\n"
            + render(rows, COLUMNS, "(nothing found)"))
