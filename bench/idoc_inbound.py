"""Issue 15's IDoc row: IDoc-XML inbound ACC_DOCUMENT03, old and new checkouts against a peer
that only files the XML, in interleaved rounds.

    python bench/idoc_inbound.py --src old=/tmp/old/src --src new=src [--rounds 5] [--n 500]
        [--modes posting,stored,packets,floor]

Per round, in an order that rotates, a fresh process per checkout and case (its `src` first
on the path) builds a gateway and the in-process ERP stub on SQLite files in a new temporary
directory and takes N IDoc-XML documents one request at a time through
`IdocService.inbound.receive_xml`, the call behind `POST /sap/bc/idoc_xml`:

- `posting`: a balanced ACC_DOCUMENT from partner LS/EXTCLNT100 (its WE20 profile: process
  code BAPI, destination ERP): 50 -> 64 -> 62 -> 53 with a posted FI document;
- `stored`: the same from a partner without a profile: 50 -> 56, nothing posted;
- `packets`: as `stored`, but the N IDocs come as IDoc-XML packets of `--packet` (100) IDocs
  each, what a partner that sends packets gets (the peer files a packet in one COMMIT);
- `floor`: no gateway at all: the ERP's BAPI_ACC_DOCUMENT_POST and BAPI_TRANSACTION_COMMIT
  for the same documents, called in process on a fresh session each (as the process code
  does), i.e. what the posting alone costs: no IDoc path can post faster than this.

The peer parses the same XML with lxml and inserts each IDoc as one row with one COMMIT per
request (SQLite WAL, synchronous=NORMAL). Every IDoc's final status is checked (53 or 56), and
every floor posting's RETURN (S). It prints IDocs/s and process CPU ms per IDoc with the load
average; the summary gives medians of each checkout's ratio to the peer in the same round
(not for `floor`, which has no peer) and of new / old.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEER = "peer"


MODES = ("posting", "stored", "packets", "floor")


def documents(n: int, partner: str, packet: int = 1) -> list[bytes]:
    """N ACC_DOCUMENT03 IDocs as IDoc-XML, `packet` IDocs to a document."""
    from sapgw.gateway.idoc.model import build
    from sapgw.gateway.idoc.xml_format import write_idoc_xml

    control = {"TABNAM": "EDI_DC40", "DIRECT": "2", "IDOCTYP": "ACC_DOCUMENT03",
               "MESTYP": "ACC_DOCUMENT", "SNDPOR": "SAPEXT", "SNDPRT": "LS", "SNDPRN": partner,
               "RCVPOR": "SAPGW", "RCVPRT": "LS", "RCVPRN": "ERPCLNT100"}
    idocs = [build(control, [
        ("E1BPACHE09", {"BUS_ACT": "RFBU", "USERNAME": "IDOC", "COMP_CODE": "1000",
                        "DOC_DATE": "20261122", "PSTNG_DATE": "20261122", "DOC_TYPE": "SA",
                        "REF_DOC_NO": f"IDOC{i}", "HEADER_TXT": "IDoc posting"}),
        ("E1BPACGL09", {"ITEMNO_ACC": "0000000001", "GL_ACCOUNT": "0000113100"}),
        ("E1BPACGL09", {"ITEMNO_ACC": "0000000002", "GL_ACCOUNT": "0000140000"}),
        ("E1BPACCR09", {"ITEMNO_ACC": "0000000001", "CURRENCY": "EUR",
                        "AMT_DOCCUR": "100.00"}),
        ("E1BPACCR09", {"ITEMNO_ACC": "0000000002", "CURRENCY": "EUR",
                        "AMT_DOCCUR": "100.00-"}),
    ]) for i in range(n)]
    return [write_idoc_xml(idocs[i:i + packet]) for i in range(0, n, packet)]


def run_gateway(directory: str, n: int, mode: str, packet: int) -> dict[str, float]:
    """One checkout's figures (runs in the child, that checkout's src first on the path)."""
    from sapgw.gateway.config import load_settings
    from sapgw.gateway.runtime import Gateway

    sys.path.insert(0, str(ROOT / "bench"))
    from serve_paths import write_config

    config = Path(directory) / "c.ini"
    write_config(config, f"sqlite:///{directory}/gw.db", f"sqlite:///{directory}/erp.db")
    gateway = Gateway(load_settings(config))
    try:
        if mode == "floor":
            return run_floor(gateway, n)
        inbound = gateway.idocs.inbound
        partner = "EXTCLNT100" if mode == "posting" else "NOPROFILE"
        expected = "53" if mode == "posting" else "56"
        size = packet if mode == "packets" else 1
        warm, timed = documents(20, partner, size), documents(n, partner, size)
        for xml in warm:
            inbound.receive_xml(xml)
        cpu, started = time.process_time(), time.perf_counter()
        results = [inbound.receive_xml(xml) for xml in timed]
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        statuses = [r["STATUS"] for rs in results for r in rs]
        wrong = [s for s in statuses if s != expected]
        if wrong or len(statuses) != n:
            raise SystemExit(f"{len(statuses)} IDocs, {len(wrong)} not {expected}: {wrong[:1]}")
        return {f"{mode}/s": n / elapsed, f"{mode} CPU ms": cpu * 1000 / n}
    finally:
        gateway.close()


def run_floor(gateway: Any, n: int) -> dict[str, float]:
    """The posting alone: the ERP's two calls for each IDoc's document, in process, no IDoc
    store, no status records, no destination or failure injection in between."""
    from sapgw.gateway.idoc.process_codes import acc_document_params
    from sapgw.gateway.idoc.xml_format import parse_idoc_xml

    system = gateway.destinations.local_system("ERP")
    system.preload_buffer()

    def params(xmls: list[bytes]) -> list[dict[str, Any]]:
        return [acc_document_params(idoc) for xml in xmls for idoc in parse_idoc_xml(xml)]

    def post(document: dict[str, Any]) -> str:
        with system.connect() as erp:
            answer = erp.call("BAPI_ACC_DOCUMENT_POST", **document)
            erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
        return str(answer["RETURN"][0]["TYPE"])

    warm, timed = params(documents(20, "EXTCLNT100")), params(documents(n, "EXTCLNT100"))
    for document in warm:
        post(document)
    cpu, started = time.process_time(), time.perf_counter()
    types = [post(document) for document in timed]
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    if set(types) != {"S"}:
        raise SystemExit(f"floor: RETURN types {sorted(set(types))}, not only S")
    return {"floor/s": n / elapsed, "floor CPU ms": cpu * 1000 / n}


def run_peer(directory: str, n: int, mode: str, packet: int) -> dict[str, float]:
    """Parse each IDoc-XML with lxml and file it: one INSERT per IDoc, one COMMIT per request
    (a packet's IDocs in one)."""
    import sqlite3

    from lxml import etree

    if mode == "floor":  # the floor is the ERP's own work: nothing to compare with here
        return {}

    conn = sqlite3.connect(f"{directory}/peer.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE idoc (docnum INTEGER PRIMARY KEY, mestyp TEXT, sndprn TEXT, "
                 "status TEXT, xml BLOB)")
    timed = documents(n, "EXTCLNT100", packet if mode == "packets" else 1)
    cpu, started = time.process_time(), time.perf_counter()
    for xml in timed:
        root = etree.fromstring(xml)
        conn.execute("BEGIN IMMEDIATE")
        for node in root.iter("IDOC"):
            control = node.find("EDI_DC40")
            conn.execute("INSERT INTO idoc (mestyp, sndprn, status, xml) "
                         "VALUES (?, ?, '50', ?)",
                         (control.findtext("MESTYP"), control.findtext("SNDPRN"),
                          etree.tostring(node)))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    return {f"{mode}/s": n / elapsed, f"{mode} CPU ms": cpu * 1000 / n}


def child(name: str, src: str | None, n: int, modes: list[str], packet: int
          ) -> dict[str, float]:
    figures: dict[str, float] = {}
    for mode in modes:
        with tempfile.TemporaryDirectory(prefix="sapgw-idoc-") as directory:
            env = {k: v for k, v in os.environ.items() if not k.startswith("SAPGW_")}
            env["PYTHONPATH"] = src or str(ROOT / "src")
            out = subprocess.run([sys.executable, __file__, "--child", name, directory, str(n),
                                  mode, str(packet)],
                                 env=env, capture_output=True, text=True, check=False)
            if out.returncode:
                raise SystemExit(f"{name} {mode} failed:\n{out.stderr[-2000:]}")
            figures.update(json.loads(out.stdout.strip().splitlines()[-1]))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--n", type=int, default=500, help="IDocs per case")
    parser.add_argument("--modes", default=",".join(MODES), help=f"of {', '.join(MODES)}")
    parser.add_argument("--packet", type=int, default=100, help="IDocs per packet (packets)")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, directory, n, mode, packet = args.child
        run = run_peer if name == PEER else run_gateway
        print(json.dumps(run(directory, int(n), mode, int(packet))))
        return 0
    sources = dict(s.split("=", 1) for s in args.src) or {"new": str(ROOT / "src")}
    sources = {k: str(Path(v).resolve()) for k, v in sources.items()}
    modes = args.modes.split(",")
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown mode {', '.join(sorted(unknown))}; known: {', '.join(MODES)}")
    print(f"{os.cpu_count()} CPUs · load {os.getloadavg()[0]:.2f} · n {args.n} · {sources}")
    results: dict[str, list[dict[str, float]]] = defaultdict(list)
    names = [PEER, *sources]
    for number in range(args.rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        for name in order:
            figures = child(name, sources.get(name), args.n, modes, args.packet)
            results[name].append(figures)
            shown = "  ".join(f"{k} {v:.3g}" for k, v in figures.items())
            print(f"round {number + 1} {name:<5} {shown}  load {os.getloadavg()[0]:.2f}",
                  flush=True)
    print("\nmedian over rounds (ratio to the peer in the same round):")
    first = next(iter(sources))
    for key in results[first][0]:
        peer = key in results[PEER][0]
        line = f"  {key:<16} peer " + (
            f"{statistics.median(r[key] for r in results[PEER]):8.3g}" if peer else f"{'-':>8}")
        for name in sources:
            value = statistics.median(r[key] for r in results[name])
            line += f"   {name} {value:8.3g}"
            if peer:
                ratio = statistics.median(r[key] / p[key] for r, p in
                                          zip(results[name], results[PEER], strict=True))
                line += f" ({ratio:.2f})"
        print(line)
    if {"old", "new"} <= set(sources):
        pairs = list(zip(results["new"], results["old"], strict=True))
        print("median over rounds of new / old:")
        for key in results["new"][0]:
            print(f"  {key:<16} {statistics.median(n[key] / o[key] for n, o in pairs):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
