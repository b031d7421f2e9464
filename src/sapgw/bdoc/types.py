"""BDoc types as data: segments, fields with DDIC types, the object key and dependencies.

`BDocType.validate` is the type-specific validation service: it returns every problem
(segment, row, field, reason) instead of stopping at the first, and the converted data the
mapping modules work on (dates as YYYYMMDD, amounts as Decimal, NUMC zero-padded).

The types are data in TOML files, one per CRM scenario beside its module (e.g.
`adapters/funds.toml`); this package knows no file and no scenario. Format, per type:

    [CRM_FM_FU]                  # the BDoc type's name
    text = "Fund usage"
    key = "HEADER.FU_ID"         # the field identifying the business object (queue names)
    flow_queue = "CSAFMFU"       # prefix of the inbound (CSA-like) queue running its flow
    depends_on = [{ type = "CRM_MKTPL", key = "HEADER.TPM_ID" }]   # queue dependencies
    [CRM_FM_FU.segments.HEADER.fields]      # a segment: one record ...
    FU_ID = "NUMC 20 required"
    [CRM_FM_FU.segments.ITEMS]              # ... or, with multiple = true, a list of rows
    multiple = true

Field specs: "CHAR 20", "NUMC 20", "DATS", "TIMS", "CURR 23.2", "DEC 15.3", "CUKY", "INT4",
optionally followed by "required"; or a table with type, required, values, required_if
("OTHER_FIELD=VALUE").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, DEC, INT4, NUMC, TIMS, Elementary
from sapgw.rfc.errors import RFCError


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: Elementary
    required: bool = False
    values: tuple[str, ...] = ()
    required_if: tuple[str, str] | None = None  # (other field, value)


@dataclass(frozen=True)
class SegmentSpec:
    name: str
    fields: dict[str, FieldSpec]
    multiple: bool = False
    required: bool = True


@dataclass(frozen=True)
class Dependency:
    bdoc_type: str
    key: str  # "SEGMENT.FIELD" holding the other object's key


@dataclass(frozen=True)
class BDocType:
    name: str
    text: str
    segments: dict[str, SegmentSpec]
    key: str
    flow_queue: str
    depends_on: tuple[Dependency, ...] = ()

    def validate(self, data: Any) -> tuple[dict[str, Any], list[str]]:
        """Check data against the type; answer the converted data and every problem found."""
        if not isinstance(data, dict):
            return {}, ["data must be an object of segments"]
        problems: list[str] = []
        converted: dict[str, Any] = {}
        for name in data:
            if name not in self.segments:
                problems.append(f"segment {name}: not a segment of {self.name} "
                                f"(segments: {', '.join(self.segments)})")
        for segment in self.segments.values():
            raw = data.get(segment.name)
            if raw is None:
                if segment.required:
                    problems.append(f"segment {segment.name}: missing")
                continue
            if segment.multiple:
                if not isinstance(raw, list) or (segment.required and not raw):
                    problems.append(f"segment {segment.name}: must be a non-empty list of rows")
                    continue
                converted[segment.name] = [
                    _record(segment, row, f"{segment.name}[{i}]", problems)
                    for i, row in enumerate(raw, start=1)]
            else:
                if not isinstance(raw, dict):
                    problems.append(f"segment {segment.name}: must be one record (an object)")
                    continue
                converted[segment.name] = _record(segment, raw, segment.name, problems)
        return converted, problems

    def value(self, data: dict[str, Any], path: str) -> str:
        """A header value by "SEGMENT.FIELD" (first row of a multiple segment)."""
        segment, field = path.split(".", 1)
        record = data.get(segment) or {}
        if isinstance(record, list):
            record = record[0] if record else {}
        return str(record.get(field, "") or "")

    def object_key(self, data: dict[str, Any]) -> str:
        return self.value(data, self.key)


def _record(segment: SegmentSpec, row: Any, where: str, problems: list[str]) -> dict[str, Any]:
    if not isinstance(row, dict):
        problems.append(f"{where}: must be an object of fields")
        return {}
    record: dict[str, Any] = {}
    for name in row:
        if name not in segment.fields:
            problems.append(f"{where}-{name}: unknown field")
    for spec in segment.fields.values():
        raw = row.get(spec.name)
        needed = spec.required or (
            spec.required_if is not None
            and str(row.get(spec.required_if[0], "")) == spec.required_if[1])
        if raw in (None, ""):
            if needed:
                problems.append(f"{where}-{spec.name}: is required")
            record[spec.name] = spec.type.initial()
            continue
        try:
            value = spec.type.convert(raw, f"{where}-{spec.name}")
        except RFCError as exc:
            problems.append(str(getattr(exc, "message", exc)))
            continue
        if spec.values and value not in spec.values:
            problems.append(f"{where}-{spec.name}: {value!r} is not one of "
                            f"{', '.join(spec.values)}")
        record[spec.name] = value
    return record


_KINDS = {"CHAR": CHAR, "NUMC": NUMC}


def parse_type(spec: str) -> tuple[Elementary, bool]:
    """"CHAR 20 required" -> (CHAR(20), True)."""
    words = spec.split()
    required = "required" in words
    words = [w for w in words if w != "required"]
    kind = words[0].upper()
    if kind in _KINDS:
        return _KINDS[kind](int(words[1])), required
    if kind in ("CURR", "DEC"):
        length, _, decimals = words[1].partition(".")
        maker = CURR if kind == "CURR" else DEC
        return maker(int(length), int(decimals or 0)), required
    simple = {"DATS": DATS, "TIMS": TIMS, "CUKY": CUKY, "INT4": INT4}
    if kind in simple:
        return simple[kind], required
    raise ValueError(f"unknown field type {spec!r}")


def _field(name: str, spec: Any) -> FieldSpec:
    if isinstance(spec, str):
        type_, required = parse_type(spec)
        return FieldSpec(name, type_, required)
    type_, required = parse_type(spec["type"])
    condition = None
    if "required_if" in spec:
        other, _, value = spec["required_if"].partition("=")
        condition = (other.strip(), value.strip())
    return FieldSpec(name, type_, bool(spec.get("required", required)),
                     tuple(spec.get("values", ())), condition)


def load_types(path: Path) -> dict[str, BDocType]:
    """Read BDoc type definitions from a TOML file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    types: dict[str, BDocType] = {}
    for name, spec in raw.items():
        segments = {
            seg_name: SegmentSpec(seg_name,
                                  {f: _field(f, s) for f, s in seg["fields"].items()},
                                  bool(seg.get("multiple", False)), bool(seg.get("required", True)))
            for seg_name, seg in spec["segments"].items()}
        depends = tuple(Dependency(d["type"], d["key"]) for d in spec.get("depends_on", ()))
        types[name] = BDocType(name, spec.get("text", ""), segments, spec["key"],
                               spec["flow_queue"], depends)
    return types
