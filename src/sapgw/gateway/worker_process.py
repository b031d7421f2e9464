"""`sapgw worker`: the QIN/QOUT schedulers of config.ini's databases, without HTTP.

Any number of worker processes (and `sapgw serve`) may share one PostgreSQL: each claims
whole queues under a lease (`FOR UPDATE SKIP LOCKED`), so order per queue holds and
different queues run in parallel. On SQLite several processes work too (a claim is a
`BEGIN IMMEDIATE` transaction), though one writer at a time limits what they gain.
SIGTERM or Ctrl-C stops the worker cleanly: each scheduler finishes its current batch and
releases its lease. A worker that is killed leaves leases that expire after
`[gateway] lease_seconds`; another worker then takes the queues over and resends the head
LUWs with their TIDs, which the receiver executes at most once.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from types import FrameType

from sapgw.gateway.config import Settings

log = logging.getLogger("sapgw.worker")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def run_worker(settings: Settings, stop: threading.Event | None = None) -> int:
    """Run the schedulers until `stop` is set or SIGTERM/SIGINT arrives; 0 on a clean stop."""
    from sapgw.gateway.runtime import Gateway

    stop = stop or threading.Event()
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    previous = _install_handlers(stop)
    gateway = Gateway(settings)
    try:
        gateway.start()
        log.info("worker pid %s: QIN/QOUT schedulers on %s (lease %s s, poll %s s)",
                 os.getpid(), _safe_url(settings.db_url), settings.lease_seconds,
                 settings.poll_interval)
        stop.wait()
        log.info("worker pid %s: stopping; finishing the current batches", os.getpid())
    finally:
        gateway.close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


def _install_handlers(stop: threading.Event) -> dict[int, object]:
    """Route SIGTERM/SIGINT to `stop` (only the main thread may install handlers)."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(_number: int, _frame: FrameType | None) -> None:
        stop.set()

    return {number: signal.signal(number, handler) for number in STOP_SIGNALS}


def _safe_url(url: str) -> str:
    """The URL without its password, for the log."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
