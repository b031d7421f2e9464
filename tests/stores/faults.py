"""The fault run: fund postings while `sapgw worker` processes are SIGKILLed and restarted.

Used by tests/stores/test_faults.py (reduced size) and bench/fault_funds.py (full size).
All BDocs are sent first by this process; then worker processes start, and at random
moments one of them is killed with SIGKILL (no chance to release its leases or commit) and
started again. Afterwards the run proves: every BDoc F04, one FI document per fund posting
(BKPF by XBLNR), no TID executed twice (ARFCRSTATE holds one row per confirmed receiver,
each with that receiver's TID), no queue left (RUNNING or otherwise). The setup and the
first posting are worked in this process first (`warm_up`): see `send_fund_postings`.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from sapgw.db import Database
from sapgw.erp_stub.fi.tables import BKPF
from sapgw.erp_stub.kernel.system import ARFCRSTATE
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.tables import BDocReceiver
from tests.stores.processes import (
    queue_rows,
    send_fund_postings,
    start_worker,
    states,
    stop_worker,
    wait_for,
    write_config,
)

R = BDocReceiver.__table__  # type: ignore[attr-defined]


@dataclass
class FaultRun:
    """What happened and what was found; `problems` is empty when nothing was lost or doubled."""

    postings: int
    bdocs: int
    kills: int = 0
    kills_mid_work: int = 0
    seconds: float = 0.0
    states: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def run_faults(directory: Path, *, n: int, usages: int, workers: int, kills: int,
               seed: int, postgres_url: str | None = None, schemas: tuple[str, str] | None
               = None, lease_seconds: float = 1.5, timeout: float = 120.0) -> FaultRun:
    """Send N fund postings, then work them with `workers` processes, `kills` of them killed."""
    config = directory / "config.ini"
    if postgres_url:
        settings = write_config(config, postgres_url, postgres_url, schemas,
                                lease_seconds=str(lease_seconds), poll_interval="0.2")
    else:
        settings = write_config(config, f"sqlite:///{directory / 'gateway.db'}",
                                f"sqlite:///{directory / 'erp.db'}",
                                lease_seconds=str(lease_seconds), poll_interval="0.2")
    rng = random.Random(seed)
    with Gateway(settings) as sender:
        fpo_ids = send_fund_postings(sender, n, usages, warm_up=True)
        run = FaultRun(postings=n, bdocs=n + usages + 1)
        started = time.monotonic()
        log = directory / "workers.log"
        running: list[subprocess.Popen[bytes]] = [start_worker(config, log)
                                                 for _ in range(workers)]
        try:
            for _ in range(kills):
                time.sleep(rng.uniform(0.3, 1.5))
                done = states(sender).get("F04", 0)
                victim = running.pop(rng.randrange(len(running)))
                victim.send_signal(signal.SIGKILL)
                victim.wait()
                run.kills += 1
                run.kills_mid_work += done < run.bdocs
                running.append(start_worker(config, log))
            try:
                wait_for(lambda: states(sender).get("F04", 0) == run.bdocs
                         and not queue_rows(sender), timeout, "every BDoc F04, no queue left",
                         tuple(running))
            except AssertionError as exc:  # say what is stuck, then check everything
                stuck = [(q["name"], q["status"], q["error"]) for q in queue_rows(sender)]
                run.problems.append(f"{exc}; queues {stuck[:5]}")
            run.seconds = time.monotonic() - started
        finally:
            codes = [stop_worker(process) if process.poll() is None else process.returncode
                     for process in running]
        # -SIGTERM: a worker restarted just before the end was still starting up (Python's
        # default handler, before the worker installs its own); the clean stop of a running
        # worker is tested in test_worker_process.py.
        if any(code not in (0, -signal.SIGTERM) for code in codes):
            run.problems.append(f"workers stopped with {codes}; see {log}")
        run.states = states(sender)
        run.problems += check(sender, settings.erp_db_url, settings.erp_db_schema, fpo_ids)
    return run


def check(sender: Gateway, erp_url: str, erp_schema: str, fpo_ids: list[str]) -> list[str]:
    """Everything the run must prove, as a list of what is wrong."""
    problems: list[str] = []
    found = states(sender)
    if set(found) != {"F04"}:
        problems.append(f"BDoc states {found}, expected only F04")
    left = queue_rows(sender)
    if left:
        problems.append(f"queues left: {[(q['name'], q['status']) for q in left]}")
    with sender.db.read() as conn:
        receivers = conn.execute(select(R.c.tid, R.c.state)).all()
    erp = Database(erp_url, None if erp_url.startswith("sqlite") else erp_schema)
    try:
        bkpf, arfc = BKPF.__table__, ARFCRSTATE.__table__  # type: ignore[attr-defined]
        with erp.read() as conn:
            documents = Counter(conn.execute(select(bkpf.c.XBLNR)).scalars())
            tids = list(conn.execute(select(arfc.c.ARFCTID)).scalars())
    finally:
        erp.dispose()
    wrong = {fpo: documents.get(fpo, 0) for fpo in fpo_ids if documents.get(fpo, 0) != 1}
    if wrong:
        problems.append(f"{len(wrong)} fund postings without exactly one FI document: "
                        f"{dict(list(wrong.items())[:5])}")
    confirmed = sorted(tid for tid, state in receivers if state == "CONFIRMED")
    if len(confirmed) != len(receivers):
        problems.append(f"{len(receivers) - len(confirmed)} receivers not CONFIRMED")
    if sorted(tids) != confirmed:
        problems.append(f"ARFCRSTATE holds {len(tids)} TIDs for {len(confirmed)} executed "
                        "units (or other TIDs)")
    return problems
