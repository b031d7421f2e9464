"""RFC_READ_TABLE rows as dicts with typed values: what every pyrfc user writes by hand.

RFC_READ_TABLE answers each row as one fixed-width `WA` string and describes the fields in
FIELDS (FIELDNAME, OFFSET, LENGTH, TYPE: the ABAP type letter). `typed_rows` cuts each line at
those offsets (no DELIMITER is asked for, so a `|` in a value cannot shift a column) and
converts by type:

| TYPE | value |
|---|---|
| C (CHAR, CUKY, UNIT, CLNT), g | `str`, trailing blanks removed |
| N (NUMC) | `str` with its leading zeros (a key, not a number) |
| P (CURR, DEC, QUAN) | `Decimal`, a trailing `-` moved to the front |
| I, b, s, 8 (integers) | `int` |
| F | `float` |
| D (DATS) | `datetime.date`, `None` for `00000000` or blank |
| T (TIMS) | `datetime.time` |

Works against any connection with pyrfc's `call` (sapgw.pyrfc, `sapgw.rfc.jsonrfc_client`, a
gateway destination, a real SAP system through pyrfc).
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol


class _Callable(Protocol):
    def call(self, func_name: str, **params: Any) -> dict[str, Any]: ...


def typed_rows(conn: _Callable, table: str, fields: list[str] | None = None, where: str = "",
               rowcount: int = 0) -> list[dict[str, Any]]:
    """Rows of `table` as {FIELD: typed value}; `where` is an Open SQL condition, split into
    OPTIONS rows of 72 characters; `fields` empty reads every field."""
    result = conn.call("RFC_READ_TABLE", QUERY_TABLE=table.upper(), ROWCOUNT=rowcount,
                       FIELDS=[{"FIELDNAME": f.upper()} for f in fields or []],
                       OPTIONS=options(where))
    layout = [(f["FIELDNAME"], int(f["OFFSET"]), int(f["LENGTH"]), f["TYPE"])
              for f in result["FIELDS"]]
    return [{name: convert(str(line["WA"])[offset:offset + length], kind)
             for name, offset, length, kind in layout} for line in result["DATA"]]


def convert(raw: str, kind: str) -> Any:
    """One field's text from a DATA line as the Python value of its ABAP type."""
    text = raw.strip()
    if kind == "P":
        signed = "-" + text[:-1] if text.endswith("-") else text
        try:
            return Decimal(signed or "0")
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not a packed number") from None
    if kind in ("I", "b", "s", "8"):
        signed = "-" + text[:-1] if text.endswith("-") else text
        return int(signed or "0")
    if kind == "F":
        return float(text or "0")
    if kind == "D":
        return None if text.strip("0") == "" else datetime.strptime(text, "%Y%m%d").date()
    if kind == "T":
        return time(0) if not text else datetime.strptime(text, "%H%M%S").time()
    return raw.rstrip()  # C, N (leading zeros kept), g and the rest: text


def options(where: str) -> list[dict[str, str]]:
    """A condition as OPTIONS rows of at most 72 characters, split between words."""
    rows, line = [], ""
    for word in where.split(" "):
        if line and len(line) + 1 + len(word) > 72:
            rows.append({"TEXT": line})
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        rows.append({"TEXT": line})
    return rows


__all__ = ["convert", "options", "typed_rows"]
