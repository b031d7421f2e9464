"""The gateway's half of the document flow: BDocs, their LUWs and TIDs, IDocs, read from its
own tables (SMW3_BDOC and its receivers, qRFC queues, ARFCRSTATE, EDIDC/EDIDS).

A BDoc is found by its id, by a TID of one of its LUWs, or by a business key a scenario
declares (`FlowKey`). A key that is the BDoc type's object key is looked up in the indexed
`object_key` column, stored as the flow queue's key (numbers without leading zeros). Any
other field (a fund posting's FPO_ID) is looked for in the BDoc bodies of that type: a text
match narrows them down and the parsed field decides. That reads every body of the type
holding the text, which a test system affords; SAP's document flow keeps a link table
(SRRELROLES) for it, which the gateway does not have.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from sapgw.adapters.scenario import FlowKey, queue_name
from sapgw.bdoc.types import BDocType
from sapgw.db import Database
from sapgw.gateway.idoc.acc_document import SENT
from sapgw.gateway.idoc.outbound import X as DISPATCH
from sapgw.gateway.idoc.store import C as EDIDC
from sapgw.gateway.idoc.store import S as EDIDS
from sapgw.gateway.store.bdocs import B, G, H, R
from sapgw.gateway.store.tables import GatewayTid, QrfcLuw

L = QrfcLuw.__table__  # type: ignore[attr-defined]
T = GatewayTid.__table__  # type: ignore[attr-defined]
MAX_BDOCS = 500  # per key: a flow longer than this is cut, and says so


@dataclass(frozen=True)
class StoredBDoc:
    """A BDoc header with its data and receivers (site, state, queue, TID, error, time)."""

    header: dict[str, Any]
    data: Any
    receivers: list[dict[str, Any]]

    @property
    def bdoc_id(self) -> str:
        return str(self.header["bdoc_id"])


def same_key(stored: object, key: str) -> bool:
    """A field value against a typed key: case-insensitive, numbers without leading zeros."""
    a, b = str(stored or "").strip().upper(), key.strip().upper()
    if a.isdigit() and b.isdigit():
        return int(a) == int(b)
    return a == b


def bdoc_ids_by_key(db: Database, definition: BDocType, flow_key: FlowKey, key: str
                    ) -> list[str]:
    """Ids of BDocs of the key's type whose field holds the key, oldest first."""
    conditions = [H.c.bdoc_type == definition.name]
    if flow_key.field == definition.key:
        stored = queue_name(definition.flow_queue, key.strip()).removeprefix(
            definition.flow_queue)
        conditions.append(H.c.object_key == stored)
    else:
        needle = key.strip().lstrip("0") if key.strip().isdigit() else key.strip()
        conditions.append(B.c.data.like(f"%{_like(needle)}%", escape="\\"))
    query = (select(H.c.bdoc_id, B.c.data).select_from(H.join(B, B.c.bdoc_id == H.c.bdoc_id))
             .where(*conditions).order_by(H.c.created_at, H.c.bdoc_id).limit(MAX_BDOCS * 4))
    with db.read() as conn:
        rows = conn.execute(query).all()
    return [row.bdoc_id for row in rows
            if same_key(definition.value(_json(row.data), flow_key.field), key)][:MAX_BDOCS]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _json(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def bdoc_ids_by_tid(db: Database, tid: str) -> list[str]:
    """BDocs one of whose LUWs (to a receiver, or of its flow while queued) has this TID."""
    with db.read() as conn:
        ids = conn.execute(select(R.c.bdoc_id).where(R.c.tid == tid)).scalars().all()
        ids += conn.execute(select(L.c.bdoc_id).where(L.c.tid == tid, L.c.bdoc_id != "")
                            ).scalars().all()
    return list(dict.fromkeys(ids))


def load_bdocs(db: Database, ids: Iterable[str]) -> list[StoredBDoc]:
    """Headers, bodies and receivers of the BDocs that exist, oldest first (at equal times
    in the order their first log rows were written)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    with db.read() as conn:
        headers = conn.execute(select(H).where(H.c.bdoc_id.in_(wanted))).mappings().all()
        bodies = dict(conn.execute(select(B.c.bdoc_id, B.c.data)
                                   .where(B.c.bdoc_id.in_(wanted))).all())
        receivers = conn.execute(select(R).where(R.c.bdoc_id.in_(wanted))
                                 .order_by(R.c.site)).mappings().all()
        accepted = dict(conn.execute(select(G.c.bdoc_id, func.min(G.c.id))
                                     .where(G.c.bdoc_id.in_(wanted)).group_by(G.c.bdoc_id)).all())
    found = []
    # Oldest first; at equal times (a frozen clock, one batch) in the order they were stored.
    for header in sorted(headers, key=lambda h: (h["created_at"],
                                                 accepted.get(h["bdoc_id"]) or 0)):
        mine = [dict(r) for r in receivers if r["bdoc_id"] == header["bdoc_id"]]
        body = bodies.get(header["bdoc_id"])
        found.append(StoredBDoc(dict(header), json.loads(body) if body else None, mine))
    return found


def queued_luws(db: Database, bdoc_ids: list[str] | None = None, queue: str = "",
                tid: str = "") -> list[dict[str, Any]]:
    """LUWs still in SMQ1/SMQ2 (a run LUW leaves its queue): of BDocs, of a queue, or a TID."""
    if bdoc_ids:
        condition = L.c.bdoc_id.in_(bdoc_ids)
    else:
        condition = L.c.queue == queue if queue else L.c.tid == tid
    with db.read() as conn:
        rows = conn.execute(select(L).where(condition).order_by(L.c.id)).mappings().all()
    return [dict(r) for r in rows]


def received_units(db: Database, queue: str = "", tid: str = "") -> list[dict[str, Any]]:
    """The gateway's ARFCRSTATE: units partners delivered (by the qRFC queue or the TID)."""
    condition = T.c.ARFCQNAME == queue if queue else T.c.ARFCTID == tid
    with db.read() as conn:
        rows = conn.execute(select(T).where(condition).order_by(T.c.created_at)
                            ).mappings().all()
    return [dict(r) for r in rows]


# -- IDocs -----------------------------------------------------------------------------------
def idoc(db: Database, docnum: str) -> dict[str, Any] | None:
    """EDIDC with its status history (EDIDS, oldest first) and, if outbound, its TID."""
    with db.read() as conn:
        control = conn.execute(select(EDIDC).where(EDIDC.c.DOCNUM == docnum)).mappings().first()
        if control is None:
            return None
        history = conn.execute(select(EDIDS).where(EDIDS.c.DOCNUM == docnum)
                               .order_by(EDIDS.c.id)).mappings().all()
        tid = conn.execute(select(DISPATCH.c.tid).where(DISPATCH.c.DOCNUM == docnum)).scalar()
    return {**dict(control), "tid": tid or "",
            "status": [{"STATUS": h["STATUS"], "TEXT": h["STATXT"], "at": h["LOGDAT"],
                        "MESSAGES": json.loads(h["messages"] or "[]")} for h in history]}


def idoc_by_tid(db: Database, tid: str) -> str | None:
    """The outbound IDoc sent in the tRFC unit with this TID (TRFC port)."""
    with db.read() as conn:
        return conn.execute(select(DISPATCH.c.DOCNUM).where(DISPATCH.c.tid == tid)).scalar()


def idocs_sent_for(db: Database, bukrs: str, belnr: str, gjahr: str) -> list[dict[str, Any]]:
    """The ACC_DOCUMENT IDocs an FI document went out in (BD10's record), by partner."""
    with db.read() as conn:
        rows = conn.execute(select(SENT).where(SENT.c.BUKRS == bukrs, SENT.c.BELNR == belnr,
                                               SENT.c.GJAHR == gjahr)).mappings().all()
    return [dict(r) for r in rows]


def moment(value: datetime | None) -> datetime | None:
    """Stored timestamps, timezone-aware (SQLite hands them back naive, in UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
