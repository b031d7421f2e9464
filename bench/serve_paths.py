"""Issue 15's rows for `sapgw serve`: JSON RFC calls, committed tRFC units and start-up,
each against the limit measured beside it, old and new checkouts in interleaved rounds.

    python bench/serve_paths.py --src old=/tmp/old/src --src new=src [--rounds 5]
        [--seconds 3] [--threads 1,4] [--paths call,unit,startup] [--calls-in-process 500]
    PYTHONPATH=src python bench/serve_paths.py --in-process 1000 [--profile "call server"]

Per round, in an order that rotates, each checkout's `sapgw serve` and the limit start
fresh on SQLite files in a new temporary directory (the repository's config.ini with the
databases replaced):

- `call`: BAPI_ACC_DOCUMENT_POST over `POST /sap/bc/rfc/...`, keep-alive, 1 and 4 client
  threads (`http.client`), a stateless call (checked, posted, not committed).
- `ping`: RFC_PING over `POST /sap/bc/rfc/RFC_PING`, keep-alive: a function that does
  nothing, so its `cpu ms` is what `sapgw serve` spends around any call (HTTP, auth, the
  service, the connection layers); the limit does its INSERT and COMMIT as for `call`.
- `unit`: the same call as a committed tRFC unit (`sap-trfc-tid`, a new TID per call):
  the ERP's ARFCRSTATE record and the posting commit together.
- `startup`: process start to the first `/healthz` answer (polled every 5 ms), then the
  first RFC call's time and the median of the next ten, and `ready s`: start to the first
  call's answer (since `sapgw serve` builds its app after `/healthz` answers, the first
  call waits for that build).

Beside each rate, `cpu ms` is the server process's CPU per call meanwhile (/proc). Per
checkout and round, unless `--calls-in-process 0`, a separate process builds the app as
`sapgw serve` does and measures, without sockets, its CPU per call and per unit driven
through ASGI (`call server ms`, `unit server ms`) and the **floor**: the served system's
BAPI_ACC_DOCUMENT_POST with the same document and no HTTP (`call floor ms`; for a unit the
ERP's `execute_units` of it, with its TID record and commit: `unit floor ms`). From the floor
and the limit of the same round the summary prints the **best attainable ratio**: the
limit's time per call / (that time + the floor), what a server would reach whose only work
beside the limit's were the function itself.

The limit for calls and units is a bare ASGI app under the same uvicorn, httptools and
uvloop that parses the JSON body, does one SQLite INSERT and COMMIT (WAL,
synchronous=NORMAL) and answers JSON; for start-up it is a stdlib `http.server` peer.
Each figure is printed with the load average; the summary gives, per checkout and case,
the median over the rounds of (checkout / limit in the same round), and of new / old.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from jsonrfc_calls import document  # the same balanced G/L document as the older bench

ROOT = Path(__file__).resolve().parents[1]
PATH = "/sap/bc/rfc/BAPI_ACC_DOCUMENT_POST"
PING_PATH = "/sap/bc/rfc/RFC_PING"
LIMIT = "limit"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load() -> float:
    return os.getloadavg()[0]


# -- the limits ---------------------------------------------------------------------------
def serve_limit(port: int, db: str) -> None:
    """A bare ASGI app: parse the body, one SQLite INSERT + COMMIT, answer JSON."""
    import sqlite3

    import uvicorn

    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS doc (id INTEGER PRIMARY KEY, ref TEXT, body TEXT)")

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        params = json.loads(body) if body else {}
        ref = params.get("DOCUMENTHEADER", {}).get("REF_DOC_NO", "")
        conn.execute("BEGIN")
        cursor = conn.execute("INSERT INTO doc (ref, body) VALUES (?, ?)", (ref, body))
        conn.execute("COMMIT")
        answer = json.dumps({"OBJ_KEY": f"{cursor.lastrowid:010d}10002026",
                             "RETURN": [{"TYPE": "S", "ID": "RW", "NUMBER": "605"}]}).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": answer})

    uvicorn.run(app, host="127.0.0.1", port=port, http="httptools", loop="uvloop",
                access_log=False, log_level="warning")


STDLIB_PEER = """
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


