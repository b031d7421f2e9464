"""`Gateway`: the middleware assembled from config.ini, and its Python API.

    gw = Gateway.open("config.ini")       # or Gateway.in_memory()
    sent = gw.send("CRM_FM_FU", {...})    # stored (I01) before anything else happens
    gw.run_until_idle()                   # drive the schedulers synchronously (tests)
    gw.bdoc(sent["bdoc_id"])["state"]     # 'F04'
"""

from __future__ import annotations

import configparser
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sapgw.adapters.registry import Scenarios
from sapgw.adapters.scenarios import SCENARIOS
from sapgw.bdoc.message import MBDoc
from sapgw.bdoc.types import BDocType
from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.gateway import inputs
from sapgw.gateway.actions import Actions
from sapgw.gateway.config import Settings, load_settings, parse_settings
from sapgw.gateway.faults.inject import Injector
from sapgw.gateway.faults.store import Faults
from sapgw.gateway.flow.engine import FlowEngine
from sapgw.gateway.jobs.runner import JobRunner
from sapgw.gateway.monitor import queries
from sapgw.gateway.monitor.metrics import observe_luw
from sapgw.gateway.queues.notify import Notifier
from sapgw.gateway.queues.scheduler import Schedulers
from sapgw.gateway.queues.store import QueueStore
from sapgw.gateway.queues.worker import QueueWorker
from sapgw.gateway.reorg import ReorgResult, reorganize_bdocs
from sapgw.gateway.rfc.destinations import Destinations
from sapgw.gateway.rfc.served import ServedRfc
from sapgw.gateway.store.bdocs import BDocStore
from sapgw.gateway.store.tables import GatewayTable
from sapgw.qrfc.queries import queue_list
from sapgw.rfc.connection import RfcConnection
from sapgw.types import new_bdoc_id, new_tid

if TYPE_CHECKING:
    from sapgw.gateway.idoc.service import IdocService
    from sapgw.gateway.isolation import Isolation
    from sapgw.gateway.loads.service import Loads

DEFAULT_CONFIG = Path(__file__).resolve().parents[3] / "config.ini"
SENDER = "CRM"
ERP_TO_CRM = "CRM"  # the RFC destination the local ERP sends its deltas to


