"""Control of the fake pyrfc (not part of PyRFC): the systems it reaches, and the ABAP side.

    system = pyrfc._fake.register_system("erp.example", erp.connect, users={"GW": "secret"})
    system.down = True          # every use raises CommunicationError (partner not reached)
    system.lose_answers = 1     # the next unit runs, then its answer is lost on the way back
    pyrfc._fake.abap_call("STFC_CONNECTION", REQUTEXT="hi")     # SAP calls a registered server
    tid = pyrfc._fake.abap_unit([("Z_POST", {...})])             # ... sends it a tRFC unit
    pyrfc._fake.abap_confirm(tid)

A system is a host and a factory of sapgw `RfcConnection`s (e.g. `ErpSystem.connect`), so
calls really execute; its gateway (for `Server`) is the same host.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._exception import (
    ABAPApplicationError,
    ABAPRuntimeError,
    CommunicationError,
    ExternalRuntimeError,
    LogonError,
    RFCError,
    RFCLibError,
)

MISSING_HOST = "Parameter ASHOST, GWHOST, MSHOST or SERVER_PORT is missing."
_ERROR_FIELDS = ("message", "code", "key", "msg_class", "msg_type", "msg_number", "msg_v1",
                 "msg_v2", "msg_v3", "msg_v4")


def invalid_parameter(message: str) -> ExternalRuntimeError:
    return ExternalRuntimeError(message, 20, "RFC_INVALID_PARAMETER")


def not_reached(host: str, service: str) -> CommunicationError:
    return CommunicationError(f"partner '{host}:{service}' not reached", 1,
                              "RFC_COMMUNICATION_FAILURE")


def translate(exc: BaseException) -> BaseException:
    """An error of the system behind (sapgw's pyrfc-shaped classes) as pyrfc's own."""
    from . import _exception

    if isinstance(exc, RFCError | TypeError):
        return exc
    cls = getattr(_exception, type(exc).__name__, None)
    if isinstance(cls, type) and issubclass(cls, RFCLibError) and hasattr(exc, "code"):
        return cls(**{name: getattr(exc, name, None) for name in _ERROR_FIELDS})
    if type(exc).__name__ == "RFCError":
        return RFCError(*exc.args)
    return ABAPRuntimeError(f"{type(exc).__name__}: {exc}", 3, "SYSTEM_FAILURE")  # a dump


@dataclass(eq=False)
class FakeSystem:
    """An SAP system as the fake SDK sees it, with switches to make it misbehave."""

    host: str
    connect: Callable[[], Any]
    users: dict[str, str] = field(default_factory=dict)  # USER -> password; empty: anyone
    sysid: str = "ERP"
    client: str = "100"
    down: bool = False
    lose_answers: int = 0
    descriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)  # (submit|confirm, TID)
    queues: dict[str, str | None] = field(default_factory=dict)  # TID -> qRFC queue name

    def check_reachable(self, what: str = "") -> None:
        if self.down:
            raise not_reached(self.host, "sapgw00")

    def submit(self, tid: str, calls: list[tuple[str, dict[str, Any]]], queue: str | None
               ) -> None:
        self.check_reachable(tid)
        conn = self.connect()
        try:
            conn.fill_and_submit_unit({"id": tid, "background": False, "queued": False}, calls,
                                      queue_names=[queue] if queue else None)
        except Exception as exc:
            raise translate(exc) from exc
        finally:
            conn.close()
        self.log.append(("submit", tid))
        self.queues[tid] = queue
        if self.lose_answers > 0:
            self.lose_answers -= 1
            raise CommunicationError("connection to partner broken (answer of the unit lost)",
                                     1, "RFC_COMMUNICATION_FAILURE")

    def confirm(self, tid: str) -> None:
        self.check_reachable(tid)
        conn = self.connect()
        try:
            conn.confirm_unit({"id": tid, "background": False, "queued": False})
        finally:
            conn.close()
        self.log.append(("confirm", tid))


SYSTEMS: dict[str, FakeSystem] = {}
_servers: dict[str, Any] = {}  # program ID -> running Server
_ini: dict[str, Any] = {"dir": None, "entries": None}


def register_system(host: str, connect: Callable[[], Any], **settings: Any) -> FakeSystem:
    system = FakeSystem(host, connect, **settings)
    SYSTEMS[host] = system
    return system


def reset() -> None:
    """Forget systems, servers, served functions and the sapnwrfc.ini directory."""
    from ._cyrfc import server_functions

    SYSTEMS.clear()
    _servers.clear()
    server_functions.clear()
    _ini.update(dir=None, entries=None)


def logon(params: dict[str, str]) -> FakeSystem:
    """RfcOpenConnection: find the system, check the user."""
    host = params.get("ashost") or params.get("mshost") or params.get("gwhost")
    if not host:
        raise invalid_parameter(MISSING_HOST)
    system = SYSTEMS.get(host)
    if system is None or system.down:
        raise not_reached(host, params.get("msserv") or f"sapgw{params.get('sysnr', '00')}")
    user = params.get("user", "").upper()
    if system.users and system.users.get(user) != params.get("passwd"):
        raise LogonError("Name or password is incorrect (repeat logon)")
    return system


# -- sapnwrfc.ini ------------------------------------------------------------------------------
def set_ini_file_directory(path: Any) -> None:
    if not isinstance(path, str):
        raise TypeError("sapnwrfc.ini path is not a string:", path)
    if not (Path(path) / "sapnwrfc.ini").is_file():
        raise TypeError("sapnwrfc.ini not found in:", path)
    _ini.update(dir=path, entries=None)


def reload_ini_file() -> None:
    _ini["entries"] = None


def ini_entry(dest: str) -> dict[str, str]:
    if _ini["entries"] is None:
        _ini["entries"] = _read_ini()
    return dict(_ini["entries"].get(dest.upper(), {}))


def _read_ini() -> dict[str, dict[str, str]]:
    """`KEY=VALUE` lines; each destination starts with `DEST=<name>`; `#` comments."""
    path = Path(_ini["dir"] or ".") / "sapnwrfc.ini"
    if _ini["dir"] is None and os.environ.get("RFC_INI"):
        path = Path(os.environ["RFC_INI"])
    entries: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in path.read_text().splitlines() if path.is_file() else []:
        key, _, value = line.split("#", 1)[0].strip().partition("=")
        if key.upper() == "DEST":
            current = entries.setdefault(value.strip().upper(), {})
        elif key and current is not None:
            current[key.strip().lower()] = value.strip()
    return entries


# -- the ABAP side of a registered server ------------------------------------------------------
def register_server(server: Any, params: dict[str, str]) -> None:
    """RfcLaunchServer: the program ID registers at the gateway of its host."""
    system = SYSTEMS.get(params["gwhost"])
    if system is None or system.down:
        raise not_reached(params["gwhost"], params.get("gwserv", "sapgw00"))
    _servers[params["program_id"]] = server


def unregister_server(server: Any) -> None:
    for program_id in [p for p, s in _servers.items() if s is server]:
        del _servers[program_id]


def running_servers() -> list[str]:
    return sorted(_servers)


def abap_call(func_name: str, *, conv_id: str = "00000001", **params: Any) -> dict[str, Any]:
    """SAP calls `func_name` synchronously on the registered program offering it."""
    from ._cyrfc import UnitCallType

    return _invoke(func_name, params, {"call_type": UnitCallType.synchronous,
                                       "is_stateful": False}, conv_id)


def abap_unit(calls: list[tuple[str, dict[str, Any]]], *, tid: str | None = None,
              queue: str | None = None, program_id: str | None = None) -> str:
    """SAP sends a tRFC (or, with `queue`, qRFC) unit: check, calls, commit or rollback."""
    from ._cyrfc import RCStatus, UnitCallType

    server = _server(program_id)
    tid = tid or uuid.uuid4().hex[:24].upper()
    handlers = server.transaction_handlers
    status = _handle(handlers.get("check"), server, tid)
    if status == RCStatus.RFC_EXECUTED:
        return tid
    if status != RCStatus.OK:
        raise ExternalRuntimeError(f"check of TID {tid} answered {status}", 15,
                                   "RFC_EXTERNAL_FAILURE")
    context = {"call_type": UnitCallType.queued if queue else UnitCallType.transactional,
               "is_stateful": False, "unit_identifier": {"queued": queue is not None, "id": tid}}
    try:
        for name, params in calls:
            _invoke(name, params, context, "00000001")
    except BaseException:
        _handle(handlers.get("rollback"), server, tid)
        raise
    status = _handle(handlers.get("commit"), server, tid)
    if status != RCStatus.OK:
        _handle(handlers.get("rollback"), server, tid)
        raise ExternalRuntimeError(f"commit of TID {tid} answered {status}", 15,
                                   "RFC_EXTERNAL_FAILURE")
    return tid


def abap_confirm(tid: str, *, program_id: str | None = None) -> None:
    server = _server(program_id)
    _handle(server.transaction_handlers.get("confirm"), server, tid)


def _server(program_id: str | None) -> Any:
    if program_id is None and len(_servers) == 1:
        return next(iter(_servers.values()))
    if program_id not in _servers:
        raise CommunicationError(f"program {program_id} is not registered at the gateway", 1,
                                 "RFC_COMMUNICATION_FAILURE")
    return _servers[program_id]


def _handle(handler: Callable[..., Any] | None, server: Any, tid: str) -> Any:
    from ._cyrfc import RCStatus

    if handler is None:
        return RCStatus.OK
    return handler(server.server_handle, tid)


def _invoke(func_name: str, params: dict[str, Any], server_context: dict[str, Any],
            conv_id: str) -> dict[str, Any]:
    """What the SDK and PyRFC's genericHandler do with one incoming call."""
    from ._cyrfc import RCStatus, UnitCallType, _initial, server_functions

    entry = server_functions.get(func_name)
    if entry is None or not entry["server"].alive:
        raise ABAPApplicationError(f"ID:FL Type:E Number:046 {func_name}", 5, "FU_NOT_FOUND",
                                   "FL", "E", "046", func_name)
    server = entry["server"]
    parameters = entry["description"]["parameters"]
    names = {p["name"] for p in parameters}
    for name in params:
        if name not in names:
            raise invalid_parameter(f"field '{name}' not found")
    values = {p["name"]: params.get(p["name"], _initial(p)) for p in parameters
              if p["direction"] != "RFC_EXPORT"}
    system = SYSTEMS.get(server._server_params["gwhost"])
    request_context = {
        "connection_attributes": {"sysId": system.sysid if system else "", "client": "100",
                                  "user": "RFCUSER", "partnerHost": "sap", "rfcRole": "S",
                                  "cpicConvId": conv_id},
        "server_context": server_context}
    check = server.options.get("authentication_check")
    if check is not None and check(func_name, request_context) != RCStatus.OK:
        raise ExternalRuntimeError(f"No authentication for '{func_name}'", 15,
                                   "RFC_EXTERNAL_FAILURE")
    try:
        result = entry["callback"](request_context, **values)
    except (ExternalRuntimeError, ABAPRuntimeError, ABAPApplicationError):
        raise
    except Exception as exc:
        raise ExternalRuntimeError("Invalid exception raised by callback function.", 15,
                                   "RFC_EXTERNAL_FAILURE") from exc
    if server_context["call_type"] == UnitCallType.background_unit:
        return {}
    if not isinstance(result, dict):
        raise ExternalRuntimeError(f"error: callback function {func_name} returned "
                                   f"{type(result)} instead of dictionary", 15,
                                   "RFC_EXTERNAL_FAILURE")
    for name in result:
        if name not in names:
            raise invalid_parameter(f"field '{name}' not found")
    outputs = {p["name"] for p in parameters if p["direction"] != "RFC_IMPORT"}
    return {name: value for name, value in result.items() if name in outputs}
