"""pyrfc's exception classes as PyRFC 3.3 defines them (reference/wire.md §1.6).

`RFCLibError.__str__` is bug-compatible: its first word is `RcCodeText(code).value`, and as
`RcCodeText` numbers its members from 1 with `auto()`, that is the code itself.
"""

from __future__ import annotations

from enum import Enum, auto
from typing import Any


class RFCError(Exception):
    """Exception base class: an error in the Python connector."""


class RFCLibError(RFCError):
    """An error reported by the NW RFC library, with the SDK's RFC_ERROR_INFO fields."""

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
    """Error group ABAP_APPLICATION_FAILURE (an ABAP exception, code 5)."""


class ABAPRuntimeError(RFCLibError):
    """Error group ABAP_RUNTIME_FAILURE (an ABAP message A/E/X or a short dump)."""


class LogonError(RFCLibError):
    """Error group LOGON_FAILURE; defaults let it be raised with a message only."""

    def __init__(self, message: Any = None, code: Any = 2, key: Any = "RFC_LOGON_FAILURE",
                 msg_class: Any = None, msg_type: Any = None, msg_number: Any = None,
                 msg_v1: Any = None, msg_v2: Any = None, msg_v3: Any = None,
                 msg_v4: Any = None) -> None:
        super().__init__(message, code, key, msg_class, msg_type, msg_number, msg_v1, msg_v2,
                         msg_v3, msg_v4)


class CommunicationError(RFCLibError):
    """Error group COMMUNICATION_FAILURE."""


class ExternalRuntimeError(RFCLibError):
    """Error group EXTERNAL_RUNTIME_FAILURE."""


class ExternalApplicationError(RFCLibError):
    """Error group EXTERNAL_APPLICATION_FAILURE."""


class ExternalAuthorizationError(RFCLibError):
    """Error group EXTERNAL_AUTHORIZATION_FAILURE."""


class RFCTypeError(RFCLibError):
    """Type conversion error (defined, not exported by the package)."""


class RcCodeText(Enum):
    """RFC library return codes (numbered from 1 by `auto()`, as in PyRFC)."""

    RFC_OK = auto()
    RFC_COMMUNICATION_FAILURE = auto()
    RFC_LOGON_FAILURE = auto()
    RFC_ABAP_RUNTIME_FAILURE = auto()
    RFC_ABAP_MESSAGE = auto()
    RFC_ABAP_EXCEPTION = auto()
    RFC_CLOSED = auto()
    RFC_CANCELED = auto()
    RFC_TIMEOUT = auto()
    RFC_MEMORY_INSUFFICIENT = auto()
    RFC_VERSION_MISMATCH = auto()
    RFC_INVALID_PROTOCOL = auto()
    RFC_SERIALIZATION_FAILURE = auto()
    RFC_INVALID_HANDLE = auto()
    RFC_RETRY = auto()
    RFC_EXTERNAL_FAILURE = auto()
    RFC_EXECUTED = auto()
    RFC_NOT_FOUND = auto()
    RFC_NOT_SUPPORTED = auto()
    RFC_ILLEGAL_STATE = auto()
    RFC_INVALID_PARAMETER = auto()
    RFC_CODEPAGE_CONVERSION_FAILURE = auto()
    RFC_CONVERSION_FAILURE = auto()
    RFC_BUFFER_TOO_SMALL = auto()
    RFC_TABLE_MOVE_BOF = auto()
    RFC_TABLE_MOVE_EOF = auto()
    RFC_START_SAPGUI_FAILURE = auto()
    RFC_ABAP_CLASS_EXCEPTION = auto()
    RFC_UNKNOWN_ERROR = auto()
    RFC_AUTHORIZATION_FAILURE = auto()
    RFC_AUTHENTICATION_FAILURE = auto()
    RFC_CRYPTOLIB_FAILURE = auto()
    RFC_IO_FAILURE = auto()
    RFC_LOCKING_FAILURE = auto()
