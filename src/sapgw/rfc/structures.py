"""DDIC structures every SAP system shares: BAPIRET2 and the BAPI helpers built on it."""

from __future__ import annotations

from typing import Any

from sapgw.rfc.ddic import CHAR, INT4, NUMC, structure
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.message_line import headline

BAPIRET2 = structure(
    "BAPIRET2",
    ("TYPE", CHAR(1), "Message type: S Success, E Error, W Warning, I Info, A Abort"),
    ("ID", CHAR(20), "Message Class"),
    ("NUMBER", NUMC(3), "Message Number"),
    ("MESSAGE", CHAR(220), "Message Text"),
    ("LOG_NO", CHAR(20), "Application log: log number"),
    ("LOG_MSG_NO", NUMC(6), "Application log: Internal message serial number"),
    ("MESSAGE_V1", CHAR(50), "Message Variable"),
    ("MESSAGE_V2", CHAR(50), "Message Variable"),
    ("MESSAGE_V3", CHAR(50), "Message Variable"),
    ("MESSAGE_V4", CHAR(50), "Message Variable"),
    ("PARAMETER", CHAR(32), "Parameter Name"),
    ("ROW", INT4, "Lines in parameter"),
    ("FIELD", CHAR(30), "Field in parameter"),
    ("SYSTEM", CHAR(10), "Logical system from which message originates"),
)


def is_error(row: dict[str, Any]) -> bool:
    return row.get("TYPE") in ("E", "A", "X")


def errors(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if is_error(row)]


def return_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The BAPIRET2 rows of a result's RETURN, whether a structure or a table."""
    value = result.get("RETURN")
    if isinstance(value, dict):
        return [value] if value.get("TYPE") else []
    return list(value or [])


def unit_error(function: str, failed: list[dict[str, Any]]) -> ABAPApplicationError:
    """A unit whose call answered RETURN type E/A: roll back and report every message, with
    the most specific one (not a container such as RW 609) as the error's own."""
    first = headline(failed) or failed[0]
    return ABAPApplicationError(
        first.get("MESSAGE") or f"{function} failed", 5, "APPLICATION_ERROR",
        first.get("ID"), first.get("TYPE"), first.get("NUMBER"), first.get("MESSAGE_V1"),
        first.get("MESSAGE_V2"), first.get("MESSAGE_V3"), first.get("MESSAGE_V4"),
        messages=failed)


def check_unit_result(function: str, result: dict[str, Any]) -> None:
    """Raise `unit_error` when a call of a unit answered RETURN rows of type E/A (or X)."""
    failed = errors(return_rows(result))
    if failed:
        raise unit_error(function, failed)
