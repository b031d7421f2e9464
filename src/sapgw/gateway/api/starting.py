"""The app `sapgw serve` hands uvicorn: `/healthz` answers while the real app is built.

Building the gateway's app costs ~3 s on this box (the ERP stub's ~300 SQLModel table
classes, the REST and page routers, the systems' databases, the table buffer), almost all
of it imports and declarations that a request cannot skip. Uvicorn takes ~0.2 s. So the
server listens at once and a thread builds the app (`build`, then the served system's
warm-up, issue 15): `/healthz` answers 503 `{"status": "starting"}` meanwhile (a process
supervisor sees the process alive; a readiness check that waits for 200 waits for the
build, as before this module existed), every other request waits for the build and is then
served by the real app as if it had arrived later (nothing refused, nothing answered
half-built); once built, the real app's own `/healthz` answers `"ok"`. A build that fails
answers waiting requests 503 with the cause, prints it and stops the server (non-zero
exit). Only the standard library here: importing anything heavier would delay `/healthz`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]


class StartingApp:
    """ASGI app that builds `build()` in a thread and serves it once built.

    `build` returns the real app; `lifespan(app)` (optional) gives its lifespan context,
    entered on the event loop once built (the schedulers start there, as before); `on_error`
    is called with the failure's text when the build fails (the server's stop). With
    `deferred`, the build starts at `begin()` rather than at the lifespan's start: the server
    calls it once it listens, since a build thread holding the GIL delayed the bind ~0.7 s.
    Requests under `early_prefix` are served by the app the build hands `serve_early`, if
    it does, before the rest is built."""

    def __init__(self, build: Callable[[], Any], version: str,
                 lifespan: Callable[[Any], AbstractAsyncContextManager[Any]] | None = None,
                 on_error: Callable[[str], None] | None = None, deferred: bool = False,
                 early_prefix: str | None = None) -> None:
        self._build, self._version = build, version
        self._lifespan, self._on_error = lifespan, on_error
        self.app: Any = None
        self.error = ""
        self._ready: asyncio.Event | None = None
        self._context: AbstractAsyncContextManager[Any] | None = None
        self._task: asyncio.Task[None] | None = None
        self._deferred = deferred
        self._early: Any = None
        self._early_prefix = early_prefix
        self._early_ready: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._run_lifespan(receive, send)
            return
        if self.app is None:
            if scope["type"] == "http" and scope["path"] == "/healthz" and not self.error:
                await _answer(send, 503, {"status": "starting", "version": self._version})
                return
            early = scope["type"] == "http" and self._early_path(scope["path"])
            waiting = self._early_ready if early else self._ready
            if waiting is not None:
                await waiting.wait()
            if self.app is None and self._early is not None and early:
                await self._early(scope, receive, send)
                return
            if self.app is None:
                if scope["type"] == "http":
                    await _answer(send, 503, {"error": "NOT_STARTED", "message":
                                              self.error or "the server is not started"})
                return
        await self.app(scope, receive, send)

    # -- lifespan ---------------------------------------------------------------------------
    async def _run_lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._ready, self._early_ready = asyncio.Event(), asyncio.Event()
                self._loop = asyncio.get_running_loop()
                if not self._deferred:
                    self.begin()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self._stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def serve_early(self, app: Any) -> None:
        """From the build thread: serve paths under `early_prefix` with `app` until the
        real app is built (the JSON RFC service, before the routers are imported)."""
        self._early = app
        if self._loop is not None and self._early_ready is not None:
            self._loop.call_soon_threadsafe(self._early_ready.set)

    def _early_path(self, path: str) -> bool:
        return self._early_prefix is not None and path.startswith(self._early_prefix)

    def begin(self) -> None:
        """Start the build (on the event loop, after the lifespan's start; once)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._start())

    async def _start(self) -> None:
        """The build in a thread, then the real app's lifespan on the loop."""
        assert self._ready is not None
        try:
            app = await asyncio.to_thread(self._build)
            if self._lifespan is not None:
                context = self._lifespan(app)
                await context.__aenter__()
                self._context = context
            self.app = app
        except Exception as exc:  # any cause: told to the waiting callers and on stderr,
            # in one line as the CLI's other errors (no traceback reaches a user)
            self.error = f"the server could not start: {type(exc).__name__}: {exc}"
            print(f"sapgw: {self.error}", file=sys.stderr)
            if self._on_error is not None:
                self._on_error(self.error)
        finally:
            self._ready.set()
            if self._early_ready is not None:
                self._early_ready.set()

    async def _stop(self) -> None:
        if self._task is not None and not self._task.done():
            await self._task  # a build under way finishes, so its databases close cleanly
        if self._context is not None:
            await self._context.__aexit__(None, None, None)


async def _answer(send: Send, status: int, body: dict[str, str]) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})

