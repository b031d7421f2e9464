"""The IDoc: a control record (EDI_DC40 fields) and its data segments in document order.

Both formats read into this one shape: IDoc-XML gives the hierarchy by nesting, a flat file by
SEGNUM/PSGNUM/HLEVEL. A segment carries named `fields` when its layout is known (or the XML
names them), otherwise the raw `sdata` string, so nothing a partner sent is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sapgw.idoc_schemas import IdocType, SegmentDef, idoc_type, record_layout

CONTROL_FIELDS = tuple(f.name for f in record_layout("EDI_DC40"))
CONTROL_LENGTHS = {f.name: f.length for f in record_layout("EDI_DC40")}


class IdocFormatError(ValueError):
    """An IDoc that cannot be read or written; the message says where (line or segment)."""


@dataclass
class Segment:
    segnam: str
    segnum: int = 0
    psgnum: int = 0
    hlevel: int = 1
    fields: dict[str, str] | None = None  # None: only the raw SDATA is known
    sdata: str | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"SEGNAM": self.segnam, "SEGNUM": f"{self.segnum:06d}",
                                   "PSGNUM": f"{self.psgnum:06d}", "HLEVEL": f"{self.hlevel:02d}"}
        if self.fields is not None:
            data["fields"] = dict(self.fields)
        else:
            data["SDATA"] = self.sdata or ""
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Segment:
        fields = data.get("fields")
        return cls(str(data["SEGNAM"]), int(str(data["SEGNUM"])), int(str(data["PSGNUM"])),
                   int(str(data["HLEVEL"])),
                   dict(fields) if isinstance(fields, dict) else None,
                   None if isinstance(fields, dict) else str(data.get("SDATA", "")))


@dataclass
class Idoc:
    control: dict[str, str]
    segments: list[Segment] = field(default_factory=list)
    xml_root: str = ""  # the root element it came in (an extension name), for writing back
    problems: list[str] = field(default_factory=list)  # found while reading: status 56

    @property
    def idoctyp(self) -> str:
        return self.control.get("IDOCTYP", "")

    def definition(self) -> IdocType | None:
        return idoc_type(self.idoctyp)

    def children(self, segnum: int) -> list[Segment]:
        """Direct children of a segment; 0 gives the top-level segments."""
        return [s for s in self.segments if s.psgnum == segnum]

    def number(self) -> None:
        """Give segments running SEGNUMs (1, 2, …) keeping PSGNUM links by position."""
        renumber = {s.segnum: i for i, s in enumerate(self.segments, 1)}
        for i, segment in enumerate(self.segments, 1):
            segment.psgnum = renumber.get(segment.psgnum, 0)
            segment.segnum = i


def build(control: dict[str, str], segments: list[tuple[str, dict[str, str]]]) -> Idoc:
    """An IDoc of a defined type from (segment name, fields) pairs, parents from the layout."""
    idoc = Idoc(dict(control))
    definition = idoc.definition()
    if definition is None:
        raise IdocFormatError(f"IDoc type {idoc.idoctyp!r} is not defined")
    last: dict[str, Segment] = {}
    for number, (name, values) in enumerate(segments, 1):
        seg = definition.segment(name)
        if seg is None:
            raise IdocFormatError(f"segment {name} is not part of {definition.idoctyp}")
        parent = last.get(seg.parent) if seg.parent else None
        if seg.parent and parent is None:
            raise IdocFormatError(f"segment {name} needs a parent {seg.parent} before it")
        unknown = sorted(set(values) - {f.name for f in seg.fields})
        if unknown:
            raise IdocFormatError(f"segment {name} has no field {', '.join(unknown)}")
        segment = Segment(name, number, parent.segnum if parent else 0,
                          parent.hlevel + 1 if parent else 1,
                          {f.name: values[f.name] for f in seg.fields if values.get(f.name)})
        idoc.segments.append(segment)
        last[name] = segment
    return idoc


@dataclass(frozen=True)
class _Layout:
    """A segment type with its field widths by name, for the syntax check."""

    segment: SegmentDef
    widths: dict[str, int]


# (IDOCTYP, segment type name) -> layout. Keyed by the segment's own name, not the name as
# sent (a definition name with any release digits finds its segment too), so a partner's
# made-up names cannot grow it.
_LAYOUTS: dict[tuple[str, str], _Layout] = {}


def _layout(definition: IdocType, segnam: str) -> _Layout | None:
    """The layout of a segment name (type or definition name), looked up once per name: the
    check runs for every IDoc, and `IdocType.segment`/`SegmentDef.field` scan lists."""
    layout = _LAYOUTS.get((definition.idoctyp, segnam))
    if layout is None:
        segment = definition.segment(segnam)
        if segment is None:
            return None
        key = (definition.idoctyp, segment.name)
        layout = _LAYOUTS.get(key) or _Layout(segment, {f.name: f.length for f in segment.fields})
        _LAYOUTS[key] = layout
    return layout


def syntax_problems(idoc: Idoc) -> list[str]:
    """Every reason the IDoc does not match its type (empty: it does), like SAP's syntax check."""
    too_long = {name for name, value in idoc.control.items()
                if len(value) > CONTROL_LENGTHS.get(name, len(value))}
    problems = [f"EDI_DC40: {name} longer than {length} characters"
                for name, length in CONTROL_LENGTHS.items() if name in too_long]
    definition = idoc.definition()
    if definition is None:
        return [*problems, f"IDoc type {idoc.idoctyp or '(none)'} is not defined"]
    by_number = {s.segnum: s for s in idoc.segments}
    counts: dict[str, int] = {}
    for segment in idoc.segments:
        layout = _layout(definition, segment.segnam)
        if layout is None:
            problems.append(f"{_where(segment)}: not part of IDoc type {definition.idoctyp}")
            continue
        seg = layout.segment
        counts[seg.name] = counts.get(seg.name, 0) + 1
        parent = by_number.get(segment.psgnum)
        parent_layout = _layout(definition, parent.segnam) if parent else None
        if (parent_layout.segment.name if parent_layout else "") != seg.parent:
            problems.append(f"{_where(segment)}: must be under {seg.parent or 'IDOC'}")
        if segment.fields is None:
            problems.append(f"{_where(segment)}: SDATA does not match the segment's layout")
            continue
        widths = layout.widths
        for name, value in segment.fields.items():
            width = widths.get(name)
            if width is None:
                problems.append(f"{_where(segment)}: unknown field {name}")
            elif len(value) > width:
                problems.append(f"{_where(segment)}: {name} longer than {width} characters")
    for seg in definition.segments.values():
        if not seg.min <= counts.get(seg.name, 0) <= seg.max:
            problems.append(f"segment {seg.name}: {counts.get(seg.name, 0)} times, "
                            f"allowed {seg.min}..{seg.max}")
    return problems


def _where(segment: Segment) -> str:
    return f"segment {segment.segnum:06d} {segment.segnam}"
