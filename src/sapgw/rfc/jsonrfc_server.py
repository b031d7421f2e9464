"""JSON RFC over HTTP, server side: `POST /sap/bc/rfc/{FUNCTION}` and the tRFC/qRFC unit routes.

The routes serve whatever system the `connect` factory gives (the ERP stub in production);
this module knows nothing of it. They are plain Starlette routes on the hot path: the body
is parsed once, the synchronous call runs in a worker thread so the event loop never
blocks, and the answer is one `Response` with the whole body, so it goes out in one write.

A call without a session runs in a fresh connection that is closed afterwards (uncommitted
work is discarded, as when a pyrfc connection closes without commit). Stateful sessions
keep one connection, and so one LUW, across requests; see `jsonvalues` for the headers.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

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
    RFC_PATH,
    UNIT_PATH,
    dumps,
    loads,
)
from sapgw.types import RfcCall, is_tid

log = logging.getLogger(__name__)

Connect = Callable[[], RfcConnection]
Answer = tuple[int, bytes]
# Keyword names of `RfcConnection.call` itself; a parameter so spelled is passed upper-cased.
_RESERVED = frozenset({"func_name", "options"})


def rfc_routes(connect: Connect, *, session_timeout: float = 600,
               max_sessions: int = 1000) -> list[Route]:
    """The JSON RFC routes for the app to mount, serving the system `connect` opens."""
    sessions = Sessions(connect, session_timeout, max_sessions)

    async def call_function(request: Request) -> Response:
        function = request.path_params["FUNCTION"]
        try:
            params = _parameters(await request.body())
        except RFCLibError as error:
            return _response(error_answer(error))
        headers = request.headers
        context_id = headers.get(CONTEXT_ID)
        if context_id is None and headers.get(CONTEXT_ACCEPT, "").lower() != "header":
            return _response(await run_in_threadpool(_call_once, connect, function, params))
        try:
            session = await (sessions.open() if context_id is None else sessions.find(context_id))
        except RFCLibError as error:  # unknown session: 400, as the ICF's "Session not found"
            return _response(error_answer(error, 400 if context_id else None))
        answer = await sessions.run(session, _invoke, session.conn, function, params)
        if headers.get(CONTEXT_CLOSE, "").upper() == "X":
            await sessions.close(session)
        return _response(answer, {CONTEXT_ID: session.id})

    async def submit_unit(request: Request) -> Response:
        try:
            tid, queue, calls = _unit(await request.body())
        except RFCLibError as error:
            return _response(error_answer(error))
        return _response(await run_in_threadpool(_submit_once, connect, tid, queue, calls))

    async def confirm_unit(request: Request) -> Response:
        tid = request.path_params["TID"]
        if not is_tid(tid):
            return _response(error_answer(invalid_parameter(f"'{tid}' is not a 24-character TID")))
        return _response(await run_in_threadpool(_confirm_once, connect, tid))

    return [
        Route(f"{RFC_PATH}/{{FUNCTION:path}}", call_function, methods=["POST"]),
        Route(UNIT_PATH, submit_unit, methods=["POST"]),
        Route(f"{UNIT_PATH}/{{TID}}/confirm", confirm_unit, methods=["POST"]),
    ]


# -- sessions ------------------------------------------------------------------------------
@dataclass(eq=False)
class Session:
    id: str
    conn: RfcConnection
    lock: anyio.Lock = field(default_factory=anyio.Lock)  # calls on one session run in turn
    last_used: float = field(default_factory=time.monotonic)
    busy: int = 0  # requests holding or waiting for the lock: never expired meanwhile
    closed: bool = False


class Sessions:
    """Open stateful sessions. Touched only on the event loop, so the dict needs no lock."""

    def __init__(self, connect: Connect, timeout: float, max_sessions: int) -> None:
        self._connect = connect
        self.timeout = timeout
        self.max_sessions = max_sessions
        self._sessions: dict[str, Session] = {}
        self._opening = 0

    def __len__(self) -> int:
        return len(self._sessions)

    async def open(self) -> Session:
        await self._close_expired()
        if len(self._sessions) + self._opening >= self.max_sessions:
            raise CommunicationError(
                f"JSON RFC server: all {self.max_sessions} sessions are in use; end sessions "
                f"with header {CONTEXT_CLOSE}: X or retry later", 1, "RFC_COMMUNICATION_FAILURE")
        self._opening += 1
        try:
            conn = await run_in_threadpool(self._connect)
        finally:
            self._opening -= 1
        session = Session(secrets.token_urlsafe(24), conn)
        self._sessions[session.id] = session
        return session

    async def find(self, context_id: str) -> Session:
        session = self._sessions.get(context_id)
        if session is not None and self._expired(session):
            await self.close(session)
            session = None
        if session is None:
            raise _session_not_found(context_id)
        return session

    async def run(self, session: Session, fn: Callable[..., Answer], *args: Any) -> Answer:
        """Run `fn(*args)` in a worker thread, after every earlier call of the session."""
        session.busy += 1
        try:
            async with session.lock:
                if session.closed:
                    return error_answer(_session_not_found(session.id), 400)
                return await run_in_threadpool(fn, *args)
        finally:
            session.busy -= 1
            session.last_used = time.monotonic()

    async def close(self, session: Session) -> None:
        if self._sessions.pop(session.id, None) is None:
            return
        session.closed = True
        await run_in_threadpool(_close_quietly, session.conn)

    def _expired(self, session: Session) -> bool:
        return not session.busy and time.monotonic() - session.last_used > self.timeout

    async def _close_expired(self) -> None:
        for session in [s for s in self._sessions.values() if self._expired(s)]:
            await self.close(session)


def _session_not_found(context_id: str) -> CommunicationError:
    return CommunicationError(
        f"Session not found: {CONTEXT_ID} {context_id} is unknown, closed or expired after "
        "being idle; its uncommitted work is discarded", 1, "RFC_COMMUNICATION_FAILURE")


# -- work in a worker thread ---------------------------------------------------------------
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
        _close_quietly(conn)


def _submit_once(connect: Connect, tid: str, queue: str | None, calls: list[RfcCall]) -> Answer:
    try:
        with connect() as conn:
            unit = {"id": tid, "background": False, "queued": queue is not None}
            conn.fill_and_submit_unit(unit, [(c.function, c.params) for c in calls],
                                      queue_names=[queue] if queue else None)
        return 200, dumps({"TID": tid, "STATE": "EXECUTED"})
    except Exception as exc:
        return error_answer(exc)


def _confirm_once(connect: Connect, tid: str) -> Answer:
    try:
        with connect() as conn:
            conn.confirm_unit({"id": tid, "background": False, "queued": False})
        return 200, dumps({"TID": tid, "STATE": "CONFIRMED"})
    except Exception as exc:
        return error_answer(exc)


def _close_quietly(conn: RfcConnection) -> None:
    try:
        conn.close()
    except Exception:
        log.exception("closing an RFC connection failed")


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


def _unit(body: bytes) -> tuple[str, str | None, list[RfcCall]]:
    try:
        raw = loads(body)
    except ValueError as exc:
        raise conversion_failure(f"request body is not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise invalid_parameter("request body must be a JSON object with TID, QUEUE and CALLS")
    unknown = set(raw) - {"TID", "QUEUE", "CALLS"}
    if unknown:
        raise invalid_parameter(f"field '{sorted(unknown)[0]}' not found")
    tid, queue, calls = raw.get("TID"), raw.get("QUEUE"), raw.get("CALLS")
    if not is_tid(tid):
        raise invalid_parameter(f"TID must be a 24-character transaction id, got {tid!r}")
    if queue is not None and not (isinstance(queue, str) and 0 < len(queue) <= 24):
        raise invalid_parameter(f"QUEUE must be a queue name of 1-24 characters or null, "
                                f"got {queue!r}")
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
