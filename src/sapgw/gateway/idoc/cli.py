"""`sapgw idoc …`: WE02 list, WE05 detail, BD87 reprocess, send a file, WE20 partner profiles.

Works on the databases of config.ini (not over --url yet); --json prints what scripts need.
`add_commands` imports nothing of the IDoc machinery, so other commands start without it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sapgw.gateway.config import Settings
from sapgw.gateway.tables_text import render

if TYPE_CHECKING:
    from sapgw.gateway.idoc.inbound import IdocInbound

LIST_COLUMNS = [("DOCNUM", "IDoc number"), ("STATUS", "Status"), ("MESTYP", "Message type"),
                ("IDOCTYP", "Basic type"), ("SNDPRN", "Partner"), ("updated_at", "Changed (UTC)")]


def add_commands(sub: Any) -> None:
    idoc = sub.add_parser("idoc", help="IDocs: list (WE02), show (WE05), reprocess (BD87), "
                                       "send a file, partner profiles (WE20)")
    idoc.add_argument("--json", action="store_true", help="print JSON instead of tables")
    cmds = idoc.add_subparsers(dest="idoc_command", required=True, metavar="IDOC_COMMAND")
    listing = cmds.add_parser("list", help="IDocs, newest first")
    listing.add_argument("--status", default="", help="e.g. 51 or 51,56")
    listing.add_argument("--mestyp", default="")
    listing.add_argument("--partner", default="", help="sender partner number (SNDPRN)")
    listing.add_argument("--limit", type=int, default=50)
    cmds.add_parser("show", help="control record, segments, status history").add_argument(
        "docnum")
    cmds.add_parser("reprocess", help="process an IDoc in error again").add_argument("docnum")
    send = cmds.add_parser("send", help="take in an IDoc-XML or flat file (- for stdin)")
    send.add_argument("file")
    partner = cmds.add_parser("partner", help="list or save an inbound partner profile")
    partner.add_argument("profile", nargs="*", metavar="SNDPRT SNDPRN MESTYP EVCODE",
                         help="give all four to save a profile; none to list them")
    partner.add_argument("--destination", default="ERP")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from sapgw.gateway.idoc.inbound import IdocInbound
    from sapgw.gateway.runtime import Gateway

    with Gateway(settings) as gateway:
        inbound = IdocInbound(gateway.db, gateway.clock, gateway.destination)
        data, text = _command(args, inbound)
    print(json.dumps(data, indent=2) if args.json else text)
    return 0


def _command(args: argparse.Namespace, inbound: IdocInbound) -> tuple[Any, str]:
    command = args.idoc_command
    if command == "list":
        data = inbound.store.listing(args.status, args.mestyp, args.partner, args.limit)
        return data, render(data["idocs"], LIST_COLUMNS)
    if command == "show":
        data = inbound.store.detail(args.docnum)
        lines = [f"{k}: {v}" for k, v in data["control"].items()]
        lines += [f"{'  ' * (int(s['HLEVEL']) - 1)}{s['SEGNUM']} {s['SEGNAM']} "
                  f"{s.get('fields', s.get('SDATA'))}" for s in data["segments"]]
        lines += [f"{s['time']} {s['STATUS']} {s['TEXT']}" for s in data["status"]]
        return data, "\n".join(lines)
    if command == "reprocess":
        result = inbound.reprocess(args.docnum)
        return result, _result_text(result)
    if command == "send":
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        results = (inbound.receive_xml(raw, args.file) if raw.lstrip().startswith(b"<")
                   else inbound.receive_flat(raw.decode("utf-8"), args.file))
        return results, "\n".join(_result_text(r) for r in results)
    if len(args.profile) not in (0, 4):
        raise ValueError("partner needs SNDPRT SNDPRN MESTYP EVCODE (all four) or nothing")
    if args.profile:
        from sapgw.gateway.idoc.store import PartnerProfile

        inbound.store.put_partner(PartnerProfile(*args.profile, destination=args.destination))
    profiles = [p.__dict__ for p in inbound.store.partners()]
    return profiles, render(profiles, [(k, k) for k in ("SNDPRT", "SNDPRN", "MESTYP", "EVCODE",
                                                        "destination")])


def _result_text(result: dict[str, Any]) -> str:
    first = next((m["MESSAGE"] for m in result["MESSAGES"] if m.get("MESSAGE")), "")
    return f"IDoc {result['DOCNUM']} status {result['STATUS']} {first}".rstrip()
