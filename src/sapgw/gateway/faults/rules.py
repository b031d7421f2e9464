"""A failure injection rule: what it matches, what it does, how often and until when.

A rule matches a call by any of function, parameter values, destination, queue and BDoc type
(glob patterns, `*` and `?`, case-insensitive for names; an empty criterion matches
anything), and answers it with one of the KINDS instead of (or around) the real call. It
fires `count` times (None: until it expires or is cleared) and not after `expires_at`, read
on the gateway's clock. Rules are ours, not SAP's: SAP has no such tool; docs/FAULTS.md.

`FaultRule.from_json` checks a rule as a user writes it (REST body, CLI flags, a scenario
file) and raises `FaultRuleError` listing every problem, each naming its field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any

# kind -> what it does (the sentence `describe` and the docs use)
KINDS = {
    "return": "the BAPI answers RETURN with a message of type E, A or W",
    "exception": "the function raises an ABAP exception",
    "down": "the destination cannot be reached (CommunicationError; queues go CPICERR)",
    "slow": "the destination answers after `seconds` (beyond its timeout: RFC_CANCELED)",
    "lock": "a lock conflict (enqueue): MC 601 'Object requested is currently locked by user'",
    "period": "the posting period is closed: F5 201, as the ERP stub answers it",
}
RETURN_TYPES = ("E", "A", "W")
MATCH_FIELDS = ("function", "destination", "queue", "bdoc_type")
EFFECT_FIELDS = ("msg_type", "msg_class", "msg_number", "message", "msg_v1", "msg_v2",
                 "msg_v3", "msg_v4", "exception", "seconds", "user", "lock_object")


class FaultRuleError(ValueError):
    """A rule that cannot be used: every problem, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FaultRule:
    kind: str
    function: str = ""
    params: dict[str, str] = field(default_factory=dict)
    destination: str = ""
    queue: str = ""
    bdoc_type: str = ""
    count: int | None = 1
    expires_at: datetime | None = None
    msg_type: str = "E"
    msg_class: str = ""
    msg_number: str = ""
    message: str = ""
    msg_v1: str = ""
    msg_v2: str = ""
    msg_v3: str = ""
    msg_v4: str = ""
    exception: str = ""
    seconds: float = 0.0
    user: str = ""
    lock_object: str = ""
    # Set by the store.
    number: int | None = None
    hits: int = 0
    created_at: datetime | None = None
    created_by: str = ""

    @property
    def id(self) -> str:
        """The rule's name in every mark and list: F1, F2, …"""
        return f"F{self.number}" if self.number is not None else "F?"

    # -- reading what a user wrote --------------------------------------------------------------
    @classmethod
    def from_json(cls, raw: dict[str, Any], now: datetime) -> FaultRule:
        """A rule from a JSON object (`expires_in` seconds or `expires_at` ISO time)."""
        if not isinstance(raw, dict):
            raise FaultRuleError(["a fault rule must be a JSON object"])
        problems: list[str] = []
        known = {*MATCH_FIELDS, *EFFECT_FIELDS, "kind", "params", "count", "expires_in",
                 "expires_at"}
        problems += [f"{name}: unknown field (known: {', '.join(sorted(known))})"
                     for name in raw if name not in known]
        kind = str(raw.get("kind") or "")
        if kind not in KINDS:
            problems.append(f"kind: {kind or '(empty)'} is not one of {', '.join(KINDS)}")
        values: dict[str, Any] = {"kind": kind}
        for name in (*MATCH_FIELDS, *EFFECT_FIELDS):
            if name in raw and raw[name] is not None and name != "seconds":
                values[name] = str(raw[name]).strip()
        for name in ("function", "destination", "queue", "bdoc_type", "msg_type", "msg_class",
                     "exception"):
            if name in values:
                values[name] = values[name].upper()
        params = raw.get("params") or {}
        if not isinstance(params, dict):
            problems.append("params: must be an object of parameter path -> value, e.g. "
                            '{"DOCUMENTHEADER.COMP_CODE": "1000"}')
        else:
            values["params"] = {str(k).upper(): str(v) for k, v in params.items()}
        values["count"] = _count(raw.get("count", 1), problems)
        values["expires_at"] = _expiry(raw, now, problems)
        if "seconds" in raw:
            try:
                values["seconds"] = float(raw["seconds"])
            except (TypeError, ValueError):
                problems.append(f"seconds: {raw['seconds']!r} is not a number")
        rule = cls(**values) if not problems else None
        if rule is not None:
            problems += rule.problems()
        if problems or rule is None:
            raise FaultRuleError(problems)
        return rule

    def problems(self) -> list[str]:
        """What keeps this rule from working, kind by kind."""
        found = []
        if self.kind == "return":
            if self.msg_type not in RETURN_TYPES:
                found.append(f"msg_type: {self.msg_type} is not one of E, A, W")
            if not self.msg_class or not self.msg_number:
                found.append("msg_class and msg_number: a RETURN message needs its class "
                             "and number, e.g. RW 609")
            if not self.function:
                found.append("function: a RETURN rule needs the BAPI it answers for")
        if self.msg_number and not (self.msg_number.isdigit() and len(self.msg_number) <= 3):
            found.append(f"msg_number: {self.msg_number} is not a number of up to 3 digits")
        if self.kind == "exception" and not self.exception:
            found.append("exception: name the ABAP exception to raise, e.g. NOT_FOUND")
        if self.kind == "slow" and not 0 < self.seconds <= 3600:
            found.append(f"seconds: {self.seconds:g} is not between 0 and 3600")
        if self.kind in ("return", "exception", "period", "lock") and not (
                self.function or self.queue or self.bdoc_type or self.destination):
            found.append("function, destination, queue or bdoc_type: a rule that answers "
                         "for a function needs a match (one of them at least)")
        return found

    # -- matching -------------------------------------------------------------------------------
    def matches(self, function: str, params: dict[str, Any], destinations: tuple[str, ...],
                queue: str | None) -> bool:
        """Function, parameters, destination and queue (the BDoc type is checked apart)."""
        if self.function and not fnmatchcase(function.upper(), self.function):
            return False
        if self.destination and not any(fnmatchcase(d.upper(), self.destination)
                                        for d in destinations):
            return False
        if self.queue and not (queue and fnmatchcase(queue.upper(), self.queue)):
            return False
        return all(_param_matches(params, path.split("."), wanted)
                   for path, wanted in self.params.items())

    def to_json(self, now: datetime | None = None) -> dict[str, Any]:
        data = asdict(self)
        data.pop("number")
        data["id"] = self.id
        data["remaining"] = None if self.count is None else max(self.count - self.hits, 0)
        data["status"] = self.status(now) if now else "active"
        data["text"] = describe(self)
        for name in ("expires_at", "created_at"):
            data[name] = data[name].isoformat() if data[name] is not None else None
        return data

    def status(self, now: datetime) -> str:
        """active, used up (count reached) or expired (on the gateway's clock)."""
        if self.count is not None and self.hits >= self.count:
            return "used up"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def describe(rule: FaultRule) -> str:
    """One line naming what the rule matches and does, as the list and the log show it."""
    match = ", ".join(f"{name} {getattr(rule, name)}" for name in MATCH_FIELDS
                      if getattr(rule, name))
    match += "".join(f", {k}={v}" for k, v in rule.params.items())
    effect = {
        "return": f"RETURN {rule.msg_type} {rule.msg_class} {rule.msg_number}",
        "exception": f"ABAP exception {rule.exception}",
        "down": "destination down (CommunicationError)",
        "slow": f"slow: {rule.seconds:g} s",
        "lock": f"lock conflict{' on ' + rule.lock_object if rule.lock_object else ''}",
        "period": "posting period closed (F5 201)",
    }.get(rule.kind, rule.kind)
    return f"{effect} for {match or 'every call'}"


