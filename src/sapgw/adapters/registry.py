"""Adapter objects as data, and the registry of mapping modules they name."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sapgw.adapters import funds, marketing
from sapgw.types import RfcCall

OBJECTS_FILE = Path(__file__).resolve().parent / "objects.toml"
QUEUE_NAME_LENGTH = 24


@dataclass(frozen=True)
class MappingInput:
    """What a mapping module sees: the BDoc's id, type and validated, converted data."""

    bdoc_id: str
    bdoc_type: str
    data: dict[str, Any]


MappingModule = Callable[[MappingInput], list[RfcCall]]

MAPPING_MODULES: dict[str, MappingModule] = {
    "CRM_MKTPL_MAP_TO_ERP": marketing.crm_mktpl_map_to_erp,
    "CRM_FM_ACCOUNTING_MAP_TO_ERP": funds.crm_fm_accounting_map_to_erp,
    "CRM_FM_ACCRUAL_MAP_TO_ERP": funds.crm_fm_accrual_map_to_erp,
}


class MappingError(Exception):
    """The mapping module could not build the LUW: the BDoc ends E08."""


@dataclass(frozen=True)
class AdapterObject:
    name: str
    text: str
    bdoc_type: str
    site_type: str
    mapping_module: str
    queue_prefix: str
    queue_key: str
    filter_fields: tuple[str, ...] = ()

    def map(self, bdoc: MappingInput) -> list[RfcCall]:
        module = MAPPING_MODULES.get(self.mapping_module)
        if module is None:
            raise MappingError(f"mapping module {self.mapping_module} of adapter object "
                               f"{self.name} does not exist")
        try:
            calls = module(bdoc)
        except (KeyError, ValueError, TypeError) as exc:
            raise MappingError(f"{self.mapping_module}: {type(exc).__name__}: {exc}") from exc
        if not calls:
            raise MappingError(f"{self.mapping_module} produced no RFC call")
        return calls

    def queue_name(self, key: str) -> str:
        return queue_name(self.queue_prefix, key)


def queue_name(prefix: str, key: str) -> str:
    """Prefix + object key (leading zeros of a numeric key dropped), at most 24 characters."""
    if key.isdigit():
        key = key.lstrip("0") or "0"
    return (prefix + key)[:QUEUE_NAME_LENGTH]


class AdapterObjects:
    def __init__(self, objects: dict[str, AdapterObject]) -> None:
        self.objects = objects

    @classmethod
    def load(cls, path: Path = OBJECTS_FILE) -> AdapterObjects:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls({name: AdapterObject(name=name, text=spec.get("text", ""),
                                        bdoc_type=spec["bdoc_type"], site_type=spec["site_type"],
                                        mapping_module=spec["mapping_module"],
                                        queue_prefix=spec["queue_prefix"],
                                        queue_key=spec["queue_key"],
                                        filter_fields=tuple(spec.get("filter_fields", ())))
                    for name, spec in raw.items()})

    def for_type(self, bdoc_type: str, site_type: str) -> AdapterObject | None:
        for adapter in self.objects.values():
            if adapter.bdoc_type == bdoc_type and adapter.site_type == site_type:
                return adapter
        return None
