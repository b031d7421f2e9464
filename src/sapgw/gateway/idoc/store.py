"""IDoc tables in the gateway database: EDIDC (control), EDID4 (segments), EDIDS (status history),
EDP21 and EDP13 (inbound and outbound partner profiles, WE20) and the EDIDOC number range that
gives 16-digit DOCNUMs, for inbound and outbound IDocs alike (DIRECT 2 and 1).

Every status change writes an EDIDS row and the EDIDC status in the caller's transaction, so
the history is never behind the header. Lists page by DOCNUM (keyset), newest first.

The writes of the inbound path (EDIDC, EDID4, EDIDS rows, the status and the number range)
are statements built once and run on the driver (`driver_insert` for the INSERTs,
`driver_statement.DriverStatement` for the draw, the status UPDATE and SELECT), not per IDoc:
SQLAlchemy's work around them cost more than SQLite's (issue 15). An IDoc's first status
records go in with it (`write`: EDIDC with its last status, EDIDS in one executemany), so
storing one IDoc is four statements. Inbound partner profiles are read through a cache of
at most `PROFILE_SECONDS`, cleared by a WE20 save.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlmodel import Field

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.driver_insert import insert_rows
from sapgw.driver_statement import DriverStatement
from sapgw.gateway.idoc.model import Idoc, Segment
from sapgw.gateway.store.tables import GatewayTable

SCHEMA_VERSION = 2  # 2: RCVPRT/RCVPRN in EDIDC (outbound IDocs)


class EDIDC(GatewayTable, table=True):
    __tablename__ = "edidc"
    DOCNUM: str = Field(primary_key=True, max_length=16)
    STATUS: str = Field(max_length=2, index=True)
    DIRECT: str = Field(default="2", max_length=1)
    IDOCTYP: str = Field(default="", max_length=30)
    MESTYP: str = Field(default="", max_length=30, index=True)
    SNDPRT: str = Field(default="", max_length=2)
    SNDPRN: str = Field(default="", max_length=10, index=True)
    RCVPRT: str = Field(default="", max_length=2)
    RCVPRN: str = Field(default="", max_length=10, index=True)
    control: str = "{}"  # JSON: every EDI_DC40 field as received, DOCNUM/STATUS ours
    xml_root: str = Field(default="", max_length=120)
    read_problems: str = "[]"  # JSON: what was wrong while reading (kept for reprocessing)
    created_at: datetime
    updated_at: datetime
    schema_version: int = SCHEMA_VERSION


class EDID4(GatewayTable, table=True):
    __tablename__ = "edid4"
    DOCNUM: str = Field(primary_key=True, max_length=16)
    SEGNUM: int = Field(primary_key=True)
    SEGNAM: str = Field(max_length=30)
    PSGNUM: int = 0
    HLEVEL: int = 1
    fields: str | None = None  # JSON object, or NULL when only SDATA is known
    SDATA: str | None = None


class EDIDS(GatewayTable, table=True):
    __tablename__ = "edids"
    id: int | None = Field(default=None, primary_key=True)
    DOCNUM: str = Field(max_length=16, index=True)
    STATUS: str = Field(max_length=2)
    STATXT: str = ""
    messages: str = "[]"  # JSON: BAPIRET2-like rows behind this status
    LOGDAT: datetime


class EDP21(GatewayTable, table=True):
    """Inbound partner profile (WE20): who may send which message type, and what runs it."""

    __tablename__ = "edp21"
    SNDPRT: str = Field(primary_key=True, max_length=2)
    SNDPRN: str = Field(primary_key=True, max_length=10)
    MESTYP: str = Field(primary_key=True, max_length=30)
    EVCODE: str = Field(max_length=30)  # process code
    destination: str = Field(default="ERP", max_length=32)


class EDP13(GatewayTable, table=True):
    """Outbound partner profile (WE20): which message type goes to a partner, over which port."""

    __tablename__ = "edp13"
    RCVPRT: str = Field(primary_key=True, max_length=2)
    RCVPRN: str = Field(primary_key=True, max_length=10)
    MESTYP: str = Field(primary_key=True, max_length=30)
    RCVPOR: str = Field(max_length=10)  # receiver port (WE21)
    IDOCTYP: str = Field(max_length=30)  # basic type
    OUTMOD: str = Field(default="2", max_length=1)  # 2 transfer immediately, 4 collect


class IdocNumberRange(GatewayTable, table=True):
    __tablename__ = "idoc_nriv"
    OBJECT: str = Field(primary_key=True, max_length=10)
    NRLEVEL: int = 0


C = EDIDC.__table__  # type: ignore[attr-defined]
D = EDID4.__table__  # type: ignore[attr-defined]
S = EDIDS.__table__  # type: ignore[attr-defined]
P = EDP21.__table__  # type: ignore[attr-defined]
Q = EDP13.__table__  # type: ignore[attr-defined]
N = IdocNumberRange.__table__  # type: ignore[attr-defined]
TABLES = [C, D, S, P, Q, N]
Step = tuple[str, str, list[dict[str, Any]] | None]  # a status record: status, text, messages
CONTROL_COLUMNS = ("IDOCTYP", "MESTYP", "SNDPRT", "SNDPRN", "RCVPRT", "RCVPRN")
_WIDTHS = {name: C.c[name].type.length for name in CONTROL_COLUMNS}
PROFILE_SECONDS = 1.0  # how long a read partner profile (or its absence) is used again

# Statements of the hot path, built once, run on the driver (driver_statement.py).
_DRAW = DriverStatement(update(N).where(N.c.OBJECT == "EDIDOC")
                        .values(NRLEVEL=N.c.NRLEVEL + bindparam("count"))
                        .returning(N.c.NRLEVEL))
_SET_STATUS = DriverStatement(update(C).where(C.c.DOCNUM == bindparam("docnum"))
                              .values(STATUS=bindparam("status"), updated_at=bindparam("now")))
_STATUS_QUERY = select(C.c.STATUS).where(C.c.DOCNUM == bindparam("docnum"))
_STATUS = DriverStatement(_STATUS_QUERY)
_STATUS_LOCKED = DriverStatement(_STATUS_QUERY.with_for_update())
_PARTNER = select(P).where(P.c.SNDPRT == bindparam("sndprt"), P.c.SNDPRN == bindparam("sndprn"),
                           P.c.MESTYP == bindparam("mestyp"))
OUTPUT_MODES = {"2": "transfer IDoc immediately", "4": "collect IDocs"}


class IdocNotFound(LookupError):
    def __init__(self, docnum: str) -> None:
        super().__init__(f"IDoc {docnum} does not exist")


def _json(value: Any) -> str:
    """JSON text of a column (orjson: the stdlib encoder cost ~2 µs a value, ~8 per IDoc)."""
    return orjson.dumps(value).decode()


def _status_rows(docnum: str, steps: list[Step], now: datetime) -> list[dict[str, Any]]:
    return [{"DOCNUM": docnum, "STATUS": status, "STATXT": text,
             "messages": _json(messages or []), "LOGDAT": now}
            for status, text, messages in steps]


def _length_problems(table: Any, values: dict[str, Any]) -> list[str]:
    """Every value that is not text or longer than its column (PostgreSQL would refuse it)."""
    problems = []
    for name, value in values.items():
        length = table.c[name].type.length
        if not isinstance(value, str):
            problems.append(f"{name} {value!r}: text expected")
        elif not value and table.c[name].primary_key:
            problems.append(f"{name}: must not be empty")
        elif length and len(value) > length:
            problems.append(f"{name} {value!r}: at most {length} characters")
    return problems


@dataclass(frozen=True)
class PartnerProfile:
    SNDPRT: str
    SNDPRN: str
    MESTYP: str
    EVCODE: str
    destination: str = "ERP"

    def problems(self) -> list[str]:
        return _length_problems(P, self.__dict__)


@dataclass(frozen=True)
class OutboundProfile:
    RCVPRT: str
    RCVPRN: str
    MESTYP: str
    RCVPOR: str
    IDOCTYP: str
    OUTMOD: str = "2"

    def problems(self) -> list[str]:
        problems = _length_problems(Q, self.__dict__)
        if self.OUTMOD not in OUTPUT_MODES:
            problems.append(f"output mode {self.OUTMOD!r}: 2 (transfer immediately) or 4 "
                            "(collect)")
        return problems


class IdocStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._profiles: dict[tuple[str, str, str], tuple[float, PartnerProfile | None]] = {}
        self._profiles_lock = threading.Lock()
        db.create_all(GatewayTable.metadata)
        with db.serialized("sapgw-idoc-nriv"), db.write() as conn:  # several starting at once
            if conn.execute(select(N.c.OBJECT).where(N.c.OBJECT == "EDIDOC")).first() is None:
                conn.execute(insert(N).values(OBJECT="EDIDOC", NRLEVEL=0))

    # -- writing --------------------------------------------------------------------------
    def next_docnums(self, conn: Connection, count: int) -> list[str]:
        """`count` DOCNUMs in a row from EDIDOC: one draw (UPDATE … RETURNING) for a packet."""
        level = _DRAW.execute(conn, {"count": count})[0][0]
        return [f"{number:016d}" for number in range(level - count + 1, level + 1)]

    def insert(self, conn: Connection, idoc: Idoc) -> str:
        """Store an IDoc under a new DOCNUM (no status yet); returns the DOCNUM."""
        return self.insert_many(conn, [idoc])[0]

    def insert_many(self, conn: Connection, idocs: list[Idoc]) -> list[str]:
        """Store IDocs under new DOCNUMs (no status yet), in order; their DOCNUMs."""
        docnums = self.number(conn, idocs)
        self.write(conn, idocs)
        return docnums

    def number(self, conn: Connection, idocs: list[Idoc]) -> list[str]:
        """Give IDocs new DOCNUMs (control DOCNUM), in order, before they are written."""
        docnums = self.next_docnums(conn, len(idocs))
        for docnum, idoc in zip(docnums, idocs, strict=True):
            idoc.control["DOCNUM"] = docnum
        return docnums

    def write(self, conn: Connection, idocs: list[Idoc],
              histories: list[list[Step]] | None = None) -> None:
        """Store numbered IDocs, each with its first status records when `histories` gives
        them (EDIDS in order, the last one the EDIDC status): one INSERT per table."""
        now = self.clock.now()
        headers, segments, statuses = [], [], []
        for number, idoc in enumerate(idocs):
            c = idoc.control
            docnum = c["DOCNUM"]
            steps = histories[number] if histories is not None else []
            # The header columns are search keys of fixed width; a longer value a partner
            # sent (refused by the syntax check, 56) is cut here and kept whole in
            # `control`, so that storing never fails (PostgreSQL would refuse it).
            headers.append({
                "DOCNUM": docnum, "STATUS": steps[-1][0] if steps else "",
                "control": _json(c), "xml_root": idoc.xml_root[:120],
                "read_problems": _json(idoc.problems), "created_at": now,
                "updated_at": now, "schema_version": SCHEMA_VERSION,
                "DIRECT": c.get("DIRECT", "2")[:1],
                **{name: c.get(name, "")[:width] for name, width in _WIDTHS.items()}})
            segments += [{"DOCNUM": docnum, "SEGNUM": s.segnum, "SEGNAM": s.segnam[:30],
                          "PSGNUM": s.psgnum, "HLEVEL": s.hlevel, "SDATA": s.sdata,
                          "fields": None if s.fields is None else _json(s.fields)}
                         for s in idoc.segments]
            statuses += _status_rows(docnum, steps, now)
        insert_rows(conn, C, headers)
        if segments:
            insert_rows(conn, D, segments)
        if statuses:
            insert_rows(conn, S, statuses)

    def set_status(self, conn: Connection, docnum: str, status: str, text: str,
                   messages: list[dict[str, Any]] | None = None) -> None:
        self.set_statuses(conn, docnum, [(status, text, messages)])

    def set_statuses(self, conn: Connection, docnum: str, steps: list[Step]) -> None:
        """Status records in order (EDIDS) and the last as the IDoc's status (EDIDC)."""
        now = self.clock.now()
        insert_rows(conn, S, _status_rows(docnum, steps, now))
        _SET_STATUS.execute(conn, {"docnum": docnum, "status": steps[-1][0], "now": now})

    def status(self, conn: Connection, docnum: str, lock: bool = False) -> str:
        """The IDoc's status; with `lock`, its EDIDC row stays locked until the caller's
        transaction ends (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers),
        so a check-then-write on the status is a claim."""
        rows = (_STATUS_LOCKED if lock else _STATUS).execute(conn, {"docnum": docnum})
        if not rows:
            raise IdocNotFound(docnum)
        return str(rows[0][0])

    def direction(self, docnum: str) -> str:
        """1 outbound, 2 inbound (EDI_DC40 DIRECT)."""
        with self.db.read() as conn:
            value = conn.execute(select(C.c.DIRECT).where(C.c.DOCNUM == docnum)).scalar()
        if value is None:
            raise IdocNotFound(docnum)
        return str(value)

    # -- reading --------------------------------------------------------------------------
    def load(self, docnum: str) -> Idoc:
        with self.db.read() as conn:
            row = conn.execute(select(C).where(C.c.DOCNUM == docnum)).mappings().first()
            if row is None:
                raise IdocNotFound(docnum)
            rows = conn.execute(select(D).where(D.c.DOCNUM == docnum)
                                .order_by(D.c.SEGNUM)).mappings().all()
        control = json.loads(row["control"])
        control["STATUS"] = row["STATUS"]
        segments = [Segment(r["SEGNAM"], r["SEGNUM"], r["PSGNUM"], r["HLEVEL"],
                            None if r["fields"] is None else json.loads(r["fields"]), r["SDATA"])
                    for r in rows]
        return Idoc(control, segments, row["xml_root"], json.loads(row["read_problems"]))

    def detail(self, docnum: str) -> dict[str, Any]:
        """WE02/WE05 detail: control record, segments, status history (oldest first)."""
        idoc = self.load(docnum)
        with self.db.read() as conn:
            history = conn.execute(select(S).where(S.c.DOCNUM == docnum)
                                   .order_by(S.c.id)).mappings().all()
        status = []
        for h in history:
            entry: dict[str, Any] = {"STATUS": h["STATUS"], "TEXT": h["STATXT"],
                                     "time": h["LOGDAT"].isoformat()}
            if h["messages"] != "[]":
                entry["MESSAGES"] = json.loads(h["messages"])
            status.append(entry)
        return {"control": idoc.control, "segments": [s.as_dict() for s in idoc.segments],
                "status": status}

    def listing(self, status: str = "", mestyp: str = "", partner: str = "", limit: int = 50,
                after: str = "", direction: str = "") -> dict[str, Any]:
        """WE02 list, newest first; `after` is the cursor (`next`) of the previous page.

        `partner` is the sender of an inbound IDoc and the receiver of an outbound one;
        `direction` is 1 (outbound) or 2 (inbound), as EDI_DC40 DIRECT.
        """
        query = select(C.c.DOCNUM, C.c.STATUS, C.c.DIRECT, C.c.IDOCTYP, C.c.MESTYP, C.c.SNDPRT,
                       C.c.SNDPRN, C.c.RCVPRT, C.c.RCVPRN, C.c.created_at,
                       C.c.updated_at).order_by(C.c.DOCNUM.desc())
        if direction:
            query = query.where(C.c.DIRECT == direction)
        if status:
            query = query.where(C.c.STATUS.in_([s.strip() for s in status.split(",")]))
        if mestyp:
            query = query.where(C.c.MESTYP == mestyp)
        if partner:
            query = query.where(((C.c.DIRECT == "2") & (C.c.SNDPRN == partner))
                                | ((C.c.DIRECT == "1") & (C.c.RCVPRN == partner)))
        if limit < 1:
            raise ValueError(f"limit {limit}: at least 1")
        if after:
            query = query.where(C.c.DOCNUM < after)
        with self.db.read() as conn:
            rows = conn.execute(query.limit(limit + 1)).mappings().all()
        items = [{**r, "created_at": r["created_at"].isoformat(),
                  "updated_at": r["updated_at"].isoformat()} for r in rows[:limit]]
        return {"idocs": items, "next": items[-1]["DOCNUM"] if len(rows) > limit else None}

    def count(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(C)).scalar_one())

    # -- partner profiles -----------------------------------------------------------------
    def partner(self, conn: Connection, sndprt: str, sndprn: str,
                mestyp: str) -> PartnerProfile | None:
        """The inbound profile (WE20), read again at most every PROFILE_SECONDS: a save in
        this process is seen at once, one in another process (a CLI) within that time."""
        key, now = (sndprt, sndprn, mestyp), time.monotonic()
        cached = self._profiles.get(key)
        if cached is not None and now - cached[0] < PROFILE_SECONDS:
            return cached[1]
        row = conn.execute(_PARTNER, {"sndprt": sndprt, "sndprn": sndprn,
                                      "mestyp": mestyp}).mappings().first()
        profile = PartnerProfile(**row) if row else None
        with self._profiles_lock:
            self._profiles[key] = (now, profile)
        return profile

    def put_partner(self, profile: PartnerProfile) -> None:
        """Create or replace a partner profile (WE20 save); refused with every problem."""
        self._save_profile(P, ("SNDPRT", "SNDPRN", "MESTYP"), profile,
                           f"inbound partner profile {profile.SNDPRN} {profile.MESTYP}")
        with self._profiles_lock:
            self._profiles.clear()

    def partners(self) -> list[PartnerProfile]:
        with self.db.read() as conn:
            return [PartnerProfile(**r) for r in conn.execute(
                select(P).order_by(P.c.SNDPRN, P.c.MESTYP)).mappings()]

    def outbound_profile(self, rcvprt: str, rcvprn: str, mestyp: str) -> OutboundProfile | None:
        with self.db.read() as conn:
            row = conn.execute(select(Q).where(Q.c.RCVPRT == rcvprt, Q.c.RCVPRN == rcvprn,
                                               Q.c.MESTYP == mestyp)).mappings().first()
        return OutboundProfile(**row) if row else None

    def outbound_profiles(self, mestyp: str = "") -> list[OutboundProfile]:
        query = select(Q).order_by(Q.c.RCVPRN, Q.c.MESTYP)
        if mestyp:
            query = query.where(Q.c.MESTYP == mestyp)
        with self.db.read() as conn:
            return [OutboundProfile(**r) for r in conn.execute(query).mappings()]

    def put_outbound_profile(self, profile: OutboundProfile) -> None:
        """Create or replace an outbound partner profile (WE20 save)."""
        self._save_profile(Q, ("RCVPRT", "RCVPRN", "MESTYP"), profile,
                           f"outbound partner profile {profile.RCVPRN} {profile.MESTYP}")

    def _save_profile(self, table: Any, keys: tuple[str, ...],
                      profile: PartnerProfile | OutboundProfile, what: str) -> None:
        """Replace the row with the profile's key, or refuse with every problem."""
        problems = profile.problems()
        if problems:
            raise ValueError(f"{what}: " + "; ".join(problems))
        row = profile.__dict__
        with self.db.write() as conn:
            conn.execute(table.delete().where(*(table.c[k] == row[k] for k in keys)))
            conn.execute(insert(table).values(**row))
