"""R3AS (start an initial load), R3AR2/R3AR4 (define and start requests) and R3AM1 (monitor).

A start checks everything it can before anything is written, in SAP's terms (SMOF 910-917,
ours): the load object exists (R3AC1), it has an adapter object R/3 -> CRM, the source site
is an R/3 site, the target is CRM, the block size is a number, every filter field is allowed
(SMOFFILFLD) with sign I and option EQ or BT. Then it writes the load's row and drives the
source ERP's extractor over RFC, a few blocks per call, recording after each call what the
ERP reports sent. Each block is committed in the ERP as one LUW with the load's cursor, so
starting the same load again (same object, sites, block size, filters) while its extraction
has not ended goes on where it stopped: the CLI, REST and the page all resume this way.

The blocks travel as any qRFC unit: the ERP's SMQ1 (R3AI_<OBJECT>, R3AR_<OBJECT>), the
gateway's SMQ2 queue of the same name, BAPI_CRM_SAVE (`receive.py`), one BDoc per object.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from sapgw.adapters.scenario import MappingError
from sapgw.gateway.loads.objects import LoadObject, load_objects
from sapgw.gateway.loads.store import DONE, ERROR, KINDS, RUNNING, LoadStore
from sapgw.gateway.store.tables import QrfcLuw, QrfcQueue
from sapgw.types import RfcCall

if TYPE_CHECKING:
    from sapgw.gateway.runtime import Gateway

TARGET = "CRM"
OPTIONS = ("EQ", "BT")
QUEUE_PREFIX = {"I": "R3AI_", "R": "R3AR_"}
_Q = QrfcQueue.__table__  # type: ignore[attr-defined]
_L = QrfcLuw.__table__  # type: ignore[attr-defined]


class LoadError(ValueError):
    """A load that cannot start or go on: SMOF message number and text (str is `SMOF n text`)."""

    def __init__(self, number: str, text: str, msg_class: str = "SMOF") -> None:
        super().__init__(f"{msg_class} {number} {text}")
        self.msg_class, self.number, self.text = msg_class, number, text


@dataclass(frozen=True)
class Range:
    """One filter: FIELD=LOW (EQ) or FIELD=LOW..HIGH (BT), sign I (CRMRANGE)."""

    field: str
    low: str
    high: str = ""
    option: str = "EQ"
    sign: str = "I"

    @classmethod
    def parse(cls, text: str) -> Range:
        """`KUNNR=1..2000`, `LAND1=DE`; anything else raises LoadError 917."""
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise LoadError("917", f"Filter {text!r} is not FIELD=VALUE or FIELD=LOW..HIGH")
        low, dots, high = value.partition("..")
        return cls(name.strip().upper(), low.strip(), high.strip(), "BT" if dots else "EQ")

    def row(self) -> dict[str, str]:
        return {"FIELDNAME": self.field, "SIGN": self.sign, "OPTION": self.option,
                "LOW": self.low, "HIGH": self.high}


def ranges(filters: Iterable[Range | str | dict[str, Any]]) -> list[Range]:
    """Filters as given by the CLI (text), REST (dicts) or Python (Range)."""
    out = []
    for f in filters:
        if isinstance(f, Range):
            out.append(f)
        elif isinstance(f, str):
            out.append(Range.parse(f))
        else:
            out.append(Range(str(f.get("field", f.get("FIELDNAME", ""))).upper(),
                             str(f.get("low", f.get("LOW", ""))),
                             str(f.get("high", f.get("HIGH", ""))),
                             str(f.get("option", f.get("OPTION", "")) or "EQ").upper(),
                             str(f.get("sign", f.get("SIGN", "")) or "I").upper()))
    return out


class Loads:
    """The gateway's loads: start, go on, define requests, monitor."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.store = LoadStore(gateway.db)

    @property
    def objects(self) -> dict[str, LoadObject]:
        return load_objects()

    # -- R3AS ---------------------------------------------------------------------------
    def start(self, objname: str, source: str = "", target: str = TARGET, block_size: int = 0,
              filters: Iterable[Range | str | dict[str, Any]] = (), kind: str = "I",
              request: str = "") -> dict[str, Any]:
        """Check and create the load, or find the unfinished one with the same settings."""
        obj = self._object(objname)
        site = self._source(obj, source)
        if target.strip().upper() != TARGET:
            raise LoadError("913", f"Target site {target or '(blank)'} cannot receive load "
                            f"object {obj.name}; loads from an R/3 site go to {TARGET}")
        size = block_size or obj.block_size
        if size < 1:
            raise LoadError("914", f"Block size {block_size} is not valid; give a number of "
                            "objects of 1 or more")
        rows = [r.row() for r in self._checked(obj, ranges(filters))]
        selection = json.dumps(rows, sort_keys=True)
        running = self.store.unfinished(kind, obj.name, site, TARGET, request)
        if running is not None:
            if (running["block_size"], running["filters"]) != (size, selection):
                raise LoadError("916", f"Load {running['load_id']} of {obj.name} from {site} "
                                "has not ended and runs with another block size or other "
                                "filters; start it with the same ones to go on")
            return running
        load_id = self.store.create({
            "kind": kind, "objname": obj.name, "request": request, "source_site": site,
            "target_site": TARGET, "block_size": size, "filters": selection,
            "started_at": self.gateway.clock.now()})
        return self.store.get(load_id) or {}

    def _object(self, objname: str) -> LoadObject:
        name = objname.strip().upper()
        obj = self.objects.get(name)
        if obj is None:
            raise LoadError("910", f"Load object {name or '(blank)'} does not exist (R3AC1); "
                            f"defined: {', '.join(sorted(self.objects))}")
        try:
            self.gateway.scenarios.from_site(name)
        except MappingError as error:
            raise LoadError("911", f"Load object {name} has no adapter object R/3 -> CRM: "
                            f"{error}") from None
        return obj

    def _source(self, obj: LoadObject, source: str) -> str:
        sites = {n: s for n, s in self.gateway.settings.sites.items()
                 if s.type == obj.source_site_type}
        if not source and len(sites) == 1:
            return next(iter(sites))
        if source.strip() not in sites:
            raise LoadError("912", f"Source site {source or '(blank)'} is no site of type "
                            f"{obj.source_site_type} for load object {obj.name}; sites: "
                            f"{', '.join(sorted(sites)) or 'none'}")
        return source.strip()

    def _checked(self, obj: LoadObject, filters: list[Range]) -> list[Range]:
        for f in filters:
            if f.field not in obj.filter_fields:
                raise LoadError("915", f"Field {f.field} is not allowed as a filter of load "
                                f"object {obj.name} (SMOFFILFLD: "
                                f"{', '.join(obj.filter_fields) or 'none'})")
            if f.sign != "I" or f.option not in OPTIONS or not f.low or (
                    f.option == "BT" and not f.high):
                raise LoadError("917", f"Filter on {f.field}: give sign I with option EQ and "
                                "a value, or BT with low and high values")
        return filters

    # -- driving the extraction ------------------------------------------------------------
    def run(self, load_id: int, blocks_per_call: int = 20, process: bool = True,
            timeout: float = 600.0) -> dict[str, Any]:
        """Call the ERP's extractor until it reports the end; work the queues after each
        call when `process` (in-process use; a server's schedulers do it themselves)."""
        load = self.store.get(load_id)
        if load is None:
            raise LoadError("918", f"Load {load_id} does not exist (R3AM1)")
        obj = self._object(load["objname"])
        site = self.gateway.settings.sites[load["source_site"]]
        filters = json.loads(load["filters"])
        while not load["extracted"]:
            with self.gateway.destination(site.destination) as erp:
                result = erp.call(obj.extractor, OBJNAME=obj.name, LOAD_TYPE=load["kind"],
                                  LOAD_ID=str(load_id), BLOCK_SIZE=load["block_size"],
                                  MAX_BLOCKS=blocks_per_call, FILTERS=filters)
            failed = next((r for r in result["RETURN"] if r["TYPE"] in ("E", "A")), None)
            if failed is not None:
                self.store.refused(load_id, f"{failed['ID']} {failed['NUMBER']} "
                                            f"{failed['MESSAGE']}")
                raise LoadError(failed["NUMBER"], failed["MESSAGE"], failed["ID"])
            self.store.progress(load_id, result["BLOCKS_SENT"], result["OBJECTS_SENT"],
                                result["END_OF_LOAD"] == "X", self.gateway.clock.now())
            if process:
                self.gateway.run_until_idle(timeout)
            load = self.store.get(load_id) or load
        if process:
            self.gateway.run_until_idle(timeout)
        return self.status(load_id)

    # -- R3AR2 / R3AR4 ----------------------------------------------------------------------
    def define_request(self, name: str, objname: str, filters: Iterable[Any],
                       source: str = "", text: str = "") -> dict[str, Any]:
        """R3AR2: a request is a load object with ranges, started as often as wanted."""
        key = name.strip().upper()
        if not key or len(key) > 30:
            raise LoadError("919", f"Request name {name!r} must be 1 to 30 characters")
        obj = self._object(objname)
        site = self._source(obj, source)
        rows = [r.row() for r in self._checked(obj, ranges(filters))]
        if not rows:
            raise LoadError("920", f"Request {key} needs at least one range (a request without "
                            "one is an initial load: use R3AS)")
        self.store.put_request({"name": key, "objname": obj.name, "source_site": site,
                                "text": text[:80], "filters": json.dumps(rows, sort_keys=True),
                                "created_at": self.gateway.clock.now()})
        return self.store.request(key) or {}

    def start_request(self, name: str, block_size: int = 0) -> dict[str, Any]:
        """R3AR4: start (or go on with) the request's load into queue R3AR_<OBJECT>."""
        request = self.store.request(name.strip().upper())
        if request is None:
            known = ", ".join(r["name"] for r in self.store.requests()) or "none"
            raise LoadError("921", f"Request {name.strip().upper()} is not defined (R3AR2); "
                            f"defined: {known}")
        return self.start(request["objname"], request["source_site"], TARGET, block_size,
                          request["filters"], kind="R", request=request["name"])

    # -- R3AM1 ------------------------------------------------------------------------------
    def status(self, load_id: int) -> dict[str, Any]:
        load = self.store.get(load_id)
        if load is None:
            raise LoadError("918", f"Load {load_id} does not exist (R3AM1)")
        return self._shaped([load])[0]

    def monitor(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._shaped(self.store.loads(limit))

    def _shaped(self, loads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The monitor lines of these loads, read in a fixed number of queries (at most
        five: loads, blocks, their BDocs' states, SMQ2 queues, heads of failing queues)."""
        counts = self.store.block_counts(load["load_id"] for load in loads)
        failing = self._failing_blocks({_queue(load) for load in loads})
        return [self._line(load, counts[load["load_id"]], failing) for load in loads]

    @staticmethod
    def _line(load: dict[str, Any], counts: dict[str, int],
              failing_blocks: dict[str, tuple[str, str]]) -> dict[str, Any]:
        queue = _queue(load)
        head_load, head_error = failing_blocks.get(queue, ("", ""))
        failing = head_error if head_load == str(load["load_id"]) else ""
        error = counts["error"] + (1 if failing else 0)
        processed = counts["received"] - counts["error"] - counts["open"]
        if error or load["message"]:
            status = ERROR
        elif load["extracted"] and processed == load["blocks_sent"]:
            status = DONE
        else:
            status = RUNNING
        return {"load_id": load["load_id"], "kind": load["kind"], "kind_text": KINDS[load["kind"]],
                "object": load["objname"], "request": load["request"],
                "source_site": load["source_site"], "target_site": load["target_site"],
                "queue": queue, "block_size": load["block_size"],
                "filters": json.loads(load["filters"]), "status": status,
                "blocks_sent": load["blocks_sent"], "blocks_processed": processed,
                "blocks_in_error": error, "objects_sent": load["objects_sent"],
                "objects_received": counts["objects"], "extracted": bool(load["extracted"]),
                "message": load["message"] or failing,
                "started_at": load["started_at"], "extracted_at": load["extracted_at"]}

    def _failing_blocks(self, queues: set[str]) -> dict[str, tuple[str, str]]:
        """SMQ2 queues of these in SYSFAIL (or ANORETRY): the LOAD_ID of the block heading
        each and the queue's error (SYSFAIL without one). Two queries for any number."""
        if not queues:
            return {}
        with self.gateway.db.read() as conn:
            errors = {row.name: row.error or "SYSFAIL" for row in conn.execute(
                select(_Q.c.name, _Q.c.error).where(
                    _Q.c.name.in_(sorted(queues)), _Q.c.direction == "in",
                    _Q.c.status.in_(("SYSFAIL", "ANORETRY"))))}
            if not errors:
                return {}
            heads = (select(func.min(_L.c.id)).where(_L.c.queue.in_(sorted(errors)),
                                                     _L.c.direction == "in")
                     .group_by(_L.c.queue))
            calls = {row.queue: row.calls for row in conn.execute(
                select(_L.c.queue, _L.c.calls).where(_L.c.id.in_(heads)))}
        out = {}
        for queue, error in errors.items():
            units = json.loads(calls.get(queue) or "[]")  # [[function, params], ...]
            header = RfcCall.from_json(units[0]).params.get("HEADER", {}) if units else {}
            out[queue] = (str(header.get("LOAD_ID", "")), error)
        return out


def _queue(load: dict[str, Any]) -> str:
    """The load's queue, R3AI_<OBJECT> or R3AR_<OBJECT> (24 characters at most)."""
    return (QUEUE_PREFIX[load["kind"]] + load["objname"])[:24]
