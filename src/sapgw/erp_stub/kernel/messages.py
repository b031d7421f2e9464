"""Message texts (T100) and BAPIRET2 rows built from them.

Each application declares its message classes (`Application.messages`); a system registers
them here when it is built and writes them to table T100, where RFC_READ_TABLE reads them.
Texts use SAP's placeholders &1..&4 (and & in order). Where reference/wire.md gives the class
and number we use it; numbers marked `ours` in docs/MESSAGES.md are our choice.
tests/erp_stub/test_messages.py checks that every message the code can send has its text.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from sapgw.erp_stub.kernel.tables import ErpTable, char
from sapgw.rfc.errors import ABAPRuntimeError

# The kernel's own message class: number ranges.
KERNEL_MESSAGES: dict[str, dict[str, str]] = {
    "NR": {
        "751": "Number range interval &1 &2 of object &3 is exhausted",
        "752": "Number range interval for object &1 (&2) does not exist",
    },
}
LANGUAGE = "E"


class T100(ErpTable, table=True):
    """Messages: language, message class (ARBGB), number, text."""

    __tablename__ = "T100"
    SPRSL: str = char(1, key=True)
    ARBGB: str = char(20, key=True)
    MSGNR: str = char(3, key=True)
    TEXT: str = char(73)


_TEXTS: dict[tuple[str, str], str] = {}
_LOCK = threading.Lock()


def register(messages: Mapping[str, Mapping[str, str]]) -> None:
    """Make message texts known to `text` and `bapiret2` (the same texts for every system)."""
    with _LOCK:
        for msg_class, numbers in messages.items():
            for number, template in numbers.items():
                _TEXTS[(msg_class, number)] = template


def known(msg_class: str, number: str) -> bool:
    return (msg_class, number) in _TEXTS


def t100_rows(messages: Mapping[str, Mapping[str, str]]) -> list[dict[str, str]]:
    return [{"SPRSL": LANGUAGE, "ARBGB": msg_class, "MSGNR": number, "TEXT": template}
            for msg_class, numbers in messages.items() for number, template in numbers.items()]


register(KERNEL_MESSAGES)


def text(msg_class: str, number: str, *variables: Any) -> str:
    template = _TEXTS.get((msg_class, number), f"{msg_class} {number} &1 &2 &3 &4")
    values = [str(v) for v in variables] + [""] * 4
    for i in range(4, 0, -1):
        template = template.replace(f"&{i}", values[i - 1])
    for value in values:
        if "&" not in template:
            break
        template = template.replace("&", value, 1)
    return " ".join(template.split())


def bapiret2(msg_type: str, msg_class: str, number: str, *variables: Any, parameter: str = "",
             row: int = 0, field: str = "", system: str = "") -> dict[str, Any]:
    """One RETURN row, message text filled in from the catalogue."""
    v = [str(x) for x in variables] + [""] * 4
    return {
        "TYPE": msg_type, "ID": msg_class, "NUMBER": number,
        "MESSAGE": text(msg_class, number, *variables)[:220],
        "LOG_NO": "", "LOG_MSG_NO": "000000",
        "MESSAGE_V1": v[0][:50], "MESSAGE_V2": v[1][:50], "MESSAGE_V3": v[2][:50],
        "MESSAGE_V4": v[3][:50], "PARAMETER": parameter, "ROW": row, "FIELD": field,
        "SYSTEM": system,
    }


def update_terminated(msg_class: str, number: str, *variables: Any,
                      message: str | None = None) -> ABAPRuntimeError:
    """The error an update task ends with when it cannot write what was checked before
    (another LUW was first, a number range ran out): an A message, so nothing of the LUW
    stays. The text comes from the catalogue unless the failure already carries one."""
    return ABAPRuntimeError(text(msg_class, number, *variables) if message is None else message,
                            4, "UPDATE_TERMINATED", msg_class, "A", number, *variables)


def update_terminated_by(row: Mapping[str, Any]) -> ABAPRuntimeError:
    """`update_terminated` with a RETURN row (BAPIRET2) of a posting that failed after its
    check: its class, number, text and first two variables."""
    return update_terminated(row["ID"], row["NUMBER"], row["MESSAGE_V1"], row["MESSAGE_V2"],
                             message=row["MESSAGE"])
