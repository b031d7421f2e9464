"""Sending a queue's units to their destination, exactly once and in order (the QOUT side).

`UnitSender.send` takes the head LUWs of a claimed queue, submits them in order with their
TIDs and queue name through an `RfcConnection`, and removes the executed ones in one
transaction before confirming their TIDs. A crash before that transaction sends them again
with the same TIDs, which the receiver acknowledges without running them twice.

A retryable error (`CommunicationError`, a logon failure: `RFCError.retryable`) leaves the
queue CPICERR with the next retry time from the destination's `RetryPolicy` (SMQS / SM59:
count, interval, back-off); once the retries are used up it waits for a person to activate
it. Any other error is the application's: SYSFAIL with the receiver's message, until activated.

`SenderHooks` let a system add its own bookkeeping to the same transactions (the gateway
updates BDoc receivers and logs); `QueueRunner` is the whole scheduler step for a system whose
queues hold only units (the ERP's SMQ1).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from sapgw.db import retry_storage
from sapgw.qrfc.schema import Luw
from sapgw.qrfc.status import QueueStatus
from sapgw.qrfc.store import QueueStore
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError
from sapgw.rfc.message_line import TextLookup, exception_line, t100_text

log = logging.getLogger("sapgw.qrfc")

BATCH_SIZE = 50  # LUWs of one queue read, sent and recorded together
LEASE_SECONDS = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    """How a destination's communication errors are retried (SMQS/SM59), as data."""

    count: int = 10
    interval: float = 5.0
    backoff: float = 2.0
    max_runtime: float = 60.0  # seconds one run of a queue may take (SMQS Max.Time)

    def next_retry(self, retries: int, now: datetime) -> tuple[datetime | None, str]:
        """When the `retries`-th retry is due (None: used up), and a note saying so."""
        if retries <= self.count:
            at = now + timedelta(seconds=self.interval * self.backoff ** (retries - 1))
            return at, f"retry {retries} of {self.count} at {at:%H:%M:%S}"
        return None, f"{self.count} retries used up; activate the queue to try again"


class SenderHooks:
    """A system's own bookkeeping, each in the transaction of the queue change it follows."""

    def completed(self, conn: Connection, luws: list[Luw]) -> None:
        """The units ran at the receiver and leave the queue."""

    def communication_error(self, conn: Connection, luw: Luw, text: str, note: str) -> None:
        """The queue went CPICERR at `luw`; `note` says when it is retried."""

    def application_error(self, conn: Connection, luw: Luw, exc: Exception, text: str) -> None:
        """The queue went SYSFAIL at `luw`."""

    def timed(self, seconds: float, outcome: str) -> None:
        """One LUW's time and outcome (executed, cpicerr, sysfail), e.g. for /metrics."""


Connect = Callable[[str, str], RfcConnection]  # (direction, destination) -> connection


