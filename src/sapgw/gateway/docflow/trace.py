"""`document_flow(gateway, key)`: every BDoc, LUW, IDoc and ERP document a key led to.

What a key can be, tried in turn (a key may be several things at once; all are shown):
a BDoc id; the TID of an LUW (a BDoc's, an outbound IDoc's, a unit the ERP sent or still
holds); an IDoc number; a business key a scenario declares (`CrmScenario.flow`: fund usage,
fund posting, trade promotion, customer, …). From each BDoc the flow follows its LUWs (the
receivers' TIDs, and what is still queued), the ERP's record of having run them (ARFCRSTATE),
and the documents its scenario links (`CrmScenario.links`, read by `erp_side.READERS`); from
an FI document the ACC_DOCUMENT IDocs it went out in; from an inbound IDoc the document it
posted (RW 605: AWTYP/AWKEY). For objects the ERP sends (a `FlowKey` with `queue_prefix`)
the ERP's queue, its undelivered LUWs and the units the gateway received are shown too.

When the ERP cannot be reached the gateway's half is still answered, with the reason in
`problems`.
"""

from __future__ import annotations

from typing import Any

from sapgw.gateway.docflow import crm_side as crm
from sapgw.gateway.docflow import erp_side as erp
from sapgw.gateway.docflow.model import (
    BDOC,
    ERP_DOCUMENT,
    ERP_QUEUE,
    IDOC,
    LUW,
    DocumentFlow,
    FlowEntry,
    sap_moment,
)
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError

DIRECTIONS = {"1": "outbound", "2": "inbound"}


def document_flow(gateway: Any, key: str) -> DocumentFlow:
    """The flow of `key` across the gateway and its ERP (empty when nothing is found)."""
    key = key.strip()
    if not key or len(key) > 40:
        raise ValueError(f"key must be 1 to 40 characters (a BDoc id, TID, IDoc number or "
                         f"business key such as a fund usage id), not {key!r}")
    tracer = Tracer(gateway, DocumentFlow(key))
    try:
        tracer.run(key)
    finally:
        tracer.close()
    return tracer.flow


