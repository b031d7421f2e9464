"""Uvicorn's httptools protocol with two per-request costs of `sapgw serve` taken out.

A served JSON RFC call costs the server ~30 µs of CPU in process, and over HTTP it cost
0.15–0.2 ms (issue 15). Of what uvicorn adds, two things are not needed:

- **One send per answer, not two.** Uvicorn writes the status line and headers when the app
  sends `http.response.start` and the body at `http.response.body`: two `send` system calls,
  and on loopback each also runs the receiver's TCP stack and wakes the client. Here the
  transport collects what is written and sends it when the answer is complete (uvicorn's
  `on_response_complete`), at `close`, past `FLUSH_BYTES`, or at the latest at the end of
  the event-loop turn it was written in: an answer made in one go leaves in one segment the
  moment it is complete; one that waits between its parts (a stream) still sends each part
  in the turn it was written, so nothing is held back longer than that.
- **No access-log record for an answered JSON RFC call.** Uvicorn builds the record (client
  address, path, a `LogRecord`) for every request before any filter can drop it; the JSON
  RFC paths are logged only when the answer is an error (status >= 400), like SAP's ICM,
  whose HTTP log is off unless switched on. REST, pages and SOAP are logged as before, by
  uvicorn, in its format.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from sapgw.rfc.jsonvalues import RFC_PATH

FLUSH_BYTES = 65536  # a larger answer goes out as written: flow control sees it at once


class CoalescingTransport:
    """A transport whose writes of one event-loop turn go out as one write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(data)
        self._size += len(data)
        if self._size >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Send what was written so far (the call_soon of the first write, or earlier)."""
        if self._pending:
            data = b"".join(self._pending) if len(self._pending) > 1 else self._pending[0]
            self._pending, self._size = [], 0
            self._transport.write(data)

    def writelines(self, chunks: Any) -> None:
        self.write(b"".join(chunks))

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # the rest of asyncio.Transport (no writes)
        return getattr(self._transport, name)


class SapgwHttpProtocol(HttpToolsProtocol):
    """`uvicorn.Config(http=SapgwHttpProtocol)`: httptools, with the two changes above."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        coalescing: Any = CoalescingTransport(transport, self.loop)
        super().connection_made(coalescing)

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]  # complete: out in one write
        super().on_response_complete()

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        if cycle.access_log and cycle.scope["path"].startswith(RFC_PATH):
            cycle.send = _logging_errors_only(cycle)  # type: ignore[method-assign]
        super()._start_asgi_task(cycle, app)


def _logging_errors_only(cycle: RequestResponseCycle) -> Any:
    """The cycle's `send`, with uvicorn's access-log line only for an error status."""
    send = cycle.send

    async def send_logging_errors(message: Any) -> None:
        if message["type"] == "http.response.start":
            cycle.access_log = message["status"] >= 400
        await send(message)

    return send_logging_errors
