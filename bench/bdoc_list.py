"""SMW01 list queries with a million BDocs: p50/p95 of `queries.bdoc_list` per kind of page.

    python bench/bdoc_list.py [--n 1000000] [--repeat 50] [--postgres URL]

The gateway database (a SQLite file in a temporary directory, or a fresh PostgreSQL schema
that is dropped afterwards) is filled with N BDoc headers in the production-like mix of
`smw01_page.py` (bulk inserts through SQLAlchemy Core). Then the list query itself, the one
REST, CLI and the page share, is timed without HTTP: first page, filters, and keyset pages
deep in the list. The count line above the page (`state_counts`) is timed separately: it is
a group-by over the whole filter, not a page. Target: p95 under 100 ms per list query.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from smw01_page import NOW, fill

from sapgw.clock import Clock
from sapgw.gateway.monitor.queries import BDocFilter, bdoc_list, state_counts
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.bdocs import H

TARGET_MS = 100.0


def cursor_at(gw: Gateway, depth: int, **where: str) -> str:
    """The keyset cursor of the row at `depth` in list order (what a page's next link holds)."""
    query = select(H.c.created_at, H.c.bdoc_id).where(
        *(getattr(H.c, column) == value for column, value in where.items()))
    query = query.order_by(H.c.created_at.desc(), H.c.bdoc_id.desc()).offset(depth).limit(1)
    with gw.db.read() as conn:
        at, bdoc_id = conn.execute(query).one()
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{at.astimezone(UTC).isoformat(timespec='microseconds')}|{bdoc_id}"


def timed(run: Callable[[], Any], repeat: int) -> list[float]:
    """Milliseconds per call, after three warm-up calls."""
    for _ in range(3):
        run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def cases(gw: Gateway, n: int) -> dict[str, BDocFilter]:
    deep = n * 4 // 5
    e06 = {"state": "E06"}
    return {
        "first page": BDocFilter(),
        "state=E06": BDocFilter(state="E06"),
        "type=CRM_FM_FU & state=E06": BDocFilter(bdoc_type="CRM_FM_FU", state="E06"),
        "state=E04,E06 (two states)": BDocFilter(state="E04,E06"),
        "type=CRM_MKTPL": BDocFilter(bdoc_type="CRM_MKTPL"),
        "business key": BDocFilter(object_key=str(100_000 + n // 2)),
        "BDoc id prefix": BDocFilter(bdoc_id="AB12"),
        f"keyset page at row {deep:,}": BDocFilter(after=cursor_at(gw, deep)),
        "state=F04 keyset at 80 %": BDocFilter(state="F04", after=cursor_at(gw, deep * 9 // 10,
                                                                            state="F04")),
        "state=E06 keyset at 80 %": BDocFilter(state="E06", after=cursor_at(
            gw, n * 3 // 100 * 4 // 5, **e06)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="BDoc headers to store")
    parser.add_argument("--repeat", type=int, default=50, help="timed queries per case")
    parser.add_argument("--postgres", metavar="URL",
                        help="gateway database on PostgreSQL (a fresh schema, dropped after)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sapgw-bdoclist-") as directory:
        if args.postgres:
            schema = f"bench_{os.getpid()}_{secrets.token_hex(3)}"
            gateway = {"db_url": args.postgres, "db_schema": schema}
        else:
            gateway = {"db_url": f"sqlite:///{Path(directory) / 'gateway.db'}"}
        gw = Gateway.in_memory(clock=Clock(frozen_at=NOW), overrides={"gateway": gateway})
        try:
            return measure(gw, args.n, args.repeat)
        finally:
            if args.postgres:
                gw.db.drop_schema()
            gw.close()


def measure(gw: Gateway, n: int, repeat: int) -> int:
    print(f"python {platform.python_version()} · {gw.db.engine.dialect.name} · "
          f"{os.cpu_count()} CPUs · load {os.getloadavg()[0]:.2f}")
    seconds = fill(gw, n)
    if gw.db.engine.dialect.name == "postgresql":
        with gw.db.write() as conn:
            conn.exec_driver_sql(f'ANALYZE "{gw.db.schema}".{H.name}')
    with gw.db.read() as conn:
        stored = conn.execute(select(func.count()).select_from(H)).scalar_one()
    print(f"stored {stored:,} BDoc headers in {seconds:.1f} s; load {os.getloadavg()[0]:.2f}")
    worst = 0.0
    print(f"{'bdoc_list (50 rows)':<32} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, f in cases(gw, n).items():
        rows = len(bdoc_list(gw.db, f)["items"])
        times = timed(lambda f=f: bdoc_list(gw.db, f), repeat)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
        worst = max(worst, p95)
        print(f"{name:<32} {rows:>5} {statistics.median(times):8.1f} {p95:8.1f} "
              f"{max(times):8.1f}")
    print(f"{'state_counts (count line)':<32}")
    for name, f in {"no filter": BDocFilter(), "type=CRM_FM_FU": BDocFilter(
            bdoc_type="CRM_FM_FU")}.items():
        times = timed(lambda f=f: state_counts(gw.db, f), max(5, repeat // 10))
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
        print(f"  {name:<30} {'':>5} {statistics.median(times):8.1f} {p95:8.1f} "
              f"{max(times):8.1f}")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"worst bdoc_list p95 {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target; "
          f"load {os.getloadavg()[0]:.2f}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
