"""The schedulers' worker: run a claimed queue's LUWs in order, exactly once each.

It reads the queue's head LUWs in batches, up to the first one whose dependency still holds
an older LUW (WAITING). Flows run together in one transaction; units go to the destination
in order with their TIDs, and the executed ones are completed in one gateway transaction,
then their TIDs confirmed. A communication error leaves the queue CPICERR with the next retry
time from the destination's settings; an application error leaves it SYSFAIL until a person
acts.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from sqlalchemy import Connection

from sapgw.bdoc.states import TRANSITIONS, BDocState
from sapgw.db import Database, StorageUnavailable, retry_storage
from sapgw.gateway.flow.engine import FlowEngine
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.queues.store import Luw, QueueStore
from sapgw.gateway.rfc.destinations import Destinations
from sapgw.gateway.store.bdocs import (
    BDocChanges,
    BDocStore,
    LogEntry,
    receiver_states_of,
    set_receivers,
    state_from_receiver_states,
    states_of,
)
from sapgw.qrfc.sender import SenderHooks, UnitSender
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.injected import fault_in

log = logging.getLogger("sapgw.queues")

LEASE_SECONDS = 60.0
FLOW_TIME_SLICE = 5.0
BATCH_SIZE = 50  # LUWs of one queue read, run and recorded together (as qrfc.sender)


class QueueWorker:
    def __init__(self, queues: QueueStore, bdocs: BDocStore, flow: FlowEngine,
                 destinations: Destinations, on_outbound: Callable[[], None] = lambda: None,
                 owner: str | None = None,
                 on_luw: Callable[[float, str], None] = lambda seconds, outcome: None,
                 lease_seconds: float = LEASE_SECONDS,
                 stopping: threading.Event | None = None,
                 inbound: Callable[[], RfcConnection] | None = None) -> None:
        self.queues = queues
        self.bdocs = bdocs
        self.flow = flow
        self.destinations = destinations
        self.on_outbound = on_outbound
        self.on_luw = on_luw  # (seconds, outcome executed|sysfail|cpicerr), e.g. for /metrics
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.lease_seconds = lease_seconds
        self.stopping = stopping or threading.Event()  # set: finish the batch, release
        # Opens what inbound units (SMQ2, kind RFC) run on: the gateway's served RFC layer,
        # so they reach gateway functions too. Without it they go to their destination.
        self.inbound = inbound
        self.sender = UnitSender(queues, self._connect, destinations.policy,
                                 _BDocBookkeeping(self))

    @property
    def db(self) -> Database:
        return self.queues.db

    def run_once(self, direction: str) -> bool:
        """Claim one queue and work it off; False when nothing could be claimed."""
        limits = {name: dest.max_connections
                  for name, dest in self.destinations.settings.destinations.items()}
        name = self.queues.claim(direction, self.owner, self.lease_seconds, limits)
        if name is None:
            return False
        try:
            self._work(name, direction)
        finally:
            self.queues.release(name, direction, self.owner)
        return True

    def _work(self, name: str, direction: str) -> None:
        """Work the queue's LUWs in order, a batch at a time, until empty or the slice ends."""
        slice_seconds = FLOW_TIME_SLICE
        started = time.monotonic()
        while time.monotonic() - started < slice_seconds and not self.stopping.is_set():
            with self.db.read() as conn:
                batch, blocker = self._runnable_batch(conn, name, direction)
            if blocker and not batch:
                with self.db.write() as conn:
                    self.queues.set_status(conn, name, direction, QueueStatus.WAITING,
                                           waiting_on=blocker)
            if not batch:
                return
            if batch[0].kind == "FLOW":
                if not self._run_flows(batch):
                    return
            else:
                slice_seconds = self.destinations.settings_of(batch[0].destination).max_runtime
                if not self._run_units(batch):
                    return
            self.queues.renew(name, direction, self.owner, self.lease_seconds)

    def _runnable_batch(self, conn: Connection, name: str, direction: str
                        ) -> tuple[list[Luw], str | None]:
        """The head LUWs up to the first that must wait, and the queue that one waits for."""
        batch: list[Luw] = []
        first_ids: dict[str, int | None] = {}
        for luw in self.queues.heads(conn, name, direction, BATCH_SIZE):
            if batch and luw.kind != batch[0].kind:
                break
            blocker = self.queues.blocked_by(conn, luw, first_ids) if luw.wait_for else None
            if blocker:
                return batch, blocker
            batch.append(luw)
        return batch, None

    # -- BDoc flows (inbound queue) -------------------------------------------------------------
    def _run_flows(self, batch: list[Luw]) -> bool:
        """Run a batch of flows in one transaction; on failure, one by one to find the culprit."""
        try:
            outbound = self._flow_batch(batch)
        except StorageUnavailable:  # not the flow's fault: the lease lapses, a retry follows
            raise
        except Exception as exc:  # any failure of a flow stops its queue, visibly
            if len(batch) > 1:
                return all(self._run_flows([luw]) for luw in batch)
            log.exception("flow of BDoc %s failed", batch[0].bdoc_id)
            self._technical_error(batch[0], exc)
            return False
        if outbound:
            self.on_outbound()
        return True

    @retry_storage()
    def _flow_batch(self, batch: list[Luw]) -> list[str]:
        """One transaction: the flows run and their LUWs leave the queue."""
        with self.db.write() as conn:
            outbound = self.flow.run(conn, [luw.bdoc_id for luw in batch])
            self.queues.remove_many(conn, batch)
        return outbound

    def _technical_error(self, luw: Luw, exc: Exception) -> None:
        text = f"{type(exc).__name__}: {exc}"
        with self.db.write() as conn:
            self.queues.set_status(conn, luw.queue, luw.direction, QueueStatus.SYSFAIL, text)
            if luw.bdoc_id:
                state = self.bdocs.state(conn, luw.bdoc_id)
                entry = LogEntry("QUEUE", f"Technical error in queue {luw.queue}: {text}", "E")
                if BDocState.E01 in TRANSITIONS[state]:
                    self.bdocs.change_state(conn, luw.bdoc_id, BDocState.E01, entry, error=text)
                else:
                    self.bdocs.log(conn, luw.bdoc_id, entry)

    # -- units for a destination (outbound queue) ---------------------------------------------
    def _run_units(self, batch: list[Luw]) -> bool:
        """Send the batch's units in order (`sapgw.qrfc.sender`); the BDocs follow in the
        same transactions (`_BDocBookkeeping`)."""
        return self.sender.send(batch)

    def close(self) -> None:
        """Close the connections this worker keeps open to its destinations."""
        self.sender.close()

    def _connect(self, direction: str, destination: str) -> RfcConnection:
        if direction == "in" and self.inbound:
            return self.inbound()
        return self.destinations.connect(destination)