# -- servers ------------------------------------------------------------------------------
class Server:
    """One fresh server process of a checkout (or the limit) in its own directory."""

    def __init__(self, name: str, src: str | None, directory: Path, startup: bool = False
                 ) -> None:
        self.name, self.port = name, free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAPGW_")}
        self.log = (directory / f"{name}.log").open("wb")
        if src is None:
            args = ([sys.executable, "-c", STDLIB_PEER, str(self.port)] if startup else
                    [sys.executable, __file__, "--serve-limit", str(self.port),
                     str(directory / "limit.db")])
        else:
            env["PYTHONPATH"] = src
            config = directory / f"{name}.ini"
            write_config(config, f"sqlite:///{directory}/{name}-gw.db",
                         f"sqlite:///{directory}/{name}-erp.db")
            args = [sys.executable, "-m", "sapgw.gateway.cli", "--config", str(config),
                    "serve", "--port", str(self.port)]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(args, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, cwd=directory)

    def wait_ready(self, health: str) -> float:
        """Seconds from the process start to the first answer of `health` (GET)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", health)
                conn.getresponse().read()
                conn.close()
                return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.005)
        raise SystemExit(f"{self.name} did not start: see {self.log.name}")

    def wait_built(self) -> None:
        """Until `/healthz` says "ok": `sapgw serve` answers "starting" while it builds its
        app in a thread (api.starting), and the calls timed must not share the CPU with it."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request("GET", "/healthz")
            status = json.loads(conn.getresponse().read()).get("status")
            conn.close()
            if status == "ok":
                return
            time.sleep(0.02)
        raise SystemExit(f"{self.name} was not built: see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def write_config(path: Path, gateway_url: str, erp_url: str) -> None:
    import configparser

    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "config.ini", encoding="utf-8")
    parser["gateway"]["db_url"] = gateway_url
    parser["erp"]["db_url"] = erp_url
    with path.open("w", encoding="utf-8") as handle:
        parser.write(handle)


# -- clients ------------------------------------------------------------------------------
_TIDS = iter(range(10**9))
_TID_LOCK = threading.Lock()


def next_tid() -> str:
    with _TID_LOCK:
        return f"BENCH{os.getpid():07d}{next(_TIDS):012d}"[:24]


def call(conn: http.client.HTTPConnection, body: bytes, unit: bool, ping: bool = False
         ) -> None:
    headers = {"Content-Type": "application/json"}
    if unit:
        headers["sap-trfc-tid"] = next_tid()
    conn.request("POST", PING_PATH if ping else PATH, b"{}" if ping else body, headers)
    response = conn.getresponse()
    content = response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {content[:300]!r}")
    answer = json.loads(content)
    if ping:  # RFC_PING answers no parameters; the limit answers its document
        return
    if unit and "OBJ_KEY" not in answer:  # the limit answers like a call
        if answer.get("STATE") != "EXECUTED":
            raise RuntimeError(f"unit not executed: {answer}")
    elif not any(row.get("TYPE") == "S" for row in answer.get("RETURN", [])):
        raise RuntimeError(f"no success message: {answer.get('RETURN')}")


