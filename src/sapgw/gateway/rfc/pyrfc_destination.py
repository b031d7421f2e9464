"""Destination `type = pyrfc`: a real SAP system through SAP's PyRFC (NW RFC SDK).

pyrfc is an optional extra (`pip install 'sapgw[rfc]'`) that needs SAP's SDK, so it is
imported only here, when a pyrfc destination is checked or connected. Its exceptions become
ours (same class names and fields): the queue worker's mapping then holds for a real system
too — CommunicationError/LogonError retry (CPICERR), ABAP errors wait for a person (SYSFAIL).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import ModuleType
from typing import Any

from sapgw.gateway.config import DestinationSettings, env_value, unset_env
from sapgw.rfc.connection import RfcConnection, Unit
from sapgw.rfc.errors import (
    ERROR_CLASSES,
    CommunicationError,
    ExternalRuntimeError,
    LogonError,
    RFCError,
    conversion_failure,
)
from sapgw.types import RfcCall

log = logging.getLogger("sapgw.pyrfc")

INSTALL_HINT = ("pip install 'sapgw[rfc]' (pyrfc needs SAP's NW RFC SDK: download it from "
                "SAP, set SAPNWRFC_HOME and add its lib directory to LD_LIBRARY_PATH; see "
                "docs/PYRFC.md)")
NOT_LOGON_KEYS = ("qrfc",)  # keys of a pyrfc destination that are sapgw's, not the SDK's
# RFC_RC codes that mean the partner was not reached or the call was cut off: worth a retry.
_RETRY_CODES = {1, 6, 7, 8}  # COMMUNICATION_FAILURE, CLOSED, CANCELED (timeout), TIMEOUT
_ERROR_FIELDS = ("message", "code", "key", "msg_class", "msg_type", "msg_number",
                 "msg_v1", "msg_v2", "msg_v3", "msg_v4")


class PyrfcMissing(ImportError):
    """pyrfc cannot be used here; the text says how to install it."""


def load_pyrfc() -> ModuleType:
    """`import pyrfc`, or PyrfcMissing saying what is missing and how to get it."""
    try:
        import pyrfc
    except ImportError:
        raise PyrfcMissing(f"the pyrfc package is not installed: {INSTALL_HINT}") from None
    if not hasattr(pyrfc, "Connection"):  # pyrfc swallows a failed load of its C extension
        raise PyrfcMissing("pyrfc is installed but its C extension did not load (is the SAP NW "
                           "RFC SDK on LD_LIBRARY_PATH / SAPNWRFC_HOME?); see docs/PYRFC.md")
    return pyrfc


def check_destination(dest: DestinationSettings) -> list[str]:
    """Start-up problems of a pyrfc destination: pyrfc not importable, password env unset."""
    problems = []
    try:
        load_pyrfc()
    except PyrfcMissing as exc:
        problems.append(f"destination {dest.name} is of type pyrfc, but {exc}")
    return problems + unset_env(dest.params)


def connection_params(params: dict[str, str]) -> dict[str, str]:
    """pyrfc's logon parameters: empty ones dropped, `env:NAME` read from the environment."""
    resolved = {key: env_value(value) for key, value in params.items()
                if key not in NOT_LOGON_KEYS}
    return {key: value for key, value in resolved.items() if value}


def connect(dest: DestinationSettings) -> PyrfcConnection:
    return PyrfcConnection(connection_params(dest.params), {"timeout": dest.timeout},
                           qrfc=dest.params.get("qrfc", "no").lower() == "yes")


def translate(pyrfc: ModuleType, exc: BaseException) -> BaseException:
    """A pyrfc exception as ours (same class name and fields); others unchanged."""
    if isinstance(exc, RFCError):
        return exc
    if isinstance(exc, pyrfc.RFCLibError):
        fields = {name: getattr(exc, name, None) for name in _ERROR_FIELDS}
        cls = ERROR_CLASSES.get(type(exc).__name__, ExternalRuntimeError)
        if fields["code"] in _RETRY_CODES and cls not in (CommunicationError, LogonError):
            cls = CommunicationError
        return cls(**fields)
    if isinstance(exc, pyrfc.RFCError):
        return RFCError(*exc.args)
    if isinstance(exc, TypeError):  # pyrfc's input conversion: value, type, field, parameter
        return conversion_failure(" ".join(str(arg) for arg in exc.args))
    return exc


