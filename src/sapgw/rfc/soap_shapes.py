"""What a SOAP RFC WSDL says about values that zeep cannot tell: tables, dates, times, numbers.

Bytes (xsd:base64Binary) come back as `bytes`, xsd:double as float, as pyrfc gives them.
zeep reads a restricted `xsd:string` as a plain string, so it cannot know that a field holds
a date (`YYYY-MM-DD` on the wire, `YYYYMMDD` in pyrfc's shape), and it hands tables over as
`{"item": [...]}`. `SoapShapes` reads the WSDL's schema once (our own `/sap/bc/soap/wsdl11`
and SAP's, whose dates are `s0:date`) and converts pyrfc-shaped parameters to what zeep
takes, and a response element back to pyrfc's shape.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from sapgw.rfc.errors import conversion_failure
from sapgw.rfc.xml import parse_xml

XSD_NS = "http://www.w3.org/2001/XMLSchema"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
_DATE_PATTERNS = {r"\d\d\d\d-\d\d-\d\d", r"\d{4}-\d{2}-\d{2}"}
_TIME_PATTERNS = {r"\d\d:\d\d:\d\d", r"\d{2}:\d{2}:\d{2}"}
_NUMBERS = {"decimal": "decimal", "double": "float", "float": "float", "int": "int",
            "integer": "int", "short": "int", "byte": "int", "long": "int",
            "unsignedByte": "int", "base64Binary": "bytes", "date": "date", "time": "time"}


@dataclass(frozen=True)
class Shape:
    """A field's kind (text, int, decimal, date, time, structure, table, ref) and, for
    structures and tables, the owner of its fields (rows)."""

    kind: str
    owner: str = ""


TEXT = Shape("text")


def _x(tag: str) -> str:
    return f"{{{XSD_NS}}}{tag}"


def _local(name: str) -> str:
    return etree.QName(name).localname if name.startswith("{") else name.rsplit(":", 1)[-1]


class SoapShapes:
    """Fields by owner: the function elements `F` and `F.Response`, and named complexTypes."""

    def __init__(self, wsdl: bytes, source: str = "WSDL") -> None:
        self._owners: dict[str, dict[str, Shape]] = {}
        self._tables: dict[str, Shape] = {}  # table type -> the shape of its rows
        root = parse_xml(wsdl, source)
        for schema in root.iter(_x("schema")):
            for element in schema.findall(_x("element")):
                inline = element.find(_x("complexType"))
                if inline is not None:
                    self._owner(element.get("name", ""), inline)
            for complex_type in schema.findall(_x("complexType")):
                self._owner(complex_type.get("name", ""), complex_type)

    def functions(self) -> set[str]:
        return {name for name in self._owners if f"{name}.Response" in self._owners}

    def fields(self, owner: str) -> dict[str, Shape]:
        return self._owners.get(owner, {})

    # -- reading the schema ---------------------------------------------------------------
    def _owner(self, name: str, complex_type: etree._Element) -> None:
        members = [e for group in complex_type if group.tag in (_x("all"), _x("sequence"))
                   for e in group.findall(_x("element"))]
        if len(members) == 1 and members[0].get("name") == "item":  # SAP's table type
            self._tables[name] = self._shape(f"{name}/item", members[0])
        self._owners[name] = {e.get("name", ""): self._shape(f"{name}/{e.get('name')}", e)
                              for e in members}

    def _shape(self, path: str, element: etree._Element) -> Shape:
        type_name = element.get("type")
        if type_name:
            local = _local(type_name)
            if type_name.startswith(("xsd:", "xs:")) or local in _NUMBERS:
                return Shape(_NUMBERS.get(local, "text"))
            return Shape("ref", local)
        inline = element.find(_x("complexType"))
        if inline is not None:
            self._owner(path, inline)
            return Shape("ref", path)
        restriction = element.find(f"{_x('simpleType')}/{_x('restriction')}")
        if restriction is None:
            return TEXT
        patterns = {p.get("value") for p in restriction.findall(_x("pattern"))}
        if patterns & _DATE_PATTERNS:
            return Shape("date")
        if patterns & _TIME_PATTERNS:
            return Shape("time")
        return Shape(_NUMBERS.get(_local(restriction.get("base", "")), "text"))

    def _resolved(self, shape: Shape) -> Shape:
        if shape.kind != "ref":
            return shape
        row = self._tables.get(shape.owner)
        if row is not None:
            return Shape("table", row.owner if row.kind == "ref" else "")
        return Shape("structure", shape.owner)

    def shape(self, owner: str, name: str) -> Shape:
        return self._resolved(self.fields(owner).get(name, TEXT))

    # -- pyrfc's shape -> zeep's ----------------------------------------------------------
    def to_soap(self, owner: str, values: dict[str, Any]) -> dict[str, Any]:
        """Parameters (or a row) as zeep takes them: tables as {"item": rows}, ISO dates."""
        converted: dict[str, Any] = {}
        for raw_name, value in values.items():
            name = str(raw_name).upper()
            shape = self.shape(owner, name)
            if value is None:
                continue
            where = f"{owner}-{name}"
            if shape.kind == "table":
                _require(isinstance(value, list | tuple), where, "a table (a list of rows)",
                         value)
                rows = [self.to_soap(shape.owner, _row(row, f"{where}[{number}]"))
                        if shape.owner else row for number, row in enumerate(value, 1)]
                converted[name] = {"item": rows}
            elif shape.kind == "structure":
                converted[name] = self.to_soap(shape.owner, _row(value, where))
            else:
                converted[name] = _to_wire(shape.kind, value, where)
        return converted

    # -- a response element -> pyrfc's shape ----------------------------------------------
    def from_xml(self, owner: str, element: etree._Element) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            shape = self.shape(owner, name)
            if shape.kind == "table":
                values[name] = [self.from_xml(shape.owner, item) if shape.owner
                                else (item.text or "")
                                for item in child if isinstance(item.tag, str)]
            elif shape.kind == "structure":
                values[name] = self.from_xml(shape.owner, child)
            else:
                values[name] = _from_wire(shape.kind, child.text or "")
        return values


def _require(ok: bool, where: str, what: str, value: Any) -> None:
    if not ok:
        raise conversion_failure(f"{where}: {what} is required, received "
                                 f"{type(value).__name__} {value!r:.60}")


def _row(value: Any, where: str) -> dict[str, Any]:
    _require(isinstance(value, dict), where, "a structure (a dict of fields)", value)
    return value  # type: ignore[no-any-return]


def _to_wire(kind: str, value: Any, where: str) -> Any:
    if kind == "date":
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        if text in ("", "00000000"):
            return "0000-00-00"
        return f"{text[:4]}-{text[4:6]}-{text[6:]}" if len(text) == 8 else text
    if kind == "time":
        if isinstance(value, dt.time):
            return value.strftime("%H:%M:%S")
        text = str(value).strip() or "000000"
        return f"{text[:2]}:{text[2:4]}:{text[4:]}" if len(text) == 6 else text
    if kind == "float" and isinstance(value, Decimal | str):
        try:
            return float(value)
        except ValueError:
            raise conversion_failure(f"{where}: {value!r} is not a number") from None
    if kind == "decimal" and not isinstance(value, Decimal):
        try:
            return Decimal(str(value).strip() or "0")
        except InvalidOperation:
            raise conversion_failure(f"{where}: {value!r} is not a number") from None
    return value


def _from_wire(kind: str, text: str) -> Any:
    text = text.strip() if kind != "text" else text
    if kind == "date":
        return "" if text in ("", "0000-00-00", "00000000") else text.replace("-", "")
    if kind == "time":
        return text.replace(":", "") or "000000"
    if kind == "decimal":
        try:
            return Decimal(text or "0")
        except InvalidOperation:
            return text  # SAP's overflow marker ('*…') stays visible
    if kind == "int":
        try:
            return int(text or "0")
        except ValueError:
            return text
    if kind == "float":
        try:
            return float(text or "0")
        except ValueError:
            return text
    if kind == "bytes":
        try:
            return base64.b64decode(text)
        except (binascii.Error, ValueError):
            return text
    return text
