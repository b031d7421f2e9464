"""Fund postings end to end on PostgreSQL with 1, 2 and 4 `sapgw worker` processes, and the limit.

    python bench/pg_workers.py [--n 1000] [--workers 1,2,4] [--postgres URL]
    python bench/pg_workers.py --limit-only sqlite [--n 2000]   # beside e2e_funds.py --mode sync

Per worker count, the gateway and the ERP stub get fresh schemas (dropped afterwards). This
process sends a trade promotion, `--usages` fund usages and N fund postings with
`Gateway.send` (the set-up and the first posting are worked here, so number ranges exist),
then starts the worker processes and waits until every BDoc is F04. It prints BDocs/s (from
the workers' start, and from their first to their last F04) and send-to-F04 latency p50/p99
(all N are sent first, so latency mostly measures the backlog). SMQS max_connections of the
ERP destination is set to the worker count, so that outbound queues can run in parallel.

"The limit" writes the same rows with the same commits through SQLAlchemy Core, one process,
no gateway: per BDoc one accept transaction (header, body, log, inbound LUW, queue row check);
per batch of 50 one flow transaction (inbound LUWs deleted, receivers, outbound LUWs, two log
rows, header states), one ERP transaction (BKPF, 2 BSEG, COBK, COEP, ARFCRSTATE) and one
completion transaction (outbound LUWs deleted, receivers, headers F04, log). The gateway's
cost is the ratio of the two rates.
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the worker harness is shared with the tests
from sapgw.db import Database  # noqa: E402
from sapgw.erp_stub.co.tables import COBK, COEP  # noqa: E402
from sapgw.erp_stub.fi.tables import BKPF, BSEG  # noqa: E402
from sapgw.erp_stub.kernel.system import ARFCRSTATE  # noqa: E402
from sapgw.gateway.config import load_settings  # noqa: E402
from sapgw.gateway.runtime import Gateway  # noqa: E402
from sapgw.gateway.store.tables import (  # noqa: E402
    BDocBody,
    BDocHeader,
    BDocLog,
    BDocReceiver,
    QrfcLuw,
    QrfcQueue,
)
from tests.stores import processes as p  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH = 50
H, B, G, R = (m.__table__ for m in (BDocHeader, BDocBody, BDocLog, BDocReceiver))  # type: ignore[attr-defined]
L, Q = QrfcLuw.__table__, QrfcQueue.__table__  # type: ignore[attr-defined]
ERP = [m.__table__ for m in (BKPF, BSEG, COBK, COEP, ARFCRSTATE)]  # type: ignore[attr-defined]


def naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# -- the gateway with worker processes ------------------------------------------------------
def config_for(directory: Path, url: str, schemas: tuple[str, str], workers: int) -> Path:
    config = directory / "config.ini"
    p.write_config(config, url, url, schemas, lease_seconds="30", poll_interval="0.2")
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(config, encoding="utf-8")
    parser["destination ERP"]["max_connections"] = str(workers)
    with config.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    return config


def gateway_run(url: str, n: int, usages: int, workers: int) -> dict[str, float]:
    schemas = tuple(f"w_{os.getpid()}_{secrets.token_hex(3)}" for _ in range(2))
    with tempfile.TemporaryDirectory(prefix="sapgw-pgw-") as directory:
        config = config_for(Path(directory), url, schemas, workers)  # type: ignore[arg-type]
        try:
            with Gateway(load_settings(config)) as sender:
                sent = time.perf_counter()
                p.send_fund_postings(sender, n, usages, warm_up=True)
                sending = time.perf_counter() - sent
                started = datetime.now(UTC).replace(tzinfo=None)
                running = [p.start_worker(config, Path(directory) / "workers.log")
                           for _ in range(workers)]
                try:
                    p.wait_for(p.all_final(sender, n + usages + 1), max(300.0, n / 2),
                               "every BDoc F04", tuple(running))
                finally:
                    codes = [p.stop_worker(w) for w in running]
                figures = gateway_figures(sender, started)
            if any(codes):
                sys.exit(f"workers stopped with {codes}")
            figures["send/s"] = (n + usages + 1) / sending
            return figures
        finally:
            for schema in schemas:
                db = Database(url, schema)
                db.drop_schema()
                db.dispose()


def gateway_figures(gw: Gateway, started: datetime) -> dict[str, float]:
    """Throughput and latency of the postings worked by the processes (not the warm-up one)."""
    with gw.db.read() as conn:
        created = dict(conn.execute(select(H.c.bdoc_id, H.c.created_at)
                                    .where(H.c.bdoc_type == "CRM_FM_FPO")).all())
        done = {b: naive(at) for b, at in conn.execute(
            select(G.c.bdoc_id, G.c.at).where(G.c.state_to == "F04")) if b in created}
    done = {b: at for b, at in done.items() if at >= started}
    first, last = min(done.values()), max(done.values())
    latency = [(at - naive(created[b])).total_seconds() for b, at in done.items()]
    return {"postings": len(done),
            "bdocs/s": len(done) / (last - started).total_seconds(),
            "steady/s": len(done) / max((last - first).total_seconds(), 1e-3),
            "startup s": (first - started).total_seconds(),
            "p50 s": statistics.median(latency), "p99 s": percentile(latency, 99)}


# -- the limit: the same rows and commits, no gateway ---------------------------------------
def limit_run(gateway_db: Database, erp_db: Database, n: int, usages: int) -> float:
    """BDocs/s of writing what the gateway and ERP write for N fund postings, directly."""
    now = datetime.now(UTC)
    body = json.dumps(p.fund_posting("F0000001", "1791"))
    calls = json.dumps([{"function": "CRM_FM_ACL_ACCRUAL_R3_IN", "params": json.loads(body)}])
    set_state = update(H).where(H.c.bdoc_id == bindparam("b_id")).values(
        state=bindparam("b_state"), updated_at=now)
    set_receiver = update(R).where(R.c.bdoc_id == bindparam("b_id"), R.c.site == "ERP").values(
        state="CONFIRMED", updated_at=now)
    started = time.perf_counter()
    accepted: list[tuple[str, int, str]] = []  # bdoc_id, inbound LUW id, fund usage
    for i in range(n):
        bdoc_id, fu_id = secrets.token_hex(16).upper(), str(1791 + i % usages)
        with gateway_db.write() as conn:  # accept: one transaction per BDoc
            conn.execute(insert(H), {"bdoc_id": bdoc_id, "bdoc_type": "CRM_FM_FPO", "state":
                                     "I01", "flow_context": "MO1", "sender": "CRM",
                                     "object_key": f"F{i:07d}", "error": "", "created_at": now,
                                     "updated_at": now, "schema_version": 1})
            conn.execute(insert(B), {"bdoc_id": bdoc_id, "data": body})
            conn.execute(insert(G), log(bdoc_id, now, "", "I01", "RECEIVE"))
            luw = conn.execute(insert(L).returning(L.c.id), luw_row(
                bdoc_id, f"CSAFMFU{fu_id}", "IN", calls, now)).scalar_one()
            if conn.execute(select(Q.c.name).where(Q.c.name == f"CSAFMFU{fu_id}",
                                                   Q.c.direction == "IN")).first() is None:
                conn.execute(insert(Q), queue_row(f"CSAFMFU{fu_id}", "IN", now))
            accepted.append((bdoc_id, luw, fu_id))
        if len(accepted) == BATCH or i == n - 1:
            work_batch(gateway_db, erp_db, accepted, i, calls, now, set_state, set_receiver)
            accepted = []
    return n / (time.perf_counter() - started)


def work_batch(gateway_db: Database, erp_db: Database, batch: list[tuple[str, int, str]],
               last: int, calls: str, now: datetime, set_state: Any, set_receiver: Any) -> None:
    """Flow, ERP and completion transactions of one batch, as the queue workers commit them."""
    ids = [b for b, _, _ in batch]
    with gateway_db.write() as conn:  # flow batch
        conn.execute(delete(L).where(L.c.id.in_([luw for _, luw, _ in batch])))
        conn.execute(insert(R), [{"bdoc_id": b, "site": "ERP", "state": "QUEUED", "queue":
                                  f"R3AUFMFPO{fu}", "tid": b[:24], "error": "",
                                  "updated_at": now} for b, _, fu in batch])
        out = [conn.execute(insert(L).returning(L.c.id), luw_row(
            b, f"R3AUFMFPO{fu}", "OUT", calls, now)).scalar_one() for b, _, fu in batch]
        conn.execute(insert(G), [log(b, now, "", "", "R3_ADAPTER") for b in ids]
                     + [log(b, now, "I01", "I02", "R3_ADAPTER") for b in ids])
        conn.execute(set_state, [{"b_id": b, "b_state": "I02"} for b in ids])
    first = last - len(batch) + 1
    with erp_db.write() as conn:  # the units of the batch in one ERP transaction
        for table, rows in erp_rows(first, batch).items():
            conn.execute(insert(table), rows)
    with gateway_db.write() as conn:  # completion
        conn.execute(delete(L).where(L.c.id.in_(out)))
        conn.execute(set_receiver, [{"b_id": b} for b in ids])
        conn.execute(set_state, [{"b_id": b, "b_state": "F04"} for b in ids])
        conn.execute(insert(G), [log(b, now, "I02", "F04", "QOUT") for b in ids])


def log(bdoc_id: str, at: datetime, state_from: str, state_to: str, service: str
        ) -> dict[str, Any]:
    return {"bdoc_id": bdoc_id, "at": at, "service": service, "state_from": state_from,
            "state_to": state_to, "msg_type": "S", "msg_class": "SMW3", "msg_number": "001",
            "message": f"{service}: {state_from or '-'} -> {state_to or '-'}"}


def luw_row(bdoc_id: str, queue: str, direction: str, calls: str, at: datetime
            ) -> dict[str, Any]:
    return {"queue": queue, "direction": direction, "kind": "FLOW" if direction == "IN"
            else "TRFC", "tid": bdoc_id[:24], "destination": "ERP", "calls": calls,
            "bdoc_id": bdoc_id, "site": "ERP", "wait_for": "", "created_at": at}


def queue_row(name: str, direction: str, at: datetime) -> dict[str, Any]:
    return {"name": name, "direction": direction, "destination": "ERP", "status": "READY",
            "locked": False, "waiting_on": "", "error": "", "error_at": None, "retries": 0,
            "next_retry_at": None, "claimed_by": "", "claimed_until": None, "updated_at": at}


def erp_rows(first: int, batch: list[tuple[str, int, str]]) -> dict[Any, list[dict[str, Any]]]:
    """BKPF, 2 BSEG, COBK, COEP and ARFCRSTATE rows of a batch of accrual postings."""
    bkpf, bseg, cobk, coep, arfc = ERP
    rows: dict[Any, list[dict[str, Any]]] = {t: [] for t in ERP}
    amount = Decimal("1.00")
    day = {"BLDAT": "20261122", "BUDAT": "20261122"}
    for k, (bdoc_id, _, fu) in enumerate(batch):
        belnr, co_belnr = f"{100_000_000 + first + k:010d}", f"{200_000_000 + first + k:010d}"
        key = {"BUKRS": "1000", "BELNR": belnr, "GJAHR": "2026"}
        rows[bkpf].append({**key, "BLART": "SA", **day, "MONAT": "11", "CPUDT": "20261122",
                           "CPUTM": "120000", "USNAM": "RFCUSER", "XBLNR": f"F{first + k:07d}",
                           "BKTXT": "Accrual", "WAERS": "EUR", "HWAER": "EUR", "AWTYP": "BKPF",
                           "AWKEY": f"{belnr}10002026", "AWSYS": "", "GLVOR": "RFBU",
                           "STBLG": "", "STJAH": "", "STGRD": "", "XREVERSAL": "",
                           "TCODE": "FB01"})
        for line, (shkzg, account) in enumerate((("S", "0000476000"), ("H", "0000196000"))):
            rows[bseg].append({**key, "BUZEI": f"{line + 1:03d}", "BSCHL": "40" if shkzg == "S"
                               else "50", "KOART": "S", "SHKZG": shkzg, "WRBTR": amount,
                               "DMBTR": amount, "PSWSL": "EUR", "HKONT": account, "KUNNR": "",
                               "LIFNR": "", "KOKRS": "1000", "KOSTL": "", "AUFNR":
                               f"{700_000 + int(fu):012d}" if shkzg == "S" else "", "PROJK": "",
                               "PRCTR": "", "SGTXT": "Accrual", "ZUONR": "", "MWSKZ": "",
                               "VALUT": ""})
        rows[cobk].append({"KOKRS": "1000", "BELNR": co_belnr, "GJAHR": "2026", "VRGNG": "COIN",
                           "BUDAT": "20261122", "REFBN": belnr, "REFBK": "1000", "REFGJ": "2026",
                           "AWTYP": "BKPF", "AWKEY": f"{belnr}10002026", "VERSN": "000",
                           "PERAB": "011", "PERBI": "011", "BLDAT": "20261122",
                           "CPUDT": "20261122", "USNAM": "RFCUSER", "BLTXT": "Accrual",
                           "REFBT": "R", "KWAER": "EUR", "LOGSYSTEM": "ERPCLNT100"})
        rows[coep].append({"KOKRS": "1000", "BELNR": co_belnr, "BUZEI": "001", "GJAHR": "2026",
                           "PERIO": "011", "OBJNR": f"OR{700_000 + int(fu):012d}",
                           "KSTAR": "0000476000", "WKGBTR": amount, "WTGBTR": amount,
                           "TWAER": "EUR", "BEKNZ": "S", "BUKRS": "1000", "SGTXT": "Accrual",
                           "LEDNR": "00", "WRTTP": "04", "VERSN": "000", "VRGNG": "COIN",
                           "REFBZ": "001", "PAROB": ""})
        rows[arfc].append({"ARFCTID": bdoc_id[:24], "ARFCSTATE": "EXECUTED",
                           "ARFCQNAME": f"R3AUFMFPO{fu}", "ARFCDATUM": "20261122",
                           "ARFCUZEIT": "120000"})
    return rows


def limit(url: str | None, n: int, usages: int) -> float:
    """The limit on fresh PostgreSQL schemas (`url`) or on SQLite files (`url` None)."""
    with tempfile.TemporaryDirectory(prefix="sapgw-limit-") as directory:
        schemas = tuple(f"l_{os.getpid()}_{secrets.token_hex(3)}" for _ in range(2))
        if url:
            settings = p.write_config(Path(directory) / "c.ini", url, url, schemas)  # type: ignore[arg-type]
        else:
            settings = p.write_config(Path(directory) / "c.ini",
                                      f"sqlite:///{directory}/gateway.db",
                                      f"sqlite:///{directory}/erp.db")
        try:
            with Gateway(settings) as gw:  # creates both systems' tables
                return limit_run(gw.db, gw.destinations.local_system("ERP").db, n, usages)
        finally:
            if url:
                for schema in schemas:
                    db = Database(url, schema)
                    db.drop_schema()
                    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="fund postings per run")
    parser.add_argument("--usages", type=int, default=10, help="fund usages (queue pairs)")
    parser.add_argument("--workers", default="1,2,4", help="worker process counts")
    parser.add_argument("--postgres", default=POSTGRES, metavar="URL")
    parser.add_argument("--limit-only", choices=["sqlite", "postgres"],
                        help="only the limit (compare SQLite with e2e_funds.py --mode sync)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs · N={args.n} · usages {args.usages} · "
          f"load {os.getloadavg()[0]:.2f}")
    if args.limit_only:
        url = args.postgres if args.limit_only == "postgres" else None
        rate = limit(url, args.n, args.usages)
        print(f"limit {args.limit_only}: {rate:.0f} BDocs/s  (load {os.getloadavg()[0]:.2f})")
        return 0
    rate = limit(args.postgres, args.n, args.usages)
    print(f"limit PostgreSQL (1 process, no gateway): {rate:.0f} BDocs/s  "
          f"(load {os.getloadavg()[0]:.2f})", flush=True)
    print(f"{'workers':>7} {'send/s':>7} {'BDocs/s':>8} {'steady/s':>9} {'start s':>8} "
          f"{'p50 s':>6} {'p99 s':>6} {'/limit':>7}  load")
    for workers in (int(w) for w in args.workers.split(",")):
        f = gateway_run(args.postgres, args.n, args.usages, workers)
        print(f"{workers:>7} {f['send/s']:7.0f} {f['bdocs/s']:8.0f} {f['steady/s']:9.0f} "
              f"{f['startup s']:8.1f} {f['p50 s']:6.1f} {f['p99 s']:6.1f} "
              f"{f['bdocs/s'] / rate:7.2f}  {os.getloadavg()[0]:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
