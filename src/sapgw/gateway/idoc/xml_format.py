"""IDoc-XML (reference/wire.md §3.3): root element, one `IDOC` per IDoc, EDI_DC40, segments.

Segments are elements with `SEGMENT="1"`, nested under their parent; fields are their leaf
children. `/` in names is written `_-`. Reading goes through the project's one safe parser.
A structural problem inside one IDOC (no EDI_DC40, text where a segment belongs) is recorded
on that IDoc instead of refusing the document, so the rest of a packet is still taken in.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from sapgw.gateway.idoc.model import CONTROL_FIELDS, Idoc, IdocFormatError, Segment
from sapgw.rfc.xml import parse_xml

_CONTROL_NAMES = frozenset(CONTROL_FIELDS)  # looked up for each field of every EDI_DC40


def xml_name(name: str) -> str:
    return name.replace("/", "_-")


def sap_name(tag: str) -> str:
    return tag.replace("_-", "/")


def parse_idoc_xml(content: bytes, source: str = "request") -> list[Idoc]:
    """Every IDOC of the document; raises `XmlError` (not well-formed) or `IdocFormatError`."""
    root = parse_xml(content, source)
    nodes = [root] if root.tag == "IDOC" else [n for n in root if n.tag == "IDOC"]
    if not nodes:
        raise IdocFormatError(f"{source} line {root.sourceline}: <{root.tag}> holds no <IDOC>")
    return [_idoc(node, "" if node is root else str(root.tag)) for node in nodes]


def _idoc(node: etree._Element, root_tag: str) -> Idoc:
    idoc = Idoc({}, xml_root=root_tag)
    children = list(node)
    if children and children[0].tag == "EDI_DC40":
        idoc.control = {str(c.tag): (c.text or "") for c in children[0] if c.text}
        unknown = [str(c.tag) for c in children[0] if c.tag not in _CONTROL_NAMES]
        if unknown:
            idoc.problems.append(f"line {children[0].sourceline}: EDI_DC40 has no field "
                                 f"{', '.join(unknown)}")
        children = children[1:]
    else:
        idoc.problems.append(f"line {node.sourceline}: IDOC does not start with EDI_DC40")
    for child in children:
        _segment(child, idoc, 0, 1)
    return idoc


def _segment(node: etree._Element, idoc: Idoc, parent: int, level: int) -> None:
    fields: dict[str, str] = {}
    segment = Segment(sap_name(str(node.tag)), len(idoc.segments) + 1, parent, level, fields)
    idoc.segments.append(segment)
    for child in node:
        if child.get("SEGMENT") is not None or len(child):
            _segment(child, idoc, segment.segnum, level + 1)
        elif child.text:  # an empty field is no field
            fields[str(child.tag)] = child.text
    if (node.text or "").strip():
        idoc.problems.append(f"line {node.sourceline}: text directly in segment {node.tag}")


def write_idoc_xml(idocs: list[Idoc]) -> bytes:
    """IDoc-XML as SAP writes it: two-space indent, empty fields omitted."""
    if not idocs:
        raise IdocFormatError("no IDoc to write")
    root = xml_name(idocs[0].xml_root or idocs[0].control.get("CIMTYP")
                    or idocs[0].idoctyp or "IDOC")
    lines = ['<?xml version="1.0" encoding="UTF-8" ?>', f"<{root}>"]
    for idoc in idocs:
        lines.append('  <IDOC BEGIN="1">')
        lines.append('    <EDI_DC40 SEGMENT="1">')
        lines += [f"      <{name}>{_text(idoc.control[name])}</{name}>"
                  for name in CONTROL_FIELDS if idoc.control.get(name)]
        lines.append("    </EDI_DC40>")
        for segment in idoc.children(0):
            _write_segment(idoc, segment, 2, lines)
        lines.append("  </IDOC>")
    lines.append(f"</{root}>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _text(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _write_segment(idoc: Idoc, segment: Segment, depth: int, lines: list[str]) -> None:
    if segment.fields is None:
        raise IdocFormatError(f"segment {segment.segnum:06d} {segment.segnam}: only raw SDATA "
                              "is known (no layout), it cannot be written as IDoc-XML")
    pad, tag = "  " * depth, xml_name(segment.segnam)
    lines.append(f'{pad}<{tag} SEGMENT="1">')
    lines += [f"{pad}  <{name}>{_text(value)}</{name}>" for name, value in segment.fields.items()
              if value != ""]
    for child in idoc.children(segment.segnum):
        _write_segment(idoc, child, depth + 1, lines)
    lines.append(f"{pad}</{tag}>")
