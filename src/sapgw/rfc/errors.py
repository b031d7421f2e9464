"""Errors shaped exactly like pyrfc's, so code written against pyrfc handles ours unchanged.

`RFCError` is the one root. `RFCLibError` carries the SDK's structured fields; its subclasses
say what kind of failure it was, and `retryable` says whether a queue should try again
(communication) or wait for a person (application).
"""

from __future__ import annotations

from typing import Any


class RFCError(Exception):
    """Root of every RFC error (pyrfc `RFCError`)."""

    retryable = False


class RFCLibError(RFCError):
    def __init__(
        self,
        message: str | None = None,
        code: int | None = None,
        key: str | None = None,
        msg_class: str | None = None,
        msg_type: str | None = None,
        msg_number: str | None = None,
        msg_v1: str | None = None,
        msg_v2: str | None = None,
        msg_v3: str | None = None,
        msg_v4: str | None = None,
        messages: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.key = key
        self.msg_class = msg_class
        self.msg_type = msg_type
        self.msg_number = msg_number
        self.msg_v1 = msg_v1
        self.msg_v2 = msg_v2
        self.msg_v3 = msg_v3
        self.msg_v4 = msg_v4
        # Not in pyrfc: the BAPIRET2 rows behind an application error, so a monitor can
        # show every message and not only the first.
        self.messages = messages or []

    def __str__(self) -> str:
        code = 28 if self.code is None else self.code
        v1, v2, v3, v4 = (v or "" for v in (self.msg_v1, self.msg_v2, self.msg_v3, self.msg_v4))
        return (
            f"{code} (rc={code}): key={self.key}, message={self.message} "
            f"[MSG: class={self.msg_class}, type={self.msg_type}, number={self.msg_number}, "
            f"v1-4:={v1};{v2};{v3};{v4}]"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "error": type(self).__name__,
            "code": self.code,
            "key": self.key,
            "message": self.message,
            "msg_class": self.msg_class,
            "msg_type": self.msg_type,
            "msg_number": self.msg_number,
            "msg_v1": self.msg_v1,
            "msg_v2": self.msg_v2,
            "msg_v3": self.msg_v3,
            "msg_v4": self.msg_v4,
            "messages": self.messages,
        }

    @staticmethod
    def from_json(raw: dict[str, Any]) -> RFCLibError:
        cls = ERROR_CLASSES.get(str(raw.get("error")), ExternalRuntimeError)
        fields = {k: raw.get(k) for k in _FIELDS}
        return cls(**fields)


class ABAPApplicationError(RFCLibError):
    """An ABAP exception was raised (RAISE / MESSAGE ... RAISING): code 5."""


class ABAPRuntimeError(RFCLibError):
    """An ABAP message of type A/E/X or a short dump: codes 3 and 4."""


class LogonError(RFCLibError):
    retryable = True

    def __init__(self, message: str | None = None, code: int = 2, key: str = "RFC_LOGON_FAILURE",
                 **kwargs: Any) -> None:
        super().__init__(message, code, key, **kwargs)


class CommunicationError(RFCLibError):
    """The partner could not be reached: the queue goes CPICERR and retries."""

    retryable = True


class ExternalRuntimeError(RFCLibError):
    """Bad use of the API by the caller: unknown parameter, wrong type (code 20/22)."""


class ExternalApplicationError(RFCLibError):
    """An external (non-ABAP) server reported an application error."""


class ExternalAuthorizationError(RFCLibError):
    """An external server refused the call for lack of authorisation."""


_FIELDS = ("message", "code", "key", "msg_class", "msg_type", "msg_number",
           "msg_v1", "msg_v2", "msg_v3", "msg_v4", "messages")

ERROR_CLASSES: dict[str, type[RFCLibError]] = {
    cls.__name__: cls
    for cls in (RFCLibError, ABAPApplicationError, ABAPRuntimeError, LogonError,
                CommunicationError, ExternalRuntimeError, ExternalApplicationError,
                ExternalAuthorizationError)
}


def invalid_parameter(message: str) -> ExternalRuntimeError:
    """pyrfc's error for an unknown parameter or field: code 20, RFC_INVALID_PARAMETER."""
    return ExternalRuntimeError(message, 20, "RFC_INVALID_PARAMETER")


def conversion_failure(message: str) -> ExternalRuntimeError:
    """pyrfc's error for a value that does not fit its type: code 22, RFC_CONVERSION_FAILURE."""
    return ExternalRuntimeError(message, 22, "RFC_CONVERSION_FAILURE")


def function_not_found(name: str) -> ABAPApplicationError:
    """What the SDK raises for a function module the system does not know."""
    return ABAPApplicationError(f"ID:FL Type:E Number:046 {name}", 5, "FU_NOT_FOUND",
                                "FL", "E", "046", name)
