"""The ERP's outbound qRFC (its SMQ1): written with the LUW, sent after commit, exactly once.

Through the kernel's API (`CallContext.call_in_background_task`) on SQLite and PostgreSQL,
with a recording destination sharing the production `RfcConnection` interface.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.erp_stub import APPLICATIONS, ErpSystem
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.qrfc.sender import RetryPolicy
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import ABAPApplicationError, CommunicationError
from sapgw.types import RfcCall

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


class Receiver(RfcConnection):
    """CRM as the ERP's destination sees it: records each unit once per TID."""

    def __init__(self) -> None:
        self.units: dict[str, tuple[str | None, list[RfcCall]]] = {}
        self.down = False
        self.refuse: str = ""

    def connect(self) -> RfcConnection:
        return self

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        return {}

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> None:
        if self.down:
            raise CommunicationError("partner not reached", 1, "RFC_COMMUNICATION_FAILURE")
        if self.refuse:
            raise ABAPApplicationError(self.refuse, 5, "APPLICATION_ERROR", "CRM", "E", "001")
        self.units.setdefault(tid, (queue, calls))

    def _confirm(self, tid: str) -> None:
        pass

    def close(self) -> None:  # one object serves every connection of the test
        pass


@pytest.fixture
def clock() -> Clock:
    return Clock(frozen_at=START)


@pytest.fixture
def erp(database: Database, clock: Clock) -> ErpSystem:
    system = ErpSystem(database, APPLICATIONS, clock=clock)
    system.create_tables()
    return system


@pytest.fixture
def crm(erp: ErpSystem) -> Receiver:
    receiver = Receiver()
    erp.outbound.set_destination("CRM", receiver.connect,
                                 RetryPolicy(count=2, interval=10, backoff=2))
    return receiver


def send(erp: ErpSystem, queue: str, *values: str, commit: bool = True) -> Luw:
    """One LUW calling Z_DELTA once per value IN BACKGROUND TASK, committed or rolled back."""
    luw = Luw()
    ctx = CallContext(erp, luw)
    for value in values:
        ctx.call_in_background_task("Z_DELTA", destination="CRM", queue=queue, VALUE=value)
    if commit:
        ctx.commit()
    else:
        ctx.rollback()
    return luw


def queues(erp: ErpSystem) -> dict[str, dict[str, Any]]:
    from sapgw.qrfc.queries import queue_list

    return {q["name"]: q for q in queue_list(erp.db, erp.outbound.store.schema)}


def test_a_rolled_back_luw_sends_nothing(erp: ErpSystem, crm: Receiver):
    send(erp, "R3AD_CUSTOME1", "A", commit=False)
    erp.outbound.run_until_idle()

    assert crm.units == {}
    assert queues(erp) == {}


def test_a_committed_luw_is_one_unit_sent_once_in_order(erp: ErpSystem, crm: Receiver):
    send(erp, "R3AD_CUSTOME1", "A", "B")
    send(erp, "R3AD_CUSTOME1", "C")
    assert queues(erp)["R3AD_CUSTOME1"]["entries"] == 2  # in the database before sending

    erp.outbound.run_until_idle()
    erp.outbound.run_until_idle()

    sent = [(queue, [c.params["VALUE"] for c in calls]) for queue, calls in crm.units.values()]
    assert sent == [("R3AD_CUSTOME1", ["A", "B"]), ("R3AD_CUSTOME1", ["C"])]
    assert queues(erp) == {}


def test_a_sender_started_after_the_commit_finds_the_luw(database: Database, clock: Clock,
                                                         erp: ErpSystem):
    send(erp, "R3AD_CUSTOME2", "A")  # no destination yet: as if the process died now

    restarted = ErpSystem(database, APPLICATIONS, clock=clock)
    receiver = Receiver()
    restarted.outbound.set_destination("CRM", receiver.connect)
    restarted.outbound.run_until_idle()

    assert [q for q, _ in receiver.units.values()] == ["R3AD_CUSTOME2"]


def test_communication_error_is_cpicerr_retried_with_back_off(erp: ErpSystem, crm: Receiver,
                                                              clock: Clock):
    crm.down = True
    send(erp, "R3AD_CUSTOME3", "A")
    erp.outbound.run_until_idle()

    queue = queues(erp)["R3AD_CUSTOME3"]
    assert (queue["status"], queue["retries"]) == ("CPICERR", 1)
    assert "partner not reached" in queue["error"]
    assert queue["next_retry_at"].startswith("2026-11-22T12:00:10")

    clock.set(START + timedelta(seconds=11))
    erp.outbound.run_until_idle()
    assert queues(erp)["R3AD_CUSTOME3"]["retries"] == 2  # second retry 20 s later

    crm.down = False
    clock.set(START + timedelta(seconds=40))
    erp.outbound.run_until_idle()
    assert len(crm.units) == 1 and queues(erp) == {}


def test_application_error_is_sysfail_until_activated(erp: ErpSystem, crm: Receiver):
    crm.refuse = "Customer 100000 cannot be saved"
    send(erp, "R3AD_CUSTOME4", "A")
    send(erp, "R3AD_CUSTOME4", "B")
    erp.outbound.run_until_idle()
    queue = queues(erp)["R3AD_CUSTOME4"]
    assert (queue["status"], queue["entries"]) == ("SYSFAIL", 2)
    assert queue["error"] == "CRM 001 Customer 100000 cannot be saved"  # ID NUMBER text

    crm.refuse = ""
    erp.outbound.run_until_idle()
    assert crm.units == {}  # SYSFAIL waits for a person
    with erp.db.write() as conn:
        erp.outbound.store.activate(conn, "R3AD_CUSTOME4", "out")
    erp.outbound.run_until_idle()
    assert len(crm.units) == 2 and queues(erp) == {}


def test_an_unknown_destination_keeps_the_queue_in_cpicerr(erp: ErpSystem):
    send(erp, "R3AD_CUSTOME5", "A")
    erp.outbound.run_until_idle()

    queue = queues(erp)["R3AD_CUSTOME5"]
    assert queue["status"] == "CPICERR"
    assert queue["error"] == "RFC destination CRM does not exist in the ERP (SM59)"
