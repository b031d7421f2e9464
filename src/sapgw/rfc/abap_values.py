"""Conversions of the ABAP types beyond the character-like ones: integers, floats, decimal
floats, byte fields and UTC time stamps.

`ddic.Elementary.convert` calls these for INT1, INT2, INT8, FLTP, DECFLOAT16/34, RAW,
XSTRING and UTCLONG. The ranges are ABAP's (reference/wire.md §1.4, PyRFC's `RFC_MATH`): a
value outside them is refused with pyrfc's conversion error (code 22), never wrapped or
truncated. Byte fields travel as base64 text in JSON and SOAP, so a string given for one is
read as base64; in-process callers pass `bytes`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
from decimal import Context, Decimal, InvalidOperation, Overflow, Rounded
from typing import Any

from sapgw.rfc.errors import conversion_failure

INT_RANGES = {"INT1": (0, 255), "INT2": (-(2**15), 2**15 - 1), "INT4": (-(2**31), 2**31 - 1),
              "INT8": (-(2**63), 2**63 - 1)}
# IEEE 754 decimal64 / decimal128: digits and exponent limits, as ABAP's decfloat16/34.
DECFLOAT = {"DF16": Context(prec=16, Emin=-383, Emax=384),
            "DF34": Context(prec=34, Emin=-6143, Emax=6144)}
UTCLONG_INITIAL = "0000-00-00T00:00:00.0000000"
_UTCLONG = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,7}))?")


def to_int(kind: str, value: Any, where: str) -> int:
    """INT1 (0..255), INT2, INT4, INT8: exactly an int (a bool is no integer), in range."""
    if type(value) is not int:
        raise conversion_failure(f"{where}: an integer is required, received {value!r}")
    low, high = INT_RANGES[kind]
    if not low <= value <= high:
        raise conversion_failure(f"{where}: {value} is out of the {kind} range {low}..{high}")
    return value


def to_float(value: Any, where: str) -> float:
    """FLTP: an IEEE double; numbers and numeric strings, finite and not overflowing."""
    if isinstance(value, bool) or not isinstance(value, (float, int, Decimal, str)):
        raise conversion_failure(f"{where}: a floating point number is required, "
                                 f"received {value!r}")
    try:
        number = float(value.strip() or "0") if isinstance(value, str) else float(value)
    except (ValueError, OverflowError):
        raise conversion_failure(f"{where}: {value!r} is not a floating point number") from None
    if not math.isfinite(number):
        raise conversion_failure(f"{where}: {value!r} does not fit a floating point field "
                                 f"(FLTP holds ±1.7976931348623157E+308)")
    return number


def to_decfloat(kind: str, value: Any, where: str) -> Decimal:
    """DECFLOAT16/34: a decimal of 16/34 digits; more digits are refused, not rounded."""
    if isinstance(value, bool) or not isinstance(value, (float, int, Decimal, str)):
        raise conversion_failure(f"{where}: a decimal value is required, received {value!r}")
    try:
        number = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        raise conversion_failure(f"{where}: a decimal value is required, received "
                                 f"{value!r}") from None
    context = DECFLOAT[kind].copy()
    context.traps[Rounded] = True
    try:
        return context.plus(number) if number.is_finite() else _not_finite(value, where)
    except Rounded:
        raise conversion_failure(f"{where}: {value!r} has more than {context.prec} digits "
                                 f"(DECFLOAT{context.prec})") from None
    except (Overflow, InvalidOperation):
        raise conversion_failure(f"{where}: {value!r} is out of the DECFLOAT{context.prec} "
                                 f"range (exponent {context.Emin}..{context.Emax})") from None


def _not_finite(value: Any, where: str) -> Decimal:
    raise conversion_failure(f"{where}: {value!r} is not a finite number")


def to_bytes(value: Any, where: str, length: int = 0) -> bytes:
    """RAW n (padded with zero bytes to n, as the SDK hands it back) or XSTRING (length 0)."""
    if isinstance(value, str):
        try:
            value = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise conversion_failure(f"{where}: bytes are required (base64 text on the wire), "
                                     f"received {value[:60]!r}") from None
    if not isinstance(value, (bytes, bytearray)):
        raise conversion_failure(f"{where}: bytes are required, received {value!r}")
    data = bytes(value)
    if length and len(data) > length:
        raise conversion_failure(f"{where}: {len(data)} bytes do not fit RAW {length}")
    return data.ljust(length, b"\x00") if length else data


def to_utclong(value: Any, where: str) -> str:
    """UTCLONG as the SDK writes it: YYYY-MM-DDThh:mm:ss.fffffff (27 characters)."""
    if isinstance(value, dt.datetime):
        value = value.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0"
    if not isinstance(value, str):
        raise conversion_failure(f"{where}: a string is required, received {value!r}")
    text = value.strip()
    if not text:
        return UTCLONG_INITIAL
    match = _UTCLONG.fullmatch(text)
    if match is None:
        raise conversion_failure(f"Cannot convert {value} to RFCTYPE_UTCLONG : illegal format")
    normal = f"{text[:19]}.{(match.group(7) or '').ljust(7, '0')}"
    if normal == UTCLONG_INITIAL:
        return normal
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    try:
        dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise conversion_failure(f"Cannot convert {value} to RFCTYPE_UTCLONG : illegal "
                                 f"value") from None
    return normal


def base64_text(data: bytes) -> str:
    """Bytes as they travel in JSON RFC and SOAP (xsd:base64Binary)."""
    return base64.b64encode(data).decode("ascii")
