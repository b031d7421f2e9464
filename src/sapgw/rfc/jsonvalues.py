"""The JSON RFC wire form, shared by server and client: value encoding and header names.

RFC values travel as plain JSON: packed numbers (CURR, DEC, QUAN) and decimal floats
(DECFLOAT16/34) as strings so that no digit is lost to a float, FLTP as a JSON number, bytes
(RAW, XSTRING) as base64 text, dates as 'YYYYMMDD', times as 'HHMMSS'. Numbers a caller sends
are read as `Decimal`, never float. The client restores `Decimal` in results from the
function's interface (RFC_GET_FUNCTION_INTERFACE rows with EXID 'P').
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

# Stateful sessions, named after the ICF's: the client asks for a session with
# `sap-contextid-accept: header`, the server answers its id in `sap-contextid`, the client
# sends that id back, and `sap-contextid-close: X` ends the session after the call.
CONTEXT_ID = "sap-contextid"
CONTEXT_ACCEPT = "sap-contextid-accept"
CONTEXT_CLOSE = "sap-contextid-close"

RFC_PATH = "/sap/bc/rfc"
UNIT_PATH = "/sap/bc/rfc_unit"
UNITS_PATH = "/sap/bc/rfc_units"  # several units in order, one request (a sender's batch)
MAX_UNITS = 1000

# parameter -> names of its packed-number fields, or None when the parameter itself is one
DecimalFields = dict[str, frozenset[str] | None]


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.datetime):
        raise TypeError(f"a datetime is not an RFC value ({value!r}); send a date or a time")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, dt.time):
        return value.strftime("%H%M%S")
    raise TypeError(f"a value of type {type(value).__name__} cannot be sent as JSON")


# orjson (issue 15: the codec was a tenth of a call's server time) hands dates, times,
# datetimes and dataclasses to `_default` as the standard library does, keys that are not
# strings become strings as there.
_ORJSON = (orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
           | orjson.OPT_NON_STR_KEYS)


def dumps(value: Any) -> bytes:
    """Encode parameters or a result as compact UTF-8 JSON (Decimals as strings)."""
    try:
        return orjson.dumps(value, default=_default, option=_ORJSON)
    except orjson.JSONEncodeError:  # the standard library's error text (or an int > 64 bits)
        return json.dumps(value, default=_default, ensure_ascii=False,
                          separators=(",", ":")).encode()


def loads(content: bytes | str) -> Any:
    """Decode a JSON body; numbers with a fraction become Decimal (money is never float).

    orjson reads fractions as float, so a body that has one is read again by the standard
    library with `parse_float=Decimal` (RFC amounts usually travel as strings); so is one
    orjson refuses, for the standard library's error text and its NaN and big integers.
    """
    try:
        value = orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content, parse_float=Decimal)
    if _has_float(value):
        return json.loads(content, parse_float=Decimal)
    return value


def _has_float(value: Any) -> bool:
    """Is there a float anywhere in this parsed JSON? A loop over exact types (orjson makes
    no subclasses): the recursive walk with isinstance cost as much as the parse."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        elif kind is float:
            return True
    return False


def decimal_fields(params_rows: list[dict[str, Any]]) -> DecimalFields:
    """Which parameters and fields are packed numbers, from RFC_GET_FUNCTION_INTERFACE PARAMS."""
    found: dict[str, set[str] | None] = {}
    for row in params_rows:
        if row.get("EXID") != "P":
            continue
        name, field = row.get("PARAMETER", ""), row.get("FIELDNAME", "")
        if not field:
            found[name] = None
        else:
            fields = found.setdefault(name, set())
            if fields is not None:
                fields.add(field)
    return {name: None if fields is None else frozenset(fields)
            for name, fields in found.items()}


def restore_decimals(result: dict[str, Any], fields: DecimalFields) -> dict[str, Any]:
    """Turn the packed numbers of a result back into Decimal, in place; returns the result."""
    for name, field_names in fields.items():
        value = result.get(name)
        if field_names is None:
            if name in result:
                result[name] = _decimal(value)
        elif isinstance(value, dict):
            _restore_row(value, field_names)
        elif isinstance(value, list):
            for row in value:
                if isinstance(row, dict):
                    _restore_row(row, field_names)
    return result


def _restore_row(row: dict[str, Any], field_names: frozenset[str]) -> None:
    for field in field_names:
        if field in row:
            row[field] = _decimal(row[field])


def _decimal(value: Any) -> Any:
    if isinstance(value, Decimal | bool) or not isinstance(value, str | int):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value