class Tracer:
    """Collects one flow; opens the ERP connection on first use, once."""

    def __init__(self, gateway: Any, flow: DocumentFlow) -> None:
        self.gateway, self.db, self.flow = gateway, gateway.db, flow
        self.scenarios = gateway.scenarios
        self.idocs = gateway.idocs  # made on first use, with the IDoc tables the flow reads
        self._conn: RfcConnection | None = None
        self._erp_down = False

    # -- the ERP connection --------------------------------------------------------------------
    def erp(self) -> RfcConnection | None:
        if self._conn is None and not self._erp_down:
            try:
                self._conn = self.gateway.destination(
                    self.gateway.settings.rfc_destination or "ERP")
            except (RFCError, OSError, LookupError, ValueError) as exc:
                self._down(exc)
        return self._conn

    def _down(self, exc: Exception) -> None:
        self._erp_down = True
        self.flow.problems.append(f"ERP not read: {type(exc).__name__}: {exc}")

    def erp_read(self, read: Any, *args: Any) -> Any:
        """One read in the ERP; None (and the reason in `problems`) when it cannot answer."""
        conn = self.erp()
        if conn is None:
            return None
        try:
            return read(conn, *args)
        except (RFCError, OSError) as exc:
            self._down(exc)
            return None
        except ValueError:  # a key that cannot be an ERP key (too long, quotes): not there
            return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    # -- what a key is ---------------------------------------------------------------------
    def run(self, key: str) -> None:
        ids: list[str] = []
        if crm.load_bdocs(self.db, [key.upper()]):
            self.flow.recognised("BDoc id")
            ids.append(key.upper())
        by_tid = crm.bdoc_ids_by_tid(self.db, key.upper())
        if by_tid:
            self.flow.recognised("TID of a BDoc's LUW")
            ids += by_tid
        for flow_key in self.scenarios.flow_keys():
            definition = self.scenarios.types[flow_key.bdoc_type]
            found = crm.bdoc_ids_by_key(self.db, definition, flow_key, key)
            if found:
                self.flow.recognised(f"{flow_key.label} ({flow_key.bdoc_type} "
                                     f"{flow_key.field})")
                ids += found
        self.sent_objects(key)  # what the ERP sent comes before the BDocs it became
        for stored in crm.load_bdocs(self.db, ids):
            self.bdoc(stored)
        self.tid(key.upper())
        if key.isdigit() and len(key) <= 16 and self.idoc(key.zfill(16)):
            self.flow.recognised("IDoc number")

    # -- BDocs and their LUWs ----------------------------------------------------------------
    def bdoc(self, stored: crm.StoredBDoc) -> None:
        h = stored.header
        entry, new = self.flow.add(FlowEntry(
            BDOC, "CRM", h["bdoc_type"], h["bdoc_id"],
            f"BDoc {h['bdoc_type']} key {h['object_key'] or '-'} from {h['sender']} "
            f"(flow {h['flow_context']}){': ' + h['error'] if h['error'] else ''}",
            status=h["state"], at=crm.moment(h["created_at"]), link=f"/smw01/{h['bdoc_id']}",
            details={"updated_at": str(crm.moment(h["updated_at"]))}))
        if not new:
            return
        last = self.receivers(stored, entry.seq) or entry.seq
        for luw in crm.queued_luws(self.db, bdoc_ids=[stored.bdoc_id]):  # e.g. its flow LUW
            last = self.queued_luw(luw, entry.seq).seq
        self.erp_documents(stored, last)  # under the last step that led to the ERP
        for flow_key in self.scenarios.flow_keys():  # sent by the ERP: its queue's units
            if flow_key.queue_prefix and flow_key.bdoc_type == h["bdoc_type"]:
                definition = self.scenarios.types[flow_key.bdoc_type]
                value = definition.value(stored.data or {}, flow_key.field).strip()
                if value:
                    self.erp_queue(flow_key.queue(value))

    def queued_luw(self, luw: dict[str, Any], parent: int | None) -> FlowEntry:
        smq = "SMQ2" if luw["direction"] == "in" else "SMQ1"
        what = "flow of the BDoc" if luw["kind"] == "FLOW" else f"to {luw['destination']}"
        entry, _ = self.flow.add(FlowEntry(
            LUW, "CRM", smq, luw["tid"], f"LUW in queue {luw['queue']} ({what}), still "
            "queued", status="QUEUED", at=crm.moment(luw["created_at"]), tid=luw["tid"],
            link=f"/{smq.lower()}/{luw['queue']}", parent=parent))
        return entry

    def receivers(self, stored: crm.StoredBDoc, parent: int) -> int | None:
        """Each receiver's LUW and the ERP's record of running it; the last entry made."""
        tids = [r["tid"] for r in stored.receivers if r["tid"]]
        ran = self.erp_read(erp.executed_units, tids) if tids else None
        last = None
        for receiver in stored.receivers:
            if not receiver["tid"]:
                continue
            entry, _ = self.flow.add(FlowEntry(
                LUW, "CRM", "SMQ1", receiver["tid"],
                f"LUW to site {receiver['site']} in queue {receiver['queue']}"
                f"{': ' + receiver['error'] if receiver['error'] else ''}",
                status=receiver["state"], at=crm.moment(receiver["updated_at"]),
                tid=receiver["tid"], link=f"/smq1/{receiver['queue']}"
                if receiver["state"] in ("QUEUED", "ERROR") else "", parent=parent))
            last = entry.seq
            row = (ran or {}).get(receiver["tid"])
            if row is not None:
                at, date_only = sap_moment(row["ARFCDATUM"], row["ARFCUZEIT"])
                done, _ = self.flow.add(FlowEntry(
                    LUW, "ERP", "ARFCRSTATE", receiver["tid"],
                    f"unit run in the ERP (qRFC queue {row['ARFCQNAME'] or '-'})",
                    status=row["ARFCSTATE"], at=at, date_only=date_only, tid=receiver["tid"],
                    parent=entry.seq))
                last = done.seq
        return last

    # -- the ERP's documents ---------------------------------------------------------------
    def erp_documents(self, stored: crm.StoredBDoc, parent: int) -> None:
        for link in self.scenarios.links(stored.header["bdoc_type"], stored.data):
            reader = erp.READERS.get(link.transaction)
            if reader is None:
                self.flow.add(FlowEntry(ERP_DOCUMENT, "ERP", link.transaction, link.label,
                                        f"{link.transaction} {link.label}", status="not read",
                                        parent=parent, details=dict(link.params)))
                continue
            objects = self.erp_read(reader, link.params)
            if objects is None:
                continue
            if not objects:
                self.flow.add(FlowEntry(
                    ERP_DOCUMENT, "ERP", link.transaction, link.label,
                    f"{link.transaction} {link.label}: not in the ERP", status="not found",
                    parent=parent, details=dict(link.params)))
            for obj in objects:
                self.erp_object(obj, parent)

    def erp_object(self, obj: erp.ErpObject, parent: int | None) -> None:
        entry, new = self.flow.add(FlowEntry(
            ERP_DOCUMENT, "ERP", obj.object_type, obj.object_id, obj.text, status=obj.status,
            at=obj.at, date_only=obj.date_only, link=obj.link, parent=parent,
            details=obj.details))
        if not new:
            return
        for child in obj.children:
            self.erp_object(child, entry.seq)
        if obj.object_type == "BKPF":
            bukrs, belnr, gjahr = obj.object_id.split()
            for sent in crm.idocs_sent_for(self.db, bukrs, belnr, gjahr):
                self.idoc(sent["DOCNUM"], entry.seq)

    # -- objects the ERP sends: its queue, its LUWs, the units received ---------------------
    def sent_objects(self, key: str) -> None:
        for flow_key in self.scenarios.flow_keys():
            if not flow_key.queue_prefix:
                continue
            definition = self.scenarios.types[flow_key.bdoc_type]
            spec = definition.segments[flow_key.field.split(".")[0]].fields[
                flow_key.field.split(".")[1]]
            padded = key.zfill(spec.type.length) if key.isdigit() else key
            for queue in dict.fromkeys((flow_key.queue(key), flow_key.queue(padded))):
                if self.erp_queue(queue):
                    self.flow.recognised(f"{flow_key.label} (queue {queue})")

    def erp_queue(self, queue: str, parent: int | None = None) -> bool:
        """The ERP's queue (SMQ1), its undelivered LUWs and the units the gateway received."""
        found = False
        state = self.erp_read(erp.queue_state, queue)
        if state:
            found = True
            error = f"; {state['ERRMESS']}" if state["ERRMESS"] else ""
            self.flow.add(FlowEntry(
                ERP_QUEUE, "ERP", "SMQ1", queue, f"ERP outbound queue {queue} to "
                f"{state['DEST']}: {state['QDEEP']} LUW(s){error}",
                status=state["QSTATE"], link="/erp/smq1", parent=parent))
        for luw in self.erp_read(erp.outbound_luws, queue) or []:
            found = True
            self.flow.add(FlowEntry(
                LUW, "ERP", "TRFCQOUT", luw["ARFCTID"], f"LUW in the ERP's queue {queue} to "
                f"{luw['DEST']}, not delivered yet", status="QUEUED", at=luw["at"],
                tid=luw["ARFCTID"], link="/erp/smq1", parent=parent))
        for unit in crm.received_units(self.db, queue=queue):
            found = True
            self.received_unit(unit, parent)
        for luw in crm.queued_luws(self.db, queue=queue):
            found = True
            self.queued_luw(luw, parent)
        return found

    def received_unit(self, unit: dict[str, Any], parent: int | None) -> None:
        self.flow.add(FlowEntry(
            LUW, "CRM", "ARFCRSTATE", unit["ARFCTID"],
            f"unit received from the ERP in qRFC queue {unit['ARFCQNAME'] or '-'}",
            status=unit["ARFCSTATE"], at=crm.moment(unit["created_at"]), tid=unit["ARFCTID"],
            link=f"/smq2/{unit['ARFCQNAME']}" if unit["ARFCSTATE"] == "QUEUED" else "",
            parent=parent))

    # -- TIDs and IDocs ----------------------------------------------------------------------
    def tid(self, tid: str) -> None:
        """A TID that is not a BDoc's: an IDoc's unit, a unit received or held by the ERP."""
        docnum = crm.idoc_by_tid(self.db, tid)
        if docnum and self.idoc(docnum):
            self.flow.recognised("TID of an outbound IDoc")
        for unit in crm.received_units(self.db, tid=tid):
            self.flow.recognised("TID of a unit the gateway received")
            self.received_unit(unit, None)
            self.follow_queue(unit["ARFCQNAME"])
        for luw in crm.queued_luws(self.db, tid=tid):
            self.flow.recognised("TID of a queued LUW")
            self.queued_luw(luw, None)
        for luw in self.erp_read(erp.outbound_luws, "", tid) or []:
            self.flow.recognised("TID of an LUW in the ERP's queue")
            self.erp_queue(luw["QNAME"])
            self.follow_queue(luw["QNAME"])

    def follow_queue(self, queue: str) -> None:
        """The object a queue of the ERP carries (prefix + key): its BDocs."""
        for flow_key in self.scenarios.flow_keys():
            if flow_key.queue_prefix and queue.startswith(flow_key.queue_prefix):
                definition = self.scenarios.types[flow_key.bdoc_type]
                key = queue.removeprefix(flow_key.queue_prefix)
                ids = crm.bdoc_ids_by_key(self.db, definition, flow_key, key)
                for stored in crm.load_bdocs(self.db, ids):
                    self.bdoc(stored)

    def idoc(self, docnum: str, parent: int | None = None) -> bool:
        found = crm.idoc(self.db, docnum)
        if found is None:
            return False
        history = found["status"]
        last = history[-1] if history else {"STATUS": found["STATUS"], "TEXT": ""}
        entry, new = self.flow.add(FlowEntry(
            IDOC, "CRM", "EDIDC", docnum,
            f"{DIRECTIONS.get(found['DIRECT'], '')} IDoc {found['MESTYP']} "
            f"({found['IDOCTYP']}) from {found['SNDPRN'] or '-'} to {found['RCVPRN'] or '-'}: "
            f"{last['TEXT']}", status=found["STATUS"], at=crm.moment(found["created_at"]),
            tid=found["tid"], link=f"/api/idocs/{docnum}", parent=parent,
            details={"status": [{"STATUS": h["STATUS"], "TEXT": h["TEXT"],
                                 "at": str(crm.moment(h["at"]))} for h in history]}))
        if new and found["DIRECT"] == "2":
            for step in history:
                for message in step["MESSAGES"]:
                    if (message.get("ID"), message.get("NUMBER")) == ("RW", "605"):
                        for obj in self.erp_read(erp.fi_by_sender, message.get(
                                "MESSAGE_V1", ""), message.get("MESSAGE_V2", "")) or []:
                            self.erp_object(obj, entry.seq)
        return True
