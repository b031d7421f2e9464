"""The rest of pyrfc's module surface: enums, language codes, cancel, crypto library path.

Values as PyRFC 3.3 defines them (reference/wire.md §1.7, §1.10). `Throughput` counts what
the connections it watches send; sapgw has no SDK timers, so the times are measured around
the HTTP calls.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

LANGUAGES = {"AR": "A", "BG": "W", "CA": "c", "CS": "C", "DA": "K", "DE": "D", "EL": "G",
             "EN": "E", "ES": "S", "ET": "9", "FI": "U", "FR": "F", "HE": "B", "HR": "6",
             "HU": "H", "IT": "I", "JA": "J", "KO": "3", "LT": "X", "LV": "Y", "NL": "N",
             "NO": "O", "PL": "L", "PT": "P", "RO": "4", "RU": "R", "SH": "0", "SK": "Q",
             "SL": "5", "SV": "V", "TH": "2", "TR": "T", "UK": "8", "ZF": "M", "ZH": "1"}


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


class RfcParameterDirection(Enum):
    RFC_IMPORT = 0x01
    RFC_EXPORT = 0x02
    RFC_CHANGING = 0x03
    RFC_TABLES = 0x07


class RfcFieldType(Enum):
    RFCTYPE_CHAR = 0
    RFCTYPE_DATE = 1
    RFCTYPE_BCD = 2
    RFCTYPE_TIME = 3
    RFCTYPE_BYTE = 4
    RFCTYPE_TABLE = 5
    RFCTYPE_NUM = 6
    RFCTYPE_FLOAT = 7
    RFCTYPE_INT = 8
    RFCTYPE_INT2 = 9
    RFCTYPE_INT1 = 10
    RFCTYPE_NULL = 14
    RFCTYPE_ABAPOBJECT = 16
    RFCTYPE_STRUCTURE = 17
    RFCTYPE_DECF16 = 23
    RFCTYPE_DECF34 = 24
    RFCTYPE_XMLDATA = 28
    RFCTYPE_STRING = 29
    RFCTYPE_XSTRING = 30
    RFCTYPE_INT8 = 31
    RFCTYPE_UTCLONG = 32
    RFCTYPE_UTCSECOND = 33
    RFCTYPE_UTCMINUTE = 34
    RFCTYPE_DTDAY = 35
    RFCTYPE_DTWEEK = 36
    RFCTYPE_DTMONTH = 37
    RFCTYPE_TSECOND = 38
    RFCTYPE_TMINUTE = 39
    RFCTYPE_CDAY = 40
    RFCTYPE_BOX = 41
    RFCTYPE_GENERIC_BOX = 42


def language_iso_to_sap(lang_iso: str) -> str:
    try:
        return LANGUAGES[lang_iso.upper()]
    except KeyError:
        raise ValueError(f"Language ISO code not found: {lang_iso}") from None


def language_sap_to_iso(lang_sap: str) -> str:
    for iso, sap in LANGUAGES.items():
        if sap == lang_sap:
            return iso
    raise ValueError(f"Language SAP code not found: {lang_sap}")


def set_cryptolib_path(path_name: str) -> None:
    """sapgw needs no SAP crypto library (it speaks HTTP(S)); the path is checked as PyRFC's."""
    if not Path(path_name).is_file():
        raise TypeError("Crypto library not found:", path_name)


def cancel_connection(client_connection: Any) -> None:
    """Cancel the call running on a connection (PyRFC starts a thread; this is immediate)."""
    client_connection.cancel()
