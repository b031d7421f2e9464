"""WSDL 1.1 for SOAP-over-RFC (rfc:functions style), generated from function interfaces.

The shape follows what `/sap/bc/soap/wsdl11?services=` answers (reference/wire.md §2.2):
document/literal, request element `FUNC`, response element `FUNC.Response`, structures as
complexTypes named after the DDIC structure, tables as `TABLE_OF_<ROW>` with repeating
`<item>` rows, classic exceptions as `FUNC.Exception`. Parameters are unqualified elements.
Dates are typed as `YYYY-MM-DD` strings and times as `HH:MM:SS`, as SAP sends them; bytes
(RAW, XSTRING) as xsd:base64Binary, FLTP as xsd:double, the integers by their width.
Namespaced names (`/NS/NAME`) are written with `_-` for each slash (`_-NS_-NAME`), as SAP
does, since `/` may not appear in an XML name.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from sapgw.rfc.ddic import Elementary, Structure, TableType
from sapgw.rfc.interface import Direction, FunctionInterface
from sapgw.rfc.xml import xml_name

RFC_NS = "urn:sap-com:document:sap:rfc:functions"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
SOAP_BINDING_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
HTTP_TRANSPORT = "http://schemas.xmlsoap.org/soap/http"
NSMAP = {"wsdl": WSDL_NS, "xsd": XSD_NS, "soap": SOAP_BINDING_NS, "s0": RFC_NS}

REQUEST_DIRECTIONS = (Direction.IMPORT, Direction.CHANGING, Direction.TABLES)
RESPONSE_DIRECTIONS = (Direction.EXPORT, Direction.CHANGING, Direction.TABLES)


def _w(tag: str) -> str:
    return f"{{{WSDL_NS}}}{tag}"


def _x(tag: str) -> str:
    return f"{{{XSD_NS}}}{tag}"


def _s(tag: str) -> str:
    return f"{{{SOAP_BINDING_NS}}}{tag}"


def wsdl_document(functions: Iterable[FunctionInterface], location: str) -> bytes:
    """One WSDL describing every function given, served at `location` (the SOAP endpoint)."""
    functions = list(functions)
    root = etree.Element(_w("definitions"), nsmap=NSMAP, targetNamespace=RFC_NS)
    schema = etree.SubElement(etree.SubElement(root, _w("types")), _x("schema"),
                              targetNamespace=RFC_NS)
    named: dict[str, etree._Element] = {}  # complexTypes by name, each declared once
    for function in functions:
        _elements(schema, function, named)
    schema.extend(named[name] for name in sorted(named))
    for function in functions:
        _messages(root, function)
    if len(functions) > 1:
        _all_in_one(root, functions, location)
    for function in functions:
        _port_type(root, function)
    for function in functions:
        _binding(root, function)
    for function in functions:
        _service(root, function, location)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


# -- types -------------------------------------------------------------------------------
def _elements(schema: etree._Element, function: FunctionInterface,
              named: dict[str, etree._Element]) -> None:
    name = xml_name(function.name)
    for element_name, directions in ((name, REQUEST_DIRECTIONS),
                                     (f"{name}.Response", RESPONSE_DIRECTIONS)):
        element = etree.SubElement(schema, _x("element"), name=element_name)
        group = etree.SubElement(etree.SubElement(element, _x("complexType")), _x("all"))
        for param in function.parameters:
            if param.direction in directions:
                required = (element_name == name and not param.optional
                            and param.direction is not Direction.TABLES)
                _typed(group, param.name, param.type, named, required)
    if function.exceptions:
        _exception_types(schema, function, named)


def _typed(parent: etree._Element, name: str, type_: Elementary | Structure | TableType,
           named: dict[str, etree._Element], required: bool = True) -> None:
    """An element `name` of a DDIC type: inline simple type, or a reference to a named one."""
    element = etree.SubElement(parent, _x("element"), name=xml_name(name))
    if not required:
        element.set("minOccurs", "0")
    if isinstance(type_, Elementary):
        _simple_type(element, type_)
    elif isinstance(type_, Structure):
        element.set("type", f"s0:{_structure_type(type_, named)}")
    else:
        element.set("type", f"s0:{_table_type(type_, named)}")


def _structure_type(structure: Structure, named: dict[str, etree._Element]) -> str:
    name = xml_name(structure.name)
    if name not in named:
        complex_type = etree.Element(_x("complexType"), name=name)
        named[name] = complex_type
        sequence = etree.SubElement(complex_type, _x("sequence"))
        for field in structure.fields:
            _typed(sequence, field.name, field.type, named, required=False)
    return name


def _table_type(table: TableType, named: dict[str, etree._Element]) -> str:
    row = table.row
    if isinstance(row, Elementary):  # rows of one value: TABLE_OF_CHAR40 with simple items
        name = f"TABLE_OF_{row.kind}{row.length or ''}"
        if name not in named:
            complex_type = etree.Element(_x("complexType"), name=name)
            named[name] = complex_type
            sequence = etree.SubElement(complex_type, _x("sequence"))
            item = etree.SubElement(sequence, _x("element"), name="item", minOccurs="0",
                                    maxOccurs="unbounded")
            _simple_type(item, row)
        return name
    name = f"TABLE_OF_{xml_name(row.name)}"
    if name not in named:
        complex_type = etree.Element(_x("complexType"), name=name)
        named[name] = complex_type
        sequence = etree.SubElement(complex_type, _x("sequence"))
        etree.SubElement(sequence, _x("element"), name="item", minOccurs="0",
                         maxOccurs="unbounded", type=f"s0:{_structure_type(row, named)}")
    return name


def _simple_type(element: etree._Element, type_: Elementary) -> None:
    kind = type_.kind
    if kind in _XSD_TYPES:
        element.set("type", _XSD_TYPES[kind])
        return
    packed = kind in ("CURR", "DEC", "QUAN")
    if kind == "UTCLONG":
        restriction = etree.SubElement(etree.SubElement(element, _x("simpleType")),
                                       _x("restriction"), base="xsd:string")
        _facet(restriction, "maxLength", "27")
        return
    restriction = etree.SubElement(etree.SubElement(element, _x("simpleType")),
                                   _x("restriction"),
                                   base="xsd:decimal" if packed else "xsd:string")
    if packed:
        _facet(restriction, "totalDigits", str(type_.length))
        _facet(restriction, "fractionDigits", str(type_.decimals))
    elif kind == "DATS":
        _facet(restriction, "maxLength", "10")
        _facet(restriction, "pattern", r"\d\d\d\d-\d\d-\d\d")
    elif kind == "TIMS":
        _facet(restriction, "maxLength", "8")
        _facet(restriction, "pattern", r"\d\d:\d\d:\d\d")
    else:
        _facet(restriction, "maxLength", str(type_.length))
        if kind == "NUMC":
            _facet(restriction, "pattern", r"\d*")


_XSD_TYPES = {"INT1": "xsd:unsignedByte", "INT2": "xsd:short", "INT4": "xsd:int",
              "INT8": "xsd:long", "FLTP": "xsd:double", "DF16": "xsd:decimal",
              "DF34": "xsd:decimal", "RAW": "xsd:base64Binary", "XSTRING": "xsd:base64Binary",
              "STRING": "xsd:string"}


def _facet(restriction: etree._Element, facet: str, value: str) -> None:
    etree.SubElement(restriction, _x(facet), value=value)


def _exception_types(schema: etree._Element, function: FunctionInterface,
                     named: dict[str, etree._Element]) -> None:
    """`FUNC.Exception`: Name (one of the declared exceptions), Text, Message (ID, Number)."""
    name = xml_name(function.name)
    etree.SubElement(schema, _x("element"), name=f"{name}.Exception",
                     type=f"s0:{name}.RfcException")
    exception = etree.Element(_x("complexType"), name=f"{name}.RfcException")
    sequence = etree.SubElement(exception, _x("sequence"))
    etree.SubElement(sequence, _x("element"), name="Name", type=f"s0:{name}.RfcExceptions")
    etree.SubElement(sequence, _x("element"), name="Text", type="xsd:string", minOccurs="0")
    etree.SubElement(sequence, _x("element"), name="Message", type="s0:RfcException.Message",
                     minOccurs="0")
    named[f"{name}.RfcException"] = exception
    names = etree.Element(_x("simpleType"), name=f"{name}.RfcExceptions")
    restriction = etree.SubElement(names, _x("restriction"), base="xsd:string")
    for key in function.exceptions:
        _facet(restriction, "enumeration", key)
    named[f"{name}.RfcExceptions"] = names
    if "RfcException.Message" not in named:
        message = etree.Element(_x("complexType"), name="RfcException.Message")
        fields = etree.SubElement(message, _x("sequence"))
        etree.SubElement(fields, _x("element"), name="ID", type="xsd:string")
        etree.SubElement(fields, _x("element"), name="Number", type="xsd:string")
        named["RfcException.Message"] = message


# -- messages, port types, bindings, services ---------------------------------------------
def _messages(root: etree._Element, function: FunctionInterface) -> None:
    name = xml_name(function.name)
    pairs = [(f"{name}Input", name), (f"{name}Output", f"{name}.Response")]
    if function.exceptions:
        pairs.append((f"{name}.Exception", f"{name}.Exception"))
    for message_name, element in pairs:
        message = etree.SubElement(root, _w("message"), name=message_name)
        etree.SubElement(message, _w("part"), name="parameters", element=f"s0:{element}")


# Ours, not SAP's: one service with every function asked for, first in the document, so
# zeep's `client.service.FUNC(...)` (which binds the first service's first port) reaches each
# of them; SAP's service per function follows unchanged (`client.bind("FUNCService", ...)`).
ALL_IN_ONE = "RfcFunctions"


def _all_in_one(root: etree._Element, functions: list[FunctionInterface],
                location: str) -> None:
    port_type = etree.SubElement(root, _w("portType"), name=f"{ALL_IN_ONE}PortType")
    binding = etree.SubElement(root, _w("binding"), name=f"{ALL_IN_ONE}Binding",
                               type=f"s0:{ALL_IN_ONE}PortType")
    etree.SubElement(binding, _s("binding"), style="document", transport=HTTP_TRANSPORT)
    for function in functions:
        _operation(port_type, function)
        _bound_operation(binding, function)
    service = etree.SubElement(root, _w("service"), name=f"{ALL_IN_ONE}Service")
    etree.SubElement(service, _w("documentation")).text = (
        "Every function of this WSDL in one service (sapgw's, beside SAP's one per function)")
    port = etree.SubElement(service, _w("port"), name=f"{ALL_IN_ONE}PortType",
                            binding=f"s0:{ALL_IN_ONE}Binding")
    etree.SubElement(port, _s("address"), location=location)


def _port_type(root: etree._Element, function: FunctionInterface) -> None:
    name = xml_name(function.name)
    port_type = etree.SubElement(root, _w("portType"), name=f"{name}PortType")
    _operation(port_type, function)


def _operation(port_type: etree._Element, function: FunctionInterface) -> None:
    name = xml_name(function.name)
    operation = etree.SubElement(port_type, _w("operation"), name=name)
    etree.SubElement(operation, _w("input"), message=f"s0:{name}Input")
    etree.SubElement(operation, _w("output"), message=f"s0:{name}Output")
    if function.exceptions:
        etree.SubElement(operation, _w("fault"), name=f"{name}.Exception",
                         message=f"s0:{name}.Exception")


def _binding(root: etree._Element, function: FunctionInterface) -> None:
    name = xml_name(function.name)
    binding = etree.SubElement(root, _w("binding"), name=f"{name}Binding",
                               type=f"s0:{name}PortType")
    etree.SubElement(binding, _s("binding"), style="document", transport=HTTP_TRANSPORT)
    _bound_operation(binding, function)


def _bound_operation(binding: etree._Element, function: FunctionInterface) -> None:
    name = xml_name(function.name)
    operation = etree.SubElement(binding, _w("operation"), name=name)
    etree.SubElement(operation, _s("operation"), soapAction=f"http://www.sap.com/{name}")
    for direction in ("input", "output"):
        etree.SubElement(etree.SubElement(operation, _w(direction)), _s("body"), use="literal")
    if function.exceptions:
        fault = etree.SubElement(operation, _w("fault"), name=f"{name}.Exception")
        etree.SubElement(fault, _s("fault"), name=f"{name}.Exception", use="literal")


def _service(root: etree._Element, function: FunctionInterface, location: str) -> None:
    name = xml_name(function.name)
    service = etree.SubElement(root, _w("service"), name=f"{name}Service")
    etree.SubElement(service, _w("documentation")).text = f"SAP Service {name} via SOAP"
    port = etree.SubElement(service, _w("port"), name=f"{name}PortType",
                            binding=f"s0:{name}Binding")
    etree.SubElement(port, _s("address"), location=location)

