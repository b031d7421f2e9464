"""Gateway tables (SQLModel): BDoc store (SMW3_BDOC-like) and qRFC queues (TRFCQOUT/TRFCQIN-like).

Timestamps are timezone-aware UTC. The BDoc list reads the header table only; bodies and logs are
separate tables loaded on demand.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class GatewayTable(SQLModel, registry=registry()):
    """Base of the gateway's tables; its metadata is the gateway database."""


class BDocHeader(GatewayTable, table=True):
    __tablename__ = "smw3_bdoc"
    __table_args__ = (
        Index("ix_smw3_bdoc_state_created", "state", "created_at", "bdoc_id"),
        Index("ix_smw3_bdoc_type_created", "bdoc_type", "created_at", "bdoc_id"),
        Index("ix_smw3_bdoc_created", "created_at", "bdoc_id"),
        Index("ix_smw3_bdoc_key", "object_key"),
    )
    bdoc_id: str = Field(primary_key=True, max_length=32)
    bdoc_type: str = Field(max_length=30)
    state: str = Field(max_length=3)
    flow_context: str = Field(max_length=3)
    sender: str = Field(max_length=32)
    object_key: str = Field(default="", max_length=40)
    error: str = Field(default="", max_length=255)
    created_at: datetime
    updated_at: datetime
    schema_version: int = 1


class BDocBody(GatewayTable, table=True):
    __tablename__ = "smw3_bdoc_body"
    bdoc_id: str = Field(primary_key=True, max_length=32)
    data: str  # JSON, as received


class BDocLog(GatewayTable, table=True):
    __tablename__ = "smw3_bdoc_log"
    id: int | None = Field(default=None, primary_key=True)
    bdoc_id: str = Field(max_length=32, index=True)
    at: datetime
    service: str = Field(max_length=40)
    state_from: str = Field(default="", max_length=3)
    state_to: str = Field(default="", max_length=3)
    msg_type: str = Field(default="I", max_length=1)
    msg_class: str = Field(default="", max_length=20)
    msg_number: str = Field(default="", max_length=3)
    message: str = Field(default="")


class BDocReceiver(GatewayTable, table=True):
    __tablename__ = "smw3_bdoc_receiver"
    bdoc_id: str = Field(primary_key=True, max_length=32)
    site: str = Field(primary_key=True, max_length=32)
    state: str = Field(max_length=10)  # QUEUED, CONFIRMED, ERROR, DISCARDED
    queue: str = Field(max_length=24)
    tid: str = Field(max_length=24)
    error: str = Field(default="")
    updated_at: datetime


class QrfcQueue(GatewayTable, table=True):
    """One row per queue that holds LUWs (or is locked): its status and lease."""

    __tablename__ = "qrfc_queue"
    __table_args__ = (Index("ix_qrfc_queue_status", "direction", "status"),)
    name: str = Field(primary_key=True, max_length=24)
    direction: str = Field(primary_key=True, max_length=3)  # out (SMQ1) / in (SMQ2)
    destination: str = Field(default="", max_length=32)
    status: str = Field(default="READY", max_length=8)
    locked: bool = False
    waiting_on: str = Field(default="", max_length=24)  # the queue a WAITING queue waits for
    error: str = Field(default="")
    error_at: datetime | None = None
    retries: int = 0
    next_retry_at: datetime | None = None
    claimed_by: str = Field(default="", max_length=64)
    claimed_until: datetime | None = None
    updated_at: datetime


class QrfcLuw(GatewayTable, table=True):
    """A queued LUW: its calls, TID and place in its queue (id is the global sequence)."""

    __tablename__ = "qrfc_luw"
    __table_args__ = (Index("ix_qrfc_luw_queue", "direction", "queue", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    queue: str = Field(max_length=24)
    direction: str = Field(max_length=3)
    kind: str = Field(max_length=4)  # RFC (a unit for a destination) or FLOW (run a BDoc flow)
    tid: str = Field(max_length=24, unique=True)
    destination: str = Field(default="", max_length=32)
    calls: str = Field(default="[]")  # JSON [[function, params], ...]
    bdoc_id: str = Field(default="", max_length=32, index=True)
    site: str = Field(default="", max_length=32)
    wait_for: str = Field(default="", max_length=255)  # queue names, comma separated
    created_at: datetime


class GatewayTid(GatewayTable, table=True):
    """ARFCRSTATE of the gateway: the TIDs of units partners delivered to its served RFC layer.

    QUEUED: accepted into an inbound queue (SMQ2; `ARFCQNAME`), so a redelivery is
    acknowledged and not queued twice. EXECUTED: the gateway ran the unit's gateway functions
    (written with their effects where the handler allows). `confirmed_at`: the sender said
    the TID may be forgotten; reorganisation deletes it a day later once its LUW is gone.
    """

    __tablename__ = "arfcrstate"
    ARFCTID: str = Field(primary_key=True, max_length=24)
    ARFCSTATE: str = Field(max_length=8)  # QUEUED or EXECUTED
    ARFCQNAME: str = Field(default="", max_length=24)
    created_at: datetime
    executed_at: datetime | None = None
    confirmed_at: datetime | None = None
