"""The QIN and QOUT schedulers (SMQR/SMQS): worker threads woken by new work.

Each direction has a thread that works queues until none can be claimed, then sleeps until
woken (a BDoc arrived, a flow queued outbound LUWs) or until the poll interval passes, which
is also how due CPICERR retries are picked up. With a `Notifier` (PostgreSQL), a wake-up also
reaches the schedulers of every other process (`sapgw worker`, `sapgw serve`) through
LISTEN/NOTIFY. On SQLite an idle poll finds out that nothing was committed and nothing fell
due without a transaction (`sapgw.qrfc.idle`), so waiting costs the server next to nothing.
APScheduler runs the periodic housekeeping.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from sapgw.gateway.queues.notify import Notifier
from sapgw.gateway.queues.worker import QueueWorker

log = logging.getLogger("sapgw.scheduler")

DIRECTIONS = ("in", "out")


class Schedulers:
    def __init__(self, make_worker: Callable[[], QueueWorker], poll_interval: float,
                 notifier: Notifier | None = None) -> None:
        self.make_worker = make_worker
        self.poll_interval = poll_interval
        self.notifier = notifier
        self.wakeups = {d: threading.Event() for d in DIRECTIONS}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.housekeeping = BackgroundScheduler(daemon=True)

    def wake(self, direction: str) -> None:
        """New committed work for `direction`: wake this process and, by NOTIFY, the others."""
        self.wakeups[direction].set()
        if self.notifier is not None:
            self.notifier.notify(direction)

    @property
    def stopping(self) -> threading.Event:
        """Set by `stop`: workers end their queue after the current batch."""
        return self._stop

    def start(self, jobs: list[tuple[Callable[[], object], float]] = ()) -> None:
        for direction in DIRECTIONS:
            thread = threading.Thread(target=self._loop, args=(direction,), daemon=True,
                                      name=f"sapgw-q{direction}")
            thread.start()
            self._threads.append(thread)
        if self.notifier is not None:
            self.notifier.listen(lambda direction: self.wakeups[direction].set())
        for job, seconds in jobs:
            self.housekeeping.add_job(job, "interval", seconds=seconds, max_instances=1,
                                      coalesce=True)
        self.housekeeping.start()

    def stop(self) -> None:
        self._stop.set()
        for event in self.wakeups.values():
            event.set()
        for thread in self._threads:
            thread.join(timeout=10)
        if self.housekeeping.running:
            self.housekeeping.shutdown(wait=False)

    def _loop(self, direction: str) -> None:
        worker = self.make_worker()
        wakeup = self.wakeups[direction]
        try:
            while not self._stop.is_set():
                wakeup.clear()
                try:
                    busy = True
                    while busy and not self._stop.is_set():
                        busy = worker.run_once(direction)
                except Exception:  # keep the scheduler alive; the failure is in the log
                    log.exception("queue scheduler %s failed; retrying", direction)
                wakeup.wait(self.poll_interval)
        finally:
            worker.close()
