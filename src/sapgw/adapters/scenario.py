"""A CRM scenario, declared once beside its mapping module.

A scenario is what one business process brings to the middleware: its BDoc types, its
adapter objects (R3AC1: which mapping module turns a BDoc of a type into RFC calls for a site
type, or RFC parameters received from the ERP into a BDoc; the outbound queue-name rule; the
filter fields of SMOFFILFLD) and the links the monitor shows from a BDoc to the ERP objects it
produced. The gateway is assembled from a list of scenarios (`adapters/scenarios.py`); the
flow engine, the registry and the monitor iterate over that list and name no scenario.

Why the BDoc types stay TOML while the rest is Python: a BDoc type is structure (segments,
fields with DDIC types, key, dependencies), read and reviewed like SBDM's tree; the mapping
modules and the links are code. The TOML file lives beside the scenario's module, so a
scenario is still one place: `funds.py` + `funds.toml`.

Directions. `to_erp` is SAP's "mapping module CRM -> R/3" (an mBDoc in, one LUW of RFC calls
out, sent through the outbound queue `queue_prefix` + key). `from_erp` is the "mapping module
R/3 -> CRM" (the parameters of a call received from the ERP, e.g. BAPI_CRM_SAVE, in; the data
of a BDoc of `bdoc_type` out, which then flows as any other). An adapter object has one or
both. The mapping module's SAP name is the function's name in upper case.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sapgw.bdoc.types import BDocType
from sapgw.types import RfcCall

QUEUE_NAME_LENGTH = 24


@dataclass(frozen=True)
class MappingInput:
    """What a CRM -> R/3 mapping module sees: the BDoc's id, type and validated data, and
    the receiving site with the company codes it keeps partners in (`[site …]
    company_codes`, ours: the AIC cookbook's company code replication)."""

    bdoc_id: str
    bdoc_type: str
    data: dict[str, Any]
    site: str = ""
    company_codes: tuple[str, ...] = ()
    created_at: datetime | None = None   # when the BDoc was made (CRM's change time)


ToErpMapping = Callable[[MappingInput], list[RfcCall]]
FromErpMapping = Callable[[dict[str, Any]], dict[str, Any]]


class MappingError(Exception):
    """The mapping module could not build its result: the BDoc ends E08 (or the call fails)."""


@dataclass(frozen=True)
class ErpLink:
    """Where the monitor shows an ERP object a BDoc produced: a display transaction
    (FB03, KO03, IAOMC, CJ20N), a label for the object and the transaction's input fields."""

    transaction: str
    label: str
    params: Mapping[str, str] = field(default_factory=dict)


LinksFunction = Callable[[str, dict[str, Any]], list[ErpLink]]


@dataclass(frozen=True)
class FlowKey:
    """A business key the document flow (`sapgw flow KEY`) finds the scenario's BDocs by.

    `label` names the key for people ("fund usage"); BDocs of `bdoc_type` whose field `field`
    (SEGMENT.FIELD) holds the key belong to its flow. `queue_prefix` is set when the ERP sends
    the object's changes in its own qRFC queue, prefix + key (the CRMQNAMES rule, e.g.
    R3AD_CUSTOME + customer number): the flow then also shows the LUWs of that queue on both
    sides. Which ERP documents a found BDoc produced comes from the scenario's `links`.
    """

    label: str
    bdoc_type: str
    field: str
    queue_prefix: str = ""

    def queue(self, key: str) -> str:
        """The ERP's queue of the object with this key, as stored (CRMQNAMES: prefix + key,
        at most 24 characters); "" without a queue_prefix."""
        return (self.queue_prefix + key)[:QUEUE_NAME_LENGTH] if self.queue_prefix else ""


def queue_name(prefix: str, key: str) -> str:
    """Prefix + object key (leading zeros of a numeric key dropped), at most 24 characters."""
    if key.isdigit():
        key = key.lstrip("0") or "0"
    return (prefix + key)[:QUEUE_NAME_LENGTH]


@dataclass(frozen=True)
class Route:
    """Which BDocs of a type an adapter object takes: those whose field (SEGMENT.FIELD) holds
    one of `values`. CRM routes the one-order BDoc BUS_TRANS_MSG by transaction type
    (PROCESS_TYPE) this way: service orders, contracts and confirmations each have their
    adapter object, mapping module and queues."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Wait:
    """An outbound queue dependency of an adapter object: its LUWs wait while the queue of
    adapter object `adapter` for the key in `key` (SEGMENT.FIELD) holds older LUWs (a
    confirmation waits for its service order, an order for its contract). Declared on the
    adapter object when the BDoc type's `depends_on` cannot say which object the key is."""

    adapter: str
    key: str


@dataclass(frozen=True)
class AdapterObject:
    """An adapter object (R3AC1) of a BDoc type for a site type."""

    name: str
    text: str
    bdoc_type: str
    site_type: str = "R/3"
    to_erp: ToErpMapping | None = None
    from_erp: FromErpMapping | None = None
    queue_prefix: str = ""
    queue_key: str = ""
    filter_fields: tuple[str, ...] = ()
    route: Route | None = None
    waits_for: tuple[Wait, ...] = ()

    def routes(self, data: dict[str, Any] | None) -> bool:
        """Whether a BDoc with this data goes through this adapter object (no route: all)."""
        if self.route is None:
            return True
        if data is None:
            return False
        segment, _, name = self.route.field.partition(".")
        record = data.get(segment) or {}
        if isinstance(record, list):
            record = record[0] if record else {}
        return str(record.get(name, "") or "").strip() in self.route.values

    @property
    def mapping_module(self) -> str:
        """The SAP name of the mapping module(s), for logs and errors."""
        return " / ".join(_name(m) for m in (self.to_erp, self.from_erp) if m is not None)

    def map_to_erp(self, bdoc: MappingInput) -> list[RfcCall]:
        """Run the CRM -> R/3 mapping module; any failure becomes a MappingError (E08)."""
        if self.to_erp is None:
            raise MappingError(f"adapter object {self.name} has no mapping module CRM -> R/3")
        name = _name(self.to_erp)
        try:
            calls = self.to_erp(bdoc)
        except (KeyError, ValueError, TypeError) as exc:
            raise MappingError(f"{name}: {type(exc).__name__}: {exc}") from exc
        if not calls:
            raise MappingError(f"{name} produced no RFC call")
        return calls

    def map_from_erp(self, params: dict[str, Any]) -> dict[str, Any]:
        """Run the R/3 -> CRM mapping module: received parameters -> data of a `bdoc_type`."""
        if self.from_erp is None:
            raise MappingError(f"adapter object {self.name} has no mapping module R/3 -> CRM")
        name = _name(self.from_erp)
        try:
            data = self.from_erp(params)
        except (KeyError, ValueError, TypeError) as exc:
            raise MappingError(f"{name}: {type(exc).__name__}: {exc}") from exc
        if not isinstance(data, dict) or not data:
            raise MappingError(f"{name} produced no BDoc data")
        return data

    def queue_name(self, key: str) -> str:
        return queue_name(self.queue_prefix, key)

    def problems(self, bdoc_type: BDocType) -> list[str]:
        """Everything wrong with this declaration against its BDoc type, one sentence each."""
        where = f"adapter object {self.name}"
        found: list[str] = []
        if self.to_erp is None and self.from_erp is None:
            found.append(f"{where}: declares no mapping module (to_erp or from_erp)")
        for label, module in (("to_erp", self.to_erp), ("from_erp", self.from_erp)):
            if module is not None:
                found += [f"{where}: {label} {p}" for p in _signature_problems(module)]
        if self.to_erp is not None:
            if not self.queue_prefix:
                found.append(f"{where}: queue_prefix is required with a mapping to the ERP")
            if not has_field(bdoc_type, self.queue_key):
                found.append(f"{where}: queue_key {self.queue_key!r} is not a field of "
                             f"BDoc type {bdoc_type.name} (SEGMENT.FIELD)")
        if self.route is not None and not has_field(bdoc_type, self.route.field):
            found.append(f"{where}: route field {self.route.field!r} is not a field of BDoc "
                         f"type {bdoc_type.name} (SEGMENT.FIELD)")
        for wait in self.waits_for:
            if not has_field(bdoc_type, wait.key):
                found.append(f"{where}: waits_for key {wait.key!r} is not a field of BDoc "
                             f"type {bdoc_type.name} (SEGMENT.FIELD)")
        for name in self.filter_fields:
            if not any(name in s.fields for s in bdoc_type.segments.values()):
                found.append(f"{where}: filter field {name} is not a field of BDoc type "
                             f"{bdoc_type.name}")
        return found


@dataclass(frozen=True)
class CrmScenario:
    """One scenario: its BDoc types (a TOML file beside its module), adapter objects, links.

    `links(bdoc_type, data)` answers the ERP objects a BDoc of one of the scenario's types
    produced; `data` is the BDoc's validated data (a BDoc that fails validation produced
    nothing, so the monitor does not ask). `flow` lists the business keys the document flow
    finds the scenario's BDocs by (`FlowKey`); a BDoc is always found by its id and its
    receivers' TIDs.
    """

    name: str
    text: str
    types_file: Path
    adapters: tuple[AdapterObject, ...] = ()
    links: LinksFunction | None = None
    flow: tuple[FlowKey, ...] = ()


def _name(module: Callable[..., Any]) -> str:
    return getattr(module, "__name__", repr(module)).upper()


def _signature_problems(module: object) -> list[str]:
    """A mapping module is called with exactly one argument."""
    if not callable(module):
        return [f"is not a function: {module!r}"]
    try:
        signature = inspect.signature(module)
    except (TypeError, ValueError):
        return []
    try:
        signature.bind(object())
    except TypeError:
        required = [p.name for p in signature.parameters.values()
                    if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        return [f"{_name(module)} must take exactly one argument; it takes "
                f"({', '.join(required) or 'none'})"]
    return []


def has_field(bdoc_type: BDocType, path: str) -> bool:
    """Whether `path` (SEGMENT.FIELD) is a field of the BDoc type."""
    segment, _, name = path.partition(".")
    spec = bdoc_type.segments.get(segment)
    return spec is not None and name in spec.fields
