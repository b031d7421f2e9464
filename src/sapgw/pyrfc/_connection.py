"""`Connection`: PyRFC 3.3's client connection, over JSON RFC to a sapgw server.

Behaviour follows PyRFC (reference/wire.md §1.2-1.3): logon in the constructor, `config`
options, `call` with pyrfc's argument checks and conversions (`_values`), metadata read once
per function (`_metadata`), and after an ABAP message, a short dump or a broken line a new
session, so `alive` stays True, as PyRFC re-opens its connection. Units are in `_units`.
"""

from __future__ import annotations

import socket
from contextlib import suppress
from typing import Any

from sapgw.pyrfc import _metadata, _units
from sapgw.pyrfc._exception import (
    ABAPApplicationError,
    ABAPRuntimeError,
    CommunicationError,
    ExternalRuntimeError,
    RFCError,
    invalid_parameter,
)
from sapgw.pyrfc._logon import logon_parameters, server_url
from sapgw.pyrfc._transport import Canceled, Session
from sapgw.pyrfc._values import SKIP, fill, initial, wrap

CONFIG_KEYS = ("dtime", "return_import_params", "rstrip", "check_date", "check_time",
               "timeout")
NW_RFC_VERSION = {"major": 7500, "minor": 0, "patchLevel": 12, "platform": "sapgw JSON RFC"}
_REOPEN_CODES = {1, 3, 4, 15}  # communication, runtime failure, ABAP message, external


def get_nwrfclib_version() -> dict[str, Any]:
    """The SDK version pyrfc reports; sapgw stands in for SDK 7.50 PL12."""
    return dict(NW_RFC_VERSION)


