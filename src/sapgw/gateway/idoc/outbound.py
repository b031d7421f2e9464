"""Outbound IDocs: generated (01), ready for dispatch (30), passed to the port (03), dispatched
(12); a port that fails gives 02 with the reason, and the IDoc is sent again later.

    01 IDoc generated -> 30 ready for dispatch -> 03 passed to port OK -> 12 dispatch OK
    01 -> 26 syntax error (the IDoc does not match its type: it stays, nothing is sent)
    30 | 02 -> 02 error passing data to port (retried after the port's interval, with back-off)

An IDoc is stored with 01 and 30 in the caller's transaction (together with whatever says it
was made, so nothing is sent twice). Output mode 2 sends it right after that commit; mode 4
collects it in 30 for `dispatch_collected` (RSEOUT00) or BD87. Sending claims the IDoc with a
lease in `idoc_dispatch` first, so two workers never send one IDoc at the same time; a worker
that dies mid-send leaves a lease that expires, and the retry job sends the IDoc again. As in
SAP (data element IDOC_HTTP_CHECK), an IDoc in 02 may or may not have reached the partner;
a TRFC port keeps one TID per IDoc across retries, so there the receiver runs it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update
from sqlmodel import Field

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.idoc.model import Idoc, syntax_problems
from sapgw.gateway.idoc.ports import PortStore
from sapgw.gateway.idoc.process_codes import message
from sapgw.gateway.idoc.store import C, IdocStore, OutboundProfile
from sapgw.gateway.idoc.transport import Delivery, TransferFailed, transfer
from sapgw.gateway.store.tables import GatewayTable
from sapgw.rfc.connection import RfcConnection
from sapgw.types import new_tid

log = logging.getLogger("sapgw.idoc")

# TEDS1 short texts (reference/wire.md §3.4)
TEXTS = {"01": "IDoc generated", "02": "Error passing data to port",
         "03": "Data passed to port OK", "12": "Dispatch OK",
         "26": "Syntax error in IDoc (outbound)", "30": "IDoc ready for dispatch (ALE service)"}
SENDABLE = {"02", "30"}
LEASE = timedelta(minutes=5)  # longer than any port's timeout


class IdocDispatch(GatewayTable, table=True):
    """Where an outbound IDoc goes and how its sending stands (our bookkeeping, not SAP's)."""

    __tablename__ = "idoc_dispatch"
    DOCNUM: str = Field(primary_key=True, max_length=16)
    RCVPOR: str = Field(max_length=10)
    OUTMOD: str = Field(default="2", max_length=1)
    tid: str = Field(max_length=24)  # the tRFC unit of a TRFC port, the same on every try
    attempts: int = 0  # failed tries so far
    next_try: datetime | None = Field(default=None, index=True)  # when the retry job sends it
    lease_until: datetime | None = None  # a sender holds it until then


X = IdocDispatch.__table__  # type: ignore[attr-defined]


class IdocOutbound:
    def __init__(self, store: IdocStore, ports: PortStore, clock: Clock,
                 connect: Callable[[str], RfcConnection]) -> None:
        self.store = store
        self.db: Database = store.db
        self.ports = ports
        self.clock = clock
        self.connect = connect

    # -- creating -------------------------------------------------------------------------
    def create(self, conn: Connection, idoc: Idoc, profile: OutboundProfile) -> str:
        """Store an outbound IDoc (01, then 30 or 26) in the caller's transaction."""
        idoc.control.update(TABNAM="EDI_DC40", DIRECT="1", RCVPOR=profile.RCVPOR,
                            RCVPRT=profile.RCVPRT, RCVPRN=profile.RCVPRN,
                            MESTYP=profile.MESTYP, IDOCTYP=profile.IDOCTYP,
                            OUTMOD=profile.OUTMOD)
        docnum = self.store.insert(conn, idoc)
        self.store.set_status(conn, docnum, "01", TEXTS["01"])
        now = self.clock.now()
        problems = syntax_problems(idoc)
        immediate = profile.OUTMOD == "2"
        conn.execute(insert(X).values(
            DOCNUM=docnum, RCVPOR=profile.RCVPOR, OUTMOD=profile.OUTMOD, tid=new_tid(),
            # a safety net: if the immediate send never happens, the retry job sends it
            next_try=now + LEASE if immediate and not problems else None))
        if problems:
            self.store.set_status(conn, docnum, "26", "; ".join(problems),
                                  [message(p) for p in problems])
        else:
            mode = "transfer immediately" if immediate else "collect IDocs"
            self.store.set_status(conn, docnum, "30", f"{TEXTS['30']}: port {profile.RCVPOR}, "
                                  f"{mode}")
        return docnum

    # -- sending --------------------------------------------------------------------------
    def dispatch(self, docnum: str) -> dict[str, Any]:
        """Pass an IDoc in 30 or 02 to its port now (immediate send, RSEOUT00, BD87)."""
        tid, port_name = self._claim(docnum)
        port = self.ports.get(port_name)
        try:
            if port is None:
                raise TransferFailed(f"port {port_name} is not defined (WE21)")
            delivery = transfer(port, self.store.load(docnum), tid, self.connect)
        except Exception as error:  # whatever it was, the IDoc goes to 02, the lease is freed
            if not isinstance(error, TransferFailed):
                log.exception("IDoc %s: sending failed", docnum)
                error = TransferFailed(f"{type(error).__name__}: {error}")
            return self._failed(docnum, str(error), port.retry_count if port else 0,
                                port.retry_delay if port else None)
        return self._passed(docnum, delivery)

    def retry_due(self) -> list[dict[str, Any]]:
        """Send every IDoc whose next try is due (02 after a failure, 30 left by a crash)."""
        now = self.clock.now()
        with self.db.read() as conn:
            due = conn.execute(select(X.c.DOCNUM).join(C, C.c.DOCNUM == X.c.DOCNUM).where(
                X.c.next_try <= now, C.c.STATUS.in_(SENDABLE), _free(now))
                .order_by(X.c.DOCNUM)).scalars().all()
        return self._each(due)

    def dispatch_collected(self) -> list[dict[str, Any]]:
        """Send every IDoc collected in 30 (output mode 4), oldest first, like RSEOUT00."""
        with self.db.read() as conn:
            ready = conn.execute(select(X.c.DOCNUM).join(C, C.c.DOCNUM == X.c.DOCNUM).where(
                C.c.STATUS == "30").order_by(X.c.DOCNUM)).scalars().all()
        return self._each(ready)

    def _each(self, docnums: list[str]) -> list[dict[str, Any]]:
        results = []
        for docnum in docnums:
            try:
                results.append(self.dispatch(docnum))
            except ActionRefused:  # another worker took it meanwhile
                continue
        return results

    def _claim(self, docnum: str) -> tuple[str, str]:
        """Take the lease: only one sender at a time, and only for an IDoc in 30 or 02."""
        now = self.clock.now()
        with self.db.write() as conn:
            # Lock first, then read the status: a sender that finished meanwhile (03/12,
            # lease released) is seen, so the IDoc is not sent twice (PostgreSQL).
            row = conn.execute(select(X.c.tid, X.c.RCVPOR).where(X.c.DOCNUM == docnum)
                               .with_for_update()).first()
            current = self.store.status(conn, docnum)
            if row is None:
                raise ActionRefused(f"IDoc {docnum} is not an outbound IDoc")
            if current not in SENDABLE:
                raise ActionRefused(f"IDoc {docnum} has status {current}; only "
                                    f"{', '.join(sorted(SENDABLE))} can be sent")
            taken = conn.execute(update(X).where(X.c.DOCNUM == docnum, _free(now))
                                 .values(lease_until=now + LEASE)).rowcount
            if not taken:
                raise ActionRefused(f"IDoc {docnum} is being sent right now")
        return str(row.tid), str(row.RCVPOR)

    def _passed(self, docnum: str, delivery: Delivery) -> dict[str, Any]:
        with self.db.write() as conn:
            self.store.set_status(conn, docnum, "03", f"{TEXTS['03']} ({delivery.passed})")
            status = "03"
            if delivery.confirmed:
                self.store.set_status(conn, docnum, "12", f"{TEXTS['12']} ({delivery.confirmed})")
                status = "12"
            conn.execute(update(X).where(X.c.DOCNUM == docnum)
                         .values(next_try=None, lease_until=None))
        return {"DOCNUM": docnum, "STATUS": status, "MESSAGES": []}

    def _failed(self, docnum: str, reason: str, retry_count: int,
                delay: Callable[[int], float] | None) -> dict[str, Any]:
        now = self.clock.now()
        with self.db.write() as conn:
            attempts = int(conn.execute(select(X.c.attempts).where(X.c.DOCNUM == docnum))
                           .scalar_one()) + 1
            if delay is not None and attempts <= retry_count:
                next_try: datetime | None = now + timedelta(seconds=delay(attempts))
                plan = f"try {attempts} of {retry_count + 1}; next at {next_try:%H:%M:%S} UTC"
            else:
                next_try, plan = None, f"try {attempts}; no automatic retry left, resend (BD87)"
            text = f"{TEXTS['02']}: {reason} ({plan})"
            self.store.set_status(conn, docnum, "02", text, [message(reason)])
            conn.execute(update(X).where(X.c.DOCNUM == docnum).values(
                attempts=attempts, next_try=next_try, lease_until=None))
        return {"DOCNUM": docnum, "STATUS": "02", "MESSAGES": [message(reason)]}

    def dispatch_state(self, docnum: str) -> dict[str, Any] | None:
        """Port, TID, failed tries and next try of an outbound IDoc (for WE05)."""
        with self.db.read() as conn:
            row = conn.execute(select(X).where(X.c.DOCNUM == docnum)).mappings().first()
        if row is None:
            return None
        return {"RCVPOR": row["RCVPOR"], "OUTMOD": row["OUTMOD"], "TID": row["tid"],
                "attempts": row["attempts"],
                "next_try": row["next_try"].isoformat() if row["next_try"] else None}


def _free(now: datetime) -> Any:
    return or_(X.c.lease_until.is_(None), X.c.lease_until < now)
