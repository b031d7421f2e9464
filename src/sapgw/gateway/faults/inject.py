"""Applying the rules to one call or one unit: find the first rule that matches, spend one
of its hits, answer as the rule says (`effects`), or run the real thing.

Used by both places calls pass: `FaultyConnection` (every destination the gateway opens)
and the served RFC layer (the gateway's own functions). A `Site` says where the call goes
and how to learn a function's shape (which parameters it answers, whether RETURN is a table
or a structure) and a message's T100 text there.

Rules of kind return and period match only functions with a RETURN parameter; a W (warning)
matches only synchronous calls, since nobody reads the RETURN of a call in a tRFC unit. In a
unit, a rule matching any of its calls fails the unit as a whole (nothing of it runs).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any

from sapgw.gateway.faults import effects
from sapgw.gateway.faults.rules import FaultRule
from sapgw.gateway.faults.store import Faults
from sapgw.rfc.ddic import TableType
from sapgw.rfc.injected import InjectedResult, tag
from sapgw.rfc.interface import Direction, FunctionInterface
from sapgw.rfc.structures import unit_error
from sapgw.types import RfcCall

Sleep = Callable[[float], None]
# While a judged call or unit runs: what was judged ("unit TID" or "call NAME") and the unit's
# TID and queue. A layer below that sees the same unit or call again (a served connection
# behind the ERP's CRM destination) does not judge it twice; calls the ERP makes inside it
# (CALL FUNCTION, `local_call`) are judged as calls of that unit's queue.
_judged: ContextVar[tuple[frozenset[str], str | None, str | None]] = ContextVar(
    "sapgw_fault_judged", default=(frozenset(), None, None))


@contextmanager
def _running(key: str, tid: str | None = None, queue: str | None = None) -> Iterator[None]:
    keys, outer_tid, outer_queue = _judged.get()
    token = _judged.set((keys | {key}, tid or outer_tid, queue or outer_queue))
    try:
        yield
    finally:
        _judged.reset(token)


@dataclass
class Shape:
    """A function's answer without running it: its non-IMPORT parameters, initial."""

    returns: str | None  # "table", "structure", or None (no RETURN parameter)
    initial: Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Site:
    """Where calls go: the destination names rules may match, its timeout, its metadata."""

    destinations: tuple[str, ...]
    shape: Callable[[str], Shape | None]
    text: effects.TextLookup = lambda _cls, _number: None
    timeout: float | None = None
    local: bool = False  # CALL FUNCTION inside a system: no destination to be down
    _shapes: dict[str, Shape | None] = field(default_factory=dict, repr=False)

    def shape_of(self, function: str) -> Shape | None:
        if function not in self._shapes:
            self._shapes[function] = self.shape(function)
        return self._shapes[function]


