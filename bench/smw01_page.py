"""SMW01 page time with a large BDoc store: p50/p95 of `GET /smw01` per kind of page.

    python bench/smw01_page.py [--n 100000] [--repeat 30] [--postgres URL]

The gateway database is filled with N BDoc header rows by bulk inserts (SQLAlchemy Core,
the gateway's own `smw3_bdoc` table), with a production-like mix: mostly fund postings,
most of them F04, some in process, a few per cent in error with an error text, spread over
30 days. The list and its count line read the header table only, so headers are all the
page needs. The pages are then requested through the in-process TestClient (routing, auth
middleware, queries, HTML rendering; no socket) and timed per request. Target: under 300 ms
at 100,000 BDocs.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import statistics
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select
from starlette.exceptions import StarletteDeprecationWarning

from sapgw.clock import Clock
from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.bdocs import H

if TYPE_CHECKING:
    from starlette.testclient import TestClient

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
BATCH = 10_000
TARGET_MS = 300.0
# (weight, state, error text); weights are per mille.
STATES = [(900, "F04", ""), (20, "F03", ""), (10, "F01", ""), (15, "I01", ""),
          (10, "I02", ""), (5, "O01", ""),
          (30, "E06", "Trade promotion {tpm} of fund usage {key} is not in ERP: "
                      "project {tpm} missing"),
          (5, "E04", "Validation: amount of fund posting {key} is not positive"),
          (5, "E02", "Site ERP: queue R3AUFMFPO{key} in SYSFAIL: posting period closed")]
TYPES = [(80, "CRM_FM_FPO"), (15, "CRM_FM_FU"), (5, "CRM_MKTPL")]


def header_rows(n: int, seed: int = 4) -> Iterator[dict[str, Any]]:
    """N header rows, newest at NOW, about one every 26 s back over 30 days."""
    rng = random.Random(seed)
    weights, states = [w for w, *_ in STATES], [s for _, *s in STATES]
    type_weights, types = [w for w, _ in TYPES], [t for _, t in TYPES]
    step = timedelta(days=30) / max(n, 1)
    for i in range(n):
        state, error = rng.choices(states, weights)[0]
        key = str(100_000 + i)
        created = NOW - step * i
        yield {"bdoc_id": secrets.token_hex(16).upper(),
               "bdoc_type": rng.choices(types, type_weights)[0], "state": state,
               "flow_context": "MO1", "sender": "CRM", "object_key": key,
               "error": error.format(tpm=f"TPM{i % 97}", key=key),
               "created_at": created, "updated_at": created + timedelta(seconds=2),
               "schema_version": 1}


def fill(gw: Gateway, n: int) -> float:
    """Bulk-insert N headers in batches; returns the seconds it took."""
    started = time.perf_counter()
    rows = header_rows(n)
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        with gw.db.write() as conn:
            conn.execute(insert(H), batch)
    return time.perf_counter() - started


def deep_cursor(gw: Gateway, depth: int) -> str:
    """The keyset cursor of the row at `depth` in list order, as the page's next link has."""
    query = (select(H.c.created_at, H.c.bdoc_id)
             .order_by(H.c.created_at.desc(), H.c.bdoc_id.desc()).offset(depth).limit(1))
    with gw.db.read() as conn:
        at, bdoc_id = conn.execute(query).one()
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{at.astimezone(UTC).isoformat(timespec='microseconds')}|{bdoc_id}"


def timed(client: TestClient, params: dict[str, str], repeat: int) -> list[float]:
    """Milliseconds per request, after three warm-up requests."""
    for _ in range(3):
        assert client.get("/smw01", params=params).status_code == 200
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = client.get("/smw01", params=params)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200 and "<table>" in answer.text
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="BDoc headers to store")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--postgres", metavar="URL",
                        help="gateway database on PostgreSQL (a fresh schema, dropped after)")
    args = parser.parse_args()
    # Starlette 1.x prefers httpx2 for its TestClient; httpx works (as in pyproject's pytest).
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

    overrides = {}
    if args.postgres:
        schema = f"bench_{os.getpid()}_{secrets.token_hex(3)}"
        overrides = {"gateway": {"db_url": args.postgres, "db_schema": schema}}
    gw = Gateway.in_memory(clock=Clock(frozen_at=NOW), overrides=overrides)
    try:
        backend = gw.db.engine.dialect.name
        print(f"python {platform.python_version()} · {backend} · {os.cpu_count()} CPUs · "
              f"load {os.getloadavg()[0]:.2f}")
        seconds = fill(gw, args.n)
        with gw.db.read() as conn:
            stored = conn.execute(select(func.count()).select_from(H)).scalar_one()
            by_state = dict(conn.execute(select(H.c.state, func.count()).group_by(H.c.state))
                            .all())
        print(f"stored {stored} BDoc headers in {seconds:.1f} s; states: "
              + ", ".join(f"{s} {by_state[s]}" for s in sorted(by_state)))
        pages = {
            "first page": {},
            "filtered state=E06": {"state": "E06"},
            "filtered type+state": {"type": "CRM_FM_FU", "state": "E06"},
            "business key": {"key": str(100_000 + args.n // 2)},
            f"keyset page at row {args.n * 4 // 5}": {"after": deep_cursor(gw, args.n * 4 // 5)},
        }
        worst = 0.0
        with TestClient(create_app(gw, run_schedulers=False)) as client:
            print(f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            for name, params in pages.items():
                times = timed(client, params, args.repeat)
                p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
                worst = max(worst, p95)
                print(f"{name:<28} {statistics.median(times):8.1f} {p95:8.1f} "
                      f"{max(times):8.1f}")
        verdict = "within" if worst < TARGET_MS else "OVER"
        print(f"worst p95 {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
        return 0 if worst < TARGET_MS else 1
    finally:
        if args.postgres:
            gw.db.drop_schema()
        gw.close()


if __name__ == "__main__":
    sys.exit(main())
