"""The kernel's one way to send: CALL FUNCTION ... IN BACKGROUND TASK, as qRFC (the ERP's QOUT).

An application calls

    ctx.call_in_background_task("BAPI_CRM_SAVE", destination="CRM",
                                queue="R3AD_CUSTOME0000100000", BAPISTRUCTURES=[...])

as ABAP calls TRFC_SET_QUEUE_NAME and then CALL FUNCTION ... IN BACKGROUND TASK DESTINATION.
Nothing is sent then: the calls of one LUW for one destination and queue become one unit
(one TID), written into TRFCQOUT by the update task, in the same database transaction as the
application's own changes (`Luw.finally_task`). A rolled-back LUW sends nothing; a committed
one is in the database before anyone is told, so a process that dies after the commit loses
nothing: a sender picks the LUW up when it (or another process) runs.

`build`, instead of parameters, computes them in the update task on the commit's connection
(after the LUW's other writes): how a BTE at save time sees the object as saved.

After the commit the QOUT scheduler is woken. It sends each queue's units in order through
the destination's `RfcConnection`; destinations are injected by whoever runs the ERP (the
gateway in one process, `sapgw erp serve` with an http destination), never imported. A
destination the ERP does not know is a communication error (CPICERR), retried like a
network failure, so units wait until it is configured.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.qout_tables import ERP_QUEUES
from sapgw.qrfc.sender import QueueRunner, RetryPolicy, UnitSender
from sapgw.qrfc.store import QueueStore
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import CommunicationError
from sapgw.rfc.units import is_queue_name
from sapgw.types import RfcCall, new_tid

log = logging.getLogger("sapgw.erp.qout")

Build = Callable[[Connection], dict[str, Any]]


class ErpOutbound:
    """The ERP's SMQ1 (TRFCQOUT/TRFCQSTATE), its destinations (SM59) and QOUT scheduler."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.store = QueueStore(db, clock, ERP_QUEUES)
        self._destinations: dict[str, tuple[Callable[[], RfcConnection], RetryPolicy]] = {}
        self._wakeup = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- SM59 ---------------------------------------------------------------------------
    def set_destination(self, name: str, connect: Callable[[], RfcConnection],
                        policy: RetryPolicy | None = None) -> None:
        """Define (or replace) an RFC destination: how to open a connection, how to retry."""
        self._destinations[name] = (connect, policy or RetryPolicy())
        self.wake()

    def destinations(self) -> list[str]:
        return sorted(self._destinations)

    def policy(self, name: str) -> RetryPolicy:
        entry = self._destinations.get(name)
        return entry[1] if entry else RetryPolicy()

    def _connect(self, _direction: str, name: str) -> RfcConnection:
        entry = self._destinations.get(name)
        if entry is None:
            raise CommunicationError(f"RFC destination {name} does not exist in the ERP "
                                     "(SM59)", 1, "RFC_COMMUNICATION_FAILURE")
        return entry[0]()

    # -- writing (the application's side) -----------------------------------------------
    def call_in_background_task(self, luw: Luw, function: str, destination: str, queue: str,
                                params: dict[str, Any], build: Build | None = None) -> None:
        """Register a call for the unit of (destination, queue) of this LUW; see the module."""
        if not destination:
            raise ValueError("CALL FUNCTION ... IN BACKGROUND TASK needs a destination")
        if not is_queue_name(queue):
            raise ValueError(f"queue name {queue!r} is not 1-24 printable characters "
                             "without * & % /")
        units: dict[tuple[str, str], list[RfcCall]] = luw.background
        key = (destination, queue)
        if key not in units:
            units[key] = []
            luw.finally_task(lambda conn: self._write(conn, destination, queue, units))
            luw.after_commit.append(self.wake)
        calls = units[key]
        if build is None:
            calls.append(RfcCall(function.upper(), dict(params)))
        else:  # resolved in the update task, in call order among the LUW's other writes
            luw.task(lambda conn: calls.append(RfcCall(function.upper(), build(conn))))

    def _write(self, conn: Connection, destination: str, queue: str,
               units: dict[tuple[str, str], list[RfcCall]]) -> None:
        calls = units.pop((destination, queue), [])
        if calls:
            self.store.enqueue(conn, queue=queue, direction="out", kind="RFC", tid=new_tid(),
                               calls=calls, destination=destination)

    # -- the QOUT scheduler ---------------------------------------------------------------
    def runner(self, stopping: threading.Event | None = None) -> QueueRunner:
        """A sender of this system's queues (each thread or test its own)."""
        sender = UnitSender(self.store, self._connect, self.policy)
        return QueueRunner(self.store, sender, stopping=stopping)

    def wake(self) -> None:
        self._wakeup.set()

    def run_until_idle(self, timeout: float = 60.0) -> None:
        """Send until no queue can run now (tests; the gateway's `run_until_idle`)."""
        runner = self.runner()
        try:
            runner.run_until_idle("out", timeout)
        finally:
            runner.close()

    def start(self, poll_interval: float = 0.5) -> None:
        """Run the QOUT scheduler in a thread: woken after commits, polling for retries."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(poll_interval,),
                                        daemon=True, name="sapgw-erp-qout")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self, poll_interval: float) -> None:
        runner = self.runner(stopping=self._stop)
        try:
            while not self._stop.is_set():
                self._wakeup.clear()
                try:
                    busy = True
                    while busy and not self._stop.is_set():  # until no queue can run now
                        busy = runner.run_once("out")
                except Exception:  # keep the scheduler alive; the failure is in the log
                    log.exception("the ERP's QOUT scheduler failed; retrying")
                self._wakeup.wait(poll_interval)
        finally:
            runner.close()
