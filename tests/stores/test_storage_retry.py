"""Transient storage errors are retried per transaction; after the last try nothing is lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, Table, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from sapgw import db as db_module
from sapgw.clock import Clock
from sapgw.db import Database, RetryPolicy, StorageUnavailable, is_transient, retrying
from sapgw.erp_stub.fi.tables import BKPF
from sapgw.erp_stub.kernel.system import ARFCRSTATE
from sapgw.gateway.queues import worker as worker_module
from sapgw.gateway.runtime import Gateway
from tests.stores.processes import fund_posting, fund_usage, queue_rows, trade_promotion

LOCKED = sqlite3.OperationalError("database is locked")


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off delays asked for, without waiting."""
    asked: list[float] = []
    monkeypatch.setattr(db_module, "_sleep", asked.append)
    return asked


class Flaky:
    """Fails with `error` the first `failures` calls, then answers `result`."""

    def __init__(self, failures: int, error: Exception, result: object = "done") -> None:
        self.failures, self.error, self.result, self.calls = failures, error, result, 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return self.result


def test_a_transient_error_is_retried_with_exponential_back_off(sleeps: list[float]):
    work = Flaky(3, LOCKED)
    assert retrying(work) == "done"
    assert work.calls == 4
    assert sleeps == pytest.approx([0.05, 0.1, 0.2])


def test_after_the_last_try_the_error_is_storage_unavailable(sleeps: list[float]):
    work = Flaky(99, LOCKED)
    with pytest.raises(StorageUnavailable, match="after 5 tries") as raised:
        retrying(work)
    assert work.calls == 5 and len(sleeps) == 4
    assert raised.value.__cause__ is LOCKED
    with pytest.raises(StorageUnavailable):
        retrying(Flaky(99, LOCKED), RetryPolicy(tries=2, first_delay=1.0, factor=3.0))
    assert sleeps[-1] == 1.0


def test_other_errors_are_not_retried(sleeps: list[float]):
    work = Flaky(1, ValueError("bad data"))
    with pytest.raises(ValueError):
        retrying(work)
    assert work.calls == 1 and sleeps == []


def test_what_counts_as_transient():
    wrapped = OperationalError("BEGIN IMMEDIATE", {}, LOCKED)
    assert is_transient(LOCKED) and is_transient(wrapped)
    assert is_transient(psycopg.errors.SerializationFailure("could not serialize"))
    assert is_transient(psycopg.errors.DeadlockDetected("deadlock detected"))
    assert is_transient(psycopg.errors.AdminShutdown("terminating connection"))
    assert is_transient(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert not is_transient(sqlite3.OperationalError("no such table: X"))
    assert not is_transient(IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE")))
    assert not is_transient(psycopg.errors.UniqueViolation("duplicate key"))
    assert not is_transient(ValueError("database is locked"))


def test_write_retrying_commits_only_the_successful_try(database: Database,
                                                        sleeps: list[float]):
    metadata = MetaData()
    table = Table("retry_probe", metadata, Column("n", Integer))
    database.create_all(metadata)
    tries = Flaky(2, LOCKED)

    def work(conn: Connection) -> int:
        conn.execute(table.insert().values(n=1))
        tries()  # fails after the insert: that try must leave nothing behind
        return 7

    assert database.write_retrying(work) == 7
    with database.read() as conn:
        assert conn.execute(select(func.count()).select_from(table)).scalar() == 1
    assert len(sleeps) == 2


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with Gateway.in_memory(Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))) as gw:
        gw.send("CRM_MKTPL", trade_promotion())
        gw.send("CRM_FM_FU", fund_usage("1791"))
        gw.run_until_idle()
        yield gw


def erp_counts(gw: Gateway) -> tuple[int, int]:
    """(BKPF documents, ARFCRSTATE TIDs) in the ERP."""
    erp = gw.destinations.local_system("ERP")
    with erp.db.read() as conn:
        return tuple(int(conn.execute(select(func.count()).select_from(t.__table__)).scalar()
                         or 0) for t in (BKPF, ARFCRSTATE))  # type: ignore[return-value]


def test_a_locked_flow_batch_is_retried(gateway: Gateway, sleeps: list[float],
                                        monkeypatch: pytest.MonkeyPatch):
    real = gateway.flow.run
    flaky = Flaky(2, LOCKED)
    monkeypatch.setattr(gateway.flow, "run", lambda conn, ids: flaky() and real(conn, ids))
    gateway.send("CRM_FM_FPO", fund_posting("FPO1", "1791"))
    gateway.run_until_idle()
    assert {b["state"] for b in gateway.bdocs_list()["items"]} == {"F04"}
    assert flaky.calls == 3 and len(sleeps) == 2


def test_a_flow_that_never_gets_the_lock_leaves_its_queue_as_it_was(
        gateway: Gateway, sleeps: list[float], monkeypatch: pytest.MonkeyPatch):
    real = gateway.flow.run
    monkeypatch.setattr(gateway.flow, "run", Flaky(99, LOCKED))
    bdoc_id = gateway.send("CRM_FM_FPO", fund_posting("FPO1", "1791"))["bdoc_id"]
    with pytest.raises(StorageUnavailable):
        gateway.run_until_idle()
    assert gateway.bdoc(bdoc_id)["state"] == "I01"  # not E01: nothing was wrong with it
    [queue] = queue_rows(gateway)
    assert (queue["status"], queue["claimed_by"]) == ("READY", "")
    monkeypatch.setattr(gateway.flow, "run", real)  # the database is back
    gateway.run_until_idle()
    assert gateway.bdoc(bdoc_id)["state"] == "F04"


def test_a_completion_that_fails_is_sent_again_and_executed_once(
        gateway: Gateway, sleeps: list[float], monkeypatch: pytest.MonkeyPatch):
    real = worker_module.set_receivers
    monkeypatch.setattr(worker_module, "set_receivers", Flaky(99, LOCKED))
    ids = [gateway.send("CRM_FM_FPO", fund_posting(f"FPO{i}", "1791"))["bdoc_id"]
           for i in range(3)]
    before = erp_counts(gateway)
    with pytest.raises(StorageUnavailable):
        gateway.run_until_idle()
    assert erp_counts(gateway) == (before[0] + 3, before[1] + 3)  # executed in the ERP
    assert {gateway.bdoc(i)["state"] for i in ids} != {"F04"}  # but not completed
    monkeypatch.setattr(worker_module, "set_receivers", real)
    gateway.run_until_idle()
    assert {gateway.bdoc(i)["state"] for i in ids} == {"F04"}
    assert erp_counts(gateway) == (before[0] + 3, before[1] + 3)  # the resend ran nothing
    assert queue_rows(gateway) == []
