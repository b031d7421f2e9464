"""The outbound flow (MO1, mBDoc notification): validation -> replication -> adapters -> queues.

It runs as the LUW of an inbound (CSA-like) queue, inside that LUW's transaction, so a BDoc's
outbound LUWs and its state change are written together or not at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from sapgw.adapters.registry import MappingError, MappingInput, Scenarios, queue_name
from sapgw.bdoc.states import BDocState
from sapgw.bdoc.types import BDocType
from sapgw.gateway.cdb import handlers as cdb
from sapgw.gateway.config import Settings, SiteSettings
from sapgw.gateway.queues.store import QueueStore
from sapgw.gateway.replication.service import ReplicationService
from sapgw.gateway.store.bdocs import (
    BDocChanges,
    BDocStore,
    LogEntry,
    load_many,
    replace_receivers,
)
from sapgw.types import RfcCall, new_tid

FLOW_FUNCTION = "SMW3_FLOW_EXECUTE"
INBOUND_CONTEXT = "MI0"  # a BDoc from a site (R/3 adapter): validated and saved in CRM first


class FlowEngine:
    def __init__(self, settings: Settings, scenarios: Scenarios, bdocs: BDocStore,
                 queues: QueueStore) -> None:
        self.settings = settings
        self.types: dict[str, BDocType] = scenarios.types
        self.scenarios = scenarios
        self.replication = ReplicationService(settings)
        self.bdocs = bdocs
        self.queues = queues

    # -- where a BDoc's flow runs -------------------------------------------------------------
    def flow_queue(self, bdoc_type: BDocType, data: object) -> tuple[str, tuple[str, ...]]:
        """The inbound queue for a BDoc's flow and the flow queues it must wait for."""
        record = data if isinstance(data, dict) else {}
        own = queue_name(bdoc_type.flow_queue, _key(bdoc_type, record, bdoc_type.key))
        waits: list[str] = []
        if self.settings.queue_dependencies:
            for dependency in bdoc_type.depends_on:
                other = self.types.get(dependency.bdoc_type)
                key = _key(bdoc_type, record, dependency.key)
                if other is not None and key:
                    name = queue_name(other.flow_queue, key)
                    if name != own:
                        waits.append(name)
        return own, tuple(waits)

    def flow_call(self, bdoc_id: str) -> RfcCall:
        return RfcCall(FLOW_FUNCTION, {"BDOC_ID": bdoc_id})

    # -- the flow itself ------------------------------------------------------------------------
    def run(self, conn: Connection, bdoc_ids: list[str]) -> list[str]:
        """Run the flows of several BDocs in the caller's transaction, in order, with their
        writes batched; answer the outbound queues that received LUWs."""
        loaded = load_many(conn, bdoc_ids)
        changes = BDocChanges(self.bdocs.now(),
                              {b: BDocState(h["state"]) for b, (h, _) in loaded.items()})
        luws: list[dict] = []
        receivers: list[dict] = []
        for bdoc_id in bdoc_ids:
            header, body = loaded[bdoc_id]
            self._run_one(conn, header, self.types[header["bdoc_type"]], body, changes, luws,
                          receivers)
        self.queues.enqueue_many(conn, luws)
        replace_receivers(conn, receivers)
        changes.flush(conn)
        return sorted({row["queue"] for row in luws})

    def _run_one(self, conn: Connection, header: dict, bdoc_type: BDocType, body: object,
                 changes: BDocChanges, luws: list[dict], receivers: list[dict]) -> None:
        bdoc_id, sender, flow_context = header["bdoc_id"], header["sender"], \
            header["flow_context"]
        data, problems = bdoc_type.validate(body)
        if problems:
            for problem in problems:
                changes.log(bdoc_id, LogEntry("VALIDATION", problem, "E"))
            changes.change(bdoc_id, BDocState.E04, LogEntry(
                "VALIDATION", f"{len(problems)} validation error(s)", "E"), error=problems[0])
            return
        # Never back to the site it came from (an ERP's delta download, MI0).
        sites = [site for site in self.replication.receivers(bdoc_type.name, data)
                 if site.name != sender]
        try:
            planned = [(site, *self._plan(bdoc_id, bdoc_type, data, site,
                                           header["created_at"])) for site in sites]
        except MappingError as exc:
            changes.change(bdoc_id, BDocState.E08, LogEntry("MAPPING", str(exc), "E"),
                           error=str(exc))
            return
        # The data handler: saved in the CDB, in this transaction (nothing on E04/E08); a
        # handler that refuses the data (KeyError/ValueError) ends the BDoc E04, saving nothing.
        handler = cdb.handler(bdoc_type.name)
        if handler is not None:
            try:
                with conn.begin_nested():
                    saved = handler(conn, bdoc_id, bdoc_type.name, header["created_at"], data)
            except (KeyError, ValueError) as exc:
                text = f"Not saved in the CDB: {type(exc).__name__}: {exc}"
                changes.change(bdoc_id, BDocState.E04, LogEntry("CDB", text, "E"), error=text)
                return
            changes.log(bdoc_id, LogEntry("CDB", saved.message,
                                          "S" if saved.applied else "W"))
        if not sites and flow_context == INBOUND_CONTEXT:
            changes.change(bdoc_id, BDocState.F04, LogEntry(
                "VALIDATION", f"Saved in CRM (flow context {INBOUND_CONTEXT}, from site "
                              f"{sender}); no other site receives it", "S"), error="")
            return
        if not sites:
            changes.change(bdoc_id, BDocState.F05, LogEntry(
                "REPLICATION", "No receivers: no subscription matches this BDoc"), error="")
            return
        now = changes.now
        for site, queue, calls, waits in planned:
            tid = new_tid()
            luws.append(self.queues.luw_row(
                queue=queue, direction="out", kind="RFC", tid=tid, calls=calls,
                destination=site.destination, bdoc_id=bdoc_id, site=site.name, wait_for=waits))
            receivers.append({"bdoc_id": bdoc_id, "site": site.name, "state": "QUEUED",
                              "queue": queue, "tid": tid, "error": "", "updated_at": now})
            changes.log(bdoc_id, LogEntry(
                "R3_ADAPTER", f"Site {site.name}: LUW {tid} written to queue {queue} "
                              f"({', '.join(c.function for c in calls)})"))
        changes.change(bdoc_id, BDocState.I02, LogEntry(
            "R3_ADAPTER", f"Written to qRFC queue(s) {', '.join(p[1] for p in planned)}"),
            error="")

    def _plan(self, bdoc_id: str, bdoc_type: BDocType, data: dict, site: SiteSettings,
              created_at: datetime | None = None) -> tuple[str, list[RfcCall], tuple[str, ...]]:
        adapter = self.scenarios.for_type(bdoc_type.name, site.type, data)
        if adapter is None:
            raise MappingError(f"no adapter object for BDoc type {bdoc_type.name} and site "
                               f"type {site.type}{_routed_by(self.scenarios, bdoc_type, data)}")
        calls = adapter.map_to_erp(MappingInput(bdoc_id, bdoc_type.name, data, site.name,
                                                site.company_codes, created_at))
        queue = adapter.queue_name(bdoc_type.value(data, adapter.queue_key))
        waits: list[str] = []
        if self.settings.queue_dependencies and adapter.waits_for:
            for wait in adapter.waits_for:
                key = bdoc_type.value(data, wait.key)
                name = self.scenarios.adapters[wait.adapter].queue_name(key) if key else ""
                if name and name != queue:
                    waits.append(name)
        elif self.settings.queue_dependencies:
            for dependency in bdoc_type.depends_on:
                other = self.scenarios.for_type(dependency.bdoc_type, site.type)
                key = bdoc_type.value(data, dependency.key)
                if other is not None and key:
                    name = other.queue_name(key)
                    if name != queue:
                        waits.append(name)
        return queue, calls, tuple(waits)


def _routed_by(scenarios: Scenarios, bdoc_type: BDocType, data: dict) -> str:
    """The routing field's value, for the E08 text, when the type's adapters are routed."""
    fields = {a.route.field for a in scenarios.adapters.values()
              if a.bdoc_type == bdoc_type.name and a.route is not None}
    return "".join(f" ({f} = {bdoc_type.value(data, f)!r})" for f in sorted(fields))


def _key(bdoc_type: BDocType, record: dict, path: str) -> str:
    """An object key from raw (not yet validated) data, normalised as validation would."""
    try:
        value = bdoc_type.value(record, path)
    except (AttributeError, TypeError):
        return ""
    segment, field = path.split(".", 1)
    spec = bdoc_type.segments.get(segment)
    if spec is not None and field in spec.fields and spec.fields[field].type.kind == "NUMC":
        return value.strip().zfill(spec.fields[field].type.length) if value.strip().isdigit() \
            else value.strip()
    return value.strip()