class _BDocBookkeeping(SenderHooks):
    """The gateway's part of sending a unit: receivers, BDoc states and log lines."""

    def __init__(self, worker: QueueWorker) -> None:
        self.worker = worker
        self.bdocs = worker.bdocs

    def timed(self, seconds: float, outcome: str) -> None:
        self.worker.on_luw(seconds, outcome)

    def completed(self, conn: Connection, luws: list[Luw]) -> None:
        """Receivers confirmed, BDoc states follow (in the transaction removing the LUWs)."""
        ids = [luw.bdoc_id for luw in luws if luw.bdoc_id]
        if not ids:
            return
        now = self.bdocs.now()
        set_receivers(conn, [(luw.bdoc_id, luw.site, "CONFIRMED", "") for luw in luws
                             if luw.bdoc_id], now)
        receivers = receiver_states_of(conn, ids)
        changes = BDocChanges(now, states_of(conn, ids))
        for luw in luws:
            if not luw.bdoc_id:
                continue
            new = state_from_receiver_states(receivers[luw.bdoc_id])
            changes.change(luw.bdoc_id, new, LogEntry(
                "QOUT", f"Site {luw.site}: LUW {luw.tid} executed in queue {luw.queue}",
                "S"), error="" if not new.error else None)
        changes.flush(conn)

    def communication_error(self, conn: Connection, luw: Luw, text: str, note: str) -> None:
        if luw.bdoc_id:
            self._injected(conn, luw, text)
            self.bdocs.log(conn, luw.bdoc_id, LogEntry(
                "QOUT", f"Communication error with destination {luw.destination}: "
                        f"{text}; {note}", "W"))

    def _injected(self, conn: Connection, luw: Luw, text: str) -> None:
        """A failure injection rule's doing: said in a log line of its own (docs/FAULTS.md)."""
        fault = fault_in(text)
        if fault:
            self.bdocs.log(conn, luw.bdoc_id, LogEntry(
                "FAULT", f"Injected fault {fault} (failure injection, sapgw fault list): the "
                         f"next error is a test's, not the receiver's", "W"))

    def application_error(self, conn: Connection, luw: Luw, exc: Exception, text: str) -> None:
        if not luw.bdoc_id:
            return
        self.bdocs.set_receiver(conn, luw.bdoc_id, luw.site, "ERROR", text)
        self._injected(conn, luw, text)
        messages = getattr(exc, "messages", None) or []
        for row in messages:
            self.bdocs.log(conn, luw.bdoc_id, LogEntry(
                "QOUT", str(row.get("MESSAGE", "")), str(row.get("TYPE", "E")),
                str(row.get("ID", "")), str(row.get("NUMBER", ""))))
        new = self.bdocs.state_from_receivers(conn, luw.bdoc_id)
        self.bdocs.change_state(conn, luw.bdoc_id, new, LogEntry(
            "QOUT", f"Site {luw.site}: queue {luw.queue} in SYSFAIL: {text}", "E",
            getattr(exc, "msg_class", "") or "", getattr(exc, "msg_number", "") or ""),
            error=text)


