"""`sapgw serve`'s start: /healthz answers while the app is built, other requests wait."""

from __future__ import annotations

import asyncio
import json
import threading
from contextlib import asynccontextmanager
from typing import Any

from sapgw.gateway.api.starting import StartingApp


async def real_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": f"real {scope['path']}".encode()})


async def request(app: StartingApp, path: str) -> tuple[int, bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "http", "path": path, "method": "GET"}, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def lifespan_start(app: StartingApp) -> tuple[asyncio.Queue[dict[str, Any]], Any]:
    """Start `app`'s lifespan; answers the queue to send `lifespan.shutdown` through."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        outbox.append(message)

    await inbox.put({"type": "lifespan.startup"})
    task = asyncio.create_task(app({"type": "lifespan"}, inbox.get, send))
    while not outbox:
        await asyncio.sleep(0)
    assert outbox == [{"type": "lifespan.startup.complete"}]  # before the build ends
    return inbox, task


def test_healthz_answers_while_building_and_requests_wait_for_the_app() -> None:
    release = threading.Event()
    entered: list[str] = []

    def build() -> Any:
        assert release.wait(5)
        return real_app

    @asynccontextmanager
    async def lifespan(_app: Any):
        entered.append("start")
        yield
        entered.append("stop")

    async def scenario() -> None:
        app = StartingApp(build, "9.9", lifespan=lifespan)
        inbox, task = await lifespan_start(app)
        status, body = await request(app, "/healthz")
        assert (status, json.loads(body)) == (503, {"status": "starting", "version": "9.9"})
        waiting = asyncio.create_task(request(app, "/sap/bc/rfc/RFC_PING"))
        await asyncio.sleep(0.02)
        assert not waiting.done()  # held, not refused
        release.set()
        assert await asyncio.wait_for(waiting, 5) == (200, b"real /sap/bc/rfc/RFC_PING")
        assert entered == ["start"]  # the real app's lifespan ran before it served
        assert await request(app, "/healthz") == (200, b"real /healthz")
        await inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, 5)
        assert entered == ["start", "stop"]

    asyncio.run(scenario())


def test_a_failed_build_answers_503_with_the_cause_and_stops_the_server() -> None:
    stopped: list[str] = []

    def build() -> Any:
        raise OSError("unable to open database file")

    async def scenario() -> None:
        app = StartingApp(build, "9.9", on_error=stopped.append)
        inbox, task = await lifespan_start(app)
        status, body = await request(app, "/api/bdocs")
        assert status == 503
        assert json.loads(body) == {
            "error": "NOT_STARTED",
            "message": "the server could not start: OSError: unable to open database file"}
        assert stopped == [json.loads(body)["message"]]
        assert (await request(app, "/healthz"))[0] == 503  # no longer "starting"
        await inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, 5)

    asyncio.run(scenario())


def test_the_early_app_serves_its_paths_while_the_rest_is_built() -> None:
    release = threading.Event()

    async def early_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": f"early {scope['path']}".encode()})

    def build() -> Any:
        app.serve_early(early_app)
        assert release.wait(5)
        return real_app

    app = StartingApp(build, "9.9", early_prefix="/sap/bc/rfc")

    async def scenario() -> None:
        inbox, task = await lifespan_start(app)
        rfc = await asyncio.wait_for(request(app, "/sap/bc/rfc/RFC_PING"), 5)
        assert rfc == (200, b"early /sap/bc/rfc/RFC_PING")
        page = asyncio.create_task(request(app, "/smw01"))
        await asyncio.sleep(0.02)
        assert not page.done()  # the rest waits for the whole app
        release.set()
        assert await asyncio.wait_for(page, 5) == (200, b"real /smw01")
        assert await request(app, "/sap/bc/rfc/X") == (200, b"real /sap/bc/rfc/X")
        await inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
