"""Nothing lost, nothing twice: worker processes SIGKILLed at random while fund postings run.

Reduced sizes for `make test`; `bench/fault_funds.py` runs the same with more postings and
kills. The lease is short (1.5 s) so that a killed worker's queues are taken over quickly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sapgw.db import Database
from tests.conftest import fresh_schema, require_postgres
from tests.stores.faults import run_faults


def test_sqlite_one_worker_killed_and_restarted(tmp_path: Path):
    run = run_faults(tmp_path, n=200, usages=4, workers=1, kills=4, seed=3)
    assert run.problems == [], run
    assert run.states == {"F04": run.bdocs}
    assert run.kills == 4 and run.kills_mid_work >= 1, run


@pytest.mark.postgres
def test_postgres_three_workers_some_killed(tmp_path: Path):
    url = require_postgres()
    schemas = (fresh_schema(), fresh_schema())
    try:
        run = run_faults(tmp_path, n=200, usages=6, workers=3, kills=3, seed=5,
                         postgres_url=url, schemas=schemas)
    finally:
        for schema in schemas:
            db = Database(url, schema)
            db.drop_schema()
            db.dispose()
    assert run.problems == [], run
    assert run.kills == 3 and run.kills_mid_work >= 1, run


def test_an_empty_queue_left_running_by_a_dead_worker_is_dropped(database: Database):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert, select

    from sapgw.clock import Clock
    from sapgw.gateway.queues.store import Q, QueueStore
    from sapgw.gateway.store.tables import GatewayTable

    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    database.create_all(GatewayTable.metadata)
    with database.write() as conn:  # killed after its last LUW, before the release
        conn.execute(insert(Q), [
            {"name": name, "direction": "in", "status": "RUNNING", "claimed_by": "dead",
             "claimed_until": now + timedelta(seconds=seconds), "updated_at": now}
            for name, seconds in (("EXPIRED", -1), ("LEASED", 30))])
    store = QueueStore(database, Clock(frozen_at=now))
    assert store.claim("in", "me", 10) is None
    with database.read() as conn:
        assert list(conn.execute(select(Q.c.name)).scalars()) == ["LEASED"]
