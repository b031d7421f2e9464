"""Wake-ups across processes: PostgreSQL LISTEN/NOTIFY on the channel `sapgw_<schema>`.

Every process that enqueues work (`send`, a flow that queued outbound LUWs, an activated
queue) NOTIFYs the direction (`in` or `out`) after its commit; every process that runs
schedulers LISTENs and wakes its thread for that direction. NOTIFYs are sent by a thread of
their own and coalesced, so a burst of sends costs a few round trips, not one per BDoc. On
SQLite there is no such channel: the in-process events remain, and other processes find new
work at their poll interval. A lost notification only delays work until that poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sapgw.db import Database

log = logging.getLogger("sapgw.notify")

DIRECTIONS = ("in", "out")
LISTEN_TIMEOUT = 0.5  # seconds between checks whether the listener should stop


class Notifier:
    def __init__(self, db: Database) -> None:
        self.enabled = not db.is_sqlite
        self.channel = f"sapgw_{db.schema or 'public'}"
        self._conninfo = (db.engine.url.set(drivername="postgresql")
                          .render_as_string(hide_password=False)) if self.enabled else ""
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._send = threading.Event()
        self._stop = threading.Event()
        self._sender: threading.Thread | None = None
        self._listener: threading.Thread | None = None

    def notify(self, direction: str) -> None:
        """Tell every listening process that `direction` has new committed work."""
        if not self.enabled:
            return
        with self._lock:
            self._pending.add(direction)
            if self._sender is None and not self._stop.is_set():
                self._sender = threading.Thread(target=self._send_loop, daemon=True,
                                                name="sapgw-notify")
                self._sender.start()
        self._send.set()

    def listen(self, on_notify: Callable[[str], None]) -> None:
        """Call `on_notify(direction)` for every notification until `close`."""
        if not self.enabled or self._listener is not None:
            return
        self._listener = threading.Thread(target=self._listen_loop, args=(on_notify,),
                                          daemon=True, name="sapgw-listen")
        self._listener.start()

    def close(self) -> None:
        """Send what is pending, then stop both threads."""
        self._stop.set()
        self._send.set()
        for thread in (self._sender, self._listener):
            if thread is not None:
                thread.join(timeout=5)
        self._sender = self._listener = None

    def _send_loop(self) -> None:
        import psycopg

        conn: psycopg.Connection | None = None
        try:
            while True:
                self._send.wait()
                self._send.clear()
                with self._lock:
                    pending, self._pending = sorted(self._pending), set()
                for direction in pending:
                    try:
                        conn = conn or psycopg.connect(self._conninfo, autocommit=True)
                        conn.execute("SELECT pg_notify(%s, %s)", (self.channel, direction))
                    except psycopg.Error as exc:  # the workers' poll interval catches up
                        log.warning("NOTIFY %s failed: %s", self.channel, exc)
                        conn = None
                if self._stop.is_set():
                    return
        finally:
            if conn is not None:
                conn.close()

    def _listen_loop(self, on_notify: Callable[[str], None]) -> None:
        import psycopg
        from psycopg import sql

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    for direction in DIRECTIONS:  # work sent while nobody listened
                        on_notify(direction)
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=LISTEN_TIMEOUT):
                            if note.payload in DIRECTIONS:
                                on_notify(note.payload)
            except psycopg.Error as exc:
                log.warning("LISTEN %s failed (%s); polling until it is back", self.channel,
                            exc)
                self._stop.wait(1.0)
