"""One message as a person reads it: `ID NUMBER text`, the failed call's most specific first.

Two rules every place that shows an error follows (SMW01, SMQ1/SMQ2, SMWP, the CLI, REST):

- **The headline is the most specific message.** An accounting BAPI answers RW 609 "Error in
  document: BKPFF $ ERPCLNT100" first and the cause (F5 165 "Company code 9999 is not
  defined") after it; RW 609 only says that the document failed. `headline` skips such
  container messages and takes the first specific error; the whole RETURN stays in the log.
- **A message goes out with its text.** pyrfc reports an ABAP message raised with an exception
  as `ID:SV Type:E Number:029 NOPE` (the SDK does not fetch the T100 text); `exception_line`
  turns it into `SV 029 Table NOPE is not available` when a T100 look-up is at hand, into
  `SV 029 NOPE` when not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sapgw.rfc.errors import RFCError, RFCLibError

# Messages that only frame others: "the document failed", never why.
CONTAINER_MESSAGES: frozenset[tuple[str, str]] = frozenset({("RW", "609")})
ERROR_TYPES = ("E", "A", "X")

TextLookup = Callable[[str, str], "str | None"]  # (class, number) -> T100 text or None

_PYRFC_MESSAGE = re.compile(r"^ID:(?P<id>\S*) Type:(?P<type>\S*) Number:(?P<number>\d*)"
                            r"(?: (?P<vars>.*))?$")


def fill(template: str, *values: str) -> str:
    """SAP's placeholders: &1..&4 by number, then bare & in order."""
    padded = [*values, "", "", "", ""]
    for i in range(4, 0, -1):
        template = template.replace(f"&{i}", padded[i - 1])
    for value in padded:
        if "&" not in template:
            break
        template = template.replace("&", value, 1)
    return " ".join(template.split())


def is_container(row: dict[str, Any]) -> bool:
    return (str(row.get("ID") or ""), str(row.get("NUMBER") or "")) in CONTAINER_MESSAGES


def headline(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The row that says why a call failed: the first specific error, else the first error,
    else None (no error among the rows)."""
    failed = [row for row in rows if row.get("TYPE") in ERROR_TYPES]
    specific = [row for row in failed if not is_container(row)]
    return (specific or failed or [None])[0]


def row_line(row: dict[str, Any]) -> str:
    """A BAPIRET2 row in SAP's form `ID NUMBER text` (just the text when it has no ID)."""
    msg_class, number = str(row.get("ID") or "").strip(), str(row.get("NUMBER") or "").strip()
    text = str(row.get("MESSAGE") or "").strip()
    key = f"{msg_class} {number.zfill(3)}" if msg_class else ""
    return f"{key} {text}".strip() if key else text


def exception_line(exc: BaseException, lookup: TextLookup | None = None) -> str:
    """What went wrong in one line: the headline of the RETURN rows the error carries, else
    its message in `ID NUMBER text` form, else the exception's class and text."""
    if isinstance(exc, RFCLibError):
        best = headline(exc.messages) if exc.messages else None
        if best is not None:
            return row_line(best)
        return _message_line(exc, lookup)
    return f"{type(exc).__name__}: {exc}"


def _message_line(exc: RFCLibError, lookup: TextLookup | None) -> str:
    message = str(exc.message or "")
    parsed = _PYRFC_MESSAGE.match(message)
    msg_class = (exc.msg_class or (parsed["id"] if parsed else "") or "").strip()
    number = (exc.msg_number or (parsed["number"] if parsed else "") or "").strip()
    if not msg_class or not number:
        return message or exc.key or type(exc).__name__
    variables = [v or "" for v in (exc.msg_v1, exc.msg_v2, exc.msg_v3, exc.msg_v4)]
    if not any(variables) and parsed and parsed["vars"]:
        variables = parsed["vars"].split(" ", 3)
    template = lookup(msg_class, number.zfill(3)) if lookup else None
    if template:
        text = fill(template, *variables)
    elif parsed:  # pyrfc's form without a text: the variables are all there is
        text = " ".join(v for v in variables if v)
    else:
        text = message
    return f"{msg_class} {number.zfill(3)} {text}".strip()


def t100_text(connection: Any, msg_class: str, number: str) -> str | None:
    """A message's text in T100 of the system behind `connection` (an `RfcConnection`, read
    with RFC_READ_TABLE), None when it has none or cannot say."""
    if not (msg_class.replace("/", "").isalnum() and number.isdigit()):
        return None
    condition = f"SPRSL = 'E' AND ARBGB = '{msg_class}' AND MSGNR = '{number.zfill(3)}'"
    try:
        result = connection.call("RFC_READ_TABLE", QUERY_TABLE="T100", DELIMITER="|",
                                 FIELDS=[{"FIELDNAME": "TEXT"}],
                                 OPTIONS=[{"TEXT": condition}], ROWCOUNT=1)
    except RFCError:
        return None
    rows = result.get("DATA") or []
    return (str(rows[0]["WA"]).strip() or None) if rows else None