class PyrfcConnection(RfcConnection):
    """One pyrfc `Connection` (one SAP user session) as an `RfcConnection`.

    pyrfc keeps one t/qRFC transaction per connection and `confirm_unit` confirms that one,
    so units go one at a time: the last stays open until the gateway has recorded it and
    confirms it (DESIGN.md §3a). A TID sent again after a crash is acknowledged by SAP
    (ARFCRSTATE) without running twice.

    Units go as tRFC: SAP runs them at once and an ABAP error comes back (SYSFAIL here);
    order is the gateway's queue's business. With `qrfc` they carry their queue name and
    SAP stores them in its inbound queue (SMQ2), run later by SAP's QIN scheduler.
    """

    def __init__(self, params: dict[str, str], config: dict[str, Any] | None = None,
                 pyrfc: ModuleType | None = None, qrfc: bool = False) -> None:
        self._pyrfc = pyrfc or load_pyrfc()
        self.qrfc = qrfc
        self._pending: Unit | None = None  # submitted, not yet confirmed or destroyed
        with self._errors():
            self._conn = self._pyrfc.Connection(config=config or None, **params)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            translated = translate(self._pyrfc, exc)
            if translated is exc:
                raise
            raise translated from exc

    # -- synchronous RFC -------------------------------------------------------------------
    def call(self, func_name: str, options: dict[str, Any] | None = None, **params: Any
             ) -> dict[str, Any]:
        """pyrfc's call; `options` (not_requested, timeout) are passed through."""
        if options is None:
            return super().call(func_name, **params)
        with self._errors():
            return dict(self._conn.call(func_name, options, **params))

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._errors():
            return dict(self._conn.call(function, **params))

    def ping(self) -> None:
        with self._errors():
            self._conn.ping()

    def get_function_description(self, func_name: str) -> dict[str, Any]:
        with self._errors():
            description = self._conn.get_function_description(func_name)
        return {"name": description.name,
                "parameters": [_described(p) for p in description.parameters]}

    def close(self) -> None:
        self._pending = None
        with suppress(Exception):  # closing a broken connection must not fail the caller
            self._conn.close()
        super().close()

    # -- tRFC / qRFC units -----------------------------------------------------------------
    def initialize_unit(self, background: bool = True) -> Unit:
        """A TID from the SDK (RfcGetTransactionID); bgRFC is not used by sapgw."""
        if background is not False:
            return super().initialize_unit(background)
        with self._errors():
            return dict(self._conn.initialize_unit(background=False))

    def destroy_unit(self, unit: Unit) -> None:
        if self._pending is not None and self._pending["id"] == unit.get("id"):
            self._release()
        super().destroy_unit(unit)

    def submit_units(self, units: list[tuple[str, list[RfcCall], str | None]]
                     ) -> tuple[int, Exception | None]:
        """Only the first unit: pyrfc can hold one unconfirmed transaction per connection.

        The worker records it, confirms it and asks again for the rest of its batch.
        """
        if not units:
            return 0, None
        tid, calls, queue = units[0]
        try:
            self._submit(tid, calls, queue)
        except Exception as exc:  # reported to the caller, as the contract says
            return 0, exc
        return 1, None

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> str | None:
        self._release()
        unit: Unit = {"background": False, "id": tid, "queued": False}
        with self._errors():
            self._conn.fill_and_submit_unit(
                unit, [(call.function, dict(call.params)) for call in calls],
                queue_names=[queue] if queue and self.qrfc else None)
        self._pending = unit
        return None

    def _confirm(self, tid: str) -> None:
        unit, self._pending = self._pending, None
        if unit is None or unit["id"] != tid:
            self._pending = unit
            raise RFCError(f"TID {tid} is not the unit open on this connection; pyrfc "
                           "confirms only that one (SAP keeps the TID until its "
                           "reorganisation)")
        with self._errors():
            self._conn.confirm_unit(unit)

    def _release(self) -> None:
        """Drop an unconfirmed unit: SAP keeps its TID, so a resend stays harmless."""
        unit, self._pending = self._pending, None
        if unit is not None:
            try:
                self._conn.destroy_unit(unit)
            except Exception as exc:  # the handle may be gone with a lost connection
                log.debug("destroying unit %s failed: %s", unit["id"], exc)


def _described(value: Any) -> Any:
    """pyrfc's description objects (TypeDescription inside parameter dicts) as plain dicts."""
    if isinstance(value, dict):
        return {key: _described(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_described(item) for item in value]
    if hasattr(value, "fields") and hasattr(value, "name"):
        return {"name": value.name, "nuc_length": getattr(value, "nuc_length", 0),
                "uc_length": getattr(value, "uc_length", 0),
                "fields": _described(list(value.fields))}
    return value

