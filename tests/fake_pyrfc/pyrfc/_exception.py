"""pyrfc's exception classes as PyRFC 3.3 defines them (reference/wire.md §1.6).

The fake shares `sapgw.pyrfc`'s classes: those are PyRFC's own, attributes and `__str__`
bug for bug, so there is one copy to keep right.
"""

from sapgw.pyrfc._exception import (
    ABAPApplicationError,
    ABAPRuntimeError,
    CommunicationError,
    ExternalApplicationError,
    ExternalAuthorizationError,
    ExternalRuntimeError,
    LogonError,
    RcCodeText,
    RFCError,
    RFCLibError,
    RFCTypeError,
)

__all__ = [
    "ABAPApplicationError", "ABAPRuntimeError", "CommunicationError",
    "ExternalApplicationError", "ExternalAuthorizationError", "ExternalRuntimeError",
    "LogonError", "RFCError", "RFCLibError", "RFCTypeError", "RcCodeText",
]
