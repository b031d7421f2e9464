"""Flat IDoc files: one EDI_DC40 line (524 characters) per IDoc, then EDI_DD40 lines (1063).

Widths count characters, not bytes (files are UTF-8). A segment whose layout is known is split
into fields; any other keeps its SDATA as it came. When SEGNUM, PSGNUM or HLEVEL are blank the
hierarchy is rebuilt from the type's layout (each segment hangs under the latest segment of
its parent type), as a file port of an older release may leave them empty.
"""

from __future__ import annotations

from sapgw.gateway.idoc.model import Idoc, IdocFormatError, Segment
from sapgw.idoc_schemas import SDATA_LENGTH, FieldDef, IdocType, record_layout

CONTROL = record_layout("EDI_DC40")
DATA = {f.name: f for f in record_layout("EDI_DD40")}
CONTROL_LENGTH = sum(f.length for f in CONTROL)
DATA_LENGTH = sum(f.length for f in DATA.values())


def _cut(line: str, field: FieldDef) -> str:
    return line[field.offset:field.offset + field.length].rstrip()


def parse_flat(text: str, source: str = "file") -> list[Idoc]:
    """Read every IDoc of a flat file; errors name the line."""
    idocs: list[Idoc] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        where = f"{source} line {number}"
        if line.startswith("EDI_DC40"):
            if len(line) > CONTROL_LENGTH:
                raise IdocFormatError(f"{where}: control record longer than {CONTROL_LENGTH}")
            control = {f.name: v for f in CONTROL if (v := _cut(line, f))}
            idocs.append(Idoc(control))
            continue
        if not idocs:
            raise IdocFormatError(f"{where}: data record before the first EDI_DC40 record")
        if len(line) > DATA_LENGTH:
            raise IdocFormatError(f"{where}: data record longer than {DATA_LENGTH}")
        idocs[-1].segments.append(_segment(line, idocs[-1], where))
    if not idocs:
        raise IdocFormatError(f"{source}: no EDI_DC40 control record found")
    for idoc in idocs:
        _rebuild_hierarchy(idoc)
    return idocs


def _number(value: str, where: str, name: str) -> int:
    if value and not value.isdigit():
        raise IdocFormatError(f"{where}: {name} {value!r} is not a number")
    return int(value) if value else 0


def _segment(line: str, idoc: Idoc, where: str) -> Segment:
    segnam = _cut(line, DATA["SEGNAM"])
    sdata = _cut(line, DATA["SDATA"])
    segment = Segment(segnam, _number(_cut(line, DATA["SEGNUM"]), where, "SEGNUM"),
                      _number(_cut(line, DATA["PSGNUM"]), where, "PSGNUM"),
                      _number(_cut(line, DATA["HLEVEL"]), where, "HLEVEL"), sdata=sdata)
    definition = idoc.definition()
    layout = definition.segment(segnam) if definition else None
    if layout is not None and len(sdata) <= layout.length:
        segment.fields = {f.name: v for f in layout.fields if (v := _cut(sdata, f))}
        segment.sdata = None
    return segment


def _rebuild_hierarchy(idoc: Idoc) -> None:
    if any(s.segnum == 0 for s in idoc.segments):
        for i, segment in enumerate(idoc.segments, 1):
            segment.segnum = i
    if all(s.hlevel for s in idoc.segments):
        return
    definition: IdocType | None = idoc.definition()
    latest: dict[str, Segment] = {}
    by_number = {s.segnum: s for s in idoc.segments}
    for segment in idoc.segments:
        layout = definition.segment(segment.segnam) if definition else None
        if not segment.psgnum and layout is not None and layout.parent in latest:
            segment.psgnum = latest[layout.parent].segnum
        parent = by_number.get(segment.psgnum)
        segment.hlevel = parent.hlevel + 1 if parent else 1
        if layout is not None:
            latest[layout.name] = segment


def _fixed(value: str, length: int, what: str) -> str:
    if len(value) > length:
        raise IdocFormatError(f"{what}: {value!r} is longer than {length} characters")
    return value.ljust(length)


def write_flat(idocs: list[Idoc]) -> str:
    """Flat file text: full-width records, one per line, LF line ends."""
    lines: list[str] = []
    for idoc in idocs:
        lines.append("".join(_fixed(idoc.control.get(f.name, ""), f.length, f"EDI_DC40 {f.name}")
                             for f in CONTROL))
        head = (_fixed(idoc.control.get("MANDT", ""), 3, "MANDT")
                + _fixed(idoc.control.get("DOCNUM", ""), 16, "DOCNUM"))
        for segment in idoc.segments:
            lines.append(_fixed(segment.segnam, 30, "SEGNAM") + head
                         + f"{segment.segnum:06d}{segment.psgnum:06d}{segment.hlevel:02d}"
                         + _sdata(idoc, segment))
    return "".join(line + "\n" for line in lines)


def _sdata(idoc: Idoc, segment: Segment) -> str:
    where = f"segment {segment.segnum:06d} {segment.segnam}"
    if segment.fields is None:
        return _fixed(segment.sdata or "", SDATA_LENGTH, where)
    definition = idoc.definition()
    layout = definition.segment(segment.segnam) if definition else None
    if layout is None:
        raise IdocFormatError(f"{where}: no layout for its fields, cannot write it flat")
    unknown = set(segment.fields) - {f.name for f in layout.fields}
    if unknown:
        raise IdocFormatError(f"{where}: no place for {', '.join(sorted(unknown))}")
    text = "".join(_fixed(segment.fields.get(f.name, ""), f.length, f"{where} {f.name}")
                   for f in layout.fields)
    return text.ljust(SDATA_LENGTH)
