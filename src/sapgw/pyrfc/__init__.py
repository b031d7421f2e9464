"""sapgw.pyrfc: PyRFC 3.3's client API without SAP's SDK, over JSON RFC to a sapgw server.

Code written for pyrfc runs unchanged against sapgw once `import pyrfc` finds this module:

    import sapgw.pyrfc
    sapgw.pyrfc.install()            # sys.modules["pyrfc"] is now this module
    from pyrfc import Connection, ABAPApplicationError

(or the pytest plugin's `--sapgw-pyrfc` option). Where a connection goes is the logon rule of
`_logon` (`SAPGW_RFC_URL`, else `http://<ashost>:80<sysnr>`). What differs from PyRFC, and
why, is in docs/PYRFC.md ("sapgw.pyrfc: the drop-in client"). The gateway's own pyrfc
destination keeps using the real pyrfc: `install()` changes only what `import pyrfc` finds
from then on, and `uninstall()` puts back what was there.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from types import ModuleType

from sapgw.pyrfc._connection import Connection, get_nwrfclib_version
from sapgw.pyrfc._exception import (
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
from sapgw.pyrfc._logon import reload_ini_file, set_ini_file_directory
from sapgw.pyrfc._metadata import FunctionDescription, TypeDescription
from sapgw.pyrfc._utils import (
    RCStatus,
    RfcFieldType,
    RfcParameterDirection,
    UnitCallType,
    UnitState,
    cancel_connection,
    language_iso_to_sap,
    language_sap_to_iso,
    set_cryptolib_path,
)
from sapgw.pyrfc._values import set_locale_radix

# The PyRFC release whose API this module follows (pyrfc takes it from its package metadata).
__version__ = "3.3.1"

__all__ = [
    "ABAPApplicationError", "ABAPRuntimeError", "CommunicationError", "Connection", "Decimal",
    "ExternalApplicationError", "ExternalAuthorizationError", "ExternalRuntimeError",
    "FunctionDescription", "LogonError", "RCStatus", "RFCError", "RFCLibError",
    "RfcFieldType", "RfcParameterDirection", "TypeDescription", "UnitCallType", "UnitState",
    "__version__", "cancel_connection", "get_nwrfclib_version", "install",
    "language_iso_to_sap", "language_sap_to_iso", "reload_ini_file", "set_cryptolib_path",
    "set_ini_file_directory", "set_locale_radix", "uninstall",
]

_replaced: dict[str, ModuleType | None] = {}


def install() -> ModuleType:
    """Make `import pyrfc` give this module (and remember what it gave before)."""
    module = sys.modules[__name__]
    current = sys.modules.get("pyrfc")
    if current is not module:
        _replaced.setdefault("pyrfc", current)
        sys.modules["pyrfc"] = module
    return module


def uninstall() -> None:
    """Undo `install()`: `import pyrfc` finds the real pyrfc (or whatever was there) again."""
    if "pyrfc" not in _replaced:
        return
    previous = _replaced.pop("pyrfc")
    if previous is None:
        sys.modules.pop("pyrfc", None)
    else:
        sys.modules["pyrfc"] = previous
