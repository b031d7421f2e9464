"""`sapgw idoc …`: WE02 list, WE05 detail, BD87 reprocess, files in, FI documents out, WE20
partner profiles and WE21 ports.

Works on the databases of config.ini (not over --url yet); --json prints what scripts need.
`add_commands` imports nothing of the IDoc machinery, so other commands start without it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sapgw.gateway.cli_support import alpha_arg
from sapgw.gateway.config import Settings
from sapgw.gateway.tables_text import render

if TYPE_CHECKING:
    from sapgw.gateway.idoc.service import IdocService

LIST_COLUMNS = [("DOCNUM", "IDoc number"), ("STATUS", "Status"), ("DIRECT", "Dir"),
                ("MESTYP", "Message type"), ("IDOCTYP", "Basic type"), ("partner", "Partner"),
                ("updated_at", "Changed (UTC)")]
PORT_FIELDS = ("url", "directory", "inbound_directory", "file_name", "file_format",
               "destination", "timeout", "retry_count", "retry_interval", "retry_backoff")


def add_commands(sub: Any) -> None:
    idoc = sub.add_parser("idoc", help="IDocs: list (WE02), show (WE05), reprocess (BD87), "
                                       "files in, FI documents out, partner profiles (WE20), "
                                       "ports (WE21)")
    idoc.add_argument("--json", action="store_true", help="print JSON instead of tables")
    cmds = idoc.add_subparsers(dest="idoc_command", required=True, metavar="IDOC_COMMAND")
    listing = cmds.add_parser("list", help="IDocs, newest first")
    listing.add_argument("--status", default="", help="e.g. 51 or 51,56")
    listing.add_argument("--direction", default="", choices=["", "1", "2", "out", "in"],
                         help="1 or out: outbound; 2 or in: inbound")
    listing.add_argument("--mestyp", default="")
    listing.add_argument("--partner", default="", help="sender (inbound) or receiver (outbound)")
    listing.add_argument("--limit", type=int, default=50)
    cmds.add_parser("show", help="control record, segments, status history").add_argument(
        "docnum", type=alpha_arg(16), help="IDoc number (leading zeros may be left out)")
    cmds.add_parser("reprocess", help="process an inbound IDoc in error again, or send an "
                                      "outbound one in 02/30 again").add_argument(
        "docnum", type=alpha_arg(16), help="IDoc number (leading zeros may be left out)")
    send = cmds.add_parser("send", help="take in an IDoc-XML or flat file (- for stdin)")
    send.add_argument("file")
    cmds.add_parser("receive-dir", help="take in every file of a directory (file port): moved "
                                        "to processed/ or error/").add_argument("directory")
    fi = cmds.add_parser("send-fi", help="FI documents as ACC_DOCUMENT IDocs (BD10-like); a "
                                         "document goes to each partner once")
    fi.add_argument("--company-code", required=True)
    fi.add_argument("--from-date", required=True, type=_date, help="YYYY-MM-DD or YYYYMMDD")
    fi.add_argument("--to-date", default="", type=_date)
    fi.add_argument("--partner", default="", help="only this receiver (RCVPRN)")
    fi.add_argument("--destination", default="ERP", help="RFC destination of the documents")
    changes = cmds.add_parser("send-changes", help="customers and vendors changed in the ERP "
                                                   "as DEBMAS/CREMAS IDocs (BD21-like)")
    changes.add_argument("--mestyp", default="", type=str.upper, choices=("", "DEBMAS", "CREMAS"),
                         help="only this message type (default: both)")
    changes.add_argument("--destination", default="ERP", help="RFC destination of the ERP")
    cmds.add_parser("dispatch", help="send the outbound IDocs collected in status 30")
    partner = cmds.add_parser("partner", help="list or save an inbound partner profile")
    partner.add_argument("profile", nargs="*", metavar="SNDPRT SNDPRN MESTYP EVCODE",
                         help="give all four to save a profile; none to list them")
    partner.add_argument("--destination", default="ERP")
    out = cmds.add_parser("partner-out", help="list or save an outbound partner profile")
    out.add_argument("profile", nargs="*", metavar="RCVPRT RCVPRN MESTYP PORT",
                     help="give all four to save a profile; none to list them")
    out.add_argument("--idoctyp", default="", help="basic type (default: the message type's)")
    out.add_argument("--outmode", default="2", choices=["2", "4"],
                     help="2 transfer immediately, 4 collect for `dispatch`")
    port = cmds.add_parser("port", help="list ports, or save one (WE21)")
    port.add_argument("name", nargs="?", help="the port to save; none to list them")
    port.add_argument("--type", choices=["XML-HTTP", "FILE", "TRFC"])
    for name in PORT_FIELDS:
        port.add_argument(f"--{name.replace('_', '-')}", dest=name,
                          type=float if name in ("timeout", "retry_interval", "retry_backoff")
                          else int if name == "retry_count" else str)


def _date(text: str) -> str:
    if not text:
        return ""
    try:
        return date.fromisoformat(text).strftime("%Y%m%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: a date like 2026-11-01") from None


def run(args: argparse.Namespace, settings: Settings) -> int:
    from sapgw.gateway.runtime import Gateway

    with Gateway(settings) as gateway:
        data, text = _command(args, gateway.idocs)
    print(json.dumps(data, indent=2) if args.json else text)
    return 0


def _command(args: argparse.Namespace, service: IdocService) -> tuple[Any, str]:
    command = args.idoc_command
    if command == "list":
        direction = {"out": "1", "in": "2"}.get(args.direction, args.direction)
        data = service.store.listing(args.status, args.mestyp, args.partner, args.limit,
                                     direction=direction)
        rows = [{**i, "partner": i["RCVPRN"] if i["DIRECT"] == "1" else i["SNDPRN"]}
                for i in data["idocs"]]
        return data, render(rows, LIST_COLUMNS)
    if command == "show":
        return _show(service.detail(args.docnum))
    if command == "reprocess":
        result = service.reprocess(args.docnum)
        return result, _result_text(result)
    if command == "send":
        from sapgw.gateway.idoc.file_port import read_idocs

        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        results = service.inbound.receive(read_idocs(raw, args.file))
        return results, "\n".join(_result_text(r) for r in results)
    if command == "receive-dir":
        files = [f.as_dict() for f in service.receive_directory(Path(args.directory))]
        return files, "\n".join(
            f"{f['file']} -> {f['moved_to']}" + (f" ({f['error']})" if f["error"] else "")
            + "".join(f"\n  {_result_text(r)}" for r in f["idocs"]) for f in files) or (
            "no files")
    if command == "send-fi":
        data = service.send_acc_documents(args.company_code, args.from_date, args.to_date,
                                          args.partner, args.destination)
        return data, "\n".join([f"{data['documents']} documents, {len(data['idocs'])} IDocs, "
                                f"{data['already_sent']} already sent"]
                               + [_result_text(r) for r in data["idocs"]])
    if command == "send-changes":
        data = service.send_master_data(args.mestyp, args.destination)
        return data, "\n".join([f"{data['objects']} changed objects ({data['pointers']} change "
                                f"pointers), {len(data['idocs'])} IDocs, "
                                f"{data['not_to_sender']} not sent back to their sender"]
                               + [_result_text(r) for r in data["idocs"]])
    if command == "dispatch":
        results = service.outbound.dispatch_collected()
        return results, "\n".join(_result_text(r) for r in results) or "nothing to send"
    if command == "port":
        return _port(args, service)
    if command == "partner-out":
        return _partner_out(args, service)
    return _partner_in(args, service)


def _show(data: dict[str, Any]) -> tuple[Any, str]:
    lines = [f"{k}: {v}" for k, v in data["control"].items()]
    lines += [f"{'  ' * (int(s['HLEVEL']) - 1)}{s['SEGNUM']} {s['SEGNAM']} "
              f"{s.get('fields', s.get('SDATA'))}" for s in data["segments"]]
    lines += [f"{s['time']} {s['STATUS']} {s['TEXT']}" for s in data["status"]]
    if "dispatch" in data:
        lines.append("dispatch: " + ", ".join(f"{k} {v}" for k, v in data["dispatch"].items()))
    return data, "\n".join(lines)


def _partner_in(args: argparse.Namespace, service: IdocService) -> tuple[Any, str]:
    if len(args.profile) not in (0, 4):
        raise ValueError("partner needs SNDPRT SNDPRN MESTYP EVCODE (all four) or nothing")
    if args.profile:
        from sapgw.gateway.idoc.store import PartnerProfile

        service.store.put_partner(PartnerProfile(*args.profile, destination=args.destination))
    profiles = [p.__dict__ for p in service.store.partners()]
    return profiles, render(profiles, [(k, k) for k in ("SNDPRT", "SNDPRN", "MESTYP", "EVCODE",
                                                        "destination")])


def _partner_out(args: argparse.Namespace, service: IdocService) -> tuple[Any, str]:
    if len(args.profile) not in (0, 4):
        raise ValueError("partner-out needs RCVPRT RCVPRN MESTYP PORT (all four) or nothing")
    if args.profile:
        from sapgw.gateway.idoc.store import OutboundProfile
        from sapgw.idoc_schemas import idoc_type, known_types

        rcvprt, rcvprn, mestyp, port = args.profile
        idoctyp = args.idoctyp or next(
            (t for t in known_types() if (d := idoc_type(t)) and d.mestyp == mestyp), "")
        service.put_outbound_profile(OutboundProfile(rcvprt, rcvprn, mestyp, port, idoctyp,
                                                     args.outmode))
    profiles = [p.__dict__ for p in service.store.outbound_profiles()]
    return profiles, render(profiles, [(k, k) for k in ("RCVPRT", "RCVPRN", "MESTYP", "RCVPOR",
                                                        "IDOCTYP", "OUTMOD")])


def _port(args: argparse.Namespace, service: IdocService) -> tuple[Any, str]:
    if args.name:
        from sapgw.gateway.idoc.ports import Port

        old = service.ports.get(args.name)
        values = asdict(old) if old else {"PORT": args.name}
        values.update({k: v for k in ("type", *PORT_FIELDS)
                       if (v := getattr(args, k)) is not None})
        if "type" not in values:
            raise ValueError(f"port {args.name} is new: give --type XML-HTTP, FILE or TRFC")
        service.ports.put(Port(**values))
    ports = [p.shown() for p in service.ports.all()]
    return ports, render([{**p, "target": p["url"] or p["destination"] or " / ".join(
        d for d in (p["directory"], p["inbound_directory"]) if d)} for p in ports],
        [("PORT", "Port"), ("type", "Type"), ("target", "Target"),
         ("retry_count", "Retries"), ("retry_interval", "Interval (s)")])


def _result_text(result: dict[str, Any]) -> str:
    first = next((m["MESSAGE"] for m in result["MESSAGES"] if m.get("MESSAGE")), "")
    return f"IDoc {result['DOCNUM']} status {result['STATUS']} {first}".rstrip()
