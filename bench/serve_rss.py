"""Peak RSS of `sapgw serve` under load: REST sends from 4 threads, JSON RFC calls beside them.

    python bench/serve_rss.py [--n 2000] [--threads 4] [--rfc 500]

`sapgw serve` starts as a subprocess on a temporary config.ini (the repository's, with both
databases as SQLite files in a temporary directory). After the trade promotion and 10 fund
usages, `--threads` client threads POST N fund postings to /api/bdocs while one more thread
makes `--rfc` BAPI_ACC_DOCUMENT_POST calls on /sap/bc/rfc; then /api/idle waits until the
schedulers have worked everything off. The server's VmRSS is sampled every 100 ms and its
VmHWM (the kernel's high-water mark) read at the end. Target: peak under 200 MB.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from jsonrfc_calls import PATH, document, free_port  # noqa: E402  (same directory)

from tests.stores import processes as p  # noqa: E402

TARGET_MB = 200.0


def status_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def sampler(pid: int, samples: list[float], stop: threading.Event) -> None:
    while not stop.is_set():
        samples.append(status_mb(pid, "VmRSS"))
        stop.wait(0.1)


def sender(url: str, fpo: list[str], errors: list[str]) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        for i, fpo_id in enumerate(fpo):
            posting = p.fund_posting(fpo_id, str(p.FIRST_FU_ID + i % 10))
            answer = client.post("/api/bdocs", json={"type": "CRM_FM_FPO", "sender": "CRM",
                                                     "data": posting})
            if answer.status_code not in (200, 201, 202):
                errors.append(f"send {answer.status_code}: {answer.text[:200]}")
                return


def rfc_caller(url: str, calls: int, errors: list[str]) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        for i in range(calls):
            answer = client.post(PATH, content=document(i),
                                 headers={"content-type": "application/json"})
            if answer.status_code != 200:
                errors.append(f"RFC {answer.status_code}: {answer.text[:200]}")
                return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="fund postings over REST")
    parser.add_argument("--threads", type=int, default=4, help="REST sender threads")
    parser.add_argument("--rfc", type=int, default=500, help="JSON RFC calls beside them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sapgw-rss-") as directory:
        config, port = Path(directory) / "config.ini", free_port()
        p.write_config(config, f"sqlite:///{directory}/gateway.db",
                       f"sqlite:///{directory}/erp.db")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAPGW_")}
        log = (Path(directory) / "serve.log").open("wb")
        server = subprocess.Popen([sys.executable, "-m", "sapgw.gateway.cli", "--config",
                                   str(config), "serve", "--port", str(port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            return drive(server, url, args, Path(directory) / "gateway.db")
        finally:
            server.terminate()
            server.wait(30)
            log.close()


def built(client: httpx.Client) -> bool:
    """Whether the server's `/healthz` says "ok" (not listening yet, or "starting": no)."""
    try:
        return client.get("/healthz").json().get("status") == "ok"
    except httpx.HTTPError:
        return False


def drive(server: subprocess.Popen[bytes], url: str, args: argparse.Namespace,
          gateway_db: Path) -> int:
    with httpx.Client(base_url=url, timeout=120) as client:
        for _ in range(300):  # "starting" while `sapgw serve` builds its app (api.starting)
            if built(client):
                break
            time.sleep(0.1)
        idle_mb = status_mb(server.pid, "VmRSS")
        samples: list[float] = []
        stop = threading.Event()
        watch = threading.Thread(target=sampler, args=(server.pid, samples, stop))
        watch.start()
        started = time.perf_counter()
        setup = [("CRM_MKTPL", p.trade_promotion())] + [
            ("CRM_FM_FU", p.fund_usage(str(p.FIRST_FU_ID + u))) for u in range(10)]
        for bdoc_type, data in setup:
            client.post("/api/bdocs", json={"type": bdoc_type, "sender": "CRM", "data": data})
        errors: list[str] = []
        fpo = [f"R{i + 1:07d}" for i in range(args.n)]
        threads = [threading.Thread(target=sender, args=(url, fpo[k::args.threads], errors))
                   for k in range(args.threads)]
        threads.append(threading.Thread(target=rfc_caller, args=(url, args.rfc, errors)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sent = time.perf_counter() - started
        idle = client.post("/api/idle", json={"timeout": 600}).json()
        elapsed = time.perf_counter() - started
        stop.set()
        watch.join()
        hwm = status_mb(server.pid, "VmHWM")
    with sqlite3.connect(gateway_db) as db:
        states = dict(db.execute("SELECT state, count(*) FROM smw3_bdoc GROUP BY state"))
    if errors or states != {"F04": args.n + 11}:
        print(f"PROBLEM: {errors[:1]} states {states}")
        return 1
    print(f"{args.n} fund postings over REST from {args.threads} threads + {args.rfc} JSON RFC "
          f"calls: sent in {sent:.1f} s, idle {idle} after {elapsed:.1f} s; states {states}")
    print(f"server RSS: idle {idle_mb:.0f} MB, peak sampled {max(samples):.0f} MB, "
          f"VmHWM {hwm:.0f} MB; load {os.getloadavg()[0]:.2f}")
    verdict = "within" if hwm < TARGET_MB else "OVER"
    print(f"peak {hwm:.0f} MB: {verdict} the {TARGET_MB:.0f} MB target")
    return 0 if hwm < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
