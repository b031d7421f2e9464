"""DDIC-like types: one declaration validates, converts and describes every RFC value.

Input conversion follows pyrfc's rules (reference/wire.md §1.4): CHAR takes str, NUMC a digit
string, DATS/TIMS strings or date/time objects, packed numbers Decimal, int or numeric strings,
INT1/INT2/INT4/INT8 exactly int in ABAP's ranges; FLTP, DECFLOAT16/34, RAW, XSTRING and
UTCLONG through `abap_values`. A value that does not fit raises pyrfc's conversion error
naming the field. A table's rows are structures, or single elementary values (a table of
CHAR40 lines: pyrfc gives and takes such rows as plain values).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from sapgw.rfc import abap_values
from sapgw.rfc.errors import RFCError, conversion_failure, invalid_parameter

# pyrfc's RfcFieldType names, used in function descriptions.
RFC_TYPE = {
    "CHAR": "RFCTYPE_CHAR", "CUKY": "RFCTYPE_CHAR", "UNIT": "RFCTYPE_CHAR", "CLNT": "RFCTYPE_CHAR",
    "NUMC": "RFCTYPE_NUM", "DATS": "RFCTYPE_DATE", "TIMS": "RFCTYPE_TIME",
    "CURR": "RFCTYPE_BCD", "DEC": "RFCTYPE_BCD", "QUAN": "RFCTYPE_BCD",
    "INT4": "RFCTYPE_INT", "STRING": "RFCTYPE_STRING",
    "INT1": "RFCTYPE_INT1", "INT2": "RFCTYPE_INT2", "INT8": "RFCTYPE_INT8",
    "FLTP": "RFCTYPE_FLOAT", "DF16": "RFCTYPE_DECF16", "DF34": "RFCTYPE_DECF34",
    "RAW": "RFCTYPE_BYTE", "XSTRING": "RFCTYPE_XSTRING", "UTCLONG": "RFCTYPE_UTCLONG",
    "STRUCTURE": "RFCTYPE_STRUCTURE", "TABLE": "RFCTYPE_TABLE",
}
# ABAP internal type letters (RFC_GET_FUNCTION_INTERFACE EXID, RFC_READ_TABLE TYPE).
ABAP_TYPE = {"CHAR": "C", "CUKY": "C", "UNIT": "C", "CLNT": "C", "NUMC": "N", "DATS": "D",
             "TIMS": "T", "CURR": "P", "DEC": "P", "QUAN": "P", "INT4": "I", "STRING": "g",
             "INT1": "b", "INT2": "s", "INT8": "8", "FLTP": "F", "DF16": "a", "DF34": "e",
             "RAW": "X", "XSTRING": "y", "UTCLONG": "p", "STRUCTURE": "u", "TABLE": "h"}
# Bytes each kind takes in a row, where the length is not the declared one (CHAR n: 2n in
# Unicode systems; packed numbers: n // 2 + 1).
_FIXED_LENGTH = {"INT1": 1, "INT2": 2, "INT4": 4, "INT8": 8, "FLTP": 8, "DF16": 8, "DF34": 16,
                 "STRING": 8, "XSTRING": 8, "UTCLONG": 8}
_OUTPUT_LENGTH = {"INT1": 3, "INT2": 6, "INT4": 11, "INT8": 20, "FLTP": 24, "DF16": 24,
                  "DF34": 46, "STRING": 255, "XSTRING": 255, "UTCLONG": 27}


@dataclass(frozen=True, slots=True)
class Elementary:
    """An elementary DDIC type: CHAR n, NUMC n, DATS, TIMS, CURR p.d, DEC p.d, INT4 …"""

    kind: str
    length: int = 0
    decimals: int = 0

    @property
    def name(self) -> str:
        if self.kind in ("CURR", "DEC", "QUAN"):
            return f"{self.kind} {self.length}.{self.decimals}"
        return f"{self.kind} {self.length}" if self.length else self.kind

    @property
    def nuc_length(self) -> int:
        if self.kind in ("CURR", "DEC", "QUAN"):
            return self.length // 2 + 1
        return _FIXED_LENGTH.get(self.kind, self.length)

    @property
    def uc_length(self) -> int:
        if self.kind in ("CURR", "DEC", "QUAN", "RAW") or self.kind in _FIXED_LENGTH:
            return self.nuc_length
        return self.length * 2

    @property
    def output_length(self) -> int:
        """Characters a value takes in a fixed-width line (RFC_READ_TABLE DATA-WA)."""
        if self.kind in ("CURR", "DEC", "QUAN"):
            return self.length + 1 + (1 if self.decimals else 0)
        if self.kind == "RAW":
            return self.length * 2
        return _OUTPUT_LENGTH.get(self.kind, self.length)

    def initial(self) -> Any:
        if self.kind == "NUMC":
            return "0" * self.length
        if self.kind == "DATS":
            return ""
        if self.kind == "TIMS":
            return "000000"
        if self.kind in ("CURR", "DEC", "QUAN"):
            return Decimal(0).quantize(Decimal(1).scaleb(-self.decimals))
        if self.kind in abap_values.INT_RANGES:
            return 0
        if self.kind == "FLTP":
            return 0.0
        if self.kind in abap_values.DECFLOAT:
            return Decimal(0)
        if self.kind in ("RAW", "XSTRING"):
            return bytes(self.length)
        if self.kind == "UTCLONG":
            return abap_values.UTCLONG_INITIAL
        return ""

    def convert(self, value: Any, where: str) -> Any:
        """Validate an incoming value and bring it to its internal form (one look-up picks
        the kind's converter: this runs for every field of every call)."""
        if value is None:
            return self.initial()
        return _CONVERTERS.get(self.kind, _unconvertible)(self, value, where)


def _text(type_: Elementary, value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise conversion_failure(f"{where}: a string is required, received {value!r}")
    if len(value) > type_.length and type_.kind != "STRING":
        raise conversion_failure(
            f"{where}: value {value!r} is longer than {type_.length} characters")
    return value.rstrip()


def _numc(type_: Elementary, value: Any, where: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not (value.isdigit() or value == ""):
        raise conversion_failure(
            f"{where}: a numeric string is required, received {value!r}")
    if len(value) > type_.length:
        raise conversion_failure(
            f"{where}: value {value!r} is longer than {type_.length} digits")
    return value.zfill(type_.length)


# 10**-d for the decimals a packed number may have, made once.
_QUANTA = tuple(Decimal(1).scaleb(-d) for d in range(32))
# Packed numbers hold up to 31 digits, more than the default context's 28: quantize in one
# wide enough that a too long value reaches the length check instead of InvalidOperation.
_WIDE = Context(prec=80)


def _decimal(type_: Elementary, value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
        raise conversion_failure(f"{where}: a decimal value is required, received {value!r}")
    try:
        number = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        raise conversion_failure(
            f"{where}: a decimal value is required, received {value!r}") from None
    if not number.is_finite():
        raise conversion_failure(f"{where}: {value!r} is not a finite number")
    decimals = type_.decimals
    quantum = _QUANTA[decimals] if decimals < len(_QUANTA) else Decimal(1).scaleb(-decimals)
    try:
        quantized = number.quantize(quantum, context=_WIDE)
    except InvalidOperation:  # more digits than even the wide context holds
        raise conversion_failure(
            f"{where}: {value!r} has more than {type_.length} digits") from None
    if number != quantized:
        raise conversion_failure(
            f"{where}: {value!r} has more than {decimals} decimal places")
    # Digits of a non-zero number with exactly `decimals` places: adjusted() + decimals + 1.
    if quantized and quantized.adjusted() + decimals + 1 > type_.length:
        raise conversion_failure(f"{where}: {value!r} has more than {type_.length} digits")
    return quantized


def _unconvertible(type_: Elementary, value: Any, where: str) -> Any:
    raise conversion_failure(f"{where}: type {type_.kind} cannot be converted")


Converter = Callable[[Any, Any, str], Any]  # (type, value not None, where) -> internal value
_CONVERTERS: dict[str, Converter] = {
    "CHAR": _text, "CUKY": _text, "UNIT": _text, "CLNT": _text, "STRING": _text,
    "NUMC": _numc,
    "DATS": lambda _type, value, where: _date(value, where),
    "TIMS": lambda _type, value, where: _time(value, where),
    "CURR": _decimal, "DEC": _decimal, "QUAN": _decimal,
    **{kind: (lambda type_, value, where: abap_values.to_int(type_.kind, value, where))
       for kind in abap_values.INT_RANGES},
    "FLTP": lambda _type, value, where: abap_values.to_float(value, where),
    **{kind: (lambda type_, value, where: abap_values.to_decfloat(type_.kind, value, where))
       for kind in abap_values.DECFLOAT},
    "RAW": lambda type_, value, where: abap_values.to_bytes(value, where, type_.length),
    "XSTRING": lambda type_, value, where: abap_values.to_bytes(value, where, type_.length),
    "UTCLONG": lambda _type, value, where: abap_values.to_utclong(value, where),
}


# Dates given as text that were valid, by that text: a call's dates repeat across calls,
# and proving a text a calendar date takes three int() and a date(). Bounded: cleared when full.
_VALID_DATES: dict[str, str] = {}
_VALID_DATES_MAX = 4096


def _date(value: Any, where: str) -> str:
    if isinstance(value, str):
        known = _VALID_DATES.get(value)
        if known is not None:
            return known
    elif isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    else:
        raise conversion_failure(f"{where}: a date is required, received {value!r}")
    text = value.strip()
    if text in ("", "00000000", "0000-00-00"):
        return ""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        text = text.replace("-", "")
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError(text)
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise conversion_failure(
            f"{where}: {value!r} is not a valid date (YYYYMMDD or YYYY-MM-DD)") from None
    if len(_VALID_DATES) >= _VALID_DATES_MAX:
        _VALID_DATES.clear()
    _VALID_DATES[value] = text
    return text


def _time(value: Any, where: str) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H%M%S")
    if not isinstance(value, str):
        raise conversion_failure(f"{where}: a time is required, received {value!r}")
    text = value.strip().replace(":", "")
    if text == "":
        return "000000"
    try:
        dt.datetime.strptime(text, "%H%M%S")
    except ValueError:
        raise conversion_failure(
            f"{where}: {value!r} is not a valid time (HHMMSS or HH:MM:SS)") from None
    return text


def CHAR(n: int) -> Elementary:
    return Elementary("CHAR", n)


def NUMC(n: int) -> Elementary:
    return Elementary("NUMC", n)


def CURR(p: int, d: int = 2) -> Elementary:
    return Elementary("CURR", p, d)


def DEC(p: int, d: int = 0) -> Elementary:
    return Elementary("DEC", p, d)


def RAW(n: int) -> Elementary:
    return Elementary("RAW", n)


DATS = Elementary("DATS", 8)
TIMS = Elementary("TIMS", 6)
INT1 = Elementary("INT1")
INT2 = Elementary("INT2")
INT4 = Elementary("INT4")
INT8 = Elementary("INT8")
FLTP = Elementary("FLTP")
DECFLOAT16 = Elementary("DF16")
DECFLOAT34 = Elementary("DF34")
XSTRING = Elementary("XSTRING")
UTCLONG = Elementary("UTCLONG")
CUKY = Elementary("CUKY", 5)
STRING = Elementary("STRING")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: Elementary | Structure
    text: str = ""


@dataclass(frozen=True)
class Structure:
    """A flat DDIC structure (BAPIRET2, BAPIACHE09 …), the row type of a table."""

    name: str
    fields: tuple[Field, ...]
    _by_name: dict[str, Field] = field(init=False, repr=False, compare=False)
    _initial: dict[str, Any] = field(init=False, repr=False, compare=False)
    _converters: dict[str, tuple[Converter, Elementary | Structure]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})
        # Each field's converter picked once, so a row's fields skip `Elementary.convert`.
        object.__setattr__(self, "_converters", {f.name: (_converter_of(f.type), f.type)
                                                 for f in self.fields})
        # Initial values are immutable (str, int, Decimal) except nested structures.
        object.__setattr__(self, "_initial", {f.name: f.type.initial() for f in self.fields})

    @property
    def kind(self) -> str:
        return "STRUCTURE"

    @property
    def nuc_length(self) -> int:
        return sum(f.type.nuc_length for f in self.fields)

    @property
    def uc_length(self) -> int:
        return sum(f.type.uc_length for f in self.fields)

    def __getitem__(self, name: str) -> Field:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def initial(self) -> dict[str, Any]:
        return dict(self._initial)

    def convert(self, value: Any, where: str) -> dict[str, Any]:
        if value is None:
            return self.initial()
        if not isinstance(value, dict):
            raise conversion_failure(
                f"{where}: a dictionary is required for structure {self.name}, "
                f"received {type(value).__name__}")
        row = dict(self._initial)
        converters = self._converters
        for name, item in value.items():
            key = str(name).upper()
            found = converters.get(key)
            if found is None:
                raise invalid_parameter(f"field '{name}' not found")
            convert, type_ = found
            if item is None:
                row[key] = type_.initial()
                continue
            try:  # the field's location is spelled out only for the error (see _again)
                row[key] = convert(type_, item, where)
            except RFCError:
                _again(type_, item, f"{where}-{key}")
                raise
        return row


def structure(name: str, *fields: tuple[str, Elementary] | tuple[str, Elementary, str]
              ) -> Structure:
    """Declare a structure compactly: structure("BAPIRET2", ("TYPE", CHAR(1)), …)."""
    return Structure(name, tuple(Field(*spec) for spec in fields))


@dataclass(frozen=True, slots=True)
class TableType:
    """A table parameter: a list of rows of one structure, or of one elementary type (each
    row then is a plain value; `{"": value}`, pyrfc's form of such a row, is taken too)."""

    row: Structure | Elementary

    @property
    def kind(self) -> str:
        return "TABLE"

    @property
    def name(self) -> str:
        return self.row.name

    @property
    def nuc_length(self) -> int:
        return self.row.nuc_length

    @property
    def uc_length(self) -> int:
        return self.row.uc_length

    def initial(self) -> list[dict[str, Any]]:
        return []

    def convert(self, value: Any, where: str) -> list[dict[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise conversion_failure(
                f"{where}: a list is required for table parameter, received {type(value).__name__}")
        row_type, elementary = self.row, isinstance(self.row, Elementary)
        rows = []
        for item in value:
            line = _line(item) if elementary else item
            try:  # the row's location is spelled out only for the error (see _again)
                rows.append(row_type.convert(line, where))
            except RFCError:
                _again(row_type, line, f"{where}[{len(rows) + 1}]")
                raise
        return rows


def _converter_of(type_: Elementary | Structure) -> Converter:
    """What converts a field's value that is not None: its kind's converter, or for a nested
    structure the structure itself."""
    if isinstance(type_, Elementary):
        return _CONVERTERS.get(type_.kind, _unconvertible)
    return _convert_nested


def _convert_nested(type_: Structure, value: Any, where: str) -> Any:
    return type_.convert(value, where)


def _again(type_: Elementary | Structure, value: Any, where: str) -> None:
    """Convert a value that just failed once more, now with its full location: conversion
    is a pure function of the value, so it raises the same error, naming the field. Building
    "DOCUMENTHEADER-COMP_CODE" for every field of every call cost more than converting it."""
    type_.convert(value, where)


def _line(item: Any) -> Any:
    """The value of an elementary table row: as is, or pyrfc's single unnamed field."""
    if isinstance(item, dict) and len(item) == 1 and set(item) <= {"", "TABLE_LINE"}:
        return next(iter(item.values()))
    return item


def to_json(value: Any) -> Any:
    """Plain JSON form of an RFC value: Decimals as strings, bytes as base64, else as is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return abap_values.base64_text(bytes(value))
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value
