"""IDoc type definitions: record layouts EDI_DC40/EDI_DD40 and one segment-layout file per type.

Each `<IDOCTYP>.toml` lists the type's segments (name, definition, parent, min/max) with their
fields as `[field, offset, length]` inside SDATA; `<IDOCTYP>.xsd` is generated from the same
file by `sapgw.gateway.idoc.xsd`. Offsets are checked when a file is loaded, so a layout
with a gap or an overlap never reaches a parser.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

SDATA_LENGTH = 1000


@dataclass(frozen=True)
class FieldDef:
    name: str
    offset: int
    length: int


@dataclass(frozen=True)
class SegmentDef:
    """A segment type (E1...) of an IDoc type: its fields and its place in the hierarchy."""

    name: str
    definition: str
    parent: str
    min: int
    max: int
    fields: tuple[FieldDef, ...]

    @property
    def length(self) -> int:
        return sum(f.length for f in self.fields)

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class IdocType:
    idoctyp: str
    mestyp: str
    segments: dict[str, SegmentDef]

    def segment(self, segnam: str) -> SegmentDef | None:
        """The segment for a type name (E1...) or a definition name (E2..., release suffix)."""
        if segnam in self.segments:
            return self.segments[segnam]
        return next((s for s in self.segments.values()
                     if segnam == s.definition or (segnam.startswith(s.definition)
                                                   and segnam[len(s.definition):].isdigit())),
                    None)


class LayoutError(ValueError):
    """A layout file whose offsets do not add up."""


def _fields(source: str, rows: list[list[object]]) -> tuple[FieldDef, ...]:
    fields, offset = [], 0
    for name, start, length in rows:
        if start != offset:
            raise LayoutError(f"{source}: field {name} starts at {start}, expected {offset}")
        fields.append(FieldDef(str(name), int(str(start)), int(str(length))))
        offset += int(str(length))
    return tuple(fields)


def _load(filename: str) -> dict[str, object]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def record_layout(record: str) -> tuple[FieldDef, ...]:
    """EDI_DC40 (524) or EDI_DD40 (1063): the fixed-width fields of a flat-file record."""
    data = _load(f"{record.lower()}.toml")
    fields = _fields(record, data["fields"])  # type: ignore[arg-type]
    if sum(f.length for f in fields) != data["length"]:
        raise LayoutError(f"{record}: fields do not add up to {data['length']}")
    return fields


def known_types() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in resources.files(__package__).iterdir()
                  if p.name.endswith(".toml") and not p.name.startswith("edi_"))


@cache
def idoc_type(idoctyp: str) -> IdocType | None:
    """The definition of a basic type, or None when the type is not defined here."""
    if idoctyp not in known_types():
        return None
    data = _load(f"{idoctyp}.toml")
    segments: dict[str, SegmentDef] = {}
    for row in data["segments"]:  # type: ignore[attr-defined]
        fields = _fields(f"{idoctyp} {row['name']}", row["fields"])
        if sum(f.length for f in fields) > SDATA_LENGTH:
            raise LayoutError(f"{idoctyp} {row['name']}: longer than SDATA")
        segments[row["name"]] = SegmentDef(row["name"], row["definition"], row["parent"],
                                           row["min"], row["max"], fields)
    return IdocType(str(data["idoctyp"]), str(data["mestyp"]), segments)
