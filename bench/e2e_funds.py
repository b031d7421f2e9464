"""End-to-end fund postings: BDocs/s from the first send to the last F04, and latency.

    python bench/e2e_funds.py [--n 2000] [--mode sync|threads] [--db-dir DIR] [--rate R]
                              [--breakdown] [--profile] [--nr-buffer K]

One trade promotion and `--usages` fund usages are replicated first; then N accrual fund
postings (CRM_FM_FPO), round-robin over the fund usages so that each fund usage is its own
outbound queue R3AUFMFPO<FU_ID>, travel the whole way: accept (I01), flow (inbound queue
CSAFMFU<FU_ID>), qRFC unit on the in-process ERP stub (BAPI_ACC_DOCUMENT_POST), F04.

`sync` sends all N, then drives the workers with `run_until_idle()` (engine throughput);
`threads` sends while the real scheduler threads run (the realistic latency). Times come
from the gateway database after the run (header `created_at`, the F04 log row), and the ERP
is checked: one balanced BKPF document per fund posting, XBLNR = FPO id.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import platform
import pstats
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select

from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.tables import BDocHeader, BDocLog

H = BDocHeader.__table__  # type: ignore[attr-defined]
G = BDocLog.__table__  # type: ignore[attr-defined]
FIRST_FU_ID = 1791


# -- payloads (the shapes of tests/scenarios/conftest.py) ------------------------------------
ORG = {"COMP_CODE": "1000", "SALES_ORG": "1000"}


def trade_promotion(tpm_id: str) -> dict[str, Any]:
    dates = {"VALID_FROM": "2026-01-01", "VALID_TO": "2026-12-31"}
    return {"HEADER": {"TPM_ID": tpm_id, "DESCRIPTION": "Bench promotion", **ORG, **dates}}


def fund_usage(fu_id: str, tpm_id: str, items: int) -> dict[str, Any]:
    usage = {"FU_ID": fu_id, "FUND_ID": "FUND1", "FUND_TYPE": "TPM", "TPM_ID": tpm_id}
    more = {"CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1", "DESCRIPTION": "Bench usage"}
    lines = [{"ITEM_ID": str(10 * (i + 1)), "AMOUNT": "100000.00"} for i in range(items)]
    return {"HEADER": {**usage, **ORG, **more}, "ITEMS": lines}


def fund_posting(fpo_id: str, fu_id: str, item_id: str, amount: str) -> dict[str, Any]:
    posting = {"FPO_ID": fpo_id, "POSTING_TYPE": "ACCRUAL", "POSTING_DATE": "2026-11-22"}
    item = {"FU_ID": fu_id, "FU_ITEM": item_id, "AMOUNT": amount, "CURRENCY": "EUR"}
    more = {"EXPENSE_TYPE": "TPM1", "RUN_ID": "BENCH", "REVERSED_FPO_ID": ""}
    return {"HEADER": {**posting, **item, **ORG, **more}}


@dataclass(frozen=True)
class Posting:
    fpo_id: str
    amount: Decimal
    data: dict[str, Any]


def postings(n: int, usages: int, items: int) -> list[Posting]:
    """N accruals, round-robin over fund usages and their items, amounts as decimal strings."""
    result = []
    for i in range(n):
        fu_id, item_id = str(FIRST_FU_ID + i % usages), str(10 * ((i // usages) % items + 1))
        amount, fpo_id = f"{i % 997 + 1}.{i % 100:02d}", f"B{i + 1:07d}"
        result.append(
            Posting(fpo_id, Decimal(amount), fund_posting(fpo_id, fu_id, item_id, amount))
        )
    return result


# -- gateway -------------------------------------------------------------------------------
def build_gateway(db_dir: Path | None, customizing: Path | None) -> Gateway:
    """A gateway and ERP on SQLite files: a temporary directory, or `db_dir` if given."""
    overrides: dict[str, dict[str, str]] = {}
    if customizing is not None:
        overrides["erp"] = {"customizing": str(customizing)}
    if db_dir is not None:
        db_dir.mkdir(parents=True, exist_ok=True)
        files = [db_dir / "gateway.db", db_dir / "erp.db"]
        if any(f.exists() for f in files):
            sys.exit(f"{db_dir} already holds gateway.db or erp.db; give an empty directory")
        overrides.setdefault("gateway", {})["db_url"] = f"sqlite:///{files[0]}"
        overrides.setdefault("erp", {})["db_url"] = f"sqlite:///{files[1]}"
    return Gateway.in_memory(overrides=overrides)


def number_range_buffer(directory: Path, size: int) -> Path:
    """A customizing override: SAP main-memory buffering of the FI and CO document numbers."""
    (directory / "buffer.toml").write_text(
        "".join(f"[number_ranges.{obj}]\nbuffer = {size}\n" for obj in ("RF_BELEG", "RK_BELEG"))
    )
    return directory


def setup(gw: Gateway, usages: int, items: int) -> None:
    """Replicate the trade promotion and the fund usages (their IAOM orders) before timing."""
    ids = [gw.send("CRM_MKTPL", trade_promotion("TPMB"))["bdoc_id"]]
    ids += [
        gw.send("CRM_FM_FU", fund_usage(str(FIRST_FU_ID + u), "TPMB", items))["bdoc_id"]
        for u in range(usages)
    ]
    gw.run_until_idle()
    states = {gw.bdoc(i)["state"] for i in ids}
    if states != {"F04"}:
        sys.exit(f"set-up failed: trade promotion / fund usage states {states}")


@dataclass(frozen=True)
class Run:
    ids: list[str]
    sending: float  # seconds of the send phase
    wall: float  # seconds from the first send until idle
    cpu: float  # process CPU seconds (all threads) over the same time: robust to other load


def run(gw: Gateway, work: list[Posting], mode: str, timeout: float, rate: float = 0.0,
        batch: int = 1) -> Run:
    """Send (paced at `rate` BDocs/s if given; `batch` per commit) and process until idle."""
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "threads":
        gw.start()
    ids = []
    for number in range(0, len(work), batch):
        if rate:
            time.sleep(max(0.0, started + number / rate - time.perf_counter()))
        sent = gw.send_many("CRM_FM_FPO", [p.data for p in work[number : number + batch]])
        ids.extend(b["bdoc_id"] for b in sent)
    sending = time.perf_counter() - started
    if mode == "threads":
        gw.wait_until_idle(timeout)
    else:
        gw.run_until_idle(timeout)
    return Run(ids, sending, time.perf_counter() - started, time.process_time() - cpu)


# -- figures from the gateway database, correctness from the ERP's --------------------------
@dataclass(frozen=True)
class Timing:
    states: dict[str, int]
    latencies: list[float]  # seconds from created_at to the F04 log row, per BDoc
    span: float  # seconds from the first created_at to the last F04


def timing(gw: Gateway, ids: list[str]) -> Timing:
    wanted = set(ids)
    with gw.db.read() as conn:
        headers = {
            r.bdoc_id: r
            for r in conn.execute(
                select(H.c.bdoc_id, H.c.state, H.c.created_at).where(H.c.bdoc_type == "CRM_FM_FPO")
            )
            if r.bdoc_id in wanted
        }
        done = {
            r.bdoc_id: r.at
            for r in conn.execute(select(G.c.bdoc_id, G.c.at).where(G.c.state_to == "F04"))
            if r.bdoc_id in wanted
        }
    states: dict[str, int] = defaultdict(int)
    for row in headers.values():
        states[row.state] += 1
    latencies = [(done[i] - headers[i].created_at).total_seconds() for i in ids if i in done]
    first = min(_naive(r.created_at) for r in headers.values())
    span = (max(_naive(at) for at in done.values()) - first).total_seconds() if done else 0.0
    return Timing(dict(states), latencies, span)


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def verify(gw: Gateway, work: list[Posting]) -> list[str]:
    """Problems found: one balanced BKPF per fund posting (XBLNR = FPO id), amounts right."""
    from sapgw.erp_stub.fi.tables import BKPF, BSEG

    bkpf, bseg = BKPF.__table__, BSEG.__table__  # type: ignore[attr-defined]
    expected = {p.fpo_id: p.amount for p in work}
    with gw.destinations.local_system("ERP").db.read() as conn:
        documents = [
            r for r in conn.execute(select(bkpf.c.BELNR, bkpf.c.XBLNR)) if r.XBLNR in expected
        ]
        sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for line in conn.execute(select(bseg.c.BELNR, bseg.c.SHKZG, bseg.c.WRBTR)):
            sums[line.BELNR][line.SHKZG] += Decimal(line.WRBTR)
    problems = []
    per_reference: dict[str, int] = defaultdict(int)
    for doc in documents:
        per_reference[doc.XBLNR] += 1
        debit, credit = sums[doc.BELNR]["S"], sums[doc.BELNR]["H"]
        if debit != credit:
            problems.append(f"document {doc.BELNR} unbalanced: debit {debit} credit {credit}")
        elif debit != expected[doc.XBLNR]:
            problems.append(f"document {doc.BELNR} posts {debit}, expected {expected[doc.XBLNR]}")
    if len(documents) != len(expected):
        problems.append(f"{len(documents)} BKPF rows for {len(expected)} fund postings")
    problems += [f"XBLNR {x} posted {c} times" for x, c in per_reference.items() if c != 1]
    return problems


# -- breakdown: inclusive time of the hot path's steps, SQL per BDoc -------------------------
STAGES = [  # (label, module, attribute): nested labels are part of the one above
    ("accept (Gateway.send_many, 1 txn)", "sapgw.gateway.runtime", "Gateway.send_many"),
    ("queue claim (1 txn)", "sapgw.gateway.queues.store", "QueueStore.claim"),
    ("queue release (1 txn)", "sapgw.gateway.queues.store", "QueueStore.release"),
    ("read next LUWs (batch)", "sapgw.gateway.queues.worker", "QueueWorker._runnable_batch"),
    ("read head LUW", "sapgw.gateway.queues.store", "QueueStore.head"),
    ("dependency check", "sapgw.gateway.queues.store", "QueueStore.blocked_by"),
    ("lease renew (1 txn)", "sapgw.gateway.queues.store", "QueueStore.renew"),
    ("flow LUW (1 txn)", "sapgw.gateway.queues.worker", "QueueWorker._run_flow"),
    ("flow batch (1 txn)", "sapgw.gateway.queues.worker", "QueueWorker._run_flows"),
    ("  FlowEngine.run", "sapgw.gateway.flow.engine", "FlowEngine.run"),
    ("outbound LUW", "sapgw.gateway.queues.worker", "QueueWorker._run_unit"),
    ("outbound batch", "sapgw.gateway.queues.worker", "QueueWorker._run_units"),
    ("  ERP execute_units (a batch)", "sapgw.erp_stub.kernel.system", "ErpSystem.execute_units"),
    ("  ERP execute_unit", "sapgw.erp_stub.kernel.system", "ErpSystem.execute_unit"),
    ("    ERP function calls", "sapgw.erp_stub.kernel.system", "ErpSystem.call"),
    ("      interface check_call", "sapgw.rfc.interface", "FunctionInterface.check_call"),
    ("      FI find_by_reference", "sapgw.erp_stub.fi.documents", "find_by_reference"),
    ("      IAOM lookup", "sapgw.erp_stub.funds.accrual", "lookup"),
    ("      FI check_document", "sapgw.erp_stub.fi.document", "check_document"),
    ("      FI post", "sapgw.erp_stub.fi.document", "post"),
    ("        number ranges", "sapgw.erp_stub.kernel.numbers", "NumberRanges.next"),
    ("    LUW flush (in unit txn)", "sapgw.erp_stub.kernel.luw", "Luw.flush"),
    ("  complete (1 txn)", "sapgw.gateway.queues.worker", "QueueWorker._complete"),
    ("  confirm TID", "sapgw.erp_stub.kernel.system", "ErpSystem.confirm_unit"),
]
SQL_LINES = ("statements", "BEGIN", "COMMIT")  # BEGIN only when sent through SQLAlchemy


class Breakdown:
    """Wall time per stage (wrapped methods, outermost call only) and SQL per database."""

    def __init__(self) -> None:
        self.missing: set[str] = set()
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        self._local = threading.local()

    def instrument(self) -> None:
        """Wrap every stage that exists in this version of the code."""
        for label, module, attribute in STAGES:
            owner: Any = importlib.import_module(module)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part, None)
            if owner is None or not hasattr(owner, name):
                self.missing.add(label)
                continue
            setattr(owner, name, self._timed(label, getattr(owner, name)))

    def _timed(self, label: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            active = self._local.__dict__.setdefault("active", set())
            if label in active:  # a recursive call (ErpSystem.call) counts once
                return original(*args, **kwargs)
            active.add(label)
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                active.discard(label)
                self.add(label, time.perf_counter() - started)

        return timed

    def add(self, label: str, seconds: float) -> None:
        with self._lock:
            self.seconds[label] += seconds
            self.calls[label] += 1

    def watch(self, engine: Engine, system: str) -> None:
        """Time the statements (BEGIN apart) and the commits that reach SQLite."""

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            conn.info["sql_started"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            kind = "BEGIN" if statement.startswith("BEGIN") else "statements"
            self.add(f"{system} SQLite {kind}", time.perf_counter() - conn.info["sql_started"])

        engine.dialect.do_commit = self._timed(  # type: ignore[method-assign]
            f"{system} SQLite COMMIT", engine.dialect.do_commit
        )

    def print(self, n: int, wall: float) -> None:
        """Stages that ran (this version of the code may lack some), then SQLite per BDoc."""
        print(
            f"\nbreakdown (inclusive wall time per stage; threads overlap in --mode threads)"
            f"\n  {'stage':<42} {'ms/BDoc':>8} {'% wall':>7} {'calls/BDoc':>10}"
        )
        labels = [label for label, *_ in STAGES]
        labels += [f"{system} SQLite {kind}" for system in ("gateway", "ERP") for kind in SQL_LINES]
        for label in labels:
            if self.calls.get(label):
                seconds, calls = self.seconds[label], self.calls[label]
                print(
                    f"  {label:<42} {1000 * seconds / n:8.2f} {100 * seconds / wall:7.1f} "
                    f"{calls / n:10.2f}"
                )
        if self.missing:
            print(f"  not in this version of the code: {', '.join(sorted(self.missing))}")


# -- profile: self time by layer, and what SQLAlchemy is asked to do (cProfile, sync mode) --
LAYERS = [  # (label, fragments of the file or built-in's name)
    ("SQLite C library (execute/commit/fetch)", ("sqlite3.",)),
    ("SQLAlchemy + SQLModel (Python)", ("sqlalchemy", "sqlmodel")),
    ("JSON encode/decode", ("json", "_json")),
    ("sapgw.rfc (DDIC conversion, interfaces)", ("sapgw/rfc/",)),
    ("sapgw.erp_stub (FI/CO/IAOM/funds/kernel)", ("sapgw/erp_stub/",)),
    ("sapgw.gateway + bdoc + adapters", ("sapgw/gateway/", "sapgw/bdoc/", "sapgw/adapters/")),
]
SA_EXECUTE = {"execute", "exec_driver_sql"}
SA_CONNECTION = {
    "connect",
    "begin",
    "commit",
    "rollback",
    "close",
    "__enter__",
    "__exit__",
    "execution_options",
}
SA_RESULT = {"first", "scalar", "all", "one", "mappings", "fetchall", "_mapping", "scalars"}


def profile_report(profile: cProfile.Profile, n: int) -> None:
    stats = pstats.Stats(profile)
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in entries.values())
    layers: dict[str, float] = defaultdict(float)
    asked: dict[str, float] = defaultdict(float)  # SQLAlchemy time by what sapgw called
    for (file, _, func), (_, _, tt, _, callers) in entries.items():
        where = (func if file == "~" else file).replace("\\", "/")
        label = next(
            (name for name, parts in LAYERS if any(p in where for p in parts)),
            "other (stdlib, builtins)",
        )
        layers[label] += tt
        if label.startswith("SQLAlchemy"):
            from_sapgw = sum(
                ct
                for (cfile, _, _), (_, _, _, ct) in callers.items()
                if "/sapgw/" in cfile.replace("\\", "/")
            )
            asked[_sqlalchemy_use(func)] += from_sapgw
    print(
        f"\nprofile (cProfile, which inflates call-heavy Python): {total:.2f} s, "
        f"{1000 * total / n:.2f} ms per BDoc\n  {'layer (self time)':<52} {'s':>6} {'%':>6}"
    )
    for label, seconds in sorted(layers.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<52} {seconds:6.2f} {100 * seconds / total:6.1f}")
    print(f"  {'SQLAlchemy incl. SQLite, by what sapgw asked of it':<52}")
    for label, seconds in sorted(asked.items(), key=lambda kv: -kv[1]):
        print(f"    {label:<50} {seconds:6.2f} {100 * seconds / total:6.1f}")
    stats.sort_stats("tottime").print_stats(20)


def _sqlalchemy_use(func: str) -> str:
    if func in SA_EXECUTE:
        return "execute (cache key, compile cache, bind, cursor)"
    if func in SA_CONNECTION:
        return "connection, transaction, pool"
    if func in SA_RESULT:
        return "result rows"
    return "building statements (select/where/values/==)"


def code_version() -> str:
    """The git revision of the sapgw package that runs (`+dirty`: uncommitted changes)."""
    package = Path(importlib.import_module("sapgw").__file__ or ".").parent
    try:
        found = subprocess.run(
            ["git", "describe", "--always", "--dirty=+dirty"],
            cwd=package,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return f"from {package} (not a git checkout)"
    return f"{found.stdout.strip()} ({package})"


# -- main ----------------------------------------------------------------------------------
def environment() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"sapgw {code_version()}, "
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs, load average {load}, {platform.platform()}"
    )


def report(args: argparse.Namespace, result: Run, figures: Timing, problems: list[str]) -> bool:
    n, lat, sending = len(result.ids), figures.latencies, result.sending
    print(f"environment  {environment()}")
    print(
        f"run          mode={args.mode} n={n} fund usages (queues)={args.usages} "
        f"items each={args.items} rate={args.rate or 'max'} batch={args.batch} "
        f"number range buffer={args.nr_buffer or 'demo customizing'}"
    )
    print(f"accept       {n / sending:8.1f} BDocs/s  ({n} sends in {sending:.2f} s)")
    print(
        f"throughput   {n / figures.span if figures.span else 0:8.1f} BDocs/s  "
        f"(first send to last F04 {figures.span:.2f} s; wall to idle {result.wall:.2f} s)"
    )
    print(
        f"cpu          {1000 * result.cpu / n:8.2f} ms/BDoc  (process CPU, all threads: "
        f"{n / result.cpu:.0f} BDocs/s per fully used core)"
    )
    if lat:
        print(
            f"latency      p50 {1000 * statistics.median(lat):.1f} ms, "
            f"p99 {1000 * percentile(lat, 99):.1f} ms, max {1000 * max(lat):.1f} ms "
            "(send to F04)"
        )
    ok = not problems and figures.states == {"F04": n}
    print(f"states       {figures.states}")
    print(
        f"correctness  OK: {n} BDocs F04, {n} BKPF rows with XBLNR = FPO id, every "
        "document balanced with the posted amount"
        if ok
        else "correctness  FAILED"
    )
    for problem in problems[:20]:
        print(f"  - {problem}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="fund postings to send")
    parser.add_argument("--mode", choices=("sync", "threads"), default="sync")
    parser.add_argument("--db-dir", type=Path, help="keep the SQLite files here (empty dir)")
    parser.add_argument("--usages", type=int, default=10, help="fund usages = FPO queues")
    parser.add_argument("--items", type=int, default=1, help="items per fund usage")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for idle")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="pace the sends at this many BDocs/s (default: as fast as possible)",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=1,
        help="BDocs per send (Gateway.send_many, one commit; a CRM posting run)",
    )
    parser.add_argument(
        "--nr-buffer",
        type=int,
        default=0,
        help="buffer FI/CO document numbers (customizing override)",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="time the stages of the hot path and count SQL per BDoc",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the timed part: self time per layer (sync mode only)",
    )
    args = parser.parse_args(argv)
    if min(args.n, args.usages, args.items, args.batch) < 1:
        parser.error("--n, --usages, --items and --batch must be at least 1")
    if args.profile and args.mode != "sync":
        parser.error("--profile needs --mode sync (cProfile sees only the calling thread)")
    work = postings(args.n, args.usages, args.items)
    breakdown = Breakdown() if args.breakdown else None
    if breakdown:
        breakdown.instrument()
    with tempfile.TemporaryDirectory(prefix="sapgw-bench-") as scratch:
        customizing = number_range_buffer(Path(scratch), args.nr_buffer) if args.nr_buffer else None
        with build_gateway(args.db_dir, customizing) as gw:
            setup(gw, args.usages, args.items)
            if breakdown:
                breakdown.watch(gw.db.engine, "gateway")
                breakdown.watch(gw.destinations.local_system("ERP").db.engine, "ERP")
                breakdown.seconds.clear()
                breakdown.calls.clear()
            profile = cProfile.Profile() if args.profile else None
            if profile:
                profile.enable()
            result = run(gw, work, args.mode, args.timeout, args.rate, args.batch)
            if profile:
                profile.disable()
            ok = report(args, result, timing(gw, result.ids), verify(gw, work))
            if breakdown:
                breakdown.print(args.n, result.wall)
            if profile:
                profile_report(profile, args.n)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
