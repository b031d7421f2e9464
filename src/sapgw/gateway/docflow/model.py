"""The document flow's shapes: one entry per object, collected into a `DocumentFlow`.

An entry is one thing a business key produced somewhere: a BDoc, an LUW (with its TID), an
IDoc, an ERP document or master record. Each has the system it lives in (CRM for the
gateway, ERP), the moment it was written and the entry that caused it (`parent`), so the
flow reads as a chain. Ordering: by time, but never before the cause, since the two systems
keep time with different precision (the gateway to the microsecond, ERP documents to the
second, orders and master records to the day, `date_only`). Entries without a time of their
own stand at their cause's. Equal times keep the order the flow found them in, which follows
the chain (a BDoc, then its LUWs, then what the ERP made of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

BDOC, LUW, IDOC, ERP_DOCUMENT, ERP_QUEUE = "BDOC", "LUW", "IDOC", "ERP_DOCUMENT", "ERP_QUEUE"
KINDS = {BDOC: "BDoc", LUW: "LUW", IDOC: "IDoc", ERP_DOCUMENT: "ERP document",
         ERP_QUEUE: "ERP queue"}


@dataclass
class FlowEntry:
    """One object of the flow; `object_type` is the SAP table or BDoc type it is a row of."""

    kind: str
    system: str  # CRM (the gateway) or ERP
    object_type: str  # BDoc type, SMQ1/SMQ2/ARFCRSTATE/TRFCQOUT, EDIDC, BKPF, AUFK, ...
    object_id: str
    text: str
    status: str = ""
    at: datetime | None = None
    date_only: bool = False
    link: str = ""
    tid: str = ""
    parent: int | None = None
    seq: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, when: datetime | None) -> dict[str, Any]:
        return {"seq": self.seq, "at": _iso(self.at, self.date_only),
                "sort_at": _iso(when, False), "date_only": self.date_only,
                "system": self.system, "kind": self.kind, "object_type": self.object_type,
                "object_id": self.object_id, "status": self.status, "text": self.text,
                "tid": self.tid, "link": self.link, "parent": self.parent,
                "details": self.details}


class DocumentFlow:
    """What one key led to, collected once per object (the same LUW found twice is one)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.found_as: list[str] = []
        self.problems: list[str] = []
        self.entries: list[FlowEntry] = []
        self._index: dict[tuple[str, str, str], FlowEntry] = {}

    def recognised(self, what: str) -> None:
        if what not in self.found_as:
            self.found_as.append(what)

    def add(self, entry: FlowEntry) -> tuple[FlowEntry, bool]:
        """The entry, numbered; or the one already there for the same object (False)."""
        identity = (entry.kind, entry.object_type, entry.object_id)
        known = self._index.get(identity)
        if known is not None:
            return known, False
        entry.seq = len(self.entries) + 1
        self.entries.append(entry)
        self._index[identity] = entry
        return entry, True

    def find(self, kind: str, object_type: str, object_id: str) -> FlowEntry | None:
        return self._index.get((kind, object_type, object_id))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def ordered(self) -> list[tuple[FlowEntry, datetime | None]]:
        """Entries by time, none before its cause; with the time each is ordered by."""
        when: dict[int, datetime | None] = {}
        for entry in self.entries:  # a parent is always found before its children
            cause = when.get(entry.parent) if entry.parent else None
            own = entry.at if not entry.date_only else None
            when[entry.seq] = max(own, cause) if own and cause else (own or cause or entry.at)
        floor = datetime.min.replace(tzinfo=UTC)
        ranked = sorted(self.entries, key=lambda e: (when[e.seq] or floor, e.seq))
        return [(entry, when[entry.seq]) for entry in ranked]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "found_as": self.found_as, "problems": self.problems,
                "entries": [entry.as_dict(when) for entry, when in self.ordered()]}


def _iso(value: datetime | None, date_only: bool) -> str | None:
    if value is None:
        return None
    if date_only:
        return value.date().isoformat()
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def sap_moment(date: str, time: str = "") -> tuple[datetime | None, bool]:
    """A DATS (and TIMS) pair as a UTC moment (the stub's clock is UTC); date only when no
    time is kept. Initial dates (00000000, blank) answer None."""
    date = date.replace("-", "").strip()
    if len(date) != 8 or not date.isdigit() or date == "00000000":
        return None, False
    time = time.replace(":", "").strip()
    if len(time) == 6 and time.isdigit():
        return datetime.strptime(date + time, "%Y%m%d%H%M%S").replace(tzinfo=UTC), False
    return datetime.strptime(date, "%Y%m%d").replace(tzinfo=UTC), True


def text_moment(value: str) -> datetime | None:
    """A timestamp the ERP hands over as text (TRFCQOUT-QTIME, TRFCQVIEW-FIRSTTIME)."""
    value = (value or "").strip().replace("Z", "+00:00")
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
