"""The rules in the gateway database (table `sapgw_fault`, ours), so that every process —
`sapgw serve`, any number of `sapgw worker` — sees the same rules and counts.

The active rules are read at most every `REFRESH_SECONDS` per process and at once after this
process adds or clears one (a rule added over REST holds for the very next call in that
process, and within REFRESH_SECONDS in the others): asking the database on every call cost
more than the ERP posting it guarded (the funds bench ran at a third of its speed). A rule fires by
`consume`: one UPDATE that counts the hit only while the rule is still active, so two
processes never spend the last hit twice.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update
from sqlmodel import Field

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.faults.rules import EFFECT_FIELDS, FaultRule, FaultRuleError
from sapgw.gateway.store.tables import GatewayTable, QrfcLuw


class FaultRow(GatewayTable, table=True):
    """One failure injection rule: its match, effect (JSON), count, hits and expiry."""

    __tablename__ = "sapgw_fault"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)
    function: str = Field(default="", max_length=64)
    destination: str = Field(default="", max_length=32)
    queue: str = Field(default="", max_length=24)
    bdoc_type: str = Field(default="", max_length=30)
    params: str = Field(default="{}")  # JSON {path: value}
    effect: str = Field(default="{}")  # JSON of the EFFECT_FIELDS
    max_hits: int | None = None  # the rule's count; None: until it expires or is cleared
    hits: int = 0
    expires_at: datetime | None = None
    created_at: datetime
    created_by: str = Field(default="", max_length=64)


F = FaultRow.__table__  # type: ignore[attr-defined]
REFRESH_SECONDS = 0.5
_ACTIVE = select(F).where(or_(F.c.max_hits.is_(None), F.c.hits < F.c.max_hits)).order_by(F.c.id)
L = QrfcLuw.__table__  # type: ignore[attr-defined]
_BDOC_TYPE = GatewayTable.metadata.tables["smw3_bdoc"]


class UnknownFault(LookupError):
    def __init__(self, fault_id: str) -> None:
        super().__init__(f"fault rule {fault_id} does not exist (sapgw fault list)")


class Faults:
    """`Gateway.faults`: add, list and clear rules; what the wrapped connections ask."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._lock = threading.Lock()
        self._active: tuple[float, list[FaultRule]] | None = None  # (read again at, rules)

    # -- the user's API ---------------------------------------------------------------------
    def add(self, rule: FaultRule | dict[str, Any] | None = None, *, created_by: str = "",
            **fields: Any) -> dict[str, Any]:
        """Store a rule (a FaultRule, a JSON-like dict, or keywords); answer it listed.

        `gw.faults.add(kind="down", destination="ERP", count=2)`. A bad rule raises
        FaultRuleError naming every wrong field.
        """
        now = self.clock.now()
        if not isinstance(rule, FaultRule):
            rule = FaultRule.from_json({**(rule or {}), **fields}, now)
        elif rule.problems():
            raise FaultRuleError(rule.problems())
        row = {"kind": rule.kind, "function": rule.function, "destination": rule.destination,
               "queue": rule.queue, "bdoc_type": rule.bdoc_type,
               "params": json.dumps(rule.params),
               "effect": json.dumps({n: getattr(rule, n) for n in EFFECT_FIELDS}),
               "max_hits": rule.count, "hits": 0, "expires_at": rule.expires_at,
               "created_at": now, "created_by": created_by}
        with self.db.write() as conn:
            number = conn.execute(insert(F).values(**row).returning(F.c.id)).scalar_one()
        self.forget()
        return replace(rule, number=number, created_at=now, created_by=created_by).to_json(now)

    def list(self) -> list[dict[str, Any]]:
        """Every rule with its status (active, used up, expired) and remaining count."""
        now = self.clock.now()
        with self.db.read() as conn:
            rows = conn.execute(select(F).order_by(F.c.id)).mappings().all()
        return [_rule(row).to_json(now) for row in rows]

    def get(self, fault_id: str) -> dict[str, Any]:
        number = _number(fault_id)
        with self.db.read() as conn:
            row = conn.execute(select(F).where(F.c.id == number)).mappings().first()
        if row is None:
            raise UnknownFault(fault_id)
        return _rule(row).to_json(self.clock.now())

    def clear(self, fault_id: str | None = None) -> int:
        """Delete one rule (F3) or all of them; answer how many went. Reset calls this."""
        self.forget()
        with self.db.write() as conn:
            if fault_id is None:
                return conn.execute(delete(F)).rowcount
            count = conn.execute(delete(F).where(F.c.id == _number(fault_id))).rowcount
        if not count:
            raise UnknownFault(fault_id)
        return count

    # -- what the wrapped connections ask ----------------------------------------------------
    def active(self) -> list[FaultRule]:
        """The rules that may still fire now, oldest first (read at most every
        REFRESH_SECONDS; `consume` decides for good, in the database)."""
        cached = self._active
        if cached is None or time.monotonic() >= cached[0]:
            with self.db.read() as conn:
                rows = conn.execute(_ACTIVE).mappings().all()
            cached = (time.monotonic() + REFRESH_SECONDS, [_rule(row) for row in rows])
            self._active = cached
        if not cached[1]:  # the usual case: no rules, and no clock to read
            return []
        now = self.clock.now()
        return [rule for rule in cached[1] if rule.expires_at is None or rule.expires_at > now]

    def forget(self) -> None:
        """Read the rules afresh at the next call (this process changed them)."""
        self._active = None

    def consume(self, rule: FaultRule) -> bool:
        """Count one hit of `rule` if it is still active; False when another call (or
        process) used its last hit, or it expired, in the meantime."""
        now = self.clock.now()
        with self.db.write() as conn:
            done = conn.execute(update(F).where(
                F.c.id == rule.number,
                or_(F.c.max_hits.is_(None), F.c.hits < F.c.max_hits),
                or_(F.c.expires_at.is_(None), F.c.expires_at > now)).values(
                hits=F.c.hits + 1)).rowcount
        if not done or rule.count is not None:
            self.forget()  # spent (here or elsewhere): its hits left changed
        return bool(done)

    def bdoc_type_of_unit(self, tid: str) -> str:
        """The BDoc type behind a gateway LUW (by its TID), "" for a unit of no BDoc."""
        with self.db.read() as conn:
            return _bdoc_type(conn, tid)


def _bdoc_type(conn: Connection, tid: str) -> str:
    found = conn.execute(select(_BDOC_TYPE.c.bdoc_type).select_from(
        L.join(_BDOC_TYPE, _BDOC_TYPE.c.bdoc_id == L.c.bdoc_id)).where(L.c.tid == tid)
    ).scalar()
    return str(found or "")


def _number(fault_id: str) -> int:
    text = str(fault_id).strip().upper().removeprefix("F")
    if not text.isdigit():
        raise UnknownFault(str(fault_id))
    return int(text)


def _rule(row: Any) -> FaultRule:
    effect = json.loads(row["effect"] or "{}")
    return FaultRule(kind=row["kind"], function=row["function"],
                     destination=row["destination"], queue=row["queue"],
                     bdoc_type=row["bdoc_type"], params=json.loads(row["params"] or "{}"),
                     count=row["max_hits"], expires_at=_aware(row["expires_at"]),
                     number=row["id"], hits=row["hits"], created_at=_aware(row["created_at"]),
                     created_by=row["created_by"],
                     **{k: v for k, v in effect.items() if k in EFFECT_FIELDS})


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; the gateway's are UTC."""
    from datetime import UTC

    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
