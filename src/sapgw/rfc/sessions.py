"""Stateful sessions of the HTTP RFC routes (JSON RFC and SOAP RFC): one connection, and so
one LUW, kept across requests, as the ICF keeps a stateful session.

A session is found by its id (`sap-contextid`); calls on one session run one at a time, in
worker threads. A session idle beyond the timeout is closed with its uncommitted work; the
number of sessions is bounded, so a client that never closes them cannot exhaust memory.
A session belongs to the user who opened it (`caller`): its id used by anyone else is
"not found", so a leaked or guessed `sap-contextid` never reaches another user's LUW.
Touched only on the event loop, so the dict needs no lock; a session's connection is used by
one worker thread at a time (the session's lock), closing included.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import CommunicationError
from sapgw.rfc.jsonvalues import CONTEXT_CLOSE, CONTEXT_ID

log = logging.getLogger(__name__)

Connect = Callable[[], RfcConnection]
T = TypeVar("T")


class SessionNotFound(CommunicationError):
    """An unknown, closed or expired session id: the ICF's "Session not found"."""

    def __init__(self, context_id: str) -> None:
        super().__init__(
            f"Session not found: {CONTEXT_ID} {context_id} is unknown, closed or expired "
            "after being idle; its uncommitted work is discarded", 1,
            "RFC_COMMUNICATION_FAILURE")

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "error": "CommunicationError"}  # pyrfc's class on the wire


@dataclass(eq=False)
class Session:
    id: str
    conn: RfcConnection
    lock: anyio.Lock = field(default_factory=anyio.Lock)  # calls on one session run in turn
    last_used: float = field(default_factory=time.monotonic)
    busy: int = 0  # requests holding or waiting for the lock: never expired meanwhile
    closed: bool = False
    owner: str = ""  # the user who opened it (`caller`)


class Sessions:
    """The open sessions of one route family."""

    def __init__(self, connect: Connect, timeout: float, max_sessions: int) -> None:
        self._connect = connect
        self.timeout = timeout
        self.max_sessions = max_sessions
        self._sessions: dict[str, Session] = {}
        self._opening = 0

    def __len__(self) -> int:
        return len(self._sessions)

    async def open(self, owner: str = "") -> Session:
        await self._close_expired()
        if len(self._sessions) + self._opening >= self.max_sessions:
            raise CommunicationError(
                f"all {self.max_sessions} sessions are in use; end sessions (header "
                f"{CONTEXT_CLOSE}: X) or retry later", 1, "RFC_COMMUNICATION_FAILURE")
        self._opening += 1
        try:
            conn = await run_in_threadpool(self._connect)
        finally:
            self._opening -= 1
        session = Session(secrets.token_urlsafe(24), conn, owner=owner)
        self._sessions[session.id] = session
        return session

    async def lookup(self, context_id: str, owner: str = "") -> Session | None:
        """The live session of that id opened by `owner`, or None (an expired one is closed
        on the way; another user's is left alone)."""
        session = self._sessions.get(context_id)
        if session is not None and self._expired(session):
            await self.close(session)
            session = None
        return session if session is not None and session.owner == owner else None

    async def find(self, context_id: str, owner: str = "") -> Session:
        session = await self.lookup(context_id, owner)
        if session is None:
            raise SessionNotFound(context_id)
        return session

    async def run(self, session: Session, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` in a worker thread, after every earlier call of the session.

        Raises `SessionNotFound` when the session was closed while the call waited.
        """
        session.busy += 1
        try:
            async with session.lock:
                if session.closed:
                    raise SessionNotFound(session.id)
                return await run_in_threadpool(fn, *args)
        finally:
            session.busy -= 1
            session.last_used = time.monotonic()

    async def close(self, session: Session) -> None:
        """End the session: calls still waiting for it get `SessionNotFound`; a call running
        on it (another request's) finishes before the connection closes."""
        if self._sessions.pop(session.id, None) is None:
            return
        session.closed = True
        async with session.lock:
            await run_in_threadpool(close_quietly, session.conn)

    def _expired(self, session: Session) -> bool:
        return not session.busy and time.monotonic() - session.last_used > self.timeout

    async def _close_expired(self) -> None:
        for session in [s for s in self._sessions.values() if self._expired(s)]:
            await self.close(session)


def caller(request: Request) -> str:
    """Who sends the request: the name of the user the app's auth middleware put into
    `scope["user"]`; "" on an app without one (`sapgw erp serve`)."""
    return caller_of(request.scope)


def caller_of(scope: Mapping[str, Any]) -> str:
    """`caller` of a request's ASGI scope (the raw JSON RFC path has no Request)."""
    return str(getattr(scope.get("user"), "name", ""))


def close_quietly(conn: RfcConnection) -> None:
    try:
        conn.close()
    except Exception:
        log.exception("closing an RFC connection failed")