class UnknownBDocType(LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown BDoc type {name!r}; known types: {', '.join(known)}")


class NotIdle(TimeoutError):
    """Work was still runnable when the wait ended."""


class Gateway:
    def __init__(self, settings: Settings, clock: Clock | None = None,
                 temp_dir: Path | None = None) -> None:
        self.settings = settings
        self.clock = clock or Clock()
        self._temp_dir = temp_dir
        # First: refuses to start when a destination cannot work here (pyrfc missing).
        self.destinations = Destinations(settings, self.clock)
        self.db = Database(settings.db_url, settings.db_schema)
        self.db.create_all(GatewayTable.metadata)
        # Failure injection rules (docs/FAULTS.md), applied to every connection Destinations
        # opens and to the gateway's own served functions.
        self.faults = Faults(self.db, self.clock)
        self.destinations.faults = Injector(self.faults)
        self.scenarios = Scenarios(SCENARIOS)
        self.types: dict[str, BDocType] = self.scenarios.types
        self.bdocs = BDocStore(self.db, self.clock)
        self.queue_store = QueueStore(self.db, self.clock)
        self.flow = FlowEngine(settings, self.scenarios, self.bdocs, self.queue_store)
        self.actions = Actions(self.bdocs, self.queue_store, self.flow)
        self.notifier = Notifier(self.db)
        self.schedulers = Schedulers(self.worker, settings.poll_interval, self.notifier)
        # [job …] background jobs (SM36/SM37, docs/JOBS.md), fired by the schedulers' APScheduler.
        self.jobs = JobRunner(self.db, self.destinations.connect, self.clock, settings.jobs)
        # What `sapgw serve` and `sapgw rfc-server` offer: gateway functions + the ERP stub.
        self.served_rfc = ServedRfc(self)
        # The local ERP's destination CRM (its SM59) is this gateway's served RFC layer.
        self.destinations.local_destinations[ERP_TO_CRM] = lambda: self.destinations.with_faults(
            self.served_rfc.connect(), (ERP_TO_CRM,))
        # Every other configured destination is in the local systems' SM59 too, e.g. the
        # ERP's RAR (FI-CA's revenue accounting items) reaches the RAR system in-process.
        for name in settings.destinations:
            if name not in (ERP_TO_CRM, settings.rfc_destination):
                self.destinations.local_destinations[name] = (
                    lambda target=name: self.destinations.connect(target))
        self._worker: QueueWorker | None = None
        self._started = False
        # Called after every reset and restore: what other parts hold in memory and must
        # forget with the data (e.g. injected faults). docs/ISOLATION.md.
        self.reset_hooks: list[Callable[[], None]] = [self._clear_faults]

    def _clear_faults(self) -> None:
        """A reset (or restore) leaves no injected fault behind (docs/FAULTS.md)."""
        self.faults.clear()

    # -- construction -------------------------------------------------------------------
    @classmethod
    def open(cls, config: str | Path | None = None, clock: Clock | None = None) -> Gateway:
        return cls(load_settings(config), clock)

    @classmethod
    def in_memory(cls, clock: Clock | None = None, config: str | Path | None = None,
                  overrides: dict[str, dict[str, str]] | None = None) -> Gateway:
        """A throw-away gateway and ERP in a temporary directory (deleted by `close`).

        `overrides` sets config.ini keys by section, e.g.
        `{"gateway": {"queue_dependencies": "no"}, "destination ERP": {"retry_interval": "1"}}`.
        """
        temp = Path(tempfile.mkdtemp(prefix="sapgw-"))
        parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"),
                                           interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        source = Path(config) if config else DEFAULT_CONFIG
        parser.read(source, encoding="utf-8")
        sections: dict[str, dict[str, str]] = {
            "gateway": {"db_url": f"sqlite:///{temp}/gateway.db"},
            "erp": {"db_url": f"sqlite:///{temp}/erp.db"}}
        for section, values in (overrides or {}).items():
            sections.setdefault(section, {}).update(values)
        for section, values in sections.items():
            if not parser.has_section(section):
                parser.add_section(section)
            for key, value in values.items():
                parser[section][key] = value
        try:
            settings = parse_settings(parser, source.resolve().parent, None,
                                      database_overrides=False)
            return cls(settings, clock, temp_dir=temp)
        except Exception:
            shutil.rmtree(temp, ignore_errors=True)
            raise

    def worker(self) -> QueueWorker:
        return QueueWorker(self.queue_store, self.bdocs, self.flow, self.destinations,
                           on_outbound=lambda: self.schedulers.wake("out"),
                           on_luw=observe_luw, lease_seconds=self.settings.lease_seconds,
                           stopping=self.schedulers.stopping,
                           inbound=self.served_rfc.executor)

    # -- sending ------------------------------------------------------------------------
    def send(self, bdoc_type: str, data: Any, sender: str = SENDER,
             flow_context: str = "MO1") -> dict[str, str]:
        """Accept a BDoc: store it (I01) with the LUW that will run its flow, in one commit."""
        return self.send_many(bdoc_type, [data], sender, flow_context)[0]

    def send_many(self, bdoc_type: str, items: list[Any], sender: str = SENDER,
                  flow_context: str = "MO1") -> list[dict[str, str]]:
        """Accept BDocs of one type in one commit (a CRM posting run): all stored, or none."""
        if self.types.get(bdoc_type) is None:
            raise UnknownBDocType(bdoc_type, sorted(self.types))
        if not items:
            return []
        with self.db.write() as conn:
            answer = self.accept(conn, bdoc_type, items, sender, flow_context)
        self.schedulers.wake("in")
        return answer

    def accept(self, conn: Any, bdoc_type: str, items: list[Any], sender: str = SENDER,
               flow_context: str = "MO1") -> list[dict[str, str]]:
        """Store BDocs (I01) with the LUWs of their flows in the caller's transaction (an
        inbound function records its TID in the same one); the caller wakes QIN after."""
        definition = self.types.get(bdoc_type)
        if definition is None:
            raise UnknownBDocType(bdoc_type, sorted(self.types))
        received, luws = [], []
        for data in items:
            bdoc = MBDoc(new_bdoc_id(), bdoc_type, sender, flow_context, self.clock.now(), data)
            queue, waits = self.flow.flow_queue(definition, data)
            received.append((bdoc, queue.removeprefix(definition.flow_queue)))
            luws.append(self.queue_store.luw_row(
                queue=queue, direction="in", kind="FLOW", tid=new_tid(),
                calls=[self.flow.flow_call(bdoc.bdoc_id)], bdoc_id=bdoc.bdoc_id,
                wait_for=waits))
        self.bdocs.insert_many(conn, received)
        self.queue_store.enqueue_many(conn, luws)
        return [{"bdoc_id": bdoc.bdoc_id, "state": "I01"} for bdoc, _ in received]

    def run_until_idle(self, timeout: float = 60.0) -> None:
        """Work all queues synchronously until nothing more can run now."""
        if self._worker is None:
            self._worker = self.worker()
        deadline = time.monotonic() + timeout
        while True:
            busy = self._worker.run_once("in")
            busy = self._worker.run_once("out") or busy
            for erp in self._erp_outbounds():  # the local ERP's SMQ1, into our SMQ2
                busy = erp.runner().run_once("out") or busy
            if not busy and not self._runnable():
                return
            if time.monotonic() > deadline:
                raise NotIdle(f"the gateway was still busy after {timeout} s")

    def wait_until_idle(self, timeout: float = 60.0) -> None:
        """With the schedulers running: wait until no queue can run now.

        Idle must be seen twice in a row: the two reads (runnable, then running) are not one
        snapshot, and a flow LUW that ends between them while a worker is about to claim the
        outbound LUW it wrote looks idle for an instant (seen as BDocs still I02)."""
        deadline, quiet = time.monotonic() + timeout, 0
        while quiet < 2:
            quiet = 0 if self._runnable() or self._running_queues() else quiet + 1
            if quiet < 2:
                if time.monotonic() > deadline:
                    raise NotIdle(f"the gateway was still busy after {timeout} s")
                time.sleep(0.02)

    def _running_queues(self) -> bool:
        return any(q["status"] == "RUNNING" for d in ("in", "out")
                   for q in queries.queue_list(self.db, d)) or any(
            q["status"] == "RUNNING" for erp in self._erp_outbounds()
            for q in queue_list(erp.store.db, erp.store.schema))

    def _runnable(self) -> bool:
        return self.queue_store.runnable_exists() or any(
            erp.store.runnable_exists() for erp in self._erp_outbounds())

    def _erp_outbounds(self) -> list[Any]:
        """The outbound queues (SMQ1) of the local systems loaded so far."""
        return [system.outbound for system in self.destinations.local_systems()
                if getattr(system, "outbound", None) is not None]

    def local_erp(self) -> Any:
        """The ERP stub of `[gateway] serve_rfc`, loaded in this process (None: none)."""
        if not self.settings.rfc_destination:
            return None
        return self.destinations.local_system(self.settings.rfc_destination)

    # -- reading ------------------------------------------------------------------------
    def bdoc(self, bdoc_id: str) -> dict[str, Any]:
        return queries.bdoc_detail(self.db, bdoc_id)

    def bdocs_list(self, **filters: Any) -> dict[str, Any]:
        """SMW01's list; a BDoc type that does not exist is an error listing those that do."""
        if filters.get("bdoc_type"):
            filters["bdoc_type"] = inputs.one_of("type", filters["bdoc_type"], sorted(self.types))
        return queries.bdoc_list(self.db, queries.BDocFilter(**filters))

    def queues(self, direction: str = "out") -> list[dict[str, Any]]:
        return queries.queue_list(self.db, direction)

    def queue(self, name: str, direction: str = "out") -> dict[str, Any] | None:
        return queries.queue_detail(self.db, name, direction)

    def destination(self, name: str) -> RfcConnection:
        return self.destinations.connect(name)

    @cached_property
    def idocs(self) -> IdocService:
        """The IDoc interface (WE02/WE05/BD87, WE20/WE21 profiles and ports), made on first use."""
        from sapgw.gateway.idoc.service import IdocService

        return IdocService.for_gateway(self)

    @cached_property
    def loads(self) -> Loads:
        """Initial loads, requests and their monitor (R3AS, R3AR2/4, R3AM1; docs/LOADS.md)."""
        from sapgw.gateway.loads.service import Loads

        return Loads(self)

    # -- isolation (docs/ISOLATION.md) -------------------------------------------------
    @cached_property
    def isolation(self) -> Isolation:
        """Reset, snapshots and restore of the gateway's and the local ERP's databases."""
        from sapgw.gateway.isolation import Isolation

        return Isolation(self)

    def reset(self, state: str | None = None) -> dict[str, Any]:
        """Both systems to the demo data set, or to a named state (a folder of TOML files in
        `[gateway] states_dir`, a path to one, or a snapshot's name). Refused (RestoreRefused)
        while a worker holds a queue lease."""
        return self.isolation.reset(state)

    def snapshot(self, name: str) -> dict[str, Any]:
        """Save the gateway's and the ERP's databases under `name`."""
        return self.isolation.snapshot(name)

    def restore(self, name: str) -> dict[str, Any]:
        """Both databases as saved by `snapshot(name)`; refused while a lease is held."""
        return self.isolation.restore(name)

    def snapshots(self) -> list[dict[str, Any]]:
        return self.isolation.snapshots()

    # -- running ------------------------------------------------------------------------
    def start(self) -> None:
        """Start the QIN/QOUT schedulers and the housekeeping jobs."""
        if not self._started:
            self.schedulers.start(jobs=[(self.reorganize_tids, 300.0),
                                        (self.reorganize_bdocs, 86400.0),
                                        *self.idocs.jobs()])
            self.jobs.schedule(self.schedulers.housekeeping)
            erp = self.local_erp()  # its QOUT scheduler runs beside ours
            if erp is not None:
                erp.outbound.start(self.settings.poll_interval)
            self._started = True

    def reorganize_tids(self) -> int:
        """Let local receivers and the gateway forget confirmed TIDs older than a day
        (RSTRFCEU-like)."""
        before = self.clock.now() - timedelta(days=1)
        return self.served_rfc.tids.reorganize(before) + sum(
            system.reorganize_tids(before) for system in self.destinations.local_systems())

    def reorganize_bdocs(self, dry_run: bool = False) -> ReorgResult:
        """SMO6_REORG: delete final BDocs older than `[gateway] bdoc_retention_days`."""
        return reorganize_bdocs(self.db, self.clock.now(), self.settings.bdoc_retention_days,
                                dry_run)

    def close(self) -> None:
        if self._started:
            self.schedulers.stop()
            for erp in self._erp_outbounds():
                erp.stop()
            self._started = False
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        self.notifier.close()
        if "isolation" in vars(self):  # templates this process built
            self.isolation.close()
        self.destinations.close()
        self.db.dispose()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
