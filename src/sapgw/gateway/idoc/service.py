"""The IDoc interface of one gateway: inbound, outbound, ports, partner profiles, and the job.

REST, CLI and the served RFC function all go through an `IdocService`, so they share one
behaviour. Partner profiles and ports are seeded from `partners.toml` into tables that are
still empty. The scheduled job (`run_jobs`, every `JOB_SECONDS`) polls the inbound
directories of FILE ports and sends outbound IDocs whose retry is due.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.idoc import acc_document, master_data
from sapgw.gateway.idoc.file_port import FileResult, receive_directory
from sapgw.gateway.idoc.inbound import IdocInbound
from sapgw.gateway.idoc.model import build
from sapgw.gateway.idoc.outbound import IdocOutbound
from sapgw.gateway.idoc.ports import Port, PortStore
from sapgw.gateway.idoc.store import IdocStore, OutboundProfile, PartnerProfile
from sapgw.idoc_schemas import idoc_type
from sapgw.rfc.connection import RfcConnection

log = logging.getLogger("sapgw.idoc")

JOB_SECONDS = 10.0


class IdocService:
    def __init__(self, db: Database, clock: Clock, connect: Callable[[str], RfcConnection],
                 client: str = "100", logical_system: str = "CRMCLNT100") -> None:
        self.db = db
        self.clock = clock
        self.connect = connect
        self.store = IdocStore(db, clock)
        self.ports = PortStore(db)
        self.inbound = IdocInbound(self.store, connect)
        self.outbound = IdocOutbound(self.store, self.ports, clock, connect)
        # EDI_DC40 sender fields of the IDocs we make; SNDPOR as SAP names it: SAP + SID.
        self.sender = {"MANDT": client, "SNDPOR": f"SAP{logical_system[:3]}", "SNDPRT": "LS",
                       "SNDPRN": logical_system}
        self._seed()

    @classmethod
    def for_gateway(cls, gateway: Any) -> IdocService:
        settings = gateway.settings
        return cls(gateway.db, gateway.clock, gateway.destination, settings.client,
                   settings.logical_system)

    def _seed(self) -> None:
        text = resources.files(__package__).joinpath("partners.toml").read_text("utf-8")
        defaults = tomllib.loads(text)
        with self.db.serialized("sapgw-idoc-seed"):  # workers starting together seed once
            self._seed_empty(defaults)

    def _seed_empty(self, defaults: dict[str, Any]) -> None:
        if not self.store.partners():
            for row in defaults.get("inbound", []):
                self.store.put_partner(PartnerProfile(**row))
        if not self.ports.all():
            for row in defaults.get("port", []):
                self.ports.put(Port(**row))
        if not self.store.outbound_profiles():
            for row in defaults.get("outbound", []):
                self.store.put_outbound_profile(OutboundProfile(**row))

    # -- WE20 / WE21 ----------------------------------------------------------------------
    def put_outbound_profile(self, profile: OutboundProfile) -> None:
        """Save an outbound profile whose port and basic type exist."""
        problems = profile.problems()
        if self.ports.get(profile.RCVPOR) is None:
            problems.append(f"port {profile.RCVPOR} is not defined (WE21)")
        definition = idoc_type(profile.IDOCTYP)
        if definition is None:
            problems.append(f"basic type {profile.IDOCTYP} is not defined")
        elif definition.mestyp != profile.MESTYP:
            problems.append(f"basic type {profile.IDOCTYP} carries message type "
                            f"{definition.mestyp}, not {profile.MESTYP}")
        if problems:
            raise ValueError("; ".join(problems))
        self.store.put_outbound_profile(profile)

    # -- WE05 / BD87 ----------------------------------------------------------------------
    def status(self, docnum: str) -> str:
        with self.db.read() as conn:
            return self.store.status(conn, docnum)

    def detail(self, docnum: str) -> dict[str, Any]:
        """WE05: the IDoc with its status history; an outbound one also with its dispatch."""
        data = self.store.detail(docnum)
        dispatch = self.outbound.dispatch_state(docnum)
        if dispatch is not None:
            data["dispatch"] = dispatch
        return data

    def reprocess(self, docnum: str) -> dict[str, Any]:
        """BD87: inbound IDocs in error are processed again, outbound 02/30 ones sent again."""
        if self.store.direction(docnum) == "1":
            return self.outbound.dispatch(docnum)
        return self.inbound.reprocess(docnum)

    # -- outbound ACC_DOCUMENT (BD10-like) -------------------------------------------------
    def send_acc_documents(self, company_code: str, from_date: str, to_date: str = "",
                           partner: str = "", destination: str = "ERP") -> dict[str, Any]:
        """FI documents posted in a company code from a date as ACC_DOCUMENT IDocs, one per
        outbound partner profile; a document already sent to a partner is skipped."""
        profiles = [p for p in self.store.outbound_profiles(acc_document.MESTYP)
                    if not partner or p.RCVPRN == partner]
        if not profiles:
            which = f" and partner {partner}" if partner else ""
            raise ActionRefused(f"no outbound partner profile for message type "
                                f"{acc_document.MESTYP}{which} (WE20)")
        with self.db.read() as conn:
            done = acc_document.sent_to_all(conn, company_code,
                                            [(p.RCVPRT, p.RCVPRN) for p in profiles])
        with self.connect(destination) as erp:
            documents = acc_document.read_documents(erp, company_code, from_date, to_date,
                                                    done)
        created: list[tuple[str, OutboundProfile]] = []
        skipped = 0
        for doc in documents:
            for profile in profiles:
                docnum = self._create_acc_document(doc, profile)
                if docnum:
                    created.append((docnum, profile))
                else:
                    skipped += 1
        results = [self._send_now(docnum) if profile.OUTMOD == "2"
                   else {"DOCNUM": docnum, "STATUS": self.status(docnum), "MESSAGES": []}
                   for docnum, profile in created]
        return {"documents": len(documents), "idocs": results, "already_sent": skipped}

    def _send_now(self, docnum: str) -> dict[str, Any]:
        """Output mode 2; an IDoc another worker is sending is answered with its status."""
        try:
            return self.outbound.dispatch(docnum)
        except ActionRefused:
            return {"DOCNUM": docnum, "STATUS": self.status(docnum), "MESSAGES": []}

    def _create_acc_document(self, doc: acc_document.FiDocument,
                             profile: OutboundProfile) -> str:
        """Store the IDoc and the record that it was sent in one commit; '' if sent before."""
        now = self.clock.now()
        control = {**self.sender, "IDOCTYP": profile.IDOCTYP, "MESTYP": profile.MESTYP,
                   "CREDAT": f"{now:%Y%m%d}", "CRETIM": f"{now:%H%M%S}",
                   "SERIAL": f"{now:%Y%m%d%H%M%S}"}
        try:
            with self.db.write() as conn:
                if acc_document.already_sent(conn, doc, profile.RCVPRT, profile.RCVPRN):
                    return ""
                idoc = build(control, acc_document.segments(doc))
                docnum = self.outbound.create(conn, idoc, profile)
                acc_document.mark_sent(conn, doc, profile.RCVPRT, profile.RCVPRN, docnum, now)
        except IntegrityError:  # a concurrent run sent it first; this IDoc was rolled back
            return ""
        return docnum

    # -- outbound DEBMAS / CREMAS (BD21-like change pointer run) ---------------------------
    def send_master_data(self, mestyp: str = "", destination: str = "ERP") -> dict[str, Any]:
        """Open change pointers of DEBMAS and CREMAS (or the one `mestyp`) in the ERP as one
        IDoc per changed object and outbound partner profile of the message type, never to
        the partner whose inbound IDoc made the change; then the pointers are marked."""
        wanted = [mestyp.upper()] if mestyp else list(master_data.OBJECTS)
        unknown = [m for m in wanted if m not in master_data.OBJECTS]
        if unknown:
            raise ActionRefused(f"message type {unknown[0]} has no change pointer run here; "
                                f"known: {', '.join(master_data.OBJECTS)}")
        answer: dict[str, Any] = {"objects": 0, "idocs": [], "not_to_sender": 0,
                                  "pointers": 0}
        with self.connect(destination) as erp:
            for name in wanted:
                obj = master_data.OBJECTS[name]
                profiles = self.store.outbound_profiles(name)
                changed = master_data.open_pointers(erp, name)
                created: list[tuple[str, OutboundProfile]] = []
                for change in changed:
                    segments = master_data.segments(erp, obj, change.number)
                    for profile in profiles:
                        if segments is None:
                            break
                        if change.came_only_from(profile.RCVPRN):
                            answer["not_to_sender"] += 1
                            continue
                        created.append((self._create_master_idoc(segments, profile), profile))
                master_data.mark_processed(erp, name, [p for c in changed for p in c.pointers])
                answer["objects"] += len(changed)
                answer["pointers"] += sum(len(c.pointers) for c in changed)
                answer["idocs"] += [self._send_now(docnum) if profile.OUTMOD == "2"
                                    else {"DOCNUM": docnum, "STATUS": self.status(docnum),
                                          "MESSAGES": []} for docnum, profile in created]
        return answer

    def _create_master_idoc(self, segments: list[tuple[str, dict[str, str]]],
                            profile: OutboundProfile) -> str:
        now = self.clock.now()
        control = {**self.sender, "IDOCTYP": profile.IDOCTYP, "MESTYP": profile.MESTYP,
                   "CREDAT": f"{now:%Y%m%d}", "CRETIM": f"{now:%H%M%S}",
                   "SERIAL": f"{now:%Y%m%d%H%M%S}"}
        with self.db.write() as conn:
            return self.outbound.create(conn, build(control, segments), profile)

    # -- file ports and the scheduled job -------------------------------------------------
    def receive_directory(self, directory: Path) -> list[FileResult]:
        return receive_directory(self.inbound, directory)

    def jobs(self) -> list[tuple[Callable[[], object], float]]:
        """The gateway's housekeeping scheduler runs these (function, interval in seconds)."""
        return [(self.run_jobs, JOB_SECONDS)]

    def run_jobs(self) -> dict[str, int]:
        """Poll every FILE port's inbound directory, then send the IDocs whose retry is due."""
        files = 0
        for port in self.ports.all():
            if port.type == "FILE" and port.inbound_directory:
                try:
                    files += len(self.receive_directory(Path(port.inbound_directory)))
                except OSError as error:
                    log.warning("port %s: inbound directory not read: %s", port.PORT, error)
                except Exception:  # e.g. the database: the files wait for the next poll
                    log.exception("port %s: inbound directory not processed", port.PORT)
        return {"files": files, "retried": len(self.outbound.retry_due())}
