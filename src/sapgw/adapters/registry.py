"""The gateway's scenarios, checked together at load: BDoc types, adapter objects, links.

`Scenarios(SCENARIOS)` reads each scenario's BDoc types file and refuses, with every problem
listed in one `ScenarioError`, what would make the gateway ambiguous or fail later: a BDoc
type or adapter object declared twice, an adapter object for a type its scenario does not
declare, two adapter objects for one type, site type and direction, a dependency on a type
nobody declares, a mapping module that cannot be called with one argument.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from typing import Any

from sapgw.adapters.scenario import (
    AdapterObject,
    CrmScenario,
    ErpLink,
    FlowKey,
    MappingError,
    MappingInput,
    has_field,
    queue_name,
)
from sapgw.bdoc.types import BDocType, load_types

__all__ = ["AdapterObject", "MappingError", "MappingInput", "ScenarioError", "Scenarios",
           "queue_name"]


class ScenarioError(ValueError):
    """The declared scenarios do not fit together; `problems` holds one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("CRM scenarios refused: " + "; ".join(problems))


class Scenarios:
    """The catalogue the flow engine, the receivers of ERP calls and the monitor read."""

    def __init__(self, scenarios: Iterable[CrmScenario]) -> None:
        self.scenarios: dict[str, CrmScenario] = {}
        self.types: dict[str, BDocType] = {}
        self.adapters: dict[str, AdapterObject] = {}
        self._owner: dict[str, CrmScenario] = {}
        self._to_erp: dict[tuple[str, str], list[AdapterObject]] = {}
        problems: list[str] = []
        for scenario in scenarios:
            problems += self._add(scenario)
        for bdoc_type in self.types.values():
            for dependency in bdoc_type.depends_on:
                if dependency.bdoc_type not in self.types:
                    problems.append(f"BDoc type {bdoc_type.name} depends on "
                                    f"{dependency.bdoc_type}, which no scenario declares")
        for adapter in self.adapters.values():
            for wait in adapter.waits_for:
                other = self.adapters.get(wait.adapter)
                if other is None or other.to_erp is None:
                    problems.append(f"adapter object {adapter.name} waits for adapter object "
                                    f"{wait.adapter}, which no scenario declares with a "
                                    "mapping module to the ERP")
        if problems:
            raise ScenarioError(problems)

    def _add(self, scenario: CrmScenario) -> list[str]:
        where = f"scenario {scenario.name}"
        if scenario.name in self.scenarios:
            return [f"{where} is declared twice"]
        self.scenarios[scenario.name] = scenario
        try:
            types = load_types(scenario.types_file)
        except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as exc:
            return [f"{where}: BDoc types file {scenario.types_file}: "
                    f"{type(exc).__name__}: {exc}"]
        problems: list[str] = []
        for name, bdoc_type in types.items():
            other = self._owner.get(name)
            if other is not None:
                problems.append(
                    f"BDoc type {name} is declared by scenario {other.name} "
                    f"({other.types_file.name}) and by scenario {scenario.name} "
                    f"({scenario.types_file.name})")
                continue
            self._owner[name] = scenario
            self.types[name] = bdoc_type
        for adapter in scenario.adapters:
            problems += self._add_adapter(scenario, adapter, types)
        if scenario.links is not None and not callable(scenario.links):
            problems.append(f"{where}: links is not a function: {scenario.links!r}")
        for flow_key in scenario.flow:
            bdoc_type = types.get(flow_key.bdoc_type)
            if bdoc_type is None:
                problems.append(f"{where}: flow key {flow_key.label!r} names BDoc type "
                                f"{flow_key.bdoc_type}, which {scenario.types_file.name} "
                                "does not declare")
            elif not has_field(bdoc_type, flow_key.field):
                problems.append(f"{where}: flow key {flow_key.label!r}: {flow_key.field!r} is "
                                f"not a field of BDoc type {bdoc_type.name} (SEGMENT.FIELD)")
        return problems

    def _add_adapter(self, scenario: CrmScenario, adapter: AdapterObject,
                     types: dict[str, BDocType]) -> list[str]:
        if adapter.name in self.adapters:
            return [f"adapter object {adapter.name} is declared twice (scenario "
                    f"{scenario.name})"]
        bdoc_type = types.get(adapter.bdoc_type)
        if bdoc_type is None:
            return [f"adapter object {adapter.name} of scenario {scenario.name} maps BDoc type "
                    f"{adapter.bdoc_type}, which {scenario.types_file.name} does not declare "
                    f"(its types: {', '.join(types) or 'none'})"]
        problems = adapter.problems(bdoc_type)
        for other in self.adapters.values():
            if (other.bdoc_type, other.site_type) != (adapter.bdoc_type, adapter.site_type):
                continue
            if _disjoint(other, adapter):
                continue
            for direction in ("to_erp", "from_erp"):
                if getattr(other, direction) and getattr(adapter, direction):
                    problems.append(f"adapter objects {other.name} and {adapter.name} both map "
                                    f"BDoc type {adapter.bdoc_type} {direction} for site type "
                                    f"{adapter.site_type}")
        self.adapters[adapter.name] = adapter
        if adapter.to_erp is not None:
            self._to_erp.setdefault((adapter.bdoc_type, adapter.site_type), []).append(adapter)
        return problems

    # -- lookups ---------------------------------------------------------------------------
    def for_type(self, bdoc_type: str, site_type: str, data: dict[str, Any] | None = None
                 ) -> AdapterObject | None:
        """The adapter object that sends a BDoc of this type (with this data, when its
        adapter objects are routed by a field) to a site of this type."""
        for adapter in self._to_erp.get((bdoc_type, site_type), ()):
            if adapter.routes(data):
                return adapter
        return None

    def from_site(self, adapter_object: str) -> AdapterObject:
        """The adapter object named in a call from the ERP (BAPI_CRM_SAVE's object name)."""
        adapter = self.adapters.get(adapter_object)
        if adapter is None or adapter.from_erp is None:
            known = sorted(a.name for a in self.adapters.values() if a.from_erp is not None)
            raise MappingError(f"no adapter object {adapter_object!r} with a mapping module "
                               f"R/3 -> CRM (known: {', '.join(known) or 'none'})")
        return adapter

    def flow_keys(self) -> list[FlowKey]:
        """Every business key the document flow finds BDocs by, in declaration order."""
        return [k for s in self.scenarios.values() for k in s.flow]

    def scenario_of(self, bdoc_type: str) -> CrmScenario | None:
        return self._owner.get(bdoc_type)

    def links(self, bdoc_type: str, data: Any) -> list[ErpLink]:
        """The ERP objects a stored BDoc produced, as its scenario declares them.

        The data is validated first: a BDoc whose data does not fit its type (E04) produced
        nothing in the ERP, and the scenario's function only ever sees converted data.
        """
        scenario = self._owner.get(bdoc_type)
        if scenario is None or scenario.links is None:
            return []
        converted, problems = self.types[bdoc_type].validate(data)
        if problems:
            return []
        return list(scenario.links(bdoc_type, converted))


def _disjoint(one: AdapterObject, other: AdapterObject) -> bool:
    """Two adapter objects of one type that can never take the same BDoc: both routed by the
    same field to different values."""
    return (one.route is not None and other.route is not None
            and one.route.field == other.route.field
            and not set(one.route.values) & set(other.route.values))
