"""JSON RFC over HTTP, server side: `POST /sap/bc/rfc/{FUNCTION}` and the tRFC/qRFC unit routes.

The routes serve whatever system the `connect` factory gives (the ERP stub in production);
this module knows nothing of it. They are plain Starlette routes on the hot path: the body
is parsed once, the synchronous call runs in a worker thread (or, where it cannot wait on
anything, on the event loop: `rfc_routes`), tRFC units arriving together are committed
together (`UnitBatches`), and the answer is one `Response` with the whole body, so it goes
out in one write.

A call without a session runs in a fresh connection that is closed afterwards (uncommitted
work is discarded, as when a pyrfc connection closes without commit). Stateful sessions
keep one connection, and so one LUW, across requests (`sessions`; see `jsonvalues` for the
headers). A call with a TID header is a tRFC/qRFC unit of one call (`units`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

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
    MAX_UNITS,
    RFC_PATH,
    UNIT_PATH,
    UNITS_PATH,
    dumps,
    loads,
)
from sapgw.rfc.sessions import SessionNotFound, Sessions, caller, close_quietly
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
    """The JSON RFC routes for the app to mount, serving the system `connect` opens.

    `inline` runs stateless calls on the event loop instead of a worker thread, and so do
    units unless `units_inline` is False. Only for an in-process system on SQLite: its calls
    are CPU-bound and serialised by the GIL anyway, so the thread hand-off (about a third of
    a call's server time) buys nothing there; but a call that waits (a lock held by another
    thread or process, a remote database) holds every request meanwhile. `sapgw erp serve`
    is the sole user of its database and runs both inline; `sapgw serve` shares its
    databases with its schedulers and runs only the stateless calls inline.
    """
    sessions = Sessions(connect, session_timeout, max_sessions)
    inline_units = inline if units_inline is None else units_inline
    run_call = _run_inline if inline else run_in_threadpool
    run = _run_inline if inline_units else run_in_threadpool
    batches = UnitBatches(connect)

    async def call_function(request: Request) -> Response:
        function = request.path_params["FUNCTION"]
        headers = request.headers
        context_id = headers.get(CONTEXT_ID)
        try:
            params = _parameters(await request.body())
            unit = unit_from_headers(headers)
            if unit is not None and context_id is not None:
                raise invalid_parameter(f"a tRFC call ({TRFC_TID}) runs outside sessions; "
                                        f"send it without {CONTEXT_ID}")
        except RFCLibError as error:
            return _response(error_answer(error))
        if unit is not None:
            tid, queue = unit
            calls = [RfcCall(function, params)]
            if queue is None and not inline_units:  # tRFC: group commit with its neighbours
                return _response(*await batches.submit(tid, calls))
            return _response(*await run(_submit_once, connect, tid, queue, calls))
        if context_id is None and headers.get(CONTEXT_ACCEPT, "").lower() != "header":
            return _response(await run_call(_call_once, connect, function, params))
        try:
            owner = caller(request)
            session = await (sessions.open(owner) if context_id is None
                             else sessions.find(context_id, owner))
            answer = await sessions.run(session, _invoke, session.conn, function, params)
        except SessionNotFound as error:  # 400, as the ICF's "Session not found"
            return _response(error_answer(error, 400),
                             {CONTEXT_ID: context_id} if context_id else None)
        except RFCLibError as error:
            return _response(error_answer(error))
        if headers.get(CONTEXT_CLOSE, "").upper() == "X":
            await sessions.close(session)
        return _response(answer, {CONTEXT_ID: session.id})

    async def submit_unit(request: Request) -> Response:
        try:
            tid, queue, calls = _unit(await request.body())
        except RFCLibError as error:
            return _response(error_answer(error))
        if queue is None and not inline_units:
            return _response(*await batches.submit(tid, calls))
        return _response(*await run(_submit_once, connect, tid, queue, calls))

    async def submit_units(request: Request) -> Response:
        try:
            units = _units(await request.body())
        except RFCLibError as error:
            return _response(error_answer(error))
        return _response(await run(_submit_batch, connect, units))

    async def confirm_unit(request: Request) -> Response:
        tid = request.path_params["TID"]
        if not is_tid(tid):
            return _response(error_answer(invalid_parameter(f"'{tid}' is not a 24-character TID")))
        return _response(await run(_confirm_once, connect, tid))

    return [
        Route(f"{RFC_PATH}/{{FUNCTION:path}}", call_function, methods=["POST"]),
        Route(UNIT_PATH, submit_unit, methods=["POST"]),
        Route(UNITS_PATH, submit_units, methods=["POST"]),
        Route(f"{UNIT_PATH}/{{TID}}/confirm", confirm_unit, methods=["POST"]),
    ]


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
    """

    def __init__(self, connect: Connect, max_units: int = 64) -> None:
        self.connect = connect
        self.max_units = max_units
        self._pending: list[tuple[str, list[RfcCall], asyncio.Future[Any]]] = []
        self._drain: asyncio.Task[None] | None = None

    async def submit(self, tid: str, calls: list[RfcCall]) -> tuple[Answer, dict[str, str]]:
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
                    answers = await run_in_threadpool(
                        _submit_together, self.connect, [(tid, calls) for tid, calls, _ in batch])
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
