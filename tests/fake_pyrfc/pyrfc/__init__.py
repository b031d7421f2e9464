"""A fake of SAP's PyRFC 3.3 for sapgw's tests (reference/wire.md §1), NOT the real package.

Same package surface, signatures, argument checks, messages and exception classes; the
systems it reaches are in-process sapgw systems registered through `pyrfc._fake`. The tests
put its directory first on sys.path only for the fake-backed runs (tests/rfc/pyrfc_support).
"""

from ._cyrfc import (
    Connection,
    FunctionDescription,
    RCStatus,
    Server,
    TypeDescription,
    UnitCallType,
    UnitState,
    get_nwrfclib_version,
)
from ._exception import (
    ABAPApplicationError,
    ABAPRuntimeError,
    CommunicationError,
    ExternalApplicationError,
    ExternalAuthorizationError,
    ExternalRuntimeError,
    LogonError,
    RFCError,
    RFCLibError,
)
from ._fake import reload_ini_file, set_ini_file_directory

__version__ = "3.3.1"
__all__ = [
    "ABAPApplicationError", "ABAPRuntimeError", "CommunicationError", "Connection",
    "ExternalApplicationError", "ExternalAuthorizationError", "ExternalRuntimeError",
    "FunctionDescription", "LogonError", "RCStatus", "RFCError", "RFCLibError", "Server",
    "TypeDescription", "UnitCallType", "UnitState", "get_nwrfclib_version", "reload_ini_file",
    "set_ini_file_directory",
]
