"""The loads' tables in the gateway database (ours: SAP's R3AM1 tables are not public).

- `crm_load`: one row per load (an R3AS start or an R3AR4 start of a request): object,
  sites, block size, filters, what the ERP reported sent (blocks, objects, end of load).
- `crm_load_block`: one row per block CRM received (written in the transaction that stores
  the block's BDocs and the unit's TID record, so a block is counted once or not at all).
- `crm_load_bdoc`: which BDocs a block became, so the monitor can tell blocks in error.
- `crm_load_request`: requests defined with R3AR2 (object, source site, ranges).

The monitor's figures per load: sent (ERP), processed (received and every BDoc final),
in error (a BDoc of the block in an error state, or the block's unit failing in SMQ2).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Index, case, func, select, update
from sqlmodel import Field

from sapgw.db import Database
from sapgw.gateway.store.tables import BDocHeader, GatewayTable

RUNNING, DONE, ERROR = "RUNNING", "DONE", "ERROR"
KINDS = {"I": "Initial load", "R": "Request"}


class CrmLoad(GatewayTable, table=True):
    __tablename__ = "crm_load"
    load_id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=1)                  # I initial load, R request
    objname: str = Field(max_length=20, index=True)
    request: str = Field(default="", max_length=30)
    source_site: str = Field(max_length=32)
    target_site: str = Field(max_length=32)
    block_size: int
    filters: str = Field(default="[]")               # JSON: CRMRANGE rows
    blocks_sent: int = 0
    objects_sent: int = 0
    extracted: bool = False                          # the ERP sent its last block
    message: str = Field(default="", max_length=255)  # why the ERP refused, if it did
    started_at: datetime
    extracted_at: datetime | None = None
    schema_version: int = 1


class CrmLoadBlock(GatewayTable, table=True):
    __tablename__ = "crm_load_block"
    load_id: int = Field(primary_key=True)
    block_no: int = Field(primary_key=True)
    objects: int
    received_at: datetime


class CrmLoadBdoc(GatewayTable, table=True):
    __tablename__ = "crm_load_bdoc"
    __table_args__ = (Index("ix_crm_load_bdoc_load", "load_id", "block_no"),)
    bdoc_id: str = Field(primary_key=True, max_length=32)
    load_id: int
    block_no: int


class CrmLoadRequest(GatewayTable, table=True):
    __tablename__ = "crm_load_request"
    name: str = Field(primary_key=True, max_length=30)
    objname: str = Field(max_length=20)
    source_site: str = Field(max_length=32)
    text: str = Field(default="", max_length=80)
    filters: str = Field(default="[]")
    created_at: datetime


LOADS = CrmLoad.__table__  # type: ignore[attr-defined]
BLOCKS = CrmLoadBlock.__table__  # type: ignore[attr-defined]
LINKS = CrmLoadBdoc.__table__  # type: ignore[attr-defined]
REQUESTS = CrmLoadRequest.__table__  # type: ignore[attr-defined]
HEADERS = BDocHeader.__table__  # type: ignore[attr-defined]


class LoadStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.create_all(GatewayTable.metadata)

    # -- loads --------------------------------------------------------------------------
    def create(self, row: dict[str, Any]) -> int:
        with self.db.write() as conn:
            result = conn.execute(LOADS.insert().values(**row, schema_version=1))
            return int(result.inserted_primary_key[0])

    def get(self, load_id: int) -> dict[str, Any] | None:
        with self.db.read() as conn:
            row = conn.execute(select(LOADS).where(LOADS.c.load_id == load_id)
                               ).mappings().first()
        return dict(row) if row else None

    def unfinished(self, kind: str, objname: str, source: str, target: str, request: str = ""
                   ) -> dict[str, Any] | None:
        """The newest load of these whose extraction has not ended (to go on with)."""
        query = select(LOADS).where(
            LOADS.c.kind == kind, LOADS.c.objname == objname, LOADS.c.source_site == source,
            LOADS.c.target_site == target, LOADS.c.request == request,
            LOADS.c.extracted.is_(False)).order_by(LOADS.c.load_id.desc()).limit(1)
        with self.db.read() as conn:
            row = conn.execute(query).mappings().first()
        return dict(row) if row else None

    def progress(self, load_id: int, blocks: int, objects: int, extracted: bool,
                 now: datetime, message: str = "") -> None:
        values: dict[str, Any] = {"blocks_sent": blocks, "objects_sent": objects,
                                  "extracted": extracted, "message": message[:255]}
        if extracted:
            values["extracted_at"] = now
        with self.db.write() as conn:
            conn.execute(update(LOADS).where(LOADS.c.load_id == load_id).values(**values))

    def refused(self, load_id: int, message: str) -> None:
        with self.db.write() as conn:
            conn.execute(update(LOADS).where(LOADS.c.load_id == load_id).values(
                message=message[:255]))

    def loads(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            rows = conn.execute(select(LOADS).order_by(LOADS.c.load_id.desc()).limit(limit)
                                ).mappings().all()
        return [dict(r) for r in rows]

    # -- blocks (in the caller's transaction: BAPI_CRM_SAVE's) ----------------------------
    @staticmethod
    def record_block(conn: Any, load_id: int, block_no: int, bdoc_ids: list[str],
                     now: datetime) -> None:
        conn.execute(BLOCKS.insert().values(load_id=load_id, block_no=block_no,
                                            objects=len(bdoc_ids), received_at=now))
        if bdoc_ids:
            conn.execute(LINKS.insert(), [{"bdoc_id": b, "load_id": load_id,
                                           "block_no": block_no} for b in bdoc_ids])

    def block_counts(self, load_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        """Per load: blocks received, objects received, blocks with BDocs in error, blocks
        with BDocs not final yet. Two queries for any number of loads (the R3AM1 page shows
        up to a thousand)."""
        ids = sorted(set(load_ids))
        counts = {i: {"received": 0, "objects": 0, "error": 0, "open": 0} for i in ids}
        if not ids:
            return counts
        in_error = HEADERS.c.state.like("E%")
        not_final = ~in_error & ~HEADERS.c.state.like("F%")

        def blocks_where(condition: Any) -> Any:
            return func.count(func.distinct(case((condition, LINKS.c.block_no))))

        received = (select(BLOCKS.c.load_id, func.count().label("received"),
                           func.coalesce(func.sum(BLOCKS.c.objects), 0).label("objects"))
                    .where(BLOCKS.c.load_id.in_(ids)).group_by(BLOCKS.c.load_id))
        states = (select(LINKS.c.load_id, blocks_where(in_error).label("error"),
                         blocks_where(not_final).label("open"))
                  .select_from(LINKS.join(HEADERS, HEADERS.c.bdoc_id == LINKS.c.bdoc_id))
                  .where(LINKS.c.load_id.in_(ids)).group_by(LINKS.c.load_id))
        with self.db.read() as conn:
            for row in conn.execute(received):
                counts[row.load_id].update(received=int(row.received), objects=int(row.objects))
            for row in conn.execute(states):
                counts[row.load_id].update(error=int(row.error), open=int(row.open))
        return counts

    # -- requests (R3AR2) ---------------------------------------------------------------
    def put_request(self, row: dict[str, Any]) -> None:
        with self.db.write() as conn:
            conn.execute(REQUESTS.delete().where(REQUESTS.c.name == row["name"]))
            conn.execute(REQUESTS.insert().values(**row))

    def request(self, name: str) -> dict[str, Any] | None:
        with self.db.read() as conn:
            row = conn.execute(select(REQUESTS).where(REQUESTS.c.name == name)
                               ).mappings().first()
        return _decoded(dict(row)) if row else None

    def requests(self) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            rows = conn.execute(select(REQUESTS).order_by(REQUESTS.c.name)).mappings().all()
        return [_decoded(dict(r)) for r in rows]


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "filters": json.loads(row["filters"] or "[]")}
