"""The shape of a system's queue tables, and the LUW record read from them.

Every system keeps its queues in two tables of its own database: one row per queue (status,
lock, lease, retries) and one row per LUW (TID, calls, place in the queue). The gateway's are
`qrfc_queue`/`qrfc_luw`, the ERP's `TRFCQSTATE`/`TRFCQOUT` with SAP-like column names. A
`QueueSchema` maps the store's logical column names onto one such pair, so the queue store's
SQL is written once. A few columns are optional: a system with only outbound queues needs no
direction, one that runs no BDoc flows no kind, BDoc id or site.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Table

from sapgw.types import RfcCall

QUEUE_FIELDS = ("name", "direction", "destination", "status", "locked", "waiting_on", "error",
                "error_at", "retries", "next_retry_at", "claimed_by", "claimed_until",
                "updated_at")
LUW_FIELDS = ("id", "queue", "direction", "kind", "tid", "destination", "calls", "bdoc_id",
              "site", "wait_for", "created_at")
OPTIONAL = frozenset({"direction", "kind", "bdoc_id", "site"})
# What an optional column reads as where a system has none.
ABSENT = {"direction": "out", "kind": "RFC", "bdoc_id": "", "site": ""}


class Columns:
    """The columns of one table by logical name: `cols.status` is the status column."""

    def __init__(self, table: Table, fields: tuple[str, ...], names: Mapping[str, str]) -> None:
        self.table = table
        self._columns: dict[str, Column[Any]] = {}
        for field in fields:
            name = names.get(field, field)
            if name in table.c:
                self._columns[field] = table.c[name]
            elif field not in OPTIONAL:
                raise ValueError(f"queue table {table.name} has no column {name} ({field})")

    def __getattr__(self, field: str) -> Column[Any]:
        try:
            return self._columns[field]
        except KeyError:
            raise AttributeError(f"{self.table.name} has no column for {field}") from None

    def has(self, field: str) -> bool:
        return field in self._columns

    def key(self, field: str) -> str:
        return self._columns[field].key

    def values(self, **logical: Any) -> dict[str, Any]:
        """Logical values as a row of this table (keys of its columns; absent ones dropped)."""
        return {self._columns[f].key: v for f, v in logical.items() if f in self._columns}

    def read(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A row of this table as logical values (absent optional columns filled in)."""
        values = {field: row[column.key] for field, column in self._columns.items()
                  if column.key in row}
        return {**{f: ABSENT[f] for f in OPTIONAL if f not in values}, **values}


@dataclass(frozen=True)
class QueueSchema:
    """A system's pair of queue tables, seen through the store's logical column names."""

    q: Columns
    l: Columns  # noqa: E741 - the LUW table, as Q is the queue table

    @classmethod
    def of(cls, queue: Table, luw: Table, queue_names: Mapping[str, str] | None = None,
           luw_names: Mapping[str, str] | None = None) -> QueueSchema:
        """`*_names`: logical name -> column name, where they differ."""
        return cls(Columns(queue, QUEUE_FIELDS, queue_names or {}),
                   Columns(luw, LUW_FIELDS, luw_names or {}))

    @property
    def Q(self) -> Table:  # the queue table, as in SQL
        return self.q.table

    @property
    def L(self) -> Table:  # the LUW table
        return self.l.table

    def q_in(self, direction: str) -> list[ColumnElement[bool]]:
        """Conditions selecting queue rows of a direction (none where there is one)."""
        return [self.q.direction == direction] if self.q.has("direction") else []

    def l_in(self, direction: str) -> list[ColumnElement[bool]]:
        return [self.l.direction == direction] if self.l.has("direction") else []

    def queue_key(self, name: str, direction: str) -> list[ColumnElement[bool]]:
        return [self.q.name == name, *self.q_in(direction)]


@dataclass(frozen=True)
class Luw:
    """One queued LUW: its calls, TID and place in its queue (id is the global sequence)."""

    id: int
    queue: str
    direction: str
    kind: str
    tid: str
    destination: str
    calls: list[RfcCall]
    bdoc_id: str
    site: str
    wait_for: tuple[str, ...]
    created_at: datetime

    @classmethod
    def from_values(cls, v: Mapping[str, Any]) -> Luw:
        return cls(v["id"], v["queue"], v["direction"], v["kind"], v["tid"], v["destination"],
                   [RfcCall.from_json(c) for c in json.loads(v["calls"])], v["bdoc_id"],
                   v["site"], tuple(w for w in (v["wait_for"] or "").split(",") if w),
                   v["created_at"])