class Connection(_units.UnitsMixin):
    """A client connection to a sapgw server (PyRFC 3.3 `Connection(config=None, **params)`)."""

    def __init__(self, config: dict[str, Any] | None = None, **params: Any) -> None:
        config = dict(config or {})
        for key in config:
            if key not in CONFIG_KEYS:
                raise RFCError(f"Connection configuration option '{key}' is not supported")
        self._options = {"dtime": False, "return_import_params": False, "rstrip": True,
                         "check_date": True, "check_time": True, "timeout": None, **config}
        self._params = logon_parameters(params)
        self._url = server_url(self._params)
        self._session: Session | None = None
        self._functions: dict[str, dict[str, _metadata.Param]] = {}
        self._active_unit: dict[str, Any] | None = None
        self.open()

    # -- properties and lifecycle --------------------------------------------------------
    @property
    def options(self) -> dict[str, Any]:
        return dict(self._options)

    @property
    def version(self) -> dict[str, Any]:
        return get_nwrfclib_version()

    @property
    def alive(self) -> bool:
        return self._session is not None

    @property
    def handle(self) -> int | None:
        return self._session.handle if self._session is not None else None

    def __bool__(self) -> bool:
        return self.alive

    def is_valid(self) -> bool:
        return self.alive

    def open(self) -> None:
        session = Session(self._url, self._params.get("user", ""),
                          self._params.get("passwd", ""), self._options["timeout"])
        try:
            session.open()
        except BaseException:
            session.close()
            raise
        self._session = session

    def reopen(self) -> None:
        self.close()
        self.open()

    def close(self) -> None:
        """Close the connection (no error if it is closed); uncommitted work is discarded."""
        if self._session is not None:
            self._session.close()
        self._session = None
        self._active_unit = None

    def free(self) -> None:
        self.close()

    def __del__(self) -> None:
        """A connection nobody closed is closed when it goes, as PyRFC's is (its __dealloc__);
        code written for pyrfc rarely closes, and its sockets must not leak."""
        session = getattr(self, "_session", None)
        if session is not None:
            self._session = None
            with suppress(Exception):  # during interpreter shutdown anything may be gone
                session.abandon()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cancel(self) -> None:
        """Cancel the running call (from another thread); the call raises RFC_CANCELED."""
        if self._session is not None:
            self._session.cancel()

    def reset_server_context(self) -> None:
        """Drop the server session (its LUW) and keep the connection: a new session."""
        self._renew()

    def ping(self) -> None:
        if self._session is None:
            raise ExternalRuntimeError("An invalid handle 'RFC_CONNECTION_HANDLE' was passed "
                                       "to the API call", 13, "RFC_INVALID_HANDLE")
        self.call("RFC_PING")

    def get_connection_attributes(self) -> dict[str, Any]:
        if self._session is None:
            return {}
        p = self._params
        lang = p.get("lang", "EN").upper()
        return {
            "dest": p.get("dest", ""), "host": socket.gethostname(),
            "partnerHost": p.get("ashost") or p.get("mshost") or p.get("wshost", ""),
            "sysNumber": p.get("sysnr", "00"), "sysId": p.get("sysid", "ERP"),
            "client": p.get("client", ""), "user": p.get("user", "").upper(),
            "language": lang[:1], "trace": p.get("trace", "0"), "isoLanguage": lang,
            "codepage": "4103", "partnerCodepage": "4103", "rfcRole": "C", "type": "E",
            "partnerType": "3", "rel": "753", "partnerRel": "750", "kernelRel": "753",
            "cpicConvId": f"{self._session.handle % 10**8:08d}", "progName": "SAPLSYST",
            "partnerBytesPerChar": "2", "partnerSystemCodepage": "4103",
            "partnerIP": "", "partnerIPv6": "", "reserved": "",
            "active_unit": self._active_unit is not None,
        }

    # -- metadata ------------------------------------------------------------------------
    def _interface(self, func_name: str) -> dict[str, _metadata.Param]:
        """The function's parameters, read once (errors name the function as given)."""
        params = self._functions.get(func_name.upper())
        if params is None:
            rows = self._describe_rows(func_name, unicode=True)
            params = self._functions[func_name.upper()] = _metadata.parse(rows)
        return params

    def _describe_rows(self, func_name: str, unicode: bool) -> list[dict[str, Any]]:
        try:
            answer = self._invoke("RFC_GET_FUNCTION_INTERFACE", {
                "FUNCNAME": func_name.upper(), "NONE_UNICODE_LENGTH": "" if unicode else "X"},
                None)
        except ABAPApplicationError as error:
            if error.key == "FU_NOT_FOUND":
                raise ABAPApplicationError(f"ID:FL Type:E Number:046 {func_name}", 5,
                                           "FU_NOT_FOUND", "FL", "E", "046", func_name, "",
                                           "", "") from None
            raise
        return list(answer.get("PARAMS") or [])

    def get_function_description(self, func_name: str) -> _metadata.FunctionDescription:
        name = func_name.upper()
        return _metadata.describe(name, self._interface(func_name),
                                  self._describe_rows(name, unicode=False))

    def type_desc_get(self, type_name: str) -> _metadata.TypeDescription:
        for params in self._functions.values():
            for param in params.values():
                if param.type_name == type_name.upper():
                    return _metadata.TypeDescription(param.type_name, param.uc_length // 2,
                                                     param.uc_length)
        raise ExternalRuntimeError(f"Type {type_name} not found in the metadata read so far",
                                   17, "RFC_NOT_FOUND")

    def func_desc_remove(self, sysid: str, func_name: str) -> None:
        self._functions.pop(func_name.upper(), None)

    def type_desc_remove(self, sysid: str, type_name: str) -> None:
        """Types are read with their functions; nothing is cached apart."""

    # -- calls ---------------------------------------------------------------------------
    def call(self, *args: Any, **params: Any) -> dict[str, Any]:
        """call(func_name, options=None, **params), PyRFC's signature and argument checks."""
        if not args:
            raise TypeError("call() takes at least 1 positional argument (0 given)")
        func_name = args[0]
        options = args[1] if len(args) > 1 else params.pop("options", None)
        if not isinstance(func_name, str):
            raise RFCError("Remote function module name must be unicode string, received:",
                           func_name, type(func_name))
        if self._session is None:
            raise RFCError(f"Remote function module '{func_name}' invocation rejected because "
                           "the connection is closed")
        options = dict(options or {})
        interface = self._interface(func_name)
        inputs = self.fill_params(interface, params)
        not_requested = options.get("not_requested") or []
        if isinstance(not_requested, str):
            not_requested = [not_requested]
        timeout = options.get("timeout", self._options["timeout"])
        answer = self._invoke(func_name.upper(), inputs, timeout)
        result = {}
        for name, param in interface.items():
            if param.direction == "RFC_IMPORT" and not self._options["return_import_params"]:
                continue
            value = (inputs.get(name) if param.direction == "RFC_IMPORT" else answer.get(name))
            if name in not_requested:
                value = initial(param, self._options)
            result[name] = wrap(param, value, self._options)
        return result

    def fill_params(self, interface: dict[str, _metadata.Param], params: dict[str, Any]
                    ) -> dict[str, Any]:
        """The parameters checked and converted as pyrfc fills its function container."""
        inputs: dict[str, Any] = {}
        for name, value in params.items():
            param = interface.get(name) if isinstance(name, str) else None
            if param is None:
                raise invalid_parameter(f"field '{name}' not found")
            filled = fill(param, value, self._options)
            if filled is not SKIP and param.direction != "RFC_EXPORT":
                inputs[name] = filled
        return inputs

    def _invoke(self, function: str, inputs: dict[str, Any], timeout: float | None
                ) -> dict[str, Any]:
        if self._session is None:
            raise RFCError(f"Remote function module '{function}' invocation rejected because "
                           "the connection is closed")
        try:
            return self._session.call(function, inputs, timeout)
        except Canceled:
            old = self._session.handle
            self._renew()
            raise CommunicationError(f"Connection was canceled: {old}. New handle: "
                                     f"{self.handle}", 7, "RFC_CANCELED") from None
        except (ABAPRuntimeError, CommunicationError) as error:
            self._renew()  # the SDK closed the connection; PyRFC opens a new one
            raise error from None
        except ExternalRuntimeError as error:
            if error.code in _REOPEN_CODES:
                self._renew()
            raise error from None

    def _renew(self) -> None:
        """A new session in place of the old one (PyRFC re-opens after these errors)."""
        if self._session is not None:
            self._session.close()
        self._session = None
        self._active_unit = None
        with suppress(RFCError):  # the partner is gone too: not alive until `open()` works
            self.open()
