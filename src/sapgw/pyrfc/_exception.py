"""PyRFC 3.3's exception classes, with its attributes and its string form.

These are pyrfc's, not `sapgw.rfc.errors`: code written for pyrfc catches
`pyrfc.ABAPApplicationError` and reads `str(error)`, so the classes and `__str__` must be
PyRFC's own. The client converts the server's errors into them once, at the boundary
(`_transport.error_from_json`), with every field a string as the NW RFC SDK fills them.

`__str__` is PyRFC 3.3's, bug for bug: it starts with `RcCodeText(code).value`, and as that
enum numbers its members from 1 with `auto()`, the first word is the code itself
(reference/wire.md §1.6: "5 (rc=5): key=TABLE_NOT_AVAILABLE, ...").
"""

from __future__ import annotations

from enum import Enum
from typing import Any

# RFC_RC in the order of the SDK's header; RcCodeText numbers them from 1.
RC_NAMES = (
    "RFC_OK", "RFC_COMMUNICATION_FAILURE", "RFC_LOGON_FAILURE", "RFC_ABAP_RUNTIME_FAILURE",
    "RFC_ABAP_MESSAGE", "RFC_ABAP_EXCEPTION", "RFC_CLOSED", "RFC_CANCELED", "RFC_TIMEOUT",
    "RFC_MEMORY_INSUFFICIENT", "RFC_VERSION_MISMATCH", "RFC_INVALID_PROTOCOL",
    "RFC_SERIALIZATION_FAILURE", "RFC_INVALID_HANDLE", "RFC_RETRY", "RFC_EXTERNAL_FAILURE",
    "RFC_EXECUTED", "RFC_NOT_FOUND", "RFC_NOT_SUPPORTED", "RFC_ILLEGAL_STATE",
    "RFC_INVALID_PARAMETER", "RFC_CODEPAGE_CONVERSION_FAILURE", "RFC_CONVERSION_FAILURE",
    "RFC_BUFFER_TOO_SMALL", "RFC_TABLE_MOVE_BOF", "RFC_TABLE_MOVE_EOF",
    "RFC_START_SAPGUI_FAILURE", "RFC_ABAP_CLASS_EXCEPTION", "RFC_UNKNOWN_ERROR",
    "RFC_AUTHORIZATION_FAILURE", "RFC_AUTHENTICATION_FAILURE", "RFC_CRYPTOLIB_FAILURE",
    "RFC_IO_FAILURE", "RFC_LOCKING_FAILURE",
)
RcCodeText = Enum("RcCodeText", RC_NAMES)  # type: ignore[misc]  # auto() from 1, as PyRFC


class RFCError(Exception):
    """Exception base class: an error in the Python connector."""


class RFCLibError(RFCError):
    """An error of the RFC library, with the fields of the SDK's RFC_ERROR_INFO."""

    def __init__(self, message: Any = None, code: Any = None, key: Any = None,
                 msg_class: Any = None, msg_type: Any = None, msg_number: Any = None,
                 msg_v1: Any = None, msg_v2: Any = None, msg_v3: Any = None,
                 msg_v4: Any = None) -> None:
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

    def __str__(self) -> str:
        code = 28 if self.code is None else self.code
        try:
            text = RcCodeText(code).value
        except ValueError:
            text = "??"
        return (f"{text} (rc={code}): key={self.key}, message={self.message} "
                f"[MSG: class={self.msg_class}, type={self.msg_type}, "
                f"number={self.msg_number}, v1-4:={self.msg_v1};{self.msg_v2};"
                f"{self.msg_v3};{self.msg_v4}]")


class ABAPApplicationError(RFCLibError):
    """Error group ABAP_APPLICATION_FAILURE: an ABAP exception (code 5)."""


class ABAPRuntimeError(RFCLibError):
    """Error group ABAP_RUNTIME_FAILURE: a message of type A/E/X (4) or a short dump (3)."""


class LogonError(RFCLibError):
    """Error group LOGON_FAILURE; the defaults let it be raised with a message only."""

    def __init__(self, message: Any = None, code: Any = 2, key: Any = "RFC_LOGON_FAILURE",
                 msg_class: Any = None, msg_type: Any = None, msg_number: Any = None,
                 msg_v1: Any = None, msg_v2: Any = None, msg_v3: Any = None,
                 msg_v4: Any = None) -> None:
        super().__init__(message, code, key, msg_class, msg_type, msg_number, msg_v1,
                         msg_v2, msg_v3, msg_v4)


class CommunicationError(RFCLibError):
    """Error group COMMUNICATION_FAILURE: the partner was not reached or the line broke."""


class ExternalRuntimeError(RFCLibError):
    """Error group EXTERNAL_RUNTIME_FAILURE: wrong use of the API (codes 13, 20, 22 …)."""


class ExternalApplicationError(RFCLibError):
    """Error group EXTERNAL_APPLICATION_FAILURE."""


class ExternalAuthorizationError(RFCLibError):
    """Error group EXTERNAL_AUTHORIZATION_FAILURE (e.g. a user without the RFC role)."""


class RFCTypeError(RFCLibError):
    """Defined by PyRFC, not exported by its package."""


ERROR_CLASSES: dict[str, type[RFCLibError]] = {
    cls.__name__: cls for cls in (
        RFCLibError, ABAPApplicationError, ABAPRuntimeError, LogonError, CommunicationError,
        ExternalRuntimeError, ExternalApplicationError, ExternalAuthorizationError)
}


def invalid_parameter(message: str) -> ExternalRuntimeError:
    return ExternalRuntimeError(message, 20, "RFC_INVALID_PARAMETER")


def conversion_failure(message: str) -> ExternalRuntimeError:
    return ExternalRuntimeError(message, 22, "RFC_CONVERSION_FAILURE")
