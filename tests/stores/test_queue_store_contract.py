"""The queue store's contract (EOIO, leases, locks, dependencies, retries) on every backend."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, update

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.queues.store import Luw, Q, QueueStore
from sapgw.gateway.store.tables import GatewayTable
from sapgw.types import RfcCall, new_tid

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
LEASE = 30.0
OUT = "out"


@pytest.fixture
def clock() -> Clock:
    return Clock(frozen_at=START)


@pytest.fixture
def store(database: Database, clock: Clock) -> QueueStore:
    database.create_all(GatewayTable.metadata)
    return QueueStore(database, clock)


def enqueue(store: QueueStore, queue: str, *calls: RfcCall, wait_for: tuple[str, ...] = ()
            ) -> str:
    """Queue one LUW in its own transaction; answer its TID."""
    tid = new_tid()
    with store.db.write() as conn:
        store.enqueue(conn, queue=queue, direction=OUT, kind="RFC", tid=tid,
                      calls=list(calls) or [RfcCall("RFC_PING")], destination="ERP",
                      bdoc_id="B" * 32, site="ERP", wait_for=wait_for)
    return tid


def head_tid(store: QueueStore, queue: str) -> str | None:
    with store.db.read() as conn:
        luw = store.head(conn, queue, OUT)
    return luw.tid if luw else None


def remove_head(store: QueueStore, queue: str) -> str:
    with store.db.write() as conn:
        luw = store.head(conn, queue, OUT)
        assert luw is not None
        store.remove(conn, luw)
    return luw.tid


def status(store: QueueStore, queue: str) -> dict[str, Any] | None:
    with store.db.read() as conn:
        return store.status(conn, queue, OUT)


def set_locked(store: QueueStore, queue: str, locked: bool) -> None:
    with store.db.write() as conn:
        conn.execute(update(Q).where(Q.c.name == queue, Q.c.direction == OUT)
                     .values(locked=locked))


def test_luws_come_out_of_head_in_enqueue_order(store: QueueStore):
    first = enqueue(store, "Q1", RfcCall("BAPI_A", {"ITEMS": [{"AMOUNT": "1.00"}], "X": "ä€"}))
    other = enqueue(store, "Q2")
    second = enqueue(store, "Q1", RfcCall("BAPI_B"), RfcCall("BAPI_TRANSACTION_COMMIT"))
    third = enqueue(store, "Q1")

    with store.db.read() as conn:
        luw = store.head(conn, "Q1", OUT)
    assert luw is not None
    assert (luw.tid, luw.queue, luw.direction, luw.kind, luw.destination, luw.site) == (
        first, "Q1", OUT, "RFC", "ERP", "ERP")
    assert luw.calls == [RfcCall("BAPI_A", {"ITEMS": [{"AMOUNT": "1.00"}], "X": "ä€"})]
    assert luw.created_at == START and luw.created_at.utcoffset() == timedelta(0)
    assert [remove_head(store, "Q1") for _ in range(3)] == [first, second, third]
    assert head_tid(store, "Q1") is None
    assert head_tid(store, "Q2") == other


def test_claim_takes_the_queue_with_the_oldest_head_first(store: QueueStore):
    enqueue(store, "QB")
    enqueue(store, "QA")
    enqueue(store, "QB")
    enqueue(store, "QC")

    claimed = [store.claim(OUT, f"w{n}", LEASE) for n in range(4)]
    assert claimed == ["QB", "QA", "QC", None]
    queue = status(store, "QB")
    assert queue is not None
    assert (queue["status"], queue["claimed_by"], queue["claimed_until"]) == (
        "RUNNING", "w0", START + timedelta(seconds=LEASE))


def test_a_leased_queue_is_taken_over_only_when_its_lease_expires(
        store: QueueStore, clock: Clock):
    enqueue(store, "Q1")
    assert store.claim(OUT, "w1", LEASE) == "Q1"
    assert store.claim(OUT, "w2", LEASE) is None
    clock.advance(timedelta(seconds=LEASE))
    assert store.claim(OUT, "w2", LEASE) is None, "the lease holds until it has expired"

    clock.advance(timedelta(seconds=1))  # w1 died: its lease ran out
    assert store.runnable_exists()
    assert store.claim(OUT, "w2", LEASE) == "Q1"
    queue = status(store, "Q1")
    assert queue is not None
    assert (queue["claimed_by"], queue["claimed_until"]) == (
        "w2", START + timedelta(seconds=2 * LEASE + 1))
    assert not store.renew("Q1", OUT, "w1", LEASE), "w1 no longer holds the queue"
    assert store.renew("Q1", OUT, "w2", LEASE)


def test_a_stale_owner_cannot_release_a_queue_taken_over(store: QueueStore, clock: Clock):
    enqueue(store, "Q1")
    assert store.claim(OUT, "w1", LEASE) == "Q1"
    clock.advance(timedelta(seconds=LEASE + 1))
    assert store.claim(OUT, "w2", LEASE) == "Q1"

    store.release("Q1", OUT, "w1")  # w1 wakes up after its lease expired
    queue = status(store, "Q1")
    assert queue is not None
    assert (queue["status"], queue["claimed_by"]) == ("RUNNING", "w2")
    assert store.claim(OUT, "w3", LEASE) is None


def test_release_makes_a_running_queue_ready_and_drops_an_empty_one(store: QueueStore):
    enqueue(store, "Q1")
    enqueue(store, "Q1")
    assert store.claim(OUT, "w1", LEASE) == "Q1"
    remove_head(store, "Q1")
    store.release("Q1", OUT, "w1")
    queue = status(store, "Q1")
    assert queue is not None
    assert (queue["status"], queue["claimed_by"], queue["claimed_until"]) == ("READY", "", None)

    assert store.claim(OUT, "w2", LEASE) == "Q1"
    remove_head(store, "Q1")
    store.release("Q1", OUT, "w2")
    assert status(store, "Q1") is None
    assert not store.runnable_exists()


def test_release_keeps_an_empty_locked_queue(store: QueueStore):
    enqueue(store, "Q1")
    assert store.claim(OUT, "w1", LEASE) == "Q1"
    set_locked(store, "Q1", True)  # locked in SMQ1 while its last LUW runs
    remove_head(store, "Q1")
    store.release("Q1", OUT, "w1")
    queue = status(store, "Q1")
    assert queue is not None and queue["locked"] is True


def test_a_locked_queue_is_never_claimed(store: QueueStore, clock: Clock):
    enqueue(store, "Q1")
    set_locked(store, "Q1", True)
    assert not store.runnable_exists()
    assert store.claim(OUT, "w1", LEASE) is None
    clock.advance(timedelta(days=1))
    assert store.claim(OUT, "w1", LEASE) is None

    set_locked(store, "Q1", False)
    assert store.claim(OUT, "w1", LEASE) == "Q1"


def test_a_luw_waits_for_an_older_luw_of_the_queue_it_depends_on(store: QueueStore):
    blocker = enqueue(store, "Q1")
    enqueue(store, "Q2", wait_for=("Q2", "Q1"))  # its own queue in wait_for is ignored
    assert store.claim(OUT, "w1", LEASE) == "Q1"

    assert store.claim(OUT, "w2", LEASE) is None
    queue = status(store, "Q2")
    assert queue is not None
    assert (queue["status"], queue["waiting_on"]) == ("WAITING", "Q1")
    assert not store.runnable_exists()

    assert remove_head(store, "Q1") == blocker
    queue = status(store, "Q2")
    assert queue is not None
    assert (queue["status"], queue["waiting_on"]) == ("READY", "")
    assert store.claim(OUT, "w2", LEASE) == "Q2"


def test_a_newer_luw_of_the_other_queue_does_not_block(store: QueueStore):
    enqueue(store, "Q2", wait_for=("Q1",))
    enqueue(store, "Q1")
    with store.db.read() as conn:
        luw = store.head(conn, "Q2", OUT)
        assert luw is not None and luw.wait_for == ("Q1",)
        assert store.blocked_by(conn, luw) is None
    assert store.claim(OUT, "w1", LEASE) == "Q2"


@pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_waiting_queue_is_not_stranded_by_a_concurrent_removal(
        store: QueueStore, monkeypatch: pytest.MonkeyPatch):
    """PostgreSQL claims run concurrently (READ COMMITTED), so the blocker may go meanwhile."""
    enqueue(store, "Q1")
    enqueue(store, "Q2", wait_for=("Q1",))
    assert store.claim(OUT, "w1", LEASE) == "Q1"
    checked = store.blocked_by
    removed: list[str] = []

    def blocked_by_while_w1_completes(conn: Connection, luw: Luw) -> str | None:
        blocker = checked(conn, luw)  # Q1 still holds its LUW in what this claim sees
        if not removed:
            remover = threading.Thread(target=lambda: removed.append(remove_head(store, "Q1")))
            remover.start()
            remover.join(timeout=10)
            assert not remover.is_alive(), "the removal waited for the claim"
        return blocker

    monkeypatch.setattr(store, "blocked_by", blocked_by_while_w1_completes)
    first = store.claim(OUT, "w2", LEASE)
    monkeypatch.undo()

    assert len(removed) == 1 and head_tid(store, "Q1") is None
    assert "Q2" in (first, store.claim(OUT, "w2", LEASE)), status(store, "Q2")


@pytest.mark.parametrize("retry_status", [QueueStatus.CPICERR, QueueStatus.ARETRY])
def test_a_retry_is_claimable_only_when_due(store: QueueStore, clock: Clock,
                                             retry_status: QueueStatus):
    enqueue(store, "Q1")
    with store.db.write() as conn:
        store.set_status(conn, "Q1", OUT, retry_status, "connection refused", retries=1,
                         next_retry_at=START + timedelta(seconds=10))
    queue = status(store, "Q1")
    assert queue is not None
    assert (queue["status"], queue["error"], queue["error_at"]) == (
        retry_status, "connection refused", START)
    assert not store.runnable_exists()
    assert store.claim(OUT, "w1", LEASE) is None

    clock.advance(timedelta(seconds=11))
    assert store.runnable_exists()
    assert store.claim(OUT, "w1", LEASE) == "Q1"


def test_a_retry_without_next_time_waits_for_a_person(store: QueueStore, clock: Clock):
    enqueue(store, "Q1")
    with store.db.write() as conn:
        store.set_status(conn, "Q1", OUT, QueueStatus.CPICERR, "retries used up", retries=11,
                         next_retry_at=None)
    clock.advance(timedelta(days=1))
    assert not store.runnable_exists()
    assert store.claim(OUT, "w1", LEASE) is None


# Each case: how to set the queue up, then whether a claim may take it now.
CASES = [
    ("READY", {"status": QueueStatus.READY}, True),
    ("RUNNING, leased", {"status": QueueStatus.RUNNING, "claimed_by": "w0",
                         "claimed_until": START + timedelta(seconds=1)}, False),
    ("RUNNING, lease expired", {"status": QueueStatus.RUNNING, "claimed_by": "w0",
                                "claimed_until": START - timedelta(seconds=1)}, True),
    ("CPICERR due", {"status": QueueStatus.CPICERR, "next_retry_at": START}, True),
    ("CPICERR later", {"status": QueueStatus.CPICERR,
                       "next_retry_at": START + timedelta(seconds=1)}, False),
    ("ARETRY due", {"status": QueueStatus.ARETRY, "next_retry_at": START}, True),
    ("SYSFAIL", {"status": QueueStatus.SYSFAIL}, False),
    ("ANORETRY", {"status": QueueStatus.ANORETRY}, False),
    ("NOSEND", {"status": QueueStatus.NOSEND}, False),
    ("WAITING", {"status": QueueStatus.WAITING, "waiting_on": "Q0"}, False),
    ("READY, locked", {"status": QueueStatus.READY, "locked": True}, False),
]


def test_runnable_exists_agrees_with_claim(store: QueueStore):
    enqueue(store, "Q0")
    set_locked(store, "Q0", True)  # holds an older LUW that WAITING waits for; never claimed
    enqueue(store, "Q1")
    for label, values, claimable in CASES:
        with store.db.write() as conn:
            conn.execute(update(Q).where(Q.c.name == "Q1", Q.c.direction == OUT).values(
                **{"claimed_by": "", "claimed_until": None, "next_retry_at": None,
                   "locked": False, "waiting_on": "", **values}))
        assert store.runnable_exists() is claimable, label
        assert (store.claim(OUT, "w1", LEASE) == "Q1") is claimable, label


def test_a_queue_without_luws_is_not_runnable(store: QueueStore):
    enqueue(store, "Q1")
    remove_head(store, "Q1")  # e.g. SMQ1 "delete entry" of the last LUW
    assert status(store, "Q1") is not None
    assert store.claim(OUT, "w1", LEASE) is None
    assert not store.runnable_exists()


def test_directions_are_separate(store: QueueStore):
    with store.db.write() as conn:
        store.enqueue(conn, queue="Q1", direction="in", kind="FLOW", tid=new_tid(),
                      calls=[RfcCall("SMW3_FLOW_EXECUTE", {"BDOC_ID": "B" * 32})])
    enqueue(store, "Q1")
    assert store.claim(OUT, "w1", LEASE) == "Q1"
    assert store.claim("in", "w2", LEASE) == "Q1"
    assert store.claim(OUT, "w3", LEASE) is None
    assert store.pending() == 2


def test_concurrent_claims_never_share_a_queue(store: QueueStore):
    """Four workers with their own connections race for twenty queues: each is taken once."""
    names = [f"Q{n:02d}" for n in range(20)]
    for name in names:
        enqueue(store, name)
    claimed: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(owner: str) -> None:
        try:
            start.wait()
            while True:
                name = store.claim(OUT, owner, LEASE)
                if name is not None:
                    claimed.append(name)
                elif not store.runnable_exists():
                    return
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    assert Counter(claimed) == Counter(names)


def test_max_connections_per_destination_hold_across_owners(store: QueueStore, clock: Clock):
    """SMQS Max.Conn: leased queues of one destination never exceed its limit."""
    for name in ("Q1", "Q2", "Q3"):
        store_enqueue_to(store, name, "ERP")
    store_enqueue_to(store, "Q4", "CRM")
    limits = {"ERP": 2, "CRM": 1}
    claimed = [store.claim(OUT, f"w{i}", LEASE, limits) for i in range(4)]
    assert sorted(c for c in claimed if c) == ["Q1", "Q2", "Q4"]
    assert store.claim(OUT, "w9", LEASE, limits) is None, "ERP has 2 leased queues"
    store.release("Q1", OUT, "w0")
    assert store.claim(OUT, "w9", LEASE, limits) in ("Q1", "Q3")
    clock.advance(timedelta(seconds=LEASE + 1))
    assert store.claim(OUT, "w8", LEASE, limits) is not None, "expired leases free a slot"


def store_enqueue_to(store: QueueStore, queue: str, destination: str) -> None:
    with store.db.write() as conn:
        store.enqueue(conn, queue=queue, direction=OUT, kind="RFC", tid=new_tid(),
                      calls=[RfcCall("RFC_PING")], destination=destination)


def test_an_idle_poll_claims_again_only_after_a_commit_or_when_a_retry_falls_due(
        store: QueueStore, clock: Clock, monkeypatch: pytest.MonkeyPatch):
    """On a SQLite file a claim that found nothing is not repeated while nothing was committed
    and nothing fell due (qrfc/idle.py); on PostgreSQL every claim runs its transaction."""
    writes = Counter[str]()
    write = store.db.write

    def counted() -> Any:
        writes["claims"] += 1
        return write()

    enqueue(store, "Q1")
    with store.db.write() as conn:
        store.set_status(conn, "Q1", OUT, QueueStatus.CPICERR, "down", retries=1,
                         next_retry_at=START + timedelta(seconds=10))
    monkeypatch.setattr(store.db, "write", counted)
    skips = store.db.is_sqlite
    assert store.claim(OUT, "w1", LEASE) is None  # not due: found nothing
    assert store.claim(OUT, "w1", LEASE) is None
    assert writes["claims"] == (1 if skips else 2)  # nothing changed: no transaction

    clock.advance(timedelta(seconds=10))  # the retry falls due without any commit
    assert store.claim(OUT, "w1", LEASE) == "Q1"
    store.release("Q1", OUT, "w1")
    remove_head(store, "Q1")
    assert store.claim(OUT, "w1", LEASE) is None
    assert store.claim(OUT, "w1", LEASE) is None
    before = writes["claims"]
    other = Database(store.db.url, schema=store.db.schema)  # as another process would
    try:
        with other.write() as conn:
            QueueStore(other, clock).enqueue(
                conn, queue="Q2", direction=OUT, kind="RFC", tid=new_tid(),
                calls=[RfcCall("RFC_PING")], destination="ERP")
    finally:
        other.dispose()
    assert store.claim(OUT, "w1", LEASE) == "Q2"  # its commit is seen at the next poll
    assert writes["claims"] > before
