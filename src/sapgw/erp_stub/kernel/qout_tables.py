"""The ERP's outbound queues (its SMQ1): TRFCQOUT with the LUWs, TRFCQSTATE with each queue.

SAP keeps outbound qRFC LUWs in TRFCQOUT (queue name, destination, counter, TID) with the
call data in ARFCSDATA and the queue states beside them. Ours, in shape: one row per LUW in
TRFCQOUT with its calls as JSON (ARFCSDATA), one row per queue in TRFCQSTATE with status,
lock, retries and the sender's lease; the store's semantics are `sapgw.qrfc`'s, the same as
the gateway's queues. Column names are SAP-like where SAP has the field (QNAME, DEST, QSTATE,
ARFCTID), ours otherwise (QCOUNT as a global sequence, the lease and retry columns).
Timestamps are UTC, shown by RFC_READ_TABLE as text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CHAR as SA_CHAR
from sqlalchemy import DateTime, Dialect, Index, Text, TypeDecorator
from sqlmodel import Field

from sapgw.erp_stub.kernel.tables import ErpTable, char, int4
from sapgw.qrfc.schema import QueueSchema
from sapgw.rfc.ddic import CHAR, INT4, STRING


class XFlag(TypeDecorator[bool]):
    """ABAP's flag (CHAR 1, 'X' or blank) read and written as a bool."""

    impl = SA_CHAR(1)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else ("X" if value else "")

    def process_result_value(self, value: Any, dialect: Dialect) -> bool | None:
        return None if value is None else value.strip() == "X"


def _stamp() -> Any:
    """A UTC timestamp (ours: SAP would use a packed TIMESTAMPL)."""
    return Field(default=None, sa_type=DateTime(timezone=True),
                 sa_column_kwargs={"info": {"ddic": CHAR(32)}})


class TRFCQSTATE(ErpTable, table=True):
    """One row per outbound queue that holds LUWs (or is locked)."""

    __tablename__ = "TRFCQSTATE"
    __table_args__ = (Index("ix_trfcqstate_status", "QSTATE"),)
    QNAME: str = char(24, key=True)          # queue name
    DEST: str = char(32)                     # RFC destination (SM59)
    QSTATE: str = char(8)                    # READY, RUNNING, CPICERR, SYSFAIL, WAITING
    QLOCKED: bool = Field(default=False, sa_type=XFlag,  # X: stopped in SMQ1 (STOP)
                          sa_column_kwargs={"info": {"ddic": CHAR(1)}})
    QWAITING: str = char(24)                 # the queue a WAITING queue waits for
    ERRMESS: str = Field(default="", sa_type=Text,  # the first LUW's error
                         sa_column_kwargs={"info": {"ddic": STRING}})
    ERRTIME: datetime | None = _stamp()
    RETRIES: int = int4()                    # communication errors retried so far
    NEXTRETRY: datetime | None = _stamp()
    CLAIMEDBY: str = char(64)                # the sender holding the queue (lease)
    CLAIMEDTO: datetime | None = _stamp()
    UPDTIME: datetime | None = _stamp()


class TRFCQOUT(ErpTable, table=True):
    """One row per outbound LUW, in send order (QCOUNT)."""

    __tablename__ = "TRFCQOUT"
    __table_args__ = (Index("ix_trfcqout_queue", "QNAME", "QCOUNT"),)
    QCOUNT: int | None = Field(default=None, primary_key=True,
                               sa_column_kwargs={"info": {"ddic": INT4}})
    QNAME: str = char(24)
    DEST: str = char(32)
    ARFCTID: str = Field(default="", max_length=24, unique=True,
                         sa_column_kwargs={"info": {"ddic": CHAR(24)}})
    ARFCSDATA: str = Field(default="[]", sa_type=Text,  # the calls: [[function, params], ...]
                           sa_column_kwargs={"info": {"ddic": STRING}})
    QDEPEND: str = char(255)                 # queues this LUW waits for, comma separated
    QTIME: datetime | None = _stamp()        # when the LUW was written (COMMIT WORK)


ERP_QUEUES = QueueSchema.of(
    TRFCQSTATE.__table__, TRFCQOUT.__table__,  # type: ignore[attr-defined]
    queue_names={"name": "QNAME", "destination": "DEST", "status": "QSTATE",
                 "locked": "QLOCKED", "waiting_on": "QWAITING", "error": "ERRMESS",
                 "error_at": "ERRTIME", "retries": "RETRIES", "next_retry_at": "NEXTRETRY",
                 "claimed_by": "CLAIMEDBY", "claimed_until": "CLAIMEDTO",
                 "updated_at": "UPDTIME"},
    luw_names={"id": "QCOUNT", "queue": "QNAME", "destination": "DEST", "tid": "ARFCTID",
               "calls": "ARFCSDATA", "wait_for": "QDEPEND", "created_at": "QTIME"})
