"""The gateway's receiver-side TID records (table `arfcrstate`): exactly once for partners' units.

Two facts per TID: the unit was accepted into an inbound queue (QUEUED, with its queue), so a
redelivery is acknowledged and not queued twice; the gateway executed the unit's own
functions (EXECUTED), so a redelivery or a resend after a crash does not run them again.
Writers take the caller's connection, so a record commits with the work it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, exists, insert, select, update

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.store.tables import GatewayTid, QrfcLuw

T = GatewayTid.__table__  # type: ignore[attr-defined]
L = QrfcLuw.__table__  # type: ignore[attr-defined]

QUEUED = "QUEUED"
EXECUTED = "EXECUTED"


@dataclass(frozen=True)
class TidRecord:
    tid: str
    state: str
    queue: str
    executed: bool


class GatewayTids:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def get(self, conn: Connection, tid: str) -> TidRecord | None:
        row = conn.execute(_GET, {"tid": tid}).first()
        if row is None:
            return None
        return TidRecord(row.ARFCTID, row.ARFCSTATE, row.ARFCQNAME, row.executed_at is not None)

    def executed(self, tid: str) -> bool:
        with self.db.read() as conn:
            record = self.get(conn, tid)
        return record is not None and record.executed

    def record_queued(self, conn: Connection, tid: str, queue: str) -> None:
        conn.execute(insert(T).values(ARFCTID=tid, ARFCSTATE=QUEUED, ARFCQNAME=queue,
                                      created_at=self.clock.now()))

    def record_executed(self, conn: Connection, tid: str, queue: str | None) -> None:
        """The unit's gateway functions ran: in the transaction of their effects."""
        now = self.clock.now()
        if self.get(conn, tid) is None:
            conn.execute(insert(T).values(ARFCTID=tid, ARFCSTATE=EXECUTED,
                                          ARFCQNAME=queue or "", created_at=now,
                                          executed_at=now))
        else:  # a queued unit, now run by the QIN scheduler
            conn.execute(update(T).where(T.c.ARFCTID == tid)
                         .values(ARFCSTATE=EXECUTED, executed_at=now))

    def confirm(self, tid: str) -> None:
        """ARFC_DEST_CONFIRM from the sender: the record may go once its LUW is done."""
        with self.db.write() as conn:
            conn.execute(update(T).where(T.c.ARFCTID == tid, T.c.confirmed_at.is_(None))
                         .values(confirmed_at=self.clock.now()))

    def reorganize(self, before: datetime) -> int:
        """Forget TIDs confirmed before `before` whose LUW has left the inbound queue."""
        with self.db.write() as conn:
            result = conn.execute(delete(T).where(
                T.c.confirmed_at < before,
                ~exists().where(L.c.tid == T.c.ARFCTID)))
        return result.rowcount or 0


_GET = select(T).where(T.c.ARFCTID == bindparam("tid"))
