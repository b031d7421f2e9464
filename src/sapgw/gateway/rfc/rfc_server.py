"""`sapgw rfc-server`: register at an SAP gateway with `pyrfc.Server` and serve the gateway.

SAP systems then reach, through an SM59 destination of type T (registered server program,
the `program_id` of `[rfc_server]`), what `sapgw serve` offers over JSON/SOAP RFC: the
gateway's own functions (IDOC_INBOUND_ASYNCHRONOUS, queued inbound calls) and the ERP stub's
behind them (`gateway.served_rfc`). pyrfc reads each function's interface from the SAP
system of `repository_destination`, so only functions SAP knows can be served.

Synchronous calls run on a session per SAP connection (its conversation ID), so a BAPI and
BAPI_TRANSACTION_COMMIT share one LUW. tRFC/qRFC units are collected between SAP's check and
commit and run at commit, exactly once per TID, by the served system (its ARFCRSTATE);
SAP does not tell an external server the qRFC queue name, and its outbound queue sends the
next unit only after this one is committed, so order holds. bgRFC is not served.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from sapgw.gateway.config import RfcServerSettings, Settings
from sapgw.gateway.rfc.pyrfc_destination import (
    PyrfcMissing,
    connection_params,
    load_pyrfc,
    translate,
)
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import ABAPApplicationError, ABAPRuntimeError, RFCLibError
from sapgw.rfc.interface import Direction, FunctionInterface

if TYPE_CHECKING:
    from sapgw.gateway.runtime import Gateway

log = logging.getLogger("sapgw.rfc_server")

SESSION_IDLE_SECONDS = 600.0
_UNIT_CALLS = ("transactional", "queued")


class ServedSystem(Protocol):
    """What is served: `gateway.served_rfc` (gateway functions, then the ERP stub)."""

    def names(self) -> list[str]: ...

    def connect(self) -> RfcConnection: ...

    def interface(self, name: str) -> FunctionInterface: ...


class RfcServer:
    """One `pyrfc.Server` whose functions and tRFC handlers call the served system."""

    def __init__(self, pyrfc: ModuleType, settings: RfcServerSettings,
                 client_params: dict[str, str], served: ServedSystem,
                 session_idle_seconds: float = SESSION_IDLE_SECONDS) -> None:
        self._pyrfc = pyrfc
        self.settings = settings
        self.served = served
        self._sessions = _Sessions(served.connect, session_idle_seconds)
        self._units = _Units()
        self.functions: list[str] = []
        self.failure: BaseException | None = None
        self._thread: threading.Thread | None = None
        self.server = pyrfc.Server(server_params(settings), client_params)

    def install(self) -> list[tuple[str, str]]:
        """Add the functions and the tRFC handlers; answer the (name, reason) left out."""
        wanted = list(self.settings.functions) or self.served.names()
        known = set(self.served.names())
        skipped = []
        for name in wanted:
            if name not in known:
                skipped.append((name, "the gateway does not serve it"))
                continue
            try:
                self.server.add_function(name, self._callback(name))
            except self._pyrfc.RFCError as exc:  # e.g. FU_NOT_FOUND in the SAP repository
                skipped.append((name, str(translate(self._pyrfc, exc))))
                continue
            self.functions.append(name)
        self.server.transaction_rfc_init(sysId=None, transactionHandler={
            "check": self.on_check, "commit": self.on_commit,
            "rollback": self.on_rollback, "confirm": self.on_confirm})
        return skipped

    def start(self, stopped: threading.Event) -> None:
        """Register at the gateway in a thread; a failure is kept and sets `stopped`."""
        def serve() -> None:
            try:
                self.server.serve()
            except BaseException as exc:  # reported by the caller of start()
                self.failure = translate(self._pyrfc, exc)
                stopped.set()

        self._thread = threading.Thread(target=serve, name="sapgw-rfc-server", daemon=True)
        self._thread.start()

    def close(self) -> None:
        with suppress(Exception):  # shutting down: nothing left to report to
            self.server.close()
        self._sessions.close()

    # -- function callbacks ----------------------------------------------------------------
    def _callback(self, name: str) -> Callable[..., dict[str, Any]]:
        def callback(request_context: dict[str, Any], **params: Any) -> dict[str, Any]:
            return self.handle(name, request_context, params)

        callback.__name__ = f"serve_{name.lower()}"
        return callback

    def handle(self, name: str, request_context: dict[str, Any], params: dict[str, Any]
               ) -> dict[str, Any]:
        """One call from SAP: run it, or (in a unit) keep it for the commit."""
        request_context = request_context or {}
        context = request_context.get("server_context") or {}
        call_type = getattr(context.get("call_type"), "name", "synchronous")
        params = self._known_params(name, params)
        if call_type in _UNIT_CALLS:
            tid = str((context.get("unit_identifier") or {}).get("id", "")).strip()
            if not tid:
                raise self._pyrfc.ExternalRuntimeError(
                    f"{name}: a {call_type} call without a TID", 15, "RFC_EXTERNAL_FAILURE")
            self._units.add(tid, name, params)
            return {}
        if call_type != "synchronous":
            raise self._pyrfc.ExternalRuntimeError(
                f"{name}: bgRFC is not served by sapgw rfc-server; send tRFC or qRFC", 15,
                "RFC_EXTERNAL_FAILURE")
        conversation = str((request_context.get("connection_attributes") or {})
                           .get("cpicConvId", ""))
        try:
            with self._sessions.session(conversation) as conn:
                return conn.call(name, **params)
        except Exception as exc:
            raise self._abap_error(exc) from exc

    def _known_params(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Drop parameters of SAP's interface the served one lacks, when they are empty."""
        try:
            interface = self.served.interface(name)
        except Exception:  # unknown here: let the call report it
            return params
        ours = {p.name for p in interface.parameters if p.direction is not Direction.EXPORT}
        return {key: value for key, value in params.items()
                if key in ours or not _initial(value)}

    def _abap_error(self, exc: Exception) -> Exception:
        """Ours as the three classes a pyrfc callback may raise (wire.md §1.9)."""
        pyrfc = self._pyrfc
        if isinstance(exc, RFCLibError):
            cls = (pyrfc.ABAPApplicationError if isinstance(exc, ABAPApplicationError)
                   else pyrfc.ABAPRuntimeError if isinstance(exc, ABAPRuntimeError)
                   else pyrfc.ExternalRuntimeError)
            return cls(exc.message, exc.code, exc.key, exc.msg_class, exc.msg_type,
                       exc.msg_number, exc.msg_v1, exc.msg_v2, exc.msg_v3, exc.msg_v4)
        log.exception("serving an RFC call failed")
        return pyrfc.ExternalRuntimeError(f"{type(exc).__name__}: {exc}", 15,
                                          "RFC_EXTERNAL_FAILURE")

    # -- tRFC / qRFC handlers: f(rfc_handle, tid) -> RCStatus --------------------------------
    def on_check(self, rfc_handle: int, tid: str) -> Any:
        """Always go ahead: the commit runs the unit once per TID, so a resend is harmless."""
        self._units.begin(tid.strip())
        return self._pyrfc.RCStatus.OK

    def on_commit(self, rfc_handle: int, tid: str) -> Any:
        tid = tid.strip()
        calls = self._units.take(tid)
        if not calls:
            return self._pyrfc.RCStatus.OK
        try:
            with self.served.connect() as conn:
                conn.fill_and_submit_unit({"id": tid, "background": False, "queued": False},
                                          calls)
        except Exception:
            log.exception("unit %s failed; SAP keeps it for another try (SM58/SMQ1)", tid)
            return self._pyrfc.RCStatus.RFC_EXTERNAL_FAILURE
        return self._pyrfc.RCStatus.OK

    def on_rollback(self, rfc_handle: int, tid: str) -> Any:
        self._units.take(tid.strip())
        return self._pyrfc.RCStatus.OK

    def on_confirm(self, rfc_handle: int, tid: str) -> Any:
        try:
            with self.served.connect() as conn:
                conn.confirm_unit({"id": tid.strip(), "background": False, "queued": False})
        except Exception:  # an unconfirmed TID is only kept longer
            log.warning("confirming TID %s failed", tid, exc_info=True)
        return self._pyrfc.RCStatus.OK


