"""Inbound IDoc processing: store first (50), check, hand to the application, record the outcome.

    50 IDoc added -> 64 ready for the application -> 62 passed to the application
       -> 53 application document posted | 51 not posted (with the BAPI's messages)
    50 -> 56 IDoc with errors added: not understood (syntax) or no partner profile (WE20)

Each step is its own commit, so the history shows how far an IDoc got. 64 and 62 are written
together with the check, under a lock of the IDoc's EDIDC row, which makes it the claim: a
second reprocess of the same IDoc waits for it, finds 62 and is refused. Reprocess (BD87)
repeats the check, so fixing a partner profile helps.
A request of one IDoc stores it (50) and checks it (64 and 62, or 56) in one commit: after a
crash either nothing is stored and the sender, unanswered, sends again, or all three status
records are, as when the two commits had both happened (issue 15: one commit, and the IDoc
not read back, instead of two commits and a reload). A packet of several is stored whole
first, then each is checked and passed on, as before.
The channels (HTTP, IDOC_INBOUND_ASYNCHRONOUS, a file port) only read; all store here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection

from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.idoc import process_codes
from sapgw.gateway.idoc.flat_format import parse_flat, parse_records
from sapgw.gateway.idoc.model import Idoc, syntax_problems
from sapgw.gateway.idoc.process_codes import message
from sapgw.gateway.idoc.store import IdocStore, PartnerProfile
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
        is stored and checked in one commit."""
        if len(idocs) == 1:
            return [self._receive_one(idocs[0])]
        return self.process(self.store_all(idocs))

    def _receive_one(self, idoc: Idoc) -> dict[str, Any]:
        control = dict(idoc.control)

        def work(conn: Connection) -> tuple[str, dict[str, Any] | None, Any]:
            idoc.control = dict(control)  # a retry numbers it again
            docnum = self.store_received(conn, [idoc])[0]
            return (docnum, *self._check(conn, docnum, idoc))

        docnum, done, passed = self.db.write_retrying(work)
        return done if done is not None else self._post(docnum, idoc, *passed)

    def store_all(self, idocs: list[Idoc]) -> list[str]:
        """Store IDocs with status 50 in one commit (all or none, tried again after a
        transient storage error); their DOCNUMs."""
        controls = [dict(idoc.control) for idoc in idocs]  # storing numbers them

        def work(conn: Connection) -> list[str]:
            for idoc, control in zip(idocs, controls, strict=True):
                idoc.control = dict(control)
            return self.store_received(conn, idocs)

        return self.db.write_retrying(work)

    def store_received(self, conn: Connection, idocs: list[Idoc]) -> list[str]:
        """Store IDocs with status 50 in the caller's transaction (e.g. with a tRFC TID)."""
        senders = [idoc.control.get("DOCNUM", "") for idoc in idocs]
        for idoc in idocs:
            idoc.control.update(TABNAM="EDI_DC40", DIRECT="2")
        docnums = self.store.insert_many(conn, idocs)
        for docnum, sender_docnum in zip(docnums, senders, strict=True):
            text = TEXTS["50"] + (f" (sender's DOCNUM {sender_docnum})"
                                  if sender_docnum else "")
            self.store.set_status(conn, docnum, "50", text)
        return docnums

    def process(self, docnums: list[str]) -> list[dict[str, Any]]:
        """Check and pass to the application IDocs stored with status 50. An IDoc that
        cannot be processed now (the database gone) keeps its status for BD87; the others
        are processed all the same."""
        results = []
        for docnum in docnums:
            try:
                results.append(self._process(docnum, {"50"}))
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
        return self._process(docnum, REPROCESSABLE)

    # -- the steps ------------------------------------------------------------------------
    def _process(self, docnum: str, allowed: set[str]) -> dict[str, Any]:
        idoc = self.store.load(docnum)
        with self.db.write() as conn:
            current = self.store.status(conn, docnum, lock=True)
            if current not in allowed:
                raise ActionRefused(f"IDoc {docnum} has status {current}; only "
                                    f"{', '.join(sorted(allowed))} can be processed")
            done, passed = self._check(conn, docnum, idoc)
        return done if done is not None else self._post(docnum, idoc, *passed)

    def _check(self, conn: Connection, docnum: str, idoc: Idoc
               ) -> tuple[dict[str, Any] | None, Any]:
        """Syntax and partner profile, in the caller's transaction: 56 with the problems
        (answered now), or 64 and 62 and what to pass the IDoc to."""
        problems = idoc.problems + (syntax_problems(idoc) if not idoc.problems else [])
        profile, handler = None, None
        if not problems:
            profile, handler, problem = self._profile(conn, idoc)
            problems += [problem] if problem else []
        if problems or profile is None or handler is None:
            messages = [message(p) for p in problems]
            self.store.set_status(conn, docnum, "56", "; ".join(problems), messages)
            return self._result(docnum, "56", messages), ()
        self.store.set_statuses(conn, docnum, [
            ("64", TEXTS["64"], None),
            ("62", f"{TEXTS['62']} (process code {profile.EVCODE}, destination "
                   f"{profile.destination})", None)])
        return None, (profile, handler)

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


def _summary(status: str, messages: list[dict[str, Any]]) -> str:
    """The status text: the most telling message (a specific error before RW 609) in SAP's
    `ID NUMBER text` form, as WE02 shows a status record's message."""
    wanted = ("S",) if status == "53" else ("E", "A", "X")
    found = [m for m in messages if m.get("TYPE") in wanted]
    specific = [m for m in found if not is_container(m)]
    best = (specific or found or [{}])[0]
    return row_line(best) if best.get("MESSAGE") else TEXTS[status]
