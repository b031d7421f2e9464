"""Issue 15's IDoc row: IDoc-XML inbound ACC_DOCUMENT03, old and new checkouts against a peer
that only files the XML, in interleaved rounds.

    python bench/idoc_inbound.py --src old=/tmp/old/src --src new=src [--rounds 5] [--n 500]

Per round, in an order that rotates, a fresh process per checkout (its `src` first on the
path) builds a gateway and the in-process ERP stub on SQLite files in a new temporary
directory and takes N IDoc-XML documents one request at a time through
`IdocService.inbound.receive_xml`, the call behind `POST /sap/bc/idoc_xml`:

- `posting`: a balanced ACC_DOCUMENT from partner LS/EXTCLNT100 (its WE20 profile: process
  code BAPI, destination ERP): 50 -> 64 -> 62 -> 53 with a posted FI document;
- `stored`: the same from a partner without a profile: 50 -> 56, nothing posted.

The peer parses the same XML with lxml and inserts it as one row with one COMMIT per IDoc
(SQLite WAL, synchronous=NORMAL). Every IDoc's final status is checked (53 or 56). It prints
IDocs/s and process CPU ms per IDoc with the load average; the summary gives medians of
each checkout's ratio to the peer in the same round and of new / old.
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

ROOT = Path(__file__).resolve().parents[1]
PEER = "peer"


def documents(n: int, partner: str) -> list[bytes]:
    from sapgw.gateway.idoc.model import build
    from sapgw.gateway.idoc.xml_format import write_idoc_xml

    control = {"TABNAM": "EDI_DC40", "DIRECT": "2", "IDOCTYP": "ACC_DOCUMENT03",
               "MESTYP": "ACC_DOCUMENT", "SNDPOR": "SAPEXT", "SNDPRT": "LS", "SNDPRN": partner,
               "RCVPOR": "SAPGW", "RCVPRT": "LS", "RCVPRN": "ERPCLNT100"}
    return [write_idoc_xml([build(control, [
        ("E1BPACHE09", {"BUS_ACT": "RFBU", "USERNAME": "IDOC", "COMP_CODE": "1000",
                        "DOC_DATE": "20261122", "PSTNG_DATE": "20261122", "DOC_TYPE": "SA",
                        "REF_DOC_NO": f"IDOC{i}", "HEADER_TXT": "IDoc posting"}),
        ("E1BPACGL09", {"ITEMNO_ACC": "0000000001", "GL_ACCOUNT": "0000113100"}),
        ("E1BPACGL09", {"ITEMNO_ACC": "0000000002", "GL_ACCOUNT": "0000140000"}),
        ("E1BPACCR09", {"ITEMNO_ACC": "0000000001", "CURRENCY": "EUR",
                        "AMT_DOCCUR": "100.00"}),
        ("E1BPACCR09", {"ITEMNO_ACC": "0000000002", "CURRENCY": "EUR",
                        "AMT_DOCCUR": "100.00-"}),
    ])]) for i in range(n)]


def run_gateway(directory: str, n: int, mode: str) -> dict[str, float]:
    """One checkout's figures (runs in the child, that checkout's src first on the path)."""
    from sapgw.gateway.config import load_settings
    from sapgw.gateway.runtime import Gateway

    sys.path.insert(0, str(ROOT / "bench"))
    from serve_paths import write_config

    config = Path(directory) / "c.ini"
    write_config(config, f"sqlite:///{directory}/gw.db", f"sqlite:///{directory}/erp.db")
    gateway = Gateway(load_settings(config))
    try:
        inbound = gateway.idocs.inbound
        partner = "EXTCLNT100" if mode == "posting" else "NOPROFILE"
        expected = "53" if mode == "posting" else "56"
        warm, timed = documents(20, partner), documents(n, partner)
        for xml in warm:
            inbound.receive_xml(xml)
        cpu, started = time.process_time(), time.perf_counter()
        results = [inbound.receive_xml(xml) for xml in timed]
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        wrong = [r for rs in results for r in rs if r["STATUS"] != expected]
        if wrong:
            raise SystemExit(f"IDoc not {expected}: {wrong[0]}")
        return {f"{mode}/s": n / elapsed, f"{mode} CPU ms": cpu * 1000 / n}
    finally:
        gateway.close()


def run_peer(directory: str, n: int, mode: str) -> dict[str, float]:
    """Parse each IDoc-XML with lxml and file it: one INSERT and one COMMIT per IDoc."""
    import sqlite3

    from lxml import etree

    conn = sqlite3.connect(f"{directory}/peer.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE idoc (docnum INTEGER PRIMARY KEY, mestyp TEXT, sndprn TEXT, "
                 "status TEXT, xml BLOB)")
    timed = documents(n, "EXTCLNT100")
    cpu, started = time.process_time(), time.perf_counter()
    for xml in timed:
        root = etree.fromstring(xml)
        control = root.find(".//EDI_DC40")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO idoc (mestyp, sndprn, status, xml) VALUES (?, ?, '50', ?)",
                     (control.findtext("MESTYP"), control.findtext("SNDPRN"), xml))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    return {f"{mode}/s": n / elapsed, f"{mode} CPU ms": cpu * 1000 / n}


def child(name: str, src: str | None, n: int, modes: list[str]) -> dict[str, float]:
    figures: dict[str, float] = {}
    for mode in modes:
        with tempfile.TemporaryDirectory(prefix="sapgw-idoc-") as directory:
            env = {k: v for k, v in os.environ.items() if not k.startswith("SAPGW_")}
            env["PYTHONPATH"] = src or str(ROOT / "src")
            out = subprocess.run([sys.executable, __file__, "--child", name, directory, str(n),
                                  mode], env=env, capture_output=True, text=True, check=False)
            if out.returncode:
                raise SystemExit(f"{name} {mode} failed:\n{out.stderr[-2000:]}")
            figures.update(json.loads(out.stdout.strip().splitlines()[-1]))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--n", type=int, default=500, help="IDocs per case")
    parser.add_argument("--modes", default="posting,stored")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, directory, n, mode = args.child
        run = run_peer if name == PEER else run_gateway
        print(json.dumps(run(directory, int(n), mode)))
        return 0
    sources = dict(s.split("=", 1) for s in args.src) or {"new": str(ROOT / "src")}
    sources = {k: str(Path(v).resolve()) for k, v in sources.items()}
    modes = args.modes.split(",")
    print(f"{os.cpu_count()} CPUs · load {os.getloadavg()[0]:.2f} · n {args.n} · {sources}")
    results: dict[str, list[dict[str, float]]] = defaultdict(list)
    names = [PEER, *sources]
    for number in range(args.rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        for name in order:
            figures = child(name, sources.get(name), args.n, modes)
            results[name].append(figures)
            shown = "  ".join(f"{k} {v:.3g}" for k, v in figures.items())
            print(f"round {number + 1} {name:<5} {shown}  load {os.getloadavg()[0]:.2f}",
                  flush=True)
    print("\nmedian over rounds (ratio to the peer in the same round):")
    for key in results[PEER][0]:
        line = f"  {key:<16} peer {statistics.median(r[key] for r in results[PEER]):8.3g}"
        for name in sources:
            value = statistics.median(r[key] for r in results[name])
            ratio = statistics.median(r[key] / p[key] for r, p in
                                      zip(results[name], results[PEER], strict=True))
            line += f"   {name} {value:8.3g} ({ratio:.2f})"
        print(line)
    if {"old", "new"} <= set(sources):
        pairs = list(zip(results["new"], results["old"], strict=True))
        print("median over rounds of new / old:")
        for key in results["new"][0]:
            print(f"  {key:<16} {statistics.median(n[key] / o[key] for n, o in pairs):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