def client_loop(port: int, path: str, stop: float, counts: list[int], slot: int,
                errors: list[str]) -> None:
    body = document(slot)
    unit, ping = path == "unit", path == "ping"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        while time.perf_counter() < stop:
            call(conn, body, unit, ping)
            counts[slot] += 1
    except Exception as exc:  # reported by the main thread
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (/proc/<pid>/stat): other load moves it little."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rate(port: int, threads: int, path: str, seconds: float, pid: int
         ) -> tuple[float, float]:
    """Calls/s of `threads` keep-alive clients for `seconds`, after a warm-up second, and the
    server process's CPU ms per call meanwhile."""
    for warm_up in (True, False):
        counts, errors = [0] * threads, []
        cpu = cpu_seconds(pid)
        started = time.perf_counter()
        stop = started + (1.0 if warm_up else seconds)
        workers = [threading.Thread(target=client_loop,
                                    args=(port, path, stop, counts, i, errors))
                   for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        if errors:
            raise SystemExit(f"call failed: {errors[0]}")
    calls = max(sum(counts), 1)
    return calls / elapsed, (cpu_seconds(pid) - cpu) * 1000 / calls


def startup(name: str, src: str | None, directory: Path) -> dict[str, float]:
    server = Server(name, src, directory, startup=True)
    try:
        figures = {"healthz s": server.wait_ready("/healthz")}
        if src is not None:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            times = []
            for i in range(11):
                begun = time.perf_counter()
                call(conn, document(i), False)
                times.append(time.perf_counter() - begun)
            conn.close()
            figures["first call ms"] = times[0] * 1000
            # start to the first answered call: what a partner waits for in all
            figures["ready s"] = figures["healthz s"] + times[0]
            figures["later calls ms"] = statistics.median(times[1:]) * 1000
        return figures
    finally:
        server.stop()


def throughput(name: str, src: str | None, directory: Path, paths: list[str],
               threads: list[int], seconds: float) -> dict[str, float]:
    server = Server(name, src, directory)
    try:
        server.wait_ready("/healthz" if src else "/")
        if src:
            server.wait_built()
        figures: dict[str, float] = {}
        for path in paths:
            for n in threads:
                calls, cpu = rate(server.port, n, path, seconds, server.process.pid)
                figures[f"{path} {n}t"] = calls
                figures[f"{path} {n}t cpu ms"] = cpu
        return figures
    finally:
        server.stop()


# -- in process: the server's CPU per call and the floor ---------------------------------
async def asgi_call(app: Any, body: bytes, headers: list[tuple[bytes, bytes]],
                    path: str = PATH) -> tuple[int, bytes]:
    """One POST through the ASGI app, as uvicorn's httptools protocol would hand it over."""
    import asyncio

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
             "http_version": "1.1", "method": "POST", "scheme": "http", "path": path,
             "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode()), *headers],
             "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8080), "state": {}}
    sent: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if delivered:
            await asyncio.sleep(3600)  # a disconnect would come here; an answer never waits
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def in_process(n: int, profile: str | None) -> None:
    """The server side without sockets: the app `sapgw serve` builds, driven directly on one
    uvloop (as uvicorn runs it: one long-lived loop, its worker threads reused), and the floor
    (the served system's call alone, no HTTP), each n times after 50 warm-ups; prints JSON of
    the process CPU ms per call (all threads). `profile` names a case to cProfile (its
    calling thread only) on stderr."""
    import cProfile
    import pstats

    import uvloop

    from sapgw.gateway.api.app import create_app
    from sapgw.gateway.config import load_settings
    from sapgw.gateway.runtime import Gateway
    from sapgw.types import RfcCall

    loop = uvloop.new_event_loop()
    directory = Path(tempfile.mkdtemp(prefix="sapgw-inproc-"))
    config = directory / "in.ini"
    write_config(config, f"sqlite:///{directory}/gw.db", f"sqlite:///{directory}/erp.db")
    gateway = Gateway(load_settings(config))
    gateway.served_rfc.warm_up()
    app = create_app(gateway, run_schedulers=False, warm_up=False)
    erp = gateway.served_rfc._erp_system()
    params = json.loads(document(0))
    bodies = [document(i) for i in range(n + 50)]

    async def http_call(i: int) -> None:
        status, content = await asgi_call(app, bodies[i], [])
        if status != 200 or b'"TYPE":"S"' not in content.replace(b" ", b""):
            raise SystemExit(f"call failed: {status} {content[:300]!r}")

    async def http_ping(_i: int) -> None:
        status, content = await asgi_call(app, b"{}", [], PING_PATH)
        if status != 200:
            raise SystemExit(f"ping failed: {status} {content[:300]!r}")

    async def http_unit(i: int) -> None:
        status, content = await asgi_call(app, bodies[i],
                                          [(b"sap-trfc-tid", next_tid().encode())])
        if status != 200 or b"EXECUTED" not in content:
            raise SystemExit(f"unit failed: {status} {content[:300]!r}")

    async def floor_call(_i: int) -> None:  # what a stateless call must do: the posting
        conn = gateway.served_rfc.connect()
        try:
            conn.call("BAPI_ACC_DOCUMENT_POST", **params)
        finally:
            conn.close()

    async def floor_unit(_i: int) -> None:  # the same, with its TID record and the commit
        done, failure = erp.execute_units(
            [(next_tid(), [RfcCall("BAPI_ACC_DOCUMENT_POST", params)], None)])
        if failure is not None or done != 1:
            raise SystemExit(f"floor unit failed: {failure}")

    async def timed(name: str, case: Any) -> float:
        for i in range(50):
            await case(i)
        profiler = cProfile.Profile() if profile == name else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        for i in range(n):
            await case(i)
        if profiler is not None:
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(70)
        print(f"{name}: {(time.perf_counter() - wall) * 1000 / n:.3f} ms wall",
              file=sys.stderr)
        return (time.process_time() - cpu) * 1000 / n

    cases = {"ping server": http_ping, "call server": http_call, "unit server": http_unit,
             "call floor": floor_call, "unit floor": floor_unit}
    try:
        figures = {f"{name} ms": loop.run_until_complete(timed(name, case))
                   for name, case in cases.items()}
    finally:
        gateway.close()
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(figures))