class UnitSender:
    def __init__(self, store: QueueStore, connect: Connect,
                 policy: Callable[[str], RetryPolicy], hooks: SenderHooks | None = None) -> None:
        self.store = store
        self.connect = connect
        self.policy = policy
        self.hooks = hooks or SenderHooks()
        self._connections: dict[tuple[str, str], RfcConnection] = {}
        self._texts: dict[tuple[str, str, str], str | None] = {}

    def send(self, batch: list[Luw]) -> bool:
        """Send the batch's units in order; True when all ran (the queue may go on)."""
        key = (batch[0].direction, batch[0].destination)
        started = time.monotonic()
        connection: RfcConnection | None = None
        try:
            connection = self._connection(key)
            done, failure = connection.submit_units(
                [(luw.tid, luw.calls, luw.queue) for luw in batch])
        except Exception as exc:  # the destination could not even be asked
            done, failure = 0, exc
        each = (time.monotonic() - started) / (done + (failure is not None) or 1)
        executed = batch[:done]
        for _ in executed:
            self.hooks.timed(each, "executed")
        if executed and connection is not None:
            self._complete(executed)
            for luw in executed:
                try:
                    connection.confirm_unit({"id": luw.tid, "background": False,
                                             "queued": True})
                except RFCError:
                    log.warning("confirming TID %s failed; the receiver keeps it until "
                                "reorganised", luw.tid)
        if failure is None:
            return True
        luw = batch[done]
        if not isinstance(failure, RFCError):
            log.error("unit %s of queue %s failed: %r", luw.tid, luw.queue, failure)
        self._drop_connection(key)
        if isinstance(failure, RFCError) and failure.retryable:
            self.hooks.timed(each, "cpicerr")
            self._communication_error(luw, failure)
        else:
            self.hooks.timed(each, "sysfail")
            self._application_error(luw, failure)
        return False

    def close(self) -> None:
        """Close the connections kept open to the destinations."""
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def _connection(self, key: tuple[str, str]) -> RfcConnection:
        connection = self._connections.get(key)
        if connection is None:
            connection = self.connect(*key)
            self._connections[key] = connection
        return connection

    def _t100(self, luw: Luw, msg_class: str, number: str) -> str | None:
        """The receiver's T100 text of a message it named only by class and number (pyrfc's
        `ID:SV Type:E Number:029 NOPE`), asked once per receiver and message."""
        key = (luw.destination, msg_class, number)
        if key not in self._texts:
            try:
                connection = self.connect(luw.direction, luw.destination)
            except Exception:  # no text then: the message keeps its class and number
                log.debug("no T100 look-up at %s", luw.destination, exc_info=True)
                return None
            try:
                self._texts[key] = t100_text(connection, msg_class, number)
            finally:
                connection.close()
        return self._texts[key]

    def _drop_connection(self, key: tuple[str, str]) -> None:
        """Forget a connection after a failure, closing it (a partner's session, a pyrfc
        logon) so the next unit opens a fresh one."""
        connection = self._connections.pop(key, None)
        if connection is not None:
            try:
                connection.close()
            except Exception:  # it failed already; closing is only tidying up
                log.debug("closing the connection to %s failed", key[1], exc_info=True)

    @retry_storage()
    def _complete(self, luws: list[Luw]) -> None:
        """One transaction: the LUWs leave the queue, its retries start again, hooks follow."""
        first = luws[0]
        with self.store.db.write() as conn:
            self.store.remove_many(conn, luws)
            self.store.set_status(conn, first.queue, first.direction, QueueStatus.RUNNING,
                                  retries=0, next_retry_at=None)
            self.hooks.completed(conn, luws)

    def _communication_error(self, luw: Luw, exc: RFCError) -> None:
        policy = self.policy(luw.destination)
        text = error_text(exc)
        with self.store.db.write() as conn:
            status = self.store.status(conn, luw.queue, luw.direction) or {}
            retries = int(status.get("retries") or 0) + 1
            next_at, note = policy.next_retry(retries, self.store.now())
            self.store.set_status(conn, luw.queue, luw.direction, QueueStatus.CPICERR, text,
                                  retries=retries, next_retry_at=next_at)
            self.hooks.communication_error(conn, luw, text, note)

    def _application_error(self, luw: Luw, exc: Exception) -> None:
        text = error_text(exc, lambda cls, number: self._t100(luw, cls, number))
        with self.store.db.write() as conn:
            self.store.set_status(conn, luw.queue, luw.direction, QueueStatus.SYSFAIL, text)
            self.hooks.application_error(conn, luw, exc, text)


def error_text(exc: Exception, lookup: TextLookup | None = None) -> str:
    """The receiver's most specific message as `ID NUMBER text` (container messages such as
    RW 609 skipped, `sapgw.rfc.message_line`), else the exception."""
    return exception_line(exc, lookup)


class QueueRunner:
    """One scheduler step for queues that hold only units: claim, send in order, release."""

    def __init__(self, store: QueueStore, sender: UnitSender,
                 max_connections: Callable[[], dict[str, int]] = dict,
                 owner: str | None = None, lease_seconds: float = LEASE_SECONDS,
                 stopping: threading.Event | None = None) -> None:
        self.store = store
        self.sender = sender
        self.max_connections = max_connections
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.lease_seconds = lease_seconds
        self.stopping = stopping or threading.Event()

    def run_once(self, direction: str = "out") -> bool:
        """Claim one queue and work it off; False when nothing could be claimed."""
        name = self.store.claim(direction, self.owner, self.lease_seconds,
                                self.max_connections())
        if name is None:
            return False
        try:
            self._work(name, direction)
        finally:
            self.store.release(name, direction, self.owner)
        return True

    def run_until_idle(self, direction: str = "out", timeout: float = 60.0) -> None:
        """Work until no queue can run now (tests, `sapgw erp smq1 --run`)."""
        deadline = time.monotonic() + timeout
        while self.run_once(direction) or self.store.runnable_exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the queues were still busy after {timeout} s")

    def _work(self, name: str, direction: str) -> None:
        started = time.monotonic()
        limit = LEASE_SECONDS
        while time.monotonic() - started < limit and not self.stopping.is_set():
            with self.store.db.read() as conn:
                batch = self.store.heads(conn, name, direction, BATCH_SIZE)
            if not batch:
                return
            limit = self.sender.policy(batch[0].destination).max_runtime
            if not self.sender.send(batch):
                return
            self.store.renew(name, direction, self.owner, self.lease_seconds)

    def close(self) -> None:
        self.sender.close()
