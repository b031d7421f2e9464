"""Inbound IDoc processing: store first (50), check, hand to the application, record the outcome.

    50 IDoc added -> 64 ready for the application -> 62 passed to the application
       -> 53 application document posted | 51 not posted (with the BAPI's messages)
    50 -> 56 IDoc with errors added: not understood (syntax) or no partner profile (WE20)

The status records tell how far an IDoc got, also after a crash, because each commit writes
the records of what it did and none of what is still to come:

- Storing is one commit, whatever the channel: every IDoc of the request (or file, or tRFC
  unit with its TID) with 50, and one the check refuses (syntax, partner profile) with its
  56 as well, since nothing more happens to it. After a crash before that commit nothing is
  stored, and the sender, unanswered, sends again.
- Passing an IDoc on is a claim: its status is read under a lock of its EDIDC row (50, or
  for BD87 one of REPROCESSABLE) and 64 and 62 are written, so a second reprocess of the same
  IDoc waits for it, finds 62 and is refused. A request of one IDoc writes 64 and 62 in its
  storing commit (issue 15: one commit, and the IDoc not read back, instead of two commits
  and a reload): after a crash either nothing is stored or all of 50, 64 and 62 are, as when
  both commits had happened.
- The application's outcome (53, or 51 with its messages) is a commit of its own after the
  application's commit: the ERP is another database, so 62 is committed before the call and
  an IDoc a crash left in 62 was handed over with its outcome unknown (the call may or may
  not have posted); it is not run again by itself, and BD87 refuses it.

A packet (several IDocs) is stored whole first; then each IDoc that passed the check is
claimed and passed on in turn. If the database fails after storing, the IDocs not yet claimed
keep 50 for BD87; the others are processed all the same. Reprocess (BD87) repeats the check,
so fixing a partner profile helps.
The channels (HTTP, IDOC_INBOUND_ASYNCHRONOUS, a file port) only read; all store here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.idoc import process_codes
from sapgw.gateway.idoc.flat_format import parse_flat, parse_records
from sapgw.gateway.idoc.model import Idoc, syntax_problems
from sapgw.gateway.idoc.process_codes import message
from sapgw.gateway.idoc.store import IdocStore, PartnerProfile, Step
from sapgw.gateway.idoc.xml_format import parse_idoc_xml
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.message_line import is_container, row_line

log = logging.getLogger("sapgw.idoc")

# 50: stored, but its processing never started (the database failed right after storing)
REPROCESSABLE = {"50", "51", "56", "60", "63", "64", "65", "66"}
TEXTS = {"50": "IDoc added", "51": "Application document not posted",
         "53": "Application document posted", "56": "IDoc with errors added",
         "62": "IDoc passed to application",
         "64": "IDoc ready to be transferred to application"}
Target = tuple[PartnerProfile, process_codes.Handler]  # what an IDoc is passed to


@dataclass
class Received:
    """A stored IDoc and what its check found: answered already (56) or a target."""

    docnum: str
    idoc: Idoc
    result: dict[str, Any] | None = None  # the answer, when the check ended it (56)
    target: Target | None = None  # the profile and process code to pass it to


class IdocInbound:
    def __init__(self, store: IdocStore, connect: Callable[[str], RfcConnection]) -> None:
        self.store = store
        self.db = store.db
        self.connect = connect

    # -- entry points ---------------------------------------------------------------------
    def receive_xml(self, content: bytes, source: str = "request") -> list[dict[str, Any]]:
        return self.receive(parse_idoc_xml(content, source))

    def receive_flat(self, text: str, source: str = "file") -> list[dict[str, Any]]:
        return self.receive(parse_flat(text, source))

    def receive_records(self, controls: list[Mapping[str, Any]], data: list[Mapping[str, Any]],
                        source: str = "IDOC_INBOUND_ASYNCHRONOUS") -> list[dict[str, Any]]:
        """IDOC_CONTROL_REC_40 / IDOC_DATA_REC_40 rows, as IDOC_INBOUND_ASYNCHRONOUS brings them."""
        return self.receive(parse_records(controls, data, source))

    def receive(self, idocs: list[Idoc]) -> list[dict[str, Any]]:
        """Store every IDoc (status 50) before processing any, then process each; one IDoc
        is stored, checked and claimed in one commit."""
        if len(idocs) == 1:
            return [self._receive_one(idocs[0])]
        return self.process(self.store_all(idocs))

    def _receive_one(self, idoc: Idoc) -> dict[str, Any]:
        control = dict(idoc.control)

        def work(conn: Connection) -> Received:
            idoc.control = dict(control)  # a retry numbers it again
            return self._store(conn, [idoc], claim=True)[0]

        received = self.db.write_retrying(work)
        if received.target is None:
            return received.result or {}
        return self._post(received.docnum, idoc, *received.target)

    def store_all(self, idocs: list[Idoc]) -> list[Received]:
        """Store IDocs in one commit (all or none, tried again after a transient storage
        error): each with 50, one the check refuses with 56 too."""
        controls = [dict(idoc.control) for idoc in idocs]  # storing numbers them

        def work(conn: Connection) -> list[Received]:
            for idoc, control in zip(idocs, controls, strict=True):
                idoc.control = dict(control)
            return self.store_received(conn, idocs)

        return self.db.write_retrying(work)

    def store_received(self, conn: Connection, idocs: list[Idoc]) -> list[Received]:
        """Store IDocs in the caller's transaction (e.g. with a tRFC TID): each with 50, one
        the check refuses with 56 too; `process` passes the others on."""
        return self._store(conn, idocs, claim=False)

    def _store(self, conn: Connection, idocs: list[Idoc], claim: bool) -> list[Received]:
        """Number, check and store IDocs with their first status records; with `claim`,
        the ones that passed the check get 64 and 62 in the same commit."""
        senders = [idoc.control.get("DOCNUM", "") for idoc in idocs]
        for idoc in idocs:
            idoc.control.update(TABNAM="EDI_DC40", DIRECT="2")
        docnums = self.store.number(conn, idocs)  # the check sees our DOCNUM, as stored
        received, histories = [], []
        for docnum, idoc, sender in zip(docnums, idocs, senders, strict=True):
            added: Step = ("50", TEXTS["50"] + (f" (sender's DOCNUM {sender})" if sender
                                                else ""), None)
            problems, target = self._verdict(conn, idoc)
            if target is None:
                messages = [message(p) for p in problems]
                histories.append([added, ("56", "; ".join(problems), messages)])
                received.append(Received(docnum, idoc, self._result(docnum, "56", messages)))
            else:
                histories.append([added, *(_passed(target) if claim else [])])
                received.append(Received(docnum, idoc, target=target))
        self.store.write(conn, idocs, histories)
        return received

    def process(self, received: list[Received]) -> list[dict[str, Any]]:
        """Pass on the stored IDocs that passed the check (still 50), each in turn; the
        others' answers as they are. An IDoc that cannot be claimed now (the database gone)
        keeps its status for BD87; the others are processed all the same."""
        results = []
        for item in received:
            if item.target is None:  # answered by the check (56)
                results.append(item.result or {})
                continue
            docnum = item.docnum
            try:
                results.append(self._pass_on(docnum, item.idoc, item.target))
            except ActionRefused as refused:  # BD87 was faster
                results.append(self._result(docnum, self._status_now(docnum),
                                            [message(str(refused), "I")]))
            except Exception as error:
                log.exception("IDoc %s stored but not processed", docnum)
                results.append(self._result(docnum, self._status_now(docnum), [message(
                    f"not processed, stays for BD87: {type(error).__name__}: {error}")]))
        return results

    def _status_now(self, docnum: str) -> str:
        try:
            with self.db.read() as conn:
                return self.store.status(conn, docnum)
        except Exception:  # the database is what failed: say so rather than guess
            return ""

    def reprocess(self, docnum: str) -> dict[str, Any]:
        """BD87: run an IDoc in error (51, 56, 64 …) or one whose processing never started
        (50) again; refused for 53 and 62."""
        idoc = self.store.load(docnum)
        with self.db.write() as conn:
            self._claim(conn, docnum, REPROCESSABLE)
            problems, target = self._verdict(conn, idoc)
            if target is None:
                messages = [message(p) for p in problems]
                self.store.set_status(conn, docnum, "56", "; ".join(problems), messages)
                return self._result(docnum, "56", messages)
            self.store.set_statuses(conn, docnum, _passed(target))
        return self._post(docnum, idoc, *target)

    # -- the steps ------------------------------------------------------------------------
    def _pass_on(self, docnum: str, idoc: Idoc, target: Target) -> dict[str, Any]:
        """Claim a stored IDoc (still 50) with 64 and 62, then pass it to the application."""
        with self.db.write() as conn:
            self._claim(conn, docnum, {"50"})
            self.store.set_statuses(conn, docnum, _passed(target))
        return self._post(docnum, idoc, *target)

    def _claim(self, conn: Connection, docnum: str, allowed: set[str]) -> None:
        """Read the status under a lock of the EDIDC row; refused unless it is `allowed`."""
        current = self.store.status(conn, docnum, lock=True)
        if current not in allowed:
            raise ActionRefused(f"IDoc {docnum} has status {current}; only "
                                f"{', '.join(sorted(allowed))} can be processed")

    def _verdict(self, conn: Connection, idoc: Idoc) -> tuple[list[str], Target | None]:
        """Syntax and partner profile: every problem (56), or what to pass the IDoc to."""
        problems = idoc.problems + (syntax_problems(idoc) if not idoc.problems else [])
        if problems:
            return problems, None
        profile, handler, problem = self._profile(conn, idoc)
        if profile is None or handler is None:
            return [problem], None
        return [], (profile, handler)

    def _post(self, docnum: str, idoc: Idoc, profile: PartnerProfile,
              handler: process_codes.Handler) -> dict[str, Any]:
        """Pass the IDoc (62) to the application; record 53 or 51 with its messages."""
        destination = profile.destination
        posted, messages = process_codes.run(handler, idoc,
                                             lambda: self.connect(destination))
        status = "53" if posted else "51"
        self.db.write_retrying(lambda conn: self.store.set_status(
            conn, docnum, status, _summary(status, messages), messages))
        return self._result(docnum, status, messages)

    def _profile(self, conn: Any, idoc: Idoc
                 ) -> tuple[PartnerProfile | None, process_codes.Handler | None, str]:
        c = idoc.control
        sndprt, sndprn, mestyp = c.get("SNDPRT", ""), c.get("SNDPRN", ""), c.get("MESTYP", "")
        profile = self.store.partner(conn, sndprt, sndprn, mestyp)
        if profile is None:
            return None, None, (f"No inbound partner profile for partner {sndprt or '-'} "
                          f"{sndprn or '-'}, message type {mestyp or '-'} (WE20)")
        handler = process_codes.handler_for(profile.EVCODE, mestyp)
        if handler is None:
            return profile, None, (f"Process code {profile.EVCODE} has no inbound function for "
                          f"message type {mestyp}")
        return profile, handler, ""

    @staticmethod
    def _result(docnum: str, status: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {"DOCNUM": docnum, "STATUS": status, "MESSAGES": messages}


def _passed(target: Target) -> list[Step]:
    profile = target[0]
    return [("64", TEXTS["64"], None),
            ("62", f"{TEXTS['62']} (process code {profile.EVCODE}, destination "
                   f"{profile.destination})", None)]


def _summary(status: str, messages: list[dict[str, Any]]) -> str:
    """The status text: the most telling message (a specific error before RW 609) in SAP's
    `ID NUMBER text` form, as WE02 shows a status record's message."""
    wanted = ("S",) if status == "53" else ("E", "A", "X")
    found = [m for m in messages if m.get("TYPE") in wanted]
    specific = [m for m in found if not is_container(m)]
    best = (specific or found or [{}])[0]
    return row_line(best) if best.get("MESSAGE") else TEXTS[status]
