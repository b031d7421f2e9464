"""pyrfc's conversions: Python values checked and filled in (`fill`), results wrapped (`wrap`).

`fill` follows PyRFC 3.3's `fillVariable` (reference/wire.md §1.4): the same accepted types,
the same `TypeError` arguments, the field and then the parameter name appended to them; the
checks the NW RFC SDK makes on top (a decimal string in the radix of `set_locale_radix`, the
UTCLONG format) raise its conversion error, code 22. What the SDK leaves to the ABAP system
(lengths, ranges) the server checks and answers with the same code. The filled value is its
JSON RFC form (docs/JSON_RFC.md): bytes as base64, decimals as strings.

`wrap` is `wrapVariable`: CHAR right-stripped unless `rstrip=False` (then padded to its
length), DATS/TIMS as strings or, with `dtime`, `date`/`time`, packed and decimal floats as
Decimal, FLTP as float, RAW as bytes of the field's length, a structure of one unnamed field
(a table of single values) as that value.
"""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from locale import localeconv
from typing import Any

from sapgw.pyrfc._exception import RFCError, conversion_failure, invalid_parameter
from sapgw.pyrfc._metadata import Field
from sapgw.rfc import abap_values
from sapgw.rfc.errors import RFCLibError as ServerSideError

SKIP = object()  # a DATS/TIMS value pyrfc leaves initial (falsy): not sent
_radix = {"value": "."}
_DECIMALS = ("RFCTYPE_BCD", "RFCTYPE_FLOAT", "RFCTYPE_DECF16", "RFCTYPE_DECF34")
_INTEGERS = ("RFCTYPE_INT", "RFCTYPE_INT1", "RFCTYPE_INT2", "RFCTYPE_INT8")


def set_locale_radix(value: str | None = None) -> str:
    """The decimal separator the "SDK" expects in decimal strings; answers the one in use."""
    if value is not None:
        _radix["value"] = value
    return _radix["value"]


def fill(item: Field, value: Any, options: dict[str, Any]) -> Any:
    """`value` checked for `item` (a parameter or field) and brought to its JSON form."""
    try:
        return _fill(item, value, options)
    except TypeError as error:
        error.args += (item.name,)
        raise


def _fill(item: Field, value: Any, options: dict[str, Any]) -> Any:
    typ = item.rfc_type
    if typ == "RFCTYPE_STRUCTURE":
        if type(value) is not dict:
            raise TypeError("dictionary required for structure parameter, received",
                            str(type(value)))
        return _fill_row(item, value, options)
    if typ == "RFCTYPE_TABLE":
        if type(value) is not list:
            raise TypeError("list required for table parameter, received", str(type(value)))
        single = set(item.fields or {}) == {""}
        rows = []
        for line in value:
            row = _fill_row(item, line if type(line) is dict else {"": line}, options)
            rows.append(row.get("", "") if single else row)
        return rows
    if typ in ("RFCTYPE_CHAR", "RFCTYPE_STRING", "RFCTYPE_UTCLONG"):
        if not isinstance(value, str):
            raise TypeError("an string is required, received", value, "of type", type(value))
        return _utclong(value) if typ == "RFCTYPE_UTCLONG" else value
    if typ == "RFCTYPE_NUM":
        if not (isinstance(value, str) and value.isdigit()):
            raise TypeError("a numeric string is required, received", value, "of type",
                            type(value))
        return value
    if typ in _DECIMALS:
        return _decimal(item, value)
    if typ in _INTEGERS:
        if type(value) is not int:
            raise TypeError("an integer required, received", value, "of type", type(value))
        if typ != "RFCTYPE_INT8" and not -(2**31) <= value < 2**31:
            raise OverflowError("value too large to convert to int")
        return value
    if typ in ("RFCTYPE_DATE", "RFCTYPE_TIME"):
        return _date_time(typ, value, options) if value else SKIP
    if typ in ("RFCTYPE_BYTE", "RFCTYPE_XSTRING"):
        if not isinstance(value, bytes | bytearray):
            raise TypeError(f"expected bytes, {type(value).__name__} found")
        return base64.b64encode(bytes(value)).decode("ascii")
    raise RFCError(f"Unknown RFC type {typ} when filling {item.name}")


def _fill_row(item: Field, value: dict[Any, Any], options: dict[str, Any]) -> dict[str, Any]:
    fields = item.fields or {}
    row: dict[str, Any] = {}
    for name, field_value in value.items():
        field = fields.get(name) if isinstance(name, str) else None
        if field is None:
            raise invalid_parameter(f"field '{name}' not found")
        filled = fill(field, field_value, options)
        if filled is not SKIP:
            row[name] = filled
    return row