class Injector:
    def __init__(self, faults: Faults, sleep: Sleep = time.sleep) -> None:
        self.faults = faults
        self.sleep = sleep

    def find(self, site: Site, calls: list[RfcCall], tid: str | None, queue: str | None,
             in_unit: bool = False) -> tuple[FaultRule, RfcCall] | None:
        """The first active rule matching a call (and the call), its hit spent; or None."""
        rules = self.faults.active()
        if not rules:
            return None
        bdoc_type: str | None = None
        for rule in rules:
            for call in calls:
                if not rule.matches(call.function, call.params, site.destinations, queue):
                    continue
                if rule.bdoc_type:
                    if tid is None:
                        continue
                    if bdoc_type is None:
                        bdoc_type = self.faults.bdoc_type_of_unit(tid)
                    if not fnmatchcase(bdoc_type, rule.bdoc_type):
                        continue
                if rule.kind == "return" and rule.msg_type == "W" and in_unit:
                    continue
                if rule.kind == "down" and site.local:
                    continue
                if rule.kind in ("return", "period"):
                    shape = site.shape_of(call.function)
                    if shape is None or shape.returns is None:
                        continue
                if self.faults.consume(rule):
                    return rule, call
        return None

    # -- a synchronous call ------------------------------------------------------------------
    def call(self, site: Site, function: str, params: dict[str, Any],
             run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Run the call as the rules say. Without an active rule nothing can fire here, so the
        call runs at once: no key, no judged-call marker (a layer below that sees a rule
        arrive in between judges the call itself, once)."""
        if not self.faults.active():
            return run()
        key = f"call {function.upper()}"
        keys, tid, queue = _judged.get()
        if key in keys:
            return run()
        found = self.find(site, [RfcCall(function, params)], tid, queue)
        if found is None:
            with _running(key):
                return run()
        rule, _ = found
        if rule.kind in ("down", "slow", "exception"):
            self._before(rule, site)
            with _running(key):
                return InjectedResult.of(run(), rule.id)  # slow, within the timeout
        shape = site.shape_of(function)
        if rule.kind == "lock" and (shape is None or shape.returns is None):
            raise effects.exception(rule, site.text)
        rows = effects.return_rows(rule, function, params, self.faults.clock.today(),
                                   site.text)
        if rule.kind == "return" and rule.msg_type == "W":
            with _running(key):
                result = dict(run())
        else:
            result = shape.initial(params) if shape is not None else {}
        return InjectedResult.of(_with_return(result, rows, shape), rule.id)

    # -- a tRFC/qRFC unit ----------------------------------------------------------------------
    def unit(self, site: Site, tid: str, calls: list[RfcCall], queue: str | None,
             run: Callable[[], Any]) -> tuple[Any, str | None]:
        """Run the unit as the rules say; answer run()'s value and the rule id (None: no
        rule matched). An injected failure raises, marked."""
        key = f"unit {tid}"
        if key in _judged.get()[0]:
            return run(), None
        found = self.find(site, calls, tid, queue, in_unit=True)
        if found is None:
            with _running(key, tid, queue):
                return run(), None
        rule, call = found
        if rule.kind in ("down", "slow", "exception"):
            self._before(rule, site)
            with _running(key, tid, queue):
                return run(), rule.id
        shape = site.shape_of(call.function)
        if rule.kind == "lock" and (shape is None or shape.returns is None):
            raise effects.exception(rule, site.text)
        rows = effects.return_rows(rule, call.function, call.params,
                                   self.faults.clock.today(), site.text)
        raise tag(unit_error(call.function, rows), rule.id)

    def _before(self, rule: FaultRule, site: Site) -> None:
        """down and exception raise; slow waits (and raises beyond the timeout)."""
        name = site.destinations[0] if site.destinations else "NONE"
        if rule.kind == "down":
            raise effects.communication_failure(rule, name)
        if rule.kind == "exception":
            raise effects.exception(rule, site.text)
        if site.timeout is not None and rule.seconds > site.timeout:
            self.sleep(site.timeout)
            raise effects.canceled(rule, name, site.timeout)
        self.sleep(rule.seconds)


def _with_return(result: dict[str, Any], rows: list[dict[str, Any]], shape: Shape | None
                 ) -> dict[str, Any]:
    """RETURN as the function has it: a table gets the rows (W: after its own), a structure
    the first row (W: only where the function left it empty)."""
    if shape is not None and shape.returns == "structure":
        current = result.get("RETURN")
        if not (isinstance(current, dict) and current.get("TYPE")) or rows[0]["TYPE"] != "W":
            result["RETURN"] = rows[0]
        return result
    current = result.get("RETURN")
    existing = list(current) if isinstance(current, list) and rows[0]["TYPE"] == "W" else []
    result["RETURN"] = [*existing, *rows]
    return result


# -- shapes from the two kinds of metadata ------------------------------------------------------
_INITIAL = {"RFCTYPE_INT": 0, "RFCTYPE_BCD": Decimal(0), "RFCTYPE_FLOAT": 0.0,
            "RFCTYPE_DATE": "00000000", "RFCTYPE_TIME": "000000"}


def shape_from_description(description: dict[str, Any]) -> Shape:
    """From pyrfc's FunctionDescription (`get_function_description`)."""
    outputs = [p for p in description["parameters"] if p["direction"] != "RFC_IMPORT"]
    returns = next(("table" if p["parameter_type"] == "RFCTYPE_TABLE" else "structure"
                    for p in outputs if p["name"] == "RETURN"), None)

    def initial(params: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for p in outputs:
            kind = p["parameter_type"]
            if kind == "RFCTYPE_TABLE":
                result[p["name"]] = params.get(p["name"], [])
            elif kind == "RFCTYPE_STRUCTURE":
                fields = (p.get("type_description") or {}).get("fields", [])
                result[p["name"]] = {f["name"]: _initial(f["field_type"], f["uc_length"])
                                     for f in fields}
            else:
                result[p["name"]] = _initial(kind, p["uc_length"])
        return result

    return Shape(returns, initial)


def _initial(kind: str, uc_length: int) -> Any:
    if kind == "RFCTYPE_NUM":
        return "0" * max(uc_length // 2, 1)
    return _INITIAL.get(kind, "")


def shape_from_interface(interface: FunctionInterface) -> Shape:
    """From a function interface the gateway holds (its own functions, a local ERP's)."""
    returns = None
    for param in interface.parameters:
        if param.name == "RETURN" and param.direction is not Direction.IMPORT:
            returns = "table" if isinstance(param.type, TableType) else "structure"
    return Shape(returns, interface.shape_result)
