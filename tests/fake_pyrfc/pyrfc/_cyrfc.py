"""The fake of pyrfc's C extension: `Connection` and `Server` on in-process systems.

Behaviour follows PyRFC 3.3 as reference/wire.md §1 records it: argument checks and their
exact messages, the input conversion rules of `fillVariable` (TypeError with the field and
parameter names appended), unit bookkeeping, and the error classes. Instead of the NW RFC
SDK, a connection reaches a system registered with `pyrfc._fake.register_system` (a host
and a factory of sapgw `RfcConnection`s, e.g. the ERP stub's `connect`).

One deliberate difference: a t/qRFC transaction still open (submitted, neither confirmed
nor destroyed) refuses a second `fill_and_submit_unit`, as wire.md §1.7 states; PyRFC's
code only checks this for bgRFC units and silently drops the older transaction handle.
"""

from __future__ import annotations

import datetime as dt
import itertools
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import Enum
from typing import Any

from . import _fake
from ._exception import (
    ABAPApplicationError,
    ABAPRuntimeError,
    CommunicationError,
    ExternalRuntimeError,
    RFCError,
)
from ._fake import MISSING_HOST, invalid_parameter, translate

CONFIG_KEYS = ("dtime", "return_import_params", "rstrip", "check_date", "check_time",
               "timeout")
SERVER_CONFIG_KEYS = ("rstrip", "dtime", "check_date", "check_time", "debug", "server_log",
                      "authorization_check", "authentication_check", "port")
_conv_ids = itertools.count(1)


class RCStatus(Enum):
    OK = 0
    RFC_EXTERNAL_FAILURE = 15
    RFC_EXECUTED = 16
    RFC_NOT_FOUND = 17


class UnitCallType(Enum):
    synchronous = 0
    transactional = 1
    queued = 2
    background_unit = 3


class UnitState(Enum):
    not_found = 0
    in_process = 1
    committed = 2
    rolled_back = 3
    confirmed = 4
    created = 5
    executed = 6


def get_nwrfclib_version() -> dict[str, Any]:
    return {"major": 7500, "minor": 0, "patchLevel": 0, "platform": "fake"}


def _logon_params(params: dict[str, Any]) -> dict[str, str]:
    """Checked, lower-cased parameters, a `dest` merged from sapnwrfc.ini."""
    if not params:
        raise RFCError("Connection parameters missing")
    for name, value in params.items():
        if not isinstance(value, str):
            raise RFCError(f"Connection parameter '{name}' value is not string")
    merged = {name.lower(): value for name, value in params.items()}
    if "dest" in merged:
        merged = {**_fake.ini_entry(merged["dest"]), **merged}
    return merged


# -- descriptions ------------------------------------------------------------------------------
class TypeDescription:
    def __init__(self, name: str, nuc_length: int, uc_length: int) -> None:
        if not 1 <= len(name) <= 30:
            raise TypeError(f"field 'name' (string) '{name}' should be from 1-30 chars.")
        self.name = name
        self.nuc_length = nuc_length
        self.uc_length = uc_length
        self.fields: list[dict[str, Any]] = []

    def add_field(self, name: str, field_type: str, nuc_length: int, uc_length: int,
                  nuc_offset: int, uc_offset: int, decimals: int = 0,
                  type_description: TypeDescription | None = None) -> None:
        self.fields.append({"name": name, "field_type": field_type, "nuc_length": nuc_length,
                            "nuc_offset": nuc_offset, "uc_length": uc_length,
                            "uc_offset": uc_offset, "decimals": decimals,
                            "type_description": type_description})

    def __repr__(self) -> str:
        return (f"<TypeDescription '{self.name}' with {len(self.fields)} fields "
                f"(n/uclength={self.nuc_length}/{self.uc_length})>")