def _decimal(item: Field, value: Any) -> Any:
    """pyrfc sends decimals as text: float and Decimal through str(), strings as given."""
    try:
        text = str(value) if type(value) in (float, Decimal) else value
        local = localeconv()["decimal_point"]
        Decimal(text.replace(local, ".") if local != "." else text)
        text.encode()
    except Exception:
        raise TypeError("a decimal value required, received", value, "of type",
                        type(value)) from None
    radix = _radix["value"]
    if radix != ".":
        wrong = text.find(".")
        if wrong >= 0:
            raise conversion_failure(f"Cannot convert string value {text} at position {wrong} "
                                     f"for the field {item.name} to type {item.rfc_type}")
        text = text.replace(radix, ".")
    return text


def _date_time(typ: str, value: Any, options: dict[str, Any]) -> str:
    is_date = typ == "RFCTYPE_DATE"
    kind, length = (dt.date, 8) if is_date else (dt.time, 6)
    if type(value) is kind:
        return value.strftime("%Y%m%d" if is_date else "%H%M%S")
    check = options.get("check_date" if is_date else "check_time", True)
    ok = isinstance(value, str) and len(value) == length
    if ok and check and value.rstrip():
        try:
            if is_date:
                dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
            else:
                dt.time(int(value[:2]), int(value[2:4]), int(value[4:6]))
        except ValueError:
            ok = False
    if not ok:
        raise TypeError(f"{'date' if is_date else 'time'} value required, received", value,
                        "of type", type(value))
    return str(value)


def _utclong(value: str) -> str:
    try:
        return abap_values.to_utclong(value, "")
    except ServerSideError as error:
        raise conversion_failure(str(error.message)) from None


# -- results -------------------------------------------------------------------------------
def wrap(item: Field, value: Any, options: dict[str, Any]) -> Any:
    """A JSON RFC result value as pyrfc hands it out, by its type."""
    typ = item.rfc_type
    if typ == "RFCTYPE_STRUCTURE":
        row = value if isinstance(value, dict) else {}
        result = {name: wrap(field, row.get(name), options)
                  for name, field in (item.fields or {}).items()}
        return result[""] if set(result) == {""} else result
    if typ == "RFCTYPE_TABLE":
        fields = item.fields or {}
        line = Field(item.name, "RFCTYPE_STRUCTURE", item.uc_length, fields=fields)
        return [wrap(line, row if isinstance(row, dict) or set(fields) != {""} else {"": row},
                     options) for row in value or []]
    if value is None:
        value = initial(item, options)
    if typ == "RFCTYPE_CHAR":
        text = str(value)
        return text.rstrip() if options.get("rstrip", True) else text.ljust(item.uc_length // 2)
    if typ == "RFCTYPE_DATE":
        text = "" if str(value) in ("", "00000000") else str(value)
        if options.get("dtime"):
            return dt.datetime.strptime(text, "%Y%m%d").date() if text.strip() else None
        return text
    if typ == "RFCTYPE_TIME":
        text = str(value) or "000000"
        if options.get("dtime"):
            return dt.datetime.strptime(text, "%H%M%S").time() if text.strip() else None
        return text
    if typ in ("RFCTYPE_BCD", "RFCTYPE_DECF16", "RFCTYPE_DECF34"):
        return Decimal(str(value))
    if typ == "RFCTYPE_FLOAT":
        return float(value)
    if typ in _INTEGERS:
        return int(value)
    if typ in ("RFCTYPE_BYTE", "RFCTYPE_XSTRING"):
        data = base64.b64decode(value) if isinstance(value, str) else bytes(value)
        return data.ljust(item.uc_length, b"\x00") if typ == "RFCTYPE_BYTE" else data
    return str(value)  # STRING, NUM, UTCLONG


def initial(item: Field, options: dict[str, Any]) -> Any:
    """The initial value of a type, in its JSON form (what an unset parameter holds)."""
    typ = item.rfc_type
    if typ == "RFCTYPE_NUM":
        return "0" * (item.uc_length // 2)
    if typ == "RFCTYPE_TIME":
        return "000000"
    if typ in _DECIMALS:
        return str(Decimal(0).scaleb(-item.decimals)) if typ == "RFCTYPE_BCD" else "0"
    if typ in _INTEGERS:
        return 0
    if typ == "RFCTYPE_UTCLONG":
        return abap_values.UTCLONG_INITIAL
    if typ == "RFCTYPE_STRUCTURE":
        return {}
    if typ == "RFCTYPE_TABLE":
        return []
    return ""
