"""The one safe XML parser of the project: every XML the gateway reads goes through `parse_xml`.

XML from the network may carry a DOCTYPE with entity declarations (billion laughs, external
entities that read local files or URLs). We never need a DTD, so the parser loads none,
resolves no entity, touches no network, refuses huge trees, and a document that declares a
DOCTYPE at all is refused. Every error names the source and line, like zeep's `parse_xml`.
"""

from __future__ import annotations

from lxml import etree


class XmlError(ValueError):
    """An XML document that cannot be read; `line` is 1-based, 0 when unknown."""

    def __init__(self, message: str, source: str = "request", line: int = 0) -> None:
        self.message = message
        self.source = source
        self.line = line
        where = f"{source} line {line}" if line else source
        super().__init__(f"{where}: {message}")


def _parser() -> etree.XMLParser:
    # A parser object is not thread-safe; a fresh one per call is cheap.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def parse_xml(content: bytes, source: str = "request") -> etree._Element:
    """Parse `content` and return its root element, or raise `XmlError` saying where and why."""
    if not content.strip():
        raise XmlError("the document is empty", source)
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        message = str(exc.msg or exc)
        raise XmlError(message, source, line) from None
    doctype = root.getroottree().docinfo.doctype
    if doctype or root.getroottree().docinfo.internalDTD is not None:
        raise XmlError("a DOCTYPE is not allowed (DTDs and entity declarations are refused)",
                       source, _line_of(content, b"<!DOCTYPE"))
    for node in root.iter(etree.Entity):
        raise XmlError(f"entity reference {node.text} is not allowed", source,
                       node.sourceline or 0)
    return root


def _line_of(content: bytes, marker: bytes) -> int:
    position = content.find(marker)
    return content.count(b"\n", 0, position) + 1 if position >= 0 else 0


def xml_name(abap_name: str) -> str:
    """An ABAP name as an XML element name: SAP writes the namespace slashes of
    `/NS/NAME` as `_-` (`_-NS_-NAME`), since `/` may not appear in an XML name."""
    return abap_name.replace("/", "_-")


def abap_name(xml_name: str) -> str:
    """The ABAP name of an XML element name written by `xml_name`."""
    return xml_name.replace("_-", "/")