class FunctionDescription:
    def __init__(self, name: str) -> None:
        self.name = name
        self.parameters: list[dict[str, Any]] = []

    def add_parameter(self, name: str, parameter_type: str, direction: str, nuc_length: int,
                      uc_length: int, decimals: int = 0, default_value: str = "",
                      parameter_text: str = "", optional: bool = False,
                      type_description: TypeDescription | None = None) -> None:
        if not 1 <= len(name) <= 30:
            raise TypeError(f"field 'name' (string) {name} should be from 1-30 chars.")
        self.parameters.append({
            "name": name, "parameter_type": parameter_type, "direction": direction,
            "nuc_length": nuc_length, "uc_length": uc_length, "decimals": decimals,
            "default_value": default_value, "parameter_text": parameter_text,
            "optional": optional, "type_description": type_description})

    def __repr__(self) -> str:
        return f"<FunctionDescription '{self.name}' with {len(self.parameters)} params>"


def _function_description(raw: dict[str, Any]) -> FunctionDescription:
    description = FunctionDescription(raw["name"])
    for param in raw["parameters"]:
        type_description = None
        raw_type = param.get("type_description")
        if raw_type:
            length = sum(f.get("uc_length", 0) for f in raw_type["fields"])
            type_description = TypeDescription(raw_type["name"] or param["name"], length // 2,
                                               length)
            for f in raw_type["fields"]:
                type_description.add_field(f["name"], f["field_type"], f["uc_length"] // 2,
                                           f["uc_length"], f.get("uc_offset", 0) // 2,
                                           f.get("uc_offset", 0), f.get("decimals", 0))
        uc_length = param.get("uc_length", 0)
        description.add_parameter(param["name"], param["parameter_type"], param["direction"],
                                  uc_length // 2, uc_length, param.get("decimals", 0),
                                  param.get("default_value") or "",
                                  (param.get("parameter_text") or "")[:79],
                                  bool(param.get("optional")), type_description)
    return description


# -- input conversion (fillVariable) -----------------------------------------------------------
def _fill(parameter: dict[str, Any], value: Any, options: dict[str, Any]) -> None:
    """Check `value` as pyrfc's fillVariable does; TypeError names field, then parameter."""
    _fill_variable(parameter["parameter_type"], parameter["name"], value,
                   parameter.get("type_description"), options)


def _fill_variable(typ: str, name: str, value: Any, type_description: Any,
                   options: dict[str, Any]) -> None:
    try:
        if typ == "RFCTYPE_STRUCTURE":
            if type(value) is not dict:
                raise TypeError("dictionary required for structure parameter, received",
                                str(type(value)))
            for field_name, field_value in value.items():
                _fill_field(type_description, field_name, field_value, options)
        elif typ == "RFCTYPE_TABLE":
            if type(value) is not list:
                raise TypeError("list required for table parameter, received", str(type(value)))
            for line in value:
                if type(line) is dict:
                    for field_name, field_value in line.items():
                        _fill_field(type_description, field_name, field_value, options)
                else:
                    _fill_field(type_description, "", line, options)
        elif typ in ("RFCTYPE_CHAR", "RFCTYPE_STRING", "RFCTYPE_UTCLONG"):
            if type(value) is not str:
                raise TypeError("an string is required, received", value, "of type", type(value))
        elif typ == "RFCTYPE_NUM":
            if not (isinstance(value, str) and value.isdigit()):
                raise TypeError("a numeric string is required, received", value, "of type",
                                type(value))
        elif typ in ("RFCTYPE_BCD", "RFCTYPE_FLOAT", "RFCTYPE_DECF16", "RFCTYPE_DECF34"):
            text = str(value) if type(value) in (float, Decimal) else value
            try:
                Decimal(text)
                text.encode()
            except Exception:
                raise TypeError("a decimal value required, received", value, "of type",
                                type(value)) from None
        elif typ in ("RFCTYPE_INT", "RFCTYPE_INT1", "RFCTYPE_INT2", "RFCTYPE_INT8"):
            if type(value) is not int:
                raise TypeError("an integer required, received", value, "of type", type(value))
        elif typ == "RFCTYPE_DATE":
            if value and not _valid(value, dt.date, 8, "%Y%m%d", options.get("check_date", True)):
                raise TypeError("date value required, received", value, "of type", type(value))
        elif typ == "RFCTYPE_TIME":
            if value and not _valid(value, dt.time, 6, "%H%M%S", options.get("check_time", True)):
                raise TypeError("time value required, received", value, "of type", type(value))
        elif typ in ("RFCTYPE_BYTE", "RFCTYPE_XSTRING"):
            if not isinstance(value, bytes | bytearray):
                raise TypeError("bytes required, received", value, "of type", type(value))
        else:
            raise RFCError(f"Unknown RFC type {typ} when filling {name}")
    except TypeError as error:
        error.args += (name,)
        raise