def server_params(settings: RfcServerSettings) -> dict[str, str]:
    """pyrfc.Server's registration parameters: a sapnwrfc.ini dest, or gateway + program."""
    if settings.dest:
        return {"dest": settings.dest}
    params = {"gwhost": settings.gwhost, "gwserv": settings.gwserv,
              "program_id": settings.program_id, "saprouter": settings.saprouter,
              "trace": settings.trace}
    return {key: value for key, value in params.items() if value}


@dataclass
class _Units:
    """The calls of units between SAP's check and commit, by TID."""

    calls: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def begin(self, tid: str) -> None:
        with self.lock:
            self.calls[tid] = []

    def add(self, tid: str, name: str, params: dict[str, Any]) -> None:
        with self.lock:
            self.calls.setdefault(tid, []).append((name, params))

    def take(self, tid: str) -> list[tuple[str, dict[str, Any]]]:
        with self.lock:
            return self.calls.pop(tid, [])


class _Sessions:
    """A served connection per SAP conversation, closed when idle too long."""

    def __init__(self, connect: Callable[[], RfcConnection], idle_seconds: float) -> None:
        self._connect = connect
        self._idle = idle_seconds
        self._open: dict[str, tuple[RfcConnection, float]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def session(self, key: str) -> Iterator[RfcConnection]:
        if not key:  # no conversation to attach to: a connection for this call only
            with self._connect() as conn:
                yield conn
            return
        now = time.monotonic()
        with self._lock:
            idle = [k for k, (_, used) in self._open.items()
                    if k != key and now - used > self._idle]
            stale = [self._open.pop(k)[0] for k in idle]
            entry = self._open.pop(key, None)
        _close_all(stale)
        conn = entry[0] if entry else self._connect()
        try:
            yield conn
        finally:
            with self._lock:
                previous = self._open.get(key)
                self._open[key] = (conn, time.monotonic())
            if previous is not None:  # two calls of one conversation at once: keep the last
                _close_all([previous[0]])

    def close(self) -> None:
        with self._lock:
            connections, self._open = [c for c, _ in self._open.values()], {}
        _close_all(connections)


def _close_all(connections: list[RfcConnection]) -> None:
    for conn in connections:
        with suppress(Exception):  # a broken connection is gone anyway
            conn.close()


def _initial(value: Any) -> bool:
    """Whether a value pyrfc filled in for an unsent parameter is still initial."""
    if isinstance(value, dict):
        return all(_initial(v) for v in value.values())
    if isinstance(value, str):
        return not value.strip("0 ")
    if isinstance(value, Decimal | int | float):
        return value == 0
    return not value


def _stop_on_sigterm() -> threading.Event:
    stopped = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    return stopped


def run_rfc_server(settings: Settings, stopped: threading.Event | None = None,
                   gateway: Gateway | None = None) -> int:
    """The `sapgw rfc-server` command: serve until SIGTERM/Ctrl-C (or `stopped` is set)."""
    config = settings.rfc_server
    if config is None:
        print("sapgw: config.ini has no [rfc_server] section (gwhost, gwserv, program_id, "
              "repository_destination); see docs/PYRFC.md", file=sys.stderr)
        return 2
    try:
        pyrfc = load_pyrfc()
    except PyrfcMissing as exc:
        print(f"sapgw: rfc-server needs pyrfc, but {exc}", file=sys.stderr)
        return 2
    from sapgw.gateway.runtime import Gateway

    own_gateway = gateway is None
    gateway = gateway or Gateway(settings)
    server: RfcServer | None = None
    try:
        repository = settings.destinations[config.repository_destination]
        try:
            server = RfcServer(pyrfc, config, connection_params(repository.params),
                               gateway.served_rfc)
            skipped = server.install()
        except pyrfc.RFCError as exc:
            raise translate(pyrfc, exc) from exc
        for name, reason in skipped:
            print(f"sapgw: not serving {name}: {reason}", file=sys.stderr)
        if stopped is None:
            stopped = _stop_on_sigterm()
        server.start(stopped)
        where = config.dest or f"{config.gwhost}:{config.gwserv}"
        print(f"sapgw rfc-server: program {config.program_id or config.dest} registering at "
              f"{where}, serving {len(server.functions)} functions; Ctrl-C stops", flush=True)
        while not stopped.is_set():  # short waits, so Ctrl-C is seen at once
            stopped.wait(0.5)
        if server.failure is not None:
            raise server.failure
        return 0
    finally:
        if server is not None:
            server.close()
        if own_gateway:
            gateway.close()