def _param_matches(value: Any, path: list[str], wanted: str) -> bool:
    """A dotted path into parameters; a table matches when any of its rows does."""
    if isinstance(value, list):
        return any(_param_matches(row, path, wanted) for row in value)
    if not path:
        return fnmatchcase(str(value).strip(), wanted.strip())
    if not isinstance(value, dict):
        return False
    key = next((k for k in value if str(k).upper() == path[0]), None)
    return key is not None and _param_matches(value[key], path[1:], wanted)


def _count(raw: Any, problems: list[str]) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        count = int(raw)
    except (TypeError, ValueError):
        problems.append(f"count: {raw!r} is not a whole number (empty: until it expires)")
        return None
    if count < 1:
        problems.append(f"count: {count} must be 1 or more (empty: until it expires)")
    return count


def _expiry(raw: dict[str, Any], now: datetime, problems: list[str]) -> datetime | None:
    if raw.get("expires_in") not in (None, ""):
        try:
            seconds = float(raw["expires_in"])
        except (TypeError, ValueError):
            problems.append(f"expires_in: {raw['expires_in']!r} is not a number of seconds")
            return None
        if seconds <= 0:
            problems.append(f"expires_in: {seconds:g} must be more than 0 seconds")
        return now + timedelta(seconds=seconds)
    if raw.get("expires_at") not in (None, ""):
        try:
            moment = datetime.fromisoformat(str(raw["expires_at"]))
        except ValueError:
            problems.append(f"expires_at: {raw['expires_at']!r} is not an ISO date-time")
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)
    return None