def _fill_field(type_description: Any, name: str, value: Any, options: dict[str, Any]) -> None:
    fields = {f["name"]: f for f in (type_description or {}).get("fields", [])}
    field = fields.get(name)
    if field is None:
        raise invalid_parameter(f"field '{name}' not found")
    _fill_variable(field["field_type"], name, value, field.get("type_description"), options)


def _valid(value: Any, kind: type, length: int, fmt: str, check: bool) -> bool:
    if type(value) is kind:
        return True
    if not isinstance(value, str):
        return False
    if not check or not value.strip():
        return True
    try:
        dt.datetime.strptime(value, fmt)
    except ValueError:
        return False
    return len(value) == length


def _initial(parameter: dict[str, Any]) -> Any:
    """What pyrfc hands a server callback for a parameter the caller did not send."""
    typ = parameter.get("parameter_type") or parameter.get("field_type")
    if typ == "RFCTYPE_TABLE":
        return []
    if typ == "RFCTYPE_STRUCTURE":
        return {f["name"]: _initial(f) for f in parameter["type_description"]["fields"]}
    if typ == "RFCTYPE_NUM":
        return "0" * (parameter.get("uc_length", 2) // 2)
    if typ == "RFCTYPE_TIME":
        return "000000"
    if typ == "RFCTYPE_BCD":
        return Decimal(0).scaleb(-int(parameter.get("decimals") or 0))
    if typ in ("RFCTYPE_INT", "RFCTYPE_INT1", "RFCTYPE_INT2", "RFCTYPE_INT8"):
        return 0
    if typ == "RFCTYPE_FLOAT":
        return 0.0
    return ""


# -- Connection --------------------------------------------------------------------------------
class Connection:
    """A client connection to a registered fake system (PyRFC 3.3 `Connection`)."""

    def __init__(self, config: dict[str, Any] | None = None, **params: Any) -> None:
        config = dict(config or {})
        for key in config:
            if key not in CONFIG_KEYS:
                raise RFCError(f"Connection configuration option '{key}' is not supported")
        self._options = {"dtime": False, "return_import_params": False, "rstrip": True,
                         "check_date": True, "check_time": True, "timeout": None, **config}
        self._params = _logon_params(params)
        self._system: _fake.FakeSystem | None = None
        self._session: Any = None
        self._transaction: dict[str, Any] | None = None  # open t/qRFC unit
        self._conv_id = ""
        self.open()

    # properties and lifecycle
    @property
    def options(self) -> dict[str, Any]:
        return dict(self._options)

    @property
    def alive(self) -> bool:
        return self._session is not None

    @property
    def handle(self) -> int | None:
        return id(self._session) if self._session is not None else None

    @property
    def version(self) -> dict[str, Any]:
        return get_nwrfclib_version()

    def __bool__(self) -> bool:
        return self.alive

    def open(self) -> None:
        system = _fake.logon(self._params)
        self._system = system
        self._session = system.connect()
        self._conv_id = f"{next(_conv_ids):08d}"

    def reopen(self) -> None:
        self.close()
        self.open()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        self._session = None
        self._transaction = None

    def free(self) -> None:
        self.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cancel(self) -> None:
        self.close()

    def is_valid(self) -> bool:
        return self.alive

    def reset_server_context(self) -> None:
        self._renew_session()

    def ping(self) -> None:
        if not self.alive:
            raise ExternalRuntimeError(
                "An invalid handle 'RFC_CONNECTION_HANDLE' was passed to the API call", 13,
                "RFC_INVALID_HANDLE")
        self._reach("RFC_PING")

    def get_connection_attributes(self) -> dict[str, Any]:
        if not self.alive or self._system is None:
            return {}
        params = self._params
        return {
            "dest": params.get("dest", ""), "host": socket.gethostname(),
            "partnerHost": params.get("ashost") or params.get("mshost", ""),
            "sysNumber": params.get("sysnr", ""), "sysId": self._system.sysid,
            "client": params.get("client", self._system.client),
            "user": params.get("user", "").upper(), "language": params.get("lang", "E")[:1],
            "trace": params.get("trace", "0"), "isoLanguage": params.get("lang", "EN").upper(),
            "codepage": "4103", "partnerCodepage": "4103", "rfcRole": "C", "type": "E",
            "partnerType": "3", "rel": "753", "partnerRel": "753", "kernelRel": "753",
            "cpicConvId": self._conv_id, "progName": "SAPLSYST", "partnerBytesPerChar": "2",
            "partnerSystemCodepage": "4103", "partnerIP": "127.0.0.1", "partnerIPv6": "",
            "reserved": "", "active_unit": self._transaction is not None}

    # descriptions
    def get_function_description(self, func_name: str) -> FunctionDescription:
        return _function_description(self._describe(func_name.upper()))

    def _describe(self, func_name: str) -> dict[str, Any]:
        assert self._system is not None
        cached = self._system.descriptions.get(func_name.upper())
        if cached is None:
            try:
                cached = self._session.get_function_description(func_name)
            except Exception as exc:
                if getattr(exc, "key", None) == "FU_NOT_FOUND":
                    raise ABAPApplicationError(f"ID:FL Type:E Number:046 {func_name}", 5,
                                               "FU_NOT_FOUND", "FL", "E", "046",
                                               func_name) from None
                raise translate(exc) from exc
            self._system.descriptions[func_name.upper()] = cached
        return cached

    # synchronous calls
    def call(self, func_name: Any, options: dict[str, Any] | None = None, **params: Any
             ) -> dict[str, Any]:
        if not isinstance(func_name, str):
            raise RFCError("Remote function module name must be unicode string, received:",
                           func_name, type(func_name))
        if not self.alive:
            raise RFCError(f"Remote function module '{func_name}' invocation rejected because "
                           "the connection is closed")
        self._reach(func_name)
        inputs = self._inputs(func_name, params)
        try:
            result = dict(self._session.call(func_name, **inputs))
        except Exception as exc:
            error = translate(exc)
            if isinstance(error, ABAPRuntimeError | CommunicationError):
                self._renew_session()  # the SDK closes the connection; PyRFC reopens it
            raise error from exc
        not_requested = (options or {}).get("not_requested") or []
        for name in [not_requested] if isinstance(not_requested, str) else not_requested:
            if isinstance(result.get(name), list):
                result[name] = []
        return result

    def _inputs(self, func_name: str, params: dict[str, Any]) -> dict[str, Any]:
        """The parameters the system gets, after pyrfc's checks (EXPORT ones are not sent)."""
        described = {p["name"]: p for p in self._describe(func_name)["parameters"]}
        inputs = {}
        for name, value in params.items():
            parameter = described.get(name.upper()) if isinstance(name, str) else None
            if parameter is None:
                raise invalid_parameter(f"field '{name}' not found")
            _fill(parameter, value, self._options)
            if parameter["direction"] != "RFC_EXPORT":
                inputs[parameter["name"]] = value
        return inputs

    def _reach(self, what: str) -> None:
        assert self._system is not None
        self._system.check_reachable(what)

    def _renew_session(self) -> None:
        if self._session is not None:
            self._session.close()
        assert self._system is not None
        self._session = self._system.connect()

    # tRFC / qRFC / bgRFC units
    def initialize_unit(self, background: Any = True) -> dict[str, Any]:
        if background is True:
            unit_id = uuid.uuid4().hex.upper()
        elif background is False:
            unit_id = uuid.uuid4().hex[:24].upper()
        else:
            raise RFCError("Argument 'background' must be a boolean value.")
        return {"background": background, "id": unit_id, "queued": False}

    def fill_and_submit_unit(self, unit: Any, calls: Any, queue_names: Any = None,
                             attributes: Any = None) -> dict[str, Any]:
        if type(unit) is not dict or "id" not in unit or "background" not in unit:
            raise TypeError("Parameter 'unit' not valid. Please use initialize_unit() to "
                            "retrieve a valid unit.")
        if not isinstance(calls, Iterable):
            raise TypeError("Parameter 'calls' must be iterable.")
        calls = list(calls)
        if len(calls) == 0:
            raise TypeError("Parameter 'calls' must contain at least on call description "
                            "(func_name, params).")
        for func_name, params in calls:
            if type(func_name) is not str or type(params) is not dict:
                raise TypeError("Parameter 'calls' must contain valid call descriptions "
                                "(func_name, params dict).")
        if self._transaction is not None:
            raise RFCError("There is an active unit for this connection. Use destroy_unit() "
                           "or confirm_unit().")
        background, unit_id = unit["background"], unit["id"]
        if background is True:
            if len(unit_id) != 32:
                raise TypeError(f"Length of parameter 'unit['id']' must be 32 chars, found "
                                f"{len(unit_id)}.")
            raise ExternalRuntimeError("bgRFC units are not emulated by the fake pyrfc", 18,
                                       "RFC_NOT_SUPPORTED")
        if background is not False:
            raise RFCError("Argument 'unit' not valid. (Is unit['background'] boolean?)")
        if len(unit_id) != 24:
            raise TypeError(f"Length of parameter 'unit['id']' must be 24 chars, found "
                            f"{len(unit_id)}.")
        if attributes is not None:
            raise RFCError("Argument 'attributes' not valid. (t/qRFC does not support "
                           "attributes.)")
        if queue_names is None or (type(queue_names) is list and len(queue_names) == 0):
            queue = None
        elif len(queue_names) == 1:
            queue = queue_names[0]
        else:
            raise RFCError("Argument 'queue_names' not valid. (t/qRFC only support one queue "
                           "name.)")
        if not self.alive:
            self.open()
        self._submit_transaction(unit_id, calls, queue)
        unit["queued"] = queue is not None
        return unit

    def _submit_transaction(self, tid: str, calls: list[Any], queue: str | None) -> None:
        """RfcCreateTransaction, RfcInvokeInTransaction per call, RfcSubmitTransaction."""
        assert self._system is not None
        self._transaction = {"id": tid, "queue": queue}
        try:
            inputs = [(name, self._inputs(name, params)) for name, params in calls]
            self._system.submit(tid, inputs, queue)
        except BaseException:
            self._transaction = None  # RfcDestroyTransaction, then the error
            raise

    def get_unit_state(self, unit: dict[str, Any]) -> str:
        if unit["background"] is False:
            raise RFCError("No state check possible of non-bgRFC units.")
        if unit["background"] is True:
            raise RFCError("No unit handle for this connection available.")
        raise RFCError("Argument 'unit' not valid. (Is unit['background'] boolean?)")

    def confirm_unit(self, unit: dict[str, Any]) -> None:
        self._end_unit(unit)
        assert self._system is not None and self._transaction is not None
        tid, self._transaction = self._transaction["id"], None
        self._system.confirm(tid)  # RfcConfirmTransaction of the open transaction handle

    def destroy_unit(self, unit: dict[str, Any]) -> None:
        self._end_unit(unit)
        self._transaction = None

    def _end_unit(self, unit: dict[str, Any]) -> None:
        if unit["background"] is True:
            raise RFCError("No unit handle for this connection available.")
        if unit["background"] is not False:
            raise RFCError("Argument 'unit' not valid. (Is unit['background'] boolean?)")
        if self._transaction is None:
            raise RFCError("No transaction handle for this connection available.")


# -- Server ------------------------------------------------------------------------------------
server_functions: dict[str, dict[str, Any]] = {}
TRANSACTION_HANDLERS = ("check", "commit", "rollback", "confirm")
BGRFC_HANDLERS = ("check", "commit", "rollback", "confirm", "getState")


class Server:
    """A registered server program (PyRFC 3.3 `Server`), reached through `pyrfc._fake`."""

    def __init__(self, server_params: dict[str, Any], client_params: dict[str, Any],
                 config: dict[str, Any] | None = None) -> None:
        config = dict(config or {})
        for key in config:
            if key not in SERVER_CONFIG_KEYS:
                raise RFCError(f"Connection configuration option '{key}' is not supported")
        self.options = config
        self.debug = bool(config.get("debug", False))
        self.rstrip = bool(config.get("rstrip", True))
        self._client_connection = Connection(**client_params)
        self._server_params = _logon_params(server_params)
        if not (self._server_params.get("gwhost") and self._server_params.get("program_id")):
            raise invalid_parameter(MISSING_HOST)
        self.transaction_handlers: dict[str, Callable[..., Any]] = {}
        self.bgrfc_handlers: dict[str, Callable[..., Any]] = {}
        self._state = "RFC_SERVER_INITIAL"
        self._thread = threading.Thread(target=self.serve, daemon=True)

    @property
    def program_id(self) -> str:
        return str(self._server_params["program_id"])

    @property
    def alive(self) -> bool:
        return self._state == "RFC_SERVER_RUNNING"

    @property
    def server_handle(self) -> int:
        return id(self)

    @property
    def transaction_handlers_count(self) -> int:
        return len(self.transaction_handlers)

    def add_function(self, func_name: str, callback: Callable[..., Any]) -> None:
        if func_name in server_functions:
            raise RFCError(f"Server function '{func_name}' already installed.")
        description = self._client_connection._describe(func_name)
        server_functions[func_name] = {"description": description, "callback": callback,
                                       "server": self}

    def transaction_rfc_init(self, sysId: str | None = None,
                             transactionHandler: dict[str, Callable[..., Any]] | None = None
                             ) -> int:
        for name, handler in (transactionHandler or {}).items():
            if name not in TRANSACTION_HANDLERS:
                raise TypeError(f"Transaction callback function key not supported: '{name}'")
            if not callable(handler):
                raise TypeError(f"Transaction callback function referenced by '{name}' is not "
                                f"callable: '{handler}'")
            self.transaction_handlers[name] = handler
        return 0

    def bgrfc_init(self, sysId: str | None = None,
                   bgRfcHandler: dict[str, Callable[..., Any]] | None = None) -> int:
        for name, handler in (bgRfcHandler or {}).items():
            if name not in BGRFC_HANDLERS:
                raise TypeError(f"BgRfc callback function key not supported: '{name}'")
            self.bgrfc_handlers[name] = handler
        return 0

    def serve(self) -> int:
        """RfcLaunchServer: register the program ID at the system's gateway."""
        _fake.register_server(self, self._server_params)
        self._state = "RFC_SERVER_RUNNING"
        return 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._thread.join()
        if self._state == "RFC_SERVER_RUNNING":
            _fake.unregister_server(self)
            self._state = "RFC_SERVER_STOPPED"

    def close(self) -> None:
        self.stop()
        for name in [n for n, f in server_functions.items() if f["server"] is self]:
            del server_functions[name]
        self._client_connection.close()

    def get_server_attributes(self) -> dict[str, Any]:
        return {"serverName": self.program_id, "protocolType": "multi count",
                "registrationCount": 1 if self.alive else 0, "state": self._state,
                "currentBusyCount": 0, "peakBusyCount": 0}
