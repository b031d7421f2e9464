"""How an injected fault is told apart from a real failure, below the gateway.

The gateway's failure injection (`sapgw.gateway.faults`) wraps connections; what it injects
must stay recognisable to the layers under it that write things down (the cassette). Three
marks, none of them in pyrfc:

- an exception raised by an injected fault carries `injected_fault` (the rule's id, "F3");
- a result altered or delayed by one is an `InjectedResult` (a dict) with the same attribute;
- a connection that injected faults into units names them in `injected_units` (TID -> id).

Every injected message text also ends with `mark(id)`, so an operator reading SMQ1, SMQ2 or
the BDoc log sees the mark without knowing about any of this.
"""

from __future__ import annotations

import re
from typing import Any

_MARK = re.compile(r"\[injected fault (F\d+)\]")


def mark(fault_id: str) -> str:
    """The text appended to every injected message: ' [injected fault F3]'."""
    return f" [injected fault {fault_id}]"


class InjectedResult(dict[str, Any]):
    """A call's result that an injected fault produced or changed."""

    injected_fault: str = ""

    @classmethod
    def of(cls, result: dict[str, Any], fault_id: str) -> InjectedResult:
        marked = cls(result)
        marked.injected_fault = fault_id
        return marked


def tag(exc: BaseException, fault_id: str) -> BaseException:
    """Mark an exception as injected by rule `fault_id` (answers the exception)."""
    exc.injected_fault = fault_id  # type: ignore[attr-defined]
    return exc


def injected_fault(outcome: object) -> str | None:
    """The rule id an exception or result was injected by, None for a real one."""
    return getattr(outcome, "injected_fault", None) or None


def injected_units(connection: object) -> dict[str, str]:
    """TID -> rule id of the units `connection` injected faults into (empty if none)."""
    return getattr(connection, "injected_units", None) or {}


def fault_in(text: str) -> str | None:
    """The rule id a message text is marked with, None for an unmarked text."""
    found = _MARK.search(text or "")
    return found.group(1) if found else None