def in_process_figures(src: str, n: int) -> dict[str, float]:
    """`in_process` of a checkout, in a process of its own (its src first on the path)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAPGW_")}
    env["PYTHONPATH"] = src
    out = subprocess.run([sys.executable, __file__, "--in-process", str(n)], env=env,
                         check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def best_ratio(limit_rate: float, floor_ms: float) -> float:
    """The ratio a server reaches whose only extra work beside the limit is the floor: the
    limit's time per call / (that time + the floor), both serialised on one core."""
    per_call = 1000 / limit_rate
    return per_call / (per_call + floor_ms)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", default=[], metavar="NAME=DIR",
                        help="a checkout's src directory (repeat: old=..., new=...)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per case")
    parser.add_argument("--threads", default="1,4")
    parser.add_argument("--paths", default="call,unit,startup")
    parser.add_argument("--calls-in-process", type=int, default=500, metavar="N",
                        help="per checkout and round, N calls and N units through the app "
                             "driven in process (server CPU per call) and N of each floor "
                             "(the served system's call without HTTP); 0: none")
    parser.add_argument("--profile", metavar="CASE", help="with --in-process: cProfile of one "
                        "case (ping server, call server, unit server, call floor, unit floor) on "
                        "stderr")
    parser.add_argument("--serve-limit", nargs=2, metavar=("PORT", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--in-process", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_limit:
        serve_limit(int(args.serve_limit[0]), args.serve_limit[1])
        return 0
    if args.in_process:
        in_process(args.in_process, args.profile)
        return 0
    sources = dict(s.split("=", 1) for s in args.src) or {"new": str(ROOT / "src")}
    sources = {k: str(Path(v).resolve()) for k, v in sources.items()}
    paths = args.paths.split(",")
    traffic = [p for p in paths if p in ("call", "unit", "ping")]
    threads = [int(t) for t in args.threads.split(",")]
    print(f"python {platform.python_version()} · {os.cpu_count()} CPUs · load {load():.2f} · "
          f"sources {sources}")
    results: dict[str, list[dict[str, float]]] = defaultdict(list)
    names = [LIMIT, *sources]
    for number in range(args.rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        for name in order:
            with tempfile.TemporaryDirectory(prefix="sapgw-paths-") as tmp:
                src = sources.get(name)
                figures: dict[str, float] = {}
                if traffic:
                    figures.update(throughput(name, src, Path(tmp), traffic, threads,
                                              args.seconds))
                if "startup" in paths:
                    figures.update(startup(name, src, Path(tmp)))
                if traffic and src is not None and args.calls_in_process:
                    figures.update(in_process_figures(src, args.calls_in_process))
                results[name].append(figures)
                shown = "  ".join(f"{k} {v:.3g}" for k, v in figures.items())
                print(f"round {number + 1} {name:<6} {shown}  load {load():.2f}", flush=True)
    summary(results, sources)
    return 0


def summary(results: dict[str, list[dict[str, float]]], sources: dict[str, str]) -> None:
    """Medians of the figures, of each checkout's ratio to the limit and of new / old."""
    print("\nmedian over rounds (ratio to the limit in the same round):")
    for key in results[LIMIT][0]:
        line = f"  {key:<15} limit {statistics.median(r[key] for r in results[LIMIT]):8.3g}"
        for name in sources:
            value = statistics.median(r[key] for r in results[name])
            ratio = statistics.median(r[key] / lim[key]
                                      for r, lim in zip(results[name], results[LIMIT],
                                                        strict=True))
            line += f"   {name} {value:8.3g} ({ratio:.2f})"
        print(line)
    extra = [k for k in results[next(iter(sources))][0] if k not in results[LIMIT][0]]
    for key in extra:
        print(f"  {key:<15} " + "   ".join(
            f"{name} {statistics.median(r[key] for r in results[name]):.3g}"
            for name in sources))
    floors = [(key, f"{key.split()[0]} floor ms") for key in results[LIMIT][0]
              if key.endswith("t")
              and f"{key.split()[0]} floor ms" in results[next(iter(sources))][0]]
    if floors:
        print("best attainable ratio: the limit's time per call / (that + the floor), "
              "median over rounds:")
        for key, floor in floors:
            best = {name: statistics.median(
                best_ratio(lim[key], r[floor])
                for r, lim in zip(results[name], results[LIMIT], strict=True))
                for name in sources}
            floor_ms = {name: statistics.median(r[floor] for r in results[name])
                        for name in sources}
            print(f"  {key:<15} " + "   ".join(f"{name} {value:.2f} (floor "
                                            f"{floor_ms[name]:.3f} ms)"
                                            for name, value in best.items()))
    if {"old", "new"} <= set(sources):
        print("median over rounds of new / old:")
        pairs = list(zip(results["new"], results["old"], strict=True))
        for key in results["new"][0]:
            print(f"  {key:<15} {statistics.median(n[key] / o[key] for n, o in pairs):.2f}")


if __name__ == "__main__":
    sys.exit(main())
