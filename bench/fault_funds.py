"""Fault run at full size: fund postings while `sapgw worker` processes are SIGKILLed.

    python bench/fault_funds.py [--n 600] [--usages 8] [--workers 1] [--kills 10]
                                [--seed 1] [--postgres URL] [--lease 1.5]

Sends N accrual fund postings first, then works them with `--workers` worker processes,
killing one with SIGKILL at random moments `--kills` times (each is restarted at once).
It then proves that every BDoc is F04, every fund posting has exactly one FI document
(BKPF by XBLNR), no TID was executed twice (ARFCRSTATE) and no queue is left; it prints
the figures and exits 1 on any problem. SQLite files by default; `--postgres URL` puts
both systems in fresh schemas of that database (dropped afterwards). The checks live in
tests/stores/faults.py, which the reduced `make test` version shares.
"""

from __future__ import annotations

import argparse
import importlib
import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--usages", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", metavar="URL", help="e.g. "
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--lease", type=float, default=1.5, help="[gateway] lease_seconds")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # the harness is shared with the tests
    faults = importlib.import_module("tests.stores.faults")
    from sapgw.db import Database

    schemas = tuple(f"f_{os.getpid()}_{secrets.token_hex(3)}" for _ in range(2))
    with tempfile.TemporaryDirectory(prefix="sapgw-fault-") as directory:
        try:
            run = faults.run_faults(
                Path(directory), n=args.n, usages=args.usages, workers=args.workers,
                kills=args.kills, seed=args.seed, postgres_url=args.postgres,
                schemas=schemas if args.postgres else None, lease_seconds=args.lease,
                timeout=max(120.0, args.n / 5))
        finally:
            if args.postgres:
                for schema in schemas:
                    db = Database(args.postgres, schema)
                    db.drop_schema()
                    db.dispose()
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{backend}: {run.postings} fund postings ({run.bdocs} BDocs), {args.workers} "
          f"worker process(es), {run.kills} SIGKILLs ({run.kills_mid_work} while work was "
          f"left), lease {args.lease} s")
    print(f"all F04 after {run.seconds:.1f} s; states {run.states}")
    for problem in run.problems:
        print(f"PROBLEM: {problem}")
    print("OK: nothing lost, nothing executed twice, no queue left" if not run.problems
          else "FAILED")
    return 1 if run.problems else 0


if __name__ == "__main__":
    sys.exit(main())
