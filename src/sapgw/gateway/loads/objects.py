"""Load objects as data (R3AC1): `objects.toml` beside this module, read once.

A load object names the ERP function that extracts it, its default block size and the
fields a filter may use (SMOFFILFLD). Its name is the adapter object whose mapping module
R/3 -> CRM turns each object of a block into a BDoc, so a load object without one is
refused when a load starts (SMOF 911), not when the first block arrives.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class LoadObject:
    name: str
    text: str
    source_site_type: str
    target_site_type: str
    extractor: str
    block_size: int
    filter_fields: tuple[str, ...]


OBJECTS_FILE = Path(__file__).with_name("objects.toml")


@cache
def load_objects(path: Path = OBJECTS_FILE) -> dict[str, LoadObject]:
    """Every load object by name, from the TOML file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name.upper(): LoadObject(
        name=name.upper(), text=entry["text"], source_site_type=entry["source_site_type"],
        target_site_type=entry["target_site_type"], extractor=entry["extractor"],
        block_size=int(entry["block_size"]),
        filter_fields=tuple(f.upper() for f in entry.get("filter_fields", ())))
        for name, entry in data.items()}
