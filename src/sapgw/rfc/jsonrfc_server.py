"""JSON RFC over HTTP, server side: `POST /sap/bc/rfc/{FUNCTION}` and the tRFC/qRFC unit routes.

The service serves whatever system the `connect` factory gives (the ERP stub in
production); this module knows nothing of it. `JsonRfcService` is a raw ASGI app for the hot
path (calls and units straight from the scope) and the same as Starlette routes
(`rfc_routes`) for apps that mount them: the body is parsed once, the synchronous call runs
in a worker thread (or, where it cannot wait on anything, on the event loop), tRFC units
arriving together are committed together (`UnitBatches`), and the answer is sent whole,
with its length.

A call without a session runs in a fresh connection that is closed afterwards (uncommitted
work is discarded, as when a pyrfc connection closes without commit). Stateful sessions
keep one connection, and so one LUW, across requests (`sessions`; see `jsonvalues` for the
headers). A call with a TID header is a tRFC/qRFC unit of one call (`units`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router
from starlette.types import Receive, Scope, Send

from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import (
    CommunicationError,
    ExternalRuntimeError,
    LogonError,
    RFCLibError,
    conversion_failure,
    invalid_parameter,
)
from sapgw.rfc.jsonvalues import (
    CONTEXT_ACCEPT,
    CONTEXT_CLOSE,
    CONTEXT_ID,
    MAX_UNITS,
    RFC_PATH,
    UNIT_PATH,
    UNITS_PATH,
    dumps,
    loads,
)
from sapgw.rfc.sessions import SessionNotFound, Sessions, caller_of, close_quietly
from sapgw.rfc.units import (
    TRFC_STATE,
    TRFC_TID,
    state_headers,
    submit,
    unit_from_headers,
    unit_id,
)
from sapgw.types import RfcCall, is_tid

log = logging.getLogger(__name__)

Connect = Callable[[], RfcConnection]
Answer = tuple[int, bytes]
T = TypeVar("T")
# Keyword names of `RfcConnection.call` itself; a parameter so spelled is passed upper-cased.
_RESERVED = frozenset({"func_name", "options"})


def rfc_routes(connect: Connect, *, session_timeout: float = 600,
               max_sessions: int = 1000, inline: bool = False,
               units_inline: bool | None = None) -> list[Route]:
    """The JSON RFC routes for an app to mount, serving the system `connect` opens (see
    `JsonRfcService`, which serves the same as one ASGI app without Starlette's routing)."""
    return JsonRfcService(connect, session_timeout=session_timeout, max_sessions=max_sessions,
                          inline=inline, units_inline=units_inline).routes


Headers = Mapping[str, str]
Reply = tuple[Answer, dict[str, str] | None]


class JsonRfcService:
    """The JSON RFC service as a raw ASGI app, and the same as Starlette routes (`routes`).

    `inline` runs stateless calls on the event loop instead of a worker thread, and so do
    units unless `units_inline` is False. Only for an in-process system on SQLite: its calls
    are CPU-bound and serialised by the GIL anyway, so the thread hand-off (about a third of
    a call's server time) buys nothing there; but a call that waits (a lock held by another
    thread or process, a remote database) holds every request meanwhile. `sapgw erp serve`
    is the sole user of its database and runs both inline; `sapgw serve` shares its
    databases with its schedulers and runs only the stateless calls inline.

    Called as an ASGI app, a POST of a function (`/sap/bc/rfc/{FUNCTION}`) or of a unit
    (`/sap/bc/rfc_unit`) is served straight from the scope: the body read from `receive`,
    the answer sent in two messages with its length, no Request, Response or route matching
    (issue 15: Starlette's layers were a fifth of what the server adds to a call). Every
    other request (confirmations, batches of units, wrong methods and paths) goes through
    the routes, as before; both ways run the same handlers below, so they answer alike.
    """

    def __init__(self, connect: Connect, *, session_timeout: float = 600,
                 max_sessions: int = 1000, inline: bool = False,
                 units_inline: bool | None = None) -> None:
        self.connect = connect
        self.sessions = Sessions(connect, session_timeout, max_sessions)
        self.inline_units = inline if units_inline is None else units_inline
        self.run_call = _run_inline if inline else run_in_threadpool
        self.run = _run_inline if self.inline_units else run_in_threadpool
        self.batches = UnitBatches(connect)
        self.routes = [
            Route(f"{RFC_PATH}/{{FUNCTION:path}}", self._call_route, methods=["POST"]),
            Route(UNIT_PATH, self._unit_route, methods=["POST"]),
            Route(UNITS_PATH, self._units_route, methods=["POST"]),
            Route(f"{UNIT_PATH}/{{TID}}/confirm", self._confirm_route, methods=["POST"]),
        ]
        self._router = Router(routes=self.routes)

    # -- the raw ASGI app --------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and not scope.get("root_path"):
            path = scope["path"]
            if path == UNIT_PATH:
                body = await _body(receive)
                if body is not None:
                    await _send(send, await self.submit_unit(body))
                return
            if path.startswith(_FUNCTION_PREFIX) and len(path) > len(_FUNCTION_PREFIX):
                body = await _body(receive)
                if body is not None:
                    await _send(send, await self.call_function(
                        path[len(_FUNCTION_PREFIX):], _headers(scope), body, scope))
                return
        await self._router(scope, receive, send)

    # -- the routes ----------------------------------------------------------------------------
    async def _call_route(self, request: Request) -> Response:
        return _response(*await self.call_function(
            request.path_params["FUNCTION"], request.headers, await request.body(),
            request.scope))

    async def _unit_route(self, request: Request) -> Response:
        return _response(*await self.submit_unit(await request.body()))

    async def _units_route(self, request: Request) -> Response:
        try:
            units = _units(await request.body())
        except RFCLibError as error:
            return _response(error_answer(error))
        return _response(await self.run(_submit_batch, self.connect, units))

    async def _confirm_route(self, request: Request) -> Response:
        tid = request.path_params["TID"]
        if not is_tid(tid):
            return _response(error_answer(invalid_parameter(f"'{tid}' is not a 24-character TID")))
        return _response(await self.run(_confirm_once, self.connect, tid))

    # -- the handlers both serve -----------------------------------------------------------------
    async def call_function(self, function: str, headers: Headers, body: bytes,
                            scope: Scope) -> Reply:
        """A call of `function` (a unit with a TID header, a session's with a context id)."""
        context_id = headers.get(CONTEXT_ID)
        try:
            params = _parameters(body)
            unit = unit_from_headers(headers)
            if unit is not None and context_id is not None:
                raise invalid_parameter(f"a tRFC call ({TRFC_TID}) runs outside sessions; "
                                        f"send it without {CONTEXT_ID}")
        except RFCLibError as error:
            return error_answer(error), None
        if unit is not None:
            tid, queue = unit
            return await self._submit(tid, queue, [RfcCall(function, params)])
        if context_id is None and headers.get(CONTEXT_ACCEPT, "").lower() != "header":
            return await self.run_call(_call_once, self.connect, function, params), None
        sessions = self.sessions
        try:
            owner = caller_of(scope)
            session = await (sessions.open(owner) if context_id is None
                             else sessions.find(context_id, owner))
            answer = await sessions.run(session, _invoke, session.conn, function, params)
        except SessionNotFound as error:  # 400, as the ICF's "Session not found"
            return error_answer(error, 400), {CONTEXT_ID: context_id} if context_id else None
        except RFCLibError as error:
            return error_answer(error), None
        if headers.get(CONTEXT_CLOSE, "").upper() == "X":
            await sessions.close(session)
        return answer, {CONTEXT_ID: session.id}

    async def submit_unit(self, body: bytes) -> Reply:
        """A unit of `/sap/bc/rfc_unit`: {TID, QUEUE, CALLS}."""
        try:
            tid, queue, calls = _unit(body)
        except RFCLibError as error:
            return error_answer(error), None
        return await self._submit(tid, queue, calls)

    async def _submit(self, tid: str, queue: str | None, calls: list[RfcCall]) -> Reply:
        if queue is None and not self.inline_units:  # tRFC: group commit with its neighbours
            return await self.batches.submit(tid, calls)
        return await self.run(_submit_once, self.connect, tid, queue, calls)


_FUNCTION_PREFIX = f"{RFC_PATH}/"
_CONTENT_TYPE = (b"content-type", b"application/json")


async def _body(receive: Receive) -> bytes | None:
    """The request's whole body; None when the client went away before sending it."""
    message = await receive()
    if message["type"] != "http.request":
        return None
    chunks: list[bytes] = [message.get("body", b"")]
    while message.get("more_body", False):
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by (lower-case) name; of a repeated header the first, as
    Starlette's `Headers.get` answers."""
    return {name.decode("latin-1"): value.decode("latin-1")
            for name, value in reversed(scope["headers"])}


async def _send(send: Send, reply: Reply) -> None:
    (status, content), extra = reply
    headers = [(b"content-length", str(len(content)).encode()), _CONTENT_TYPE]
    if extra:
        headers += [(name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


# -- group commit of tRFC units ----------------------------------------------------------
class UnitBatches:
    """tRFC units that arrive while the ones before them run go together in one transaction.

    A unit request waits for its batch's commit before it is answered, so EXECUTED still
    means committed (crash safety as for one unit). The batch runs in a worker thread on one
    connection (`submit_units`: each unit in a savepoint, TID check and record in the same
    transaction, so exactly once holds as for one unit); a unit that fails is answered with
    its error and leaves no trace, the units after it run again in the next batch. While a
    batch commits, the next requests queue here: with one client the batch has one unit, with
    four each commit carries about four (issue 15: four threads had been slower than one).
    Batches run one after the other, so one thread of their own serves them: handing work to
    it costs half of what a hop into anyio's pool costs (28 against 56 µs of CPU).
    """

    def __init__(self, connect: Connect, max_units: int = 64) -> None:
        self.connect = connect
        self.max_units = max_units
        self._pending: list[tuple[str, list[RfcCall], asyncio.Future[Any]]] = []
        self._drain: asyncio.Task[None] | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sapgw-units")

    async def submit(self, tid: str, calls: list[RfcCall]) -> Reply:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._pending.append((tid, calls, future))
        drain = self._drain  # none running, or one that died with its loop (a test's)
        if drain is None or drain.done() or drain.get_loop() is not loop:
            self._drain = loop.create_task(self._run())
        result: tuple[Answer, dict[str, str]] = await future
        return result

    async def _run(self) -> None:
        try:
            while self._pending:
                batch = self._pending[:self.max_units]
                del self._pending[:self.max_units]
                try:
                    answers = await asyncio.get_running_loop().run_in_executor(
                        self._thread, _submit_together, self.connect,
                        [(tid, calls) for tid, calls, _ in batch])
                except Exception as exc:  # not expected: _submit_together answers errors
                    answers = [(error_answer(exc), {TRFC_TID: tid}) for tid, _, _ in batch]
                for (_, _, future), answer in zip(batch, answers, strict=True):
                    if not future.done():
                        future.set_result(answer)
        finally:
            if self._drain is asyncio.current_task():
                self._drain = None


def _submit_together(connect: Connect, units: list[tuple[str, list[RfcCall]]]
                     ) -> list[tuple[Answer, dict[str, str]]]:
    """Each unit's answer and headers, the units run in as few transactions as they allow."""
    answers: list[tuple[Answer, dict[str, str]]] = []
    rest = units
    while rest:
        try:
            with connect() as conn:
                done, failure = conn.submit_units([(tid, calls, None) for tid, calls in rest])
        except Exception as exc:
            done, failure = 0, exc
        for tid, _ in rest[:done]:
            answers.append(((200, dumps({"TID": tid, "STATE": "EXECUTED"})),
                            {TRFC_TID: tid, TRFC_STATE: "EXECUTED"}))
        if failure is not None and done < len(rest):
            answers.append((error_answer(failure), {TRFC_TID: rest[done][0]}))
            done += 1
        elif done == 0:  # a partial answer that ran nothing: one by one, as before
            answers.append(_submit_once(connect, rest[0][0], None, rest[0][1]))
            done = 1
        rest = rest[done:]
    return answers


# -- work in a worker thread (or inline) ---------------------------------------------------
async def _run_inline(function: Callable[..., T], *args: Any) -> T:
    return function(*args)


def _invoke(conn: RfcConnection, function: str, params: dict[str, Any]) -> Answer:
    try:
        return 200, dumps(conn.call(function, **params))
    except Exception as exc:
        return error_answer(exc)


def _call_once(connect: Connect, function: str, params: dict[str, Any]) -> Answer:
    try:
        conn = connect()
    except Exception as exc:
        return error_answer(exc)
    try:
        return _invoke(conn, function, params)
    finally:
        close_quietly(conn)


def _submit_once(connect: Connect, tid: str, queue: str | None, calls: list[RfcCall]
                 ) -> tuple[Answer, dict[str, str]]:
    """A unit's answer and its headers (sap-trfc-tid, sap-trfc-state, sap-qrfc-queue)."""
    try:
        answer = submit(connect, tid, queue, calls)
    except Exception as exc:
        return error_answer(exc), {TRFC_TID: tid}
    return (200, dumps(answer)), state_headers(answer)


def _submit_batch(connect: Connect, units: list[tuple[str, list[RfcCall], str | None]]
                  ) -> Answer:
    """Several units in order on one connection: how many ran, and what stopped the rest."""
    try:
        with connect() as conn:
            done, failure = conn.submit_units(units)
    except Exception as exc:
        return error_answer(exc)
    error = None
    if failure is not None:
        error = loads(error_answer(failure)[1])
    return 200, dumps({"EXECUTED": done, "ERROR": error})


def _confirm_once(connect: Connect, tid: str) -> Answer:
    try:
        with connect() as conn:
            conn.confirm_unit({"id": tid, "background": False, "queued": False})
        return 200, dumps({"TID": tid, "STATE": "CONFIRMED"})
    except Exception as exc:
        return error_answer(exc)


# -- request bodies and answers ------------------------------------------------------------
def _parameters(body: bytes) -> dict[str, Any]:
    """The call's parameters; an empty body means none (handy for RFC_PING)."""
    if not body.strip():
        return {}
    try:
        params = loads(body)
    except ValueError as exc:
        raise conversion_failure(f"request body is not valid JSON: {exc}") from None
    if not isinstance(params, dict):
        raise invalid_parameter(
            f"request body must be a JSON object of parameters, not {type(params).__name__}")
    return {name.upper() if name in _RESERVED else name: value for name, value in params.items()}


def _json_body(body: bytes) -> Any:
    try:
        return loads(body)
    except ValueError as exc:
        raise conversion_failure(f"request body is not valid JSON: {exc}") from None


def _unit(body: bytes) -> tuple[str, str | None, list[RfcCall]]:
    return _unit_of(_json_body(body))


def _units(body: bytes) -> list[tuple[str, list[RfcCall], str | None]]:
    raw = _json_body(body)
    units = raw.get("UNITS") if isinstance(raw, dict) and set(raw) == {"UNITS"} else None
    if not isinstance(units, list) or not 0 < len(units) <= MAX_UNITS:
        raise invalid_parameter(f"request body must be a JSON object with UNITS, a list of 1 to "
                                f"{MAX_UNITS} units ({{TID, QUEUE, CALLS}})")
    return [(tid, calls, queue) for tid, queue, calls in map(_unit_of, units)]


def _unit_of(raw: Any) -> tuple[str, str | None, list[RfcCall]]:
    if not isinstance(raw, dict):
        raise invalid_parameter("a unit must be a JSON object with TID, QUEUE and CALLS")
    unknown = set(raw) - {"TID", "QUEUE", "CALLS"}
    if unknown:
        raise invalid_parameter(f"field '{sorted(unknown)[0]}' not found")
    tid, queue = unit_id(raw.get("TID"), raw.get("QUEUE"))
    calls = raw.get("CALLS")
    if not isinstance(calls, list) or not calls or not all(
            isinstance(c, list) and len(c) == 2 and isinstance(c[0], str)
            and isinstance(c[1], dict) for c in calls):
        raise invalid_parameter("CALLS must be a non-empty list of [function, parameters]")
    return tid, queue, [RfcCall.from_json(c) for c in calls]


def error_status(error: RFCLibError) -> int:
    """HTTP status of an RFC error: 404 unknown function, 400 caller's fault, 500 the ABAP's."""
    if error.key == "FU_NOT_FOUND":
        return 404
    if isinstance(error, ExternalRuntimeError):
        return 400
    if isinstance(error, LogonError):
        return 401
    if isinstance(error, CommunicationError):
        return 503
    return 500


def error_answer(exc: Exception, status: int | None = None) -> Answer:
    """The JSON error body of any exception; never a traceback (that goes to the log)."""
    if not isinstance(exc, RFCLibError):
        log.exception("JSON RFC call failed unexpectedly")
        exc = ExternalRuntimeError(f"{type(exc).__name__}: {exc}", 15, "RFC_EXTERNAL_FAILURE")
        status = status or 500
    status = status or error_status(exc)
    try:
        return status, dumps(exc.to_json())
    except TypeError:  # a message row the encoder cannot take: answer without the rows
        return status, dumps({**exc.to_json(), "messages": []})


def _response(answer: Answer, headers: dict[str, str] | None = None) -> Response:
    status, content = answer
    return Response(content, status, headers, media_type="application/json")
