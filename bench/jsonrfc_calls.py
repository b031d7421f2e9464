"""JSON RFC calls/s: `BAPI_ACC_DOCUMENT_POST` against a real uvicorn server.

    python bench/jsonrfc_calls.py [--seconds 5] [--threads 1,4] [--calls inline,threads]

A subprocess serves the ERP stub's JSON RFC routes (`rfc_routes(system.connect)` over
`erp_stub.create_system` on a SQLite file in a temporary directory) with uvicorn, httptools
and uvloop, as `sapgw erp serve` would. Clients call BAPI_ACC_DOCUMENT_POST with a balanced
document (debit 100.00, credit -100.00) for `--seconds` per case, with 1 and 4 threads,
each with keep-alive (one `http.client` connection per thread) and with a new TCP
connection per call. A stateless call runs in a fresh
connection and is not committed (no BAPI_TRANSACTION_COMMIT), so every call does the whole
check and posting path and the database stays the same size.
Every answer is checked: HTTP 200 and a RETURN row of type S. Target: 1,000 calls/s with 4
threads. `--calls` picks how the server runs a call: `inline` on the event loop, as
`sapgw erp serve` does on SQLite, or `threads` in Starlette's thread pool, as `sapgw serve`
does. `--serve PORT DB CALLS` is the server side (used by the bench itself).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

TARGET = 1000.0
PATH = "/sap/bc/rfc/BAPI_ACC_DOCUMENT_POST"


def document(n: int) -> bytes:
    """A balanced G/L document (the shape of tests/scenarios/test_live_server.py)."""
    return json.dumps({
        "DOCUMENTHEADER": {"BUS_ACT": "RFBU", "USERNAME": "BENCH", "COMP_CODE": "1000",
                           "DOC_DATE": "20261122", "PSTNG_DATE": "20261122", "DOC_TYPE": "SA",
                           "REF_DOC_NO": f"BENCH{n}", "HEADER_TXT": "Bench posting"},
        "ACCOUNTGL": [{"ITEMNO_ACC": "1", "GL_ACCOUNT": "0000113100"},
                      {"ITEMNO_ACC": "2", "GL_ACCOUNT": "0000140000"}],
        "CURRENCYAMOUNT": [{"ITEMNO_ACC": "1", "CURRENCY": "EUR", "AMT_DOCCUR": "100.00"},
                           {"ITEMNO_ACC": "2", "CURRENCY": "EUR", "AMT_DOCCUR": "-100.00"}],
    }).encode()


def serve(port: int, db: str, inline: bool) -> None:
    """The server process: the ERP stub's JSON RFC routes under uvicorn (httptools, uvloop)."""
    import uvicorn
    from starlette.applications import Starlette

    from sapgw.erp_stub import create_system
    from sapgw.rfc.jsonrfc_server import rfc_routes

    system = create_system(f"sqlite:///{db}")
    app = Starlette(routes=rfc_routes(system.connect, inline=inline))
    uvicorn.run(app, host="127.0.0.1", port=port, http="httptools", loop="uvloop",
                access_log=False, log_level="warning")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, db: Path, calls: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(port), str(db), calls])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with httpx.Client() as client:
                client.post(f"http://127.0.0.1:{port}/sap/bc/rfc/RFC_PING", content=b"{}")
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    sys.exit("the JSON RFC server did not start")


def check(status: int, body: bytes) -> None:
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
    answer: dict[str, Any] = json.loads(body)
    if not any(row.get("TYPE") == "S" for row in answer.get("RETURN", [])):
        raise RuntimeError(f"no success message: {answer.get('RETURN')}")


def client_loop(url: str, keep_alive: bool, stop: float, counts: list[int], slot: int,
                errors: list[str]) -> None:
    """Post until `stop` on one kept-alive connection, or on a new connection per call.

    The client is the standard library's `http.client`: httpx spent more CPU per call than
    the server (0.93 against 0.73 ms), and on two cores the clients then take the server's.
    """
    body, headers = document(slot), {"Content-Type": "application/json"}
    address = urlsplit(url)
    connection: http.client.HTTPConnection | None = None
    try:
        while time.perf_counter() < stop:
            if connection is None:
                connection = http.client.HTTPConnection(address.hostname, address.port,
                                                        timeout=30)
            connection.request("POST", PATH, body, headers)
            response = connection.getresponse()
            check(response.status, response.read())
            counts[slot] += 1
            if not keep_alive:
                connection.close()
                connection = None
    except Exception as exc:  # reported by the main thread, which exits 1
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        if connection is not None:
            connection.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (/proc/<pid>/stat), robust to other load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(url: str, threads: int, keep_alive: bool, seconds: float,
            server: int) -> tuple[float, float, float]:
    """Calls/s of `threads` clients for `seconds` (after one warm-up second), and the
    server's and the clients' CPU milliseconds per call."""
    for warm_up in (True, False):
        counts, errors = [0] * threads, []
        cpu, own = cpu_seconds(server), time.process_time()
        started = time.perf_counter()
        stop = started + (1.0 if warm_up else seconds)
        workers = [threading.Thread(target=client_loop,
                                    args=(url, keep_alive, stop, counts, i, errors))
                   for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        if errors:
            sys.exit(f"call failed: {errors[0]}")
    calls = sum(counts)
    client = (time.process_time() - own) * 1000 / max(calls, 1)
    return calls / elapsed, (cpu_seconds(server) - cpu) * 1000 / max(calls, 1), client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="timed seconds per case")
    parser.add_argument("--threads", default="1,4", help="client thread counts, comma-separated")
    parser.add_argument("--calls", default="inline,threads",
                        help="how the server runs calls: inline (as `sapgw erp serve` on "
                             "SQLite), threads (as `sapgw serve`), or both")
    parser.add_argument("--serve", nargs=3, metavar=("PORT", "DB", "CALLS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), args.serve[1], args.serve[2] == "inline")
        return 0
    print(f"python {platform.python_version()} · {os.cpu_count()} CPUs · "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"{'calls':<8} {'threads':>7} {'connection':<16} {'calls/s':>8} "
          f"{'server CPU ms/call':>19} {'client CPU ms/call':>19}  load")
    best4: dict[str, float] = {}
    for calls in args.calls.split(","):
        with tempfile.TemporaryDirectory(prefix="sapgw-jsonrfc-") as directory:
            port = free_port()
            server = start_server(port, Path(directory) / "erp.db", calls)
            try:
                for threads in (int(t) for t in args.threads.split(",")):
                    for keep_alive in (True, False):
                        rate, cpu, client = measure(f"http://127.0.0.1:{port}", threads,
                                                    keep_alive, args.seconds, server.pid)
                        if threads == 4:
                            best4[calls] = max(best4.get(calls, 0.0), rate)
                        kind = "keep-alive" if keep_alive else "new per call"
                        print(f"{calls:<8} {threads:>7} {kind:<16} {rate:8.0f} {cpu:19.2f} "
                              f"{client:19.2f}  {os.getloadavg()[0]:.2f}", flush=True)
            finally:
                server.terminate()
                server.wait(10)
    for calls, best in best4.items():
        verdict = "meets" if best >= TARGET else "MISSES"
        print(f"{calls}: 4 threads, best {best:.0f} calls/s: {verdict} the {TARGET:.0f} "
              "calls/s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
