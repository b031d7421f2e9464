"""Flat IDoc records: EDI_DC40 (524 characters) and EDI_DD40 (1063), as file lines or RFC rows.

A flat file has one EDI_DC40 line per IDoc, then its EDI_DD40 lines; IDOC_INBOUND_ASYNCHRONOUS
brings the same records as table rows (IDOC_CONTROL_REC_40 / IDOC_DATA_REC_40). Both are
read by one parser: a line is cut into the record's fields, then handled like a row.
Widths count characters, not bytes (files are UTF-8). A segment whose layout is known is split
into fields; any other keeps its SDATA as it came. When SEGNUM, PSGNUM or HLEVEL are blank the
hierarchy is rebuilt from the type's layout (each segment hangs under the latest segment of
its parent type), as a file port of an older release may leave them empty. A record that
does not fit (too long, SEGNUM not a number, no control record for its DOCNUM) is kept and
named in the IDoc's `problems`, so the IDoc is stored with status 56 instead of being lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sapgw.gateway.idoc.model import Idoc, IdocFormatError, Segment
from sapgw.idoc_schemas import SDATA_LENGTH, FieldDef, IdocType, record_layout

CONTROL = record_layout("EDI_DC40")
DATA = {f.name: f for f in record_layout("EDI_DD40")}
CONTROL_LENGTH = sum(f.length for f in CONTROL)
DATA_LENGTH = sum(f.length for f in DATA.values())


def _cut(line: str, field: FieldDef) -> str:
    return line[field.offset:field.offset + field.length].rstrip()


def _line_values(line: str, layout: Iterable[FieldDef]) -> dict[str, str]:
    return {f.name: _cut(line, f) for f in layout}


def parse_flat(text: str, source: str = "file") -> list[Idoc]:
    """Read every IDoc of a flat file; errors name the line."""
    idocs: list[Idoc] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        where = f"{source} line {number}"
        if line.startswith("EDI_DC40"):
            idocs.append(_control(_line_values(line, CONTROL), []))
            if len(line) > CONTROL_LENGTH:
                idocs[-1].problems.append(f"{where}: control record longer than "
                                          f"{CONTROL_LENGTH}")
            continue
        if not idocs:
            raise IdocFormatError(f"{where}: data record before the first EDI_DC40 record")
        if len(line) > DATA_LENGTH:
            idocs[-1].problems.append(f"{where}: data record longer than {DATA_LENGTH}")
        idocs[-1].segments.append(_segment(_line_values(line, DATA.values()), idocs[-1], where))
    if not idocs:
        raise IdocFormatError(f"{source}: no EDI_DC40 control record found")
    for idoc in idocs:
        _rebuild_hierarchy(idoc)
    return idocs


def parse_records(controls: list[Mapping[str, Any]], data: list[Mapping[str, Any]],
                  source: str = "RFC") -> list[Idoc]:
    """IDocs from EDI_DC40 and EDI_DD40 rows (IDOC_INBOUND_ASYNCHRONOUS), matched by DOCNUM.

    DOCNUMs match without their leading zeros; a data row with a blank DOCNUM belongs to the
    only IDoc. A row whose DOCNUM names no control row is kept on the last IDoc with a problem
    saying so; data without any control row makes an IDoc with an empty control record. Only
    two empty tables are refused: there is nothing to keep.
    """
    if not controls and not data:
        raise IdocFormatError(f"{source}: IDOC_CONTROL_REC_40 and IDOC_DATA_REC_40 are empty")
    idocs: list[Idoc] = []
    for number, row in enumerate(controls, 1):
        problems: list[str] = []
        values = _row_values(row, CONTROL, f"{source} control record {number}", problems)
        idocs.append(_control(values, problems))
    if not idocs:
        idocs.append(Idoc({}, problems=[f"{source}: no control record (IDOC_CONTROL_REC_40 "
                                        "is empty)"]))
    by_docnum = {idoc.control.get("DOCNUM", "").lstrip("0"): idoc for idoc in idocs}
    for number, row in enumerate(data, 1):
        where = f"{source} data record {number}"
        problems = []
        values = _row_values(row, DATA.values(), where, problems)
        docnum = values["DOCNUM"].lstrip("0")
        idoc = by_docnum.get(docnum) or (idocs[0] if len(idocs) == 1 and not values["DOCNUM"]
                                         else None)
        if idoc is None:
            idoc = idocs[-1]
            problems.append(f"{where}: DOCNUM {values['DOCNUM'] or '(blank)'} has no "
                            "control record")
        idoc.problems += problems
        idoc.segments.append(_segment(values, idoc, where))
    for idoc in idocs:
        _rebuild_hierarchy(idoc)
    return idocs


def _row_values(row: Mapping[str, Any], layout: Iterable[FieldDef], where: str,
                problems: list[str]) -> dict[str, str]:
    fields = {f.name: f for f in layout}
    unknown = sorted(set(row) - set(fields))
    if unknown:
        problems.append(f"{where}: no field {', '.join(unknown)}")
    values: dict[str, str] = {}
    for name, field in fields.items():
        value = row.get(name)
        text = "" if value is None else str(value).rstrip()
        if len(text) > field.length:
            problems.append(f"{where}: {name} longer than {field.length} characters")
        values[name] = text
    return values


def _control(values: dict[str, str], problems: list[str]) -> Idoc:
    return Idoc({k: v for k, v in values.items() if v}, problems=problems)


def _number(value: str, idoc: Idoc, where: str, name: str) -> int:
    if value.isdigit():
        return int(value)
    if value:
        idoc.problems.append(f"{where}: {name} {value!r} is not a number")
    return 0


def _segment(values: dict[str, str], idoc: Idoc, where: str) -> Segment:
    segnam, sdata = values["SEGNAM"], values["SDATA"]
    segment = Segment(segnam, _number(values["SEGNUM"], idoc, where, "SEGNUM"),
                      _number(values["PSGNUM"], idoc, where, "PSGNUM"),
                      _number(values["HLEVEL"], idoc, where, "HLEVEL"), sdata=sdata)
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
    for control, data in _records(idocs):
        lines.append("".join(control[f.name].ljust(f.length) for f in CONTROL))
        lines += ["".join(row[f.name].ljust(f.length) for f in DATA.values()) for row in data]
    return "".join(line + "\n" for line in lines)


def write_records(idocs: list[Idoc]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """IDOC_CONTROL_REC_40 and IDOC_DATA_REC_40 rows, blank fields left out, SDATA trimmed."""
    controls: list[dict[str, str]] = []
    data: list[dict[str, str]] = []
    for control, rows in _records(idocs):
        controls.append({k: v for k, v in control.items() if v})
        data += [{k: v.rstrip() for k, v in row.items() if v.strip()} for row in rows]
    return controls, data


def _records(idocs: list[Idoc]) -> list[tuple[dict[str, str], list[dict[str, str]]]]:
    """Each IDoc's control and data records as field values, checked against the widths."""
    records = []
    for idoc in idocs:
        control = {f.name: _fixed(idoc.control.get(f.name, ""), f.length, f"EDI_DC40 {f.name}")
                   for f in CONTROL}
        rows = [{"SEGNAM": _fixed(s.segnam, 30, "SEGNAM"), "MANDT": control["MANDT"],
                 "DOCNUM": control["DOCNUM"], "SEGNUM": f"{s.segnum:06d}",
                 "PSGNUM": f"{s.psgnum:06d}", "HLEVEL": f"{s.hlevel:02d}",
                 "SDATA": _sdata(idoc, s)} for s in idoc.segments]
        records.append(({k: v.rstrip() for k, v in control.items()}, rows))
    return records


def _sdata(idoc: Idoc, segment: Segment) -> str:
    where = f"segment {segment.segnum:06d} {segment.segnam}"
    if segment.fields is None:
        return _fixed(segment.sdata or "", SDATA_LENGTH, where).rstrip()
    definition = idoc.definition()
    layout = definition.segment(segment.segnam) if definition else None
    if layout is None:
        raise IdocFormatError(f"{where}: no layout for its fields, cannot write it flat")
    unknown = set(segment.fields) - {f.name for f in layout.fields}
    if unknown:
        raise IdocFormatError(f"{where}: no place for {', '.join(sorted(unknown))}")
    return "".join(_fixed(segment.fields.get(f.name, ""), f.length, f"{where} {f.name}")
                   for f in layout.fields)
