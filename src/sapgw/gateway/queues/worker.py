"""The schedulers' worker: run a claimed queue's LUWs in order, exactly once each.

For each head LUW: check its dependencies (WAITING), execute it (a BDoc flow, or a unit on
the destination with the LUW's TID), then complete it in one gateway transaction and confirm
the TID. A communication error leaves the queue CPICERR with the next retry time from the
destination's settings; an application error leaves it SYSFAIL until a person acts.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta

from sapgw.bdoc.states import TRANSITIONS, BDocState
from sapgw.db import Database
from sapgw.gateway.flow.engine import FlowEngine
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.queues.store import Luw, QueueStore
from sapgw.gateway.rfc.destinations import Destinations
from sapgw.gateway.store.bdocs import BDocStore, LogEntry
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError, RFCLibError

log = logging.getLogger("sapgw.queues")

LEASE_SECONDS = 60.0
FLOW_TIME_SLICE = 5.0


class QueueWorker:
    def __init__(self, queues: QueueStore, bdocs: BDocStore, flow: FlowEngine,
                 destinations: Destinations, on_outbound: Callable[[], None] = lambda: None,
                 owner: str | None = None) -> None:
        self.queues = queues
        self.bdocs = bdocs
        self.flow = flow
        self.destinations = destinations
        self.on_outbound = on_outbound
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._connections: dict[str, RfcConnection] = {}

    @property
    def db(self) -> Database:
        return self.queues.db

    def run_once(self, direction: str) -> bool:
        """Claim one queue and work it off; False when nothing could be claimed."""
        name = self.queues.claim(direction, self.owner, LEASE_SECONDS)
        if name is None:
            return False
        try:
            self._work(name, direction)
        finally:
            self.queues.release(name, direction, self.owner)
        return True

    def _work(self, name: str, direction: str) -> None:
        slice_seconds = FLOW_TIME_SLICE
        started = time.monotonic()
        while time.monotonic() - started < slice_seconds:
            with self.db.read() as conn:
                luw = self.queues.head(conn, name, direction)
                blocker = self.queues.blocked_by(conn, luw) if luw else None
            if luw is None:
                return
            if blocker:
                with self.db.write() as conn:
                    self.queues.set_status(conn, name, direction, QueueStatus.WAITING,
                                           waiting_on=blocker)
                return
            if luw.kind == "FLOW":
                if not self._run_flow(luw):
                    return
            else:
                slice_seconds = self.destinations.settings_of(luw.destination).max_runtime
                if not self._run_unit(luw):
                    return
            self.queues.renew(name, direction, self.owner, LEASE_SECONDS)

    # -- a BDoc flow (inbound queue) ----------------------------------------------------------
    def _run_flow(self, luw: Luw) -> bool:
        try:
            with self.db.write() as conn:
                outbound = self.flow.run(conn, luw.bdoc_id)
                self.queues.remove(conn, luw)
        except Exception as exc:  # any failure of the flow stops its queue, visibly
            log.exception("flow of BDoc %s failed", luw.bdoc_id)
            self._technical_error(luw, exc)
            return False
        if outbound:
            self.on_outbound()
        return True

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

    # -- a unit for a destination (outbound queue) --------------------------------------------
    def _run_unit(self, luw: Luw) -> bool:
        unit = {"id": luw.tid, "background": False, "queued": True}
        try:
            connection = self._connection(luw.destination)
            connection.fill_and_submit_unit(unit, [(c.function, c.params) for c in luw.calls],
                                            queue_names=[luw.queue])
        except RFCError as exc:
            self._connections.pop(luw.destination, None)
            if exc.retryable:
                self._communication_error(luw, exc)
            else:
                self._application_error(luw, exc)
            return False
        except Exception as exc:  # a defect, not a partner's answer: stop the queue visibly
            log.exception("unit %s of queue %s failed", luw.tid, luw.queue)
            self._connections.pop(luw.destination, None)
            self._application_error(luw, exc)
            return False
        self._complete(luw)
        try:
            connection.confirm_unit(unit)
        except RFCError:
            log.warning("confirming TID %s failed; the receiver keeps it until reorganised",
                        luw.tid)
        return True

    def close(self) -> None:
        """Close the connections this worker keeps open to its destinations."""
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def _connection(self, destination: str) -> RfcConnection:
        connection = self._connections.get(destination)
        if connection is None:
            connection = self.destinations.connect(destination)
            self._connections[destination] = connection
        return connection

    def _complete(self, luw: Luw) -> None:
        with self.db.write() as conn:
            self.queues.remove(conn, luw)
            self.queues.set_status(conn, luw.queue, luw.direction, QueueStatus.RUNNING,
                                   retries=0, next_retry_at=None)
            if luw.bdoc_id:
                self.bdocs.set_receiver(conn, luw.bdoc_id, luw.site, "CONFIRMED")
                new = self.bdocs.state_from_receivers(conn, luw.bdoc_id)
                self.bdocs.change_state(conn, luw.bdoc_id, new, LogEntry(
                    "QOUT", f"Site {luw.site}: LUW {luw.tid} executed in queue {luw.queue}",
                    "S"), error="" if not new.error else None)

    def _communication_error(self, luw: Luw, exc: RFCError) -> None:
        dest = self.destinations.settings_of(luw.destination)
        text = _message(exc)
        with self.db.write() as conn:
            status = self.queues.status(conn, luw.queue, luw.direction) or {}
            retries = int(status.get("retries") or 0) + 1
            if retries <= dest.retry_count:
                delay = dest.retry_interval * dest.retry_backoff ** (retries - 1)
                next_at = self.queues.now() + timedelta(seconds=delay)
                note = f"retry {retries} of {dest.retry_count} at {next_at:%H:%M:%S}"
            else:
                next_at = None
                note = f"{dest.retry_count} retries used up; activate the queue to try again"
            self.queues.set_status(conn, luw.queue, luw.direction, QueueStatus.CPICERR, text,
                                   retries=retries, next_retry_at=next_at)
            if luw.bdoc_id:
                self.bdocs.log(conn, luw.bdoc_id, LogEntry(
                    "QOUT", f"Communication error with destination {luw.destination}: "
                            f"{text}; {note}", "W"))

    def _application_error(self, luw: Luw, exc: Exception) -> None:
        text = _message(exc)
        with self.db.write() as conn:
            self.queues.set_status(conn, luw.queue, luw.direction, QueueStatus.SYSFAIL, text)
            if not luw.bdoc_id:
                return
            self.bdocs.set_receiver(conn, luw.bdoc_id, luw.site, "ERROR", text)
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


def _message(exc: Exception) -> str:
    if isinstance(exc, RFCLibError) and exc.message:
        return str(exc.message)
    return f"{type(exc).__name__}: {exc}"

