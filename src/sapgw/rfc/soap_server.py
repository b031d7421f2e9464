"""SOAP over RFC, server side: `POST /sap/bc/soap/rfc` and the WSDL at `/sap/bc/soap/wsdl11`.

Mirrors the ICF's generic SOAP processor (reference/wire.md §2.1-2.4): the Body's first child
names the function (matched by local name; any SOAPAction is accepted), its children are the
parameters (structures as field elements, tables as `<item>` rows), and the answer is
`FUNC.Response` in `urn:sap-com:document:sap:rfc:functions` with every non-IMPORT parameter.
Dates travel as YYYY-MM-DD, times as HH:MM:SS. ABAP exceptions answer a SOAP fault with
`FUNC.Exception`; a bad request answers a client fault whose `rfc:Error` says what is wrong.

Like the JSON twin, the module knows nothing of the system it serves: `connect` opens a
connection, `interfaces` looks up a function's interface, `names` lists the functions.

A call runs in its own connection, closed afterwards (uncommitted work is discarded), unless
it belongs to a stateful session, opened as the ICF opens one for SOAP: query parameter
`sap-sessioncmd=open` (or header `sap-contextid-accept: header`); the answer sets the cookie
`sap-contextid` (and the header of that name), which later calls send back, so that e.g.
BAPI_ACC_DOCUMENT_POST and BAPI_TRANSACTION_COMMIT share one LUW; `sap-sessioncmd=close` (or
`sap-contextid-close: X`) ends it after the call. Sessions are `sessions.Sessions`, as for
JSON RFC. A request with the header `sap-trfc-tid` (and optionally `sap-qrfc-queue`) is a
tRFC/qRFC unit (`units`): executed once per TID, or queued; its Body may then hold several
function elements, which form one unit in that order; each is answered with its empty
`FUNC.Response`, and the header `sap-trfc-state` says EXECUTED or QUEUED.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lxml import etree
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sapgw.rfc.abap_values import base64_text
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.ddic import Elementary, Structure, TableType
from sapgw.rfc.errors import (
    ABAPApplicationError,
    CommunicationError,
    LogonError,
    RFCLibError,
    conversion_failure,
    invalid_parameter,
)
from sapgw.rfc.interface import Direction, FunctionInterface
from sapgw.rfc.jsonvalues import CONTEXT_ACCEPT, CONTEXT_CLOSE, CONTEXT_ID
from sapgw.rfc.sessions import SessionNotFound, Sessions, caller
from sapgw.rfc.units import TRFC_TID, state_headers, submit, unit_from_headers
from sapgw.rfc.wsdl import RESPONSE_DIRECTIONS, RFC_NS, wsdl_document
from sapgw.rfc.xml import XmlError, abap_name, parse_xml, xml_name
from sapgw.types import RfcCall

log = logging.getLogger(__name__)

SOAP_PATH = "/sap/bc/soap/rfc"
WSDL_PATHS = ("/sap/bc/soap/wsdl11", "/sap/bc/soap/wsdl")
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
ERROR_NS = "urn:sap-com:document:sap:soap:functions"
CONTENT_TYPE = "text/xml; charset=utf-8"
SESSION_COMMAND = "sap-sessioncmd"  # query parameter: open | close, as the ICF's

Connect = Callable[[], RfcConnection]
Interfaces = Callable[[str], FunctionInterface]
Names = Callable[[], list[str]]
Answer = tuple[int, bytes]
ParamType = Elementary | Structure | TableType


class SoapRequestError(Exception):
    """A request that is not a usable SOAP envelope; `kind` becomes the rfc:Error type."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def soap_routes(connect: Connect, interfaces: Interfaces, names: Names, *,
                session_timeout: float = 600, max_sessions: int = 1000) -> list[Route]:
    """The SOAP RFC endpoint and the WSDL routes, serving the system `connect` opens."""
    sessions = Sessions(connect, session_timeout, max_sessions)

    async def call_function(request: Request) -> Response:
        body = await request.body()
        headers = request.headers
        try:
            unit = unit_from_headers(headers)
        except RFCLibError as error:
            return _soap(_rfc_error_fault(error))
        if unit is not None:
            answer, unit_headers = await run_in_threadpool(answer_unit, connect, interfaces,
                                                           body, *unit)
            return _soap(answer, unit_headers)
        command = request.query_params.get(SESSION_COMMAND, "").lower()
        context_id = headers.get(CONTEXT_ID) or request.cookies.get(CONTEXT_ID)
        opening = command == "open" or headers.get(CONTEXT_ACCEPT, "").lower() == "header"
        if context_id is None and not opening:
            return _soap(await run_in_threadpool(answer_call, connect, interfaces, body))
        try:
            owner = caller(request)
            session = await sessions.lookup(context_id, owner) if context_id else None
            if session is None:
                if not opening:
                    raise SessionNotFound(str(context_id))
                session = await sessions.open(owner)
            answer = await sessions.run(session, answer_calls, interfaces, body,
                                        _on(session.conn))
        except RFCLibError as error:
            response = _soap(_rfc_error_fault(error))
            if isinstance(error, SessionNotFound):
                response.delete_cookie(CONTEXT_ID, path=SOAP_PATH)
            return response
        response = _soap(answer, {CONTEXT_ID: session.id})
        if command == "close" or headers.get(CONTEXT_CLOSE, "").upper() == "X":
            await sessions.close(session)
            response.delete_cookie(CONTEXT_ID, path=SOAP_PATH)
        else:
            response.set_cookie(CONTEXT_ID, session.id, path=SOAP_PATH, httponly=True)
        return response

    async def describe(request: Request) -> Response:
        query = request.query_params
        location = str(request.base_url).rstrip("/") + SOAP_PATH
        if "sap-client" in query:
            location += f"?sap-client={query['sap-client']}"
        status, content, media_type = await run_in_threadpool(
            answer_wsdl, interfaces, names, query.get("services", ""), location)
        return Response(content, status, media_type=media_type)

    return [Route(SOAP_PATH, call_function, methods=["POST"]),
            *(Route(path, describe, methods=["GET"]) for path in WSDL_PATHS)]


def _soap(answer: Answer, headers: dict[str, str] | None = None) -> Response:
    status, content = answer
    return Response(content, status, headers, media_type=CONTENT_TYPE)


# -- the calls, in a worker thread --------------------------------------------------------
Run = Callable[[list[RfcCall]], list[dict[str, Any]]]


def _on(conn: RfcConnection) -> Run:
    """Run calls one by one on `conn` (a session's connection), answering their results."""
    return lambda calls: [conn.call(call.function, **call.params) for call in calls]


def answer_call(connect: Connect, interfaces: Interfaces, body: bytes) -> Answer:
    """Run the call a SOAP request asks for in a fresh connection; never raises."""
    def run(calls: list[RfcCall]) -> list[dict[str, Any]]:
        with connect() as conn:
            return _on(conn)(calls)

    return answer_calls(interfaces, body, run)


def answer_unit(connect: Connect, interfaces: Interfaces, body: bytes, tid: str,
                queue: str | None) -> tuple[Answer, dict[str, str]]:
    """Deliver the request's function elements as one tRFC/qRFC unit; never raises."""
    outcome: dict[str, Any] = {}

    def run(calls: list[RfcCall]) -> list[dict[str, Any]]:
        outcome.update(submit(connect, tid, queue, calls))
        return [{} for _ in calls]  # a unit answers no values

    answer = answer_calls(interfaces, body, run, unit=True)
    return answer, state_headers(outcome) if outcome else {TRFC_TID: tid}


def answer_calls(interfaces: Interfaces, body: bytes, run: Run, unit: bool = False) -> Answer:
    """Parse the request, `run` its calls and answer their envelope or a fault; never raises.

    Only a unit may hold several function elements.
    """
    requested = function = ""
    try:
        elements = _function_elements(parse_xml(body, "SOAP request"))
        if len(elements) > 1 and not unit:
            raise SoapRequestError(
                "SOAP_ENVELOPE_INVALID",
                f"line {elements[1].sourceline}: the SOAP Body holds {len(elements)} function "
                f"elements; only a tRFC unit (header {TRFC_TID}) may hold several")
        calls, described = [], []
        for element in elements:
            requested = _local(element)
            function_interface = interfaces(requested)
            function = function_interface.name
            calls.append(RfcCall(function, _parameters(element, function_interface)))
            described.append((element, function_interface))
        function = calls[0].function
        results = run(calls)
        return 200, _serialize(_response(described, results))
    except XmlError as error:
        return _error_fault("Client", "XML_NOT_WELL_FORMED", str(error))
    except SoapRequestError as error:
        return _error_fault("Client", error.kind, error.message)
    except ABAPApplicationError as error:
        if error.key == "FU_NOT_FOUND" and not function:
            return _error_fault("Client", "FU_NOT_FOUND",
                                f"function module {requested} does not exist")
        return _exception_fault(function, error)
    except RFCLibError as error:
        return _rfc_error_fault(error)
    except Exception as exc:
        log.exception("SOAP RFC call %s failed unexpectedly", function or "?")
        return _error_fault("Server", "SYSTEM_FAILURE", f"{type(exc).__name__}: {exc}")


def _function_elements(root: etree._Element) -> list[etree._Element]:
    if root.tag == f"{{{SOAP12_ENV}}}Envelope":
        raise SoapRequestError("SOAP_ENVELOPE_INVALID",
                               f"SOAP 1.2 envelopes are not supported; send a SOAP 1.1 "
                               f"Envelope in namespace {SOAP_ENV}")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise SoapRequestError("SOAP_ENVELOPE_INVALID",
                               f"line {root.sourceline}: not a SOAP 1.1 envelope: the root "
                               f"element is {root.tag}, expected {{{SOAP_ENV}}}Envelope")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    if body is None:
        raise SoapRequestError("SOAP_ENVELOPE_INVALID",
                               f"line {root.sourceline}: the SOAP Envelope has no Body")
    children = _children(body)
    if not children:
        raise SoapRequestError("SOAP_ENVELOPE_INVALID",
                               f"line {body.sourceline}: the SOAP Body is empty; it must hold "
                               f"the function element, e.g. <rfc:STFC_CONNECTION>")
    return children


def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _local(element: etree._Element) -> str:
    """The ABAP name of an element (`_-NS_-NAME` is `/NS/NAME`)."""
    return abap_name(etree.QName(element).localname)


# -- request parameters -------------------------------------------------------------------
def _parameters(element: etree._Element, function: FunctionInterface) -> dict[str, Any]:
    by_name = {p.name: p for p in function.parameters}
    params: dict[str, Any] = {}
    for child in _children(element):
        name = _local(child)
        param = by_name.get(name)
        if param is None:
            raise invalid_parameter(f"line {child.sourceline}: function {function.name} has "
                                    f"no parameter {name}")
        if param.direction is Direction.EXPORT:
            raise invalid_parameter(f"line {child.sourceline}: {name} is an exporting "
                                    f"parameter of {function.name}; it cannot be sent")
        if name in params:
            raise invalid_parameter(f"line {child.sourceline}: parameter {name} is given twice")
        params[name] = _decode(child, param.type, name)
    return params


def _decode(element: etree._Element, type_: ParamType, where: str) -> Any:
    """The value of one parameter or field element, converted by its DDIC type."""
    children = _children(element)
    if isinstance(type_, TableType):
        rows = []
        for number, item in enumerate(children, start=1):
            if _local(item) != "item":
                raise invalid_parameter(f"line {item.sourceline}: rows of table {where} are "
                                        f"<item> elements, found <{_local(item)}>")
            rows.append(_decode(item, type_.row, f"{where}[{number}]"))
        return rows
    if isinstance(type_, Structure):
        row: dict[str, Any] = {}
        for child in children:
            name = _local(child)
            if name not in type_:
                raise invalid_parameter(f"line {child.sourceline}: {where}: structure "
                                        f"{type_.name} has no field {name}")
            row[name] = _decode(child, type_[name].type, f"{where}-{name}")
        return row
    if children:
        raise conversion_failure(f"line {children[0].sourceline}: {where} takes a value, "
                                 f"not the element <{_local(children[0])}>")
    text = element.text or ""
    value: Any = text
    if type_.kind in ("INT1", "INT2", "INT4", "INT8"):
        try:
            value = int(text.strip() or "0")
        except ValueError:
            raise conversion_failure(f"line {element.sourceline}: {where}: an integer is "
                                     f"required, received {text!r}") from None
    try:
        return type_.convert(value, where)
    except RFCLibError as error:
        raise type(error)(f"line {element.sourceline}: {error.message}", error.code,
                          error.key) from None


# -- the answer ---------------------------------------------------------------------------
def _envelope() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"SOAP-ENV": SOAP_ENV})
    return root, etree.SubElement(root, f"{{{SOAP_ENV}}}Body")


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _response(calls: list[tuple[etree._Element, FunctionInterface]],
              results: list[dict[str, Any]]) -> etree._Element:
    """The envelope with one `FUNC.Response` per call, in the request's prefix if it had one."""
    root, body = _envelope()
    for (request, function), result in zip(calls, results, strict=True):
        prefix = request.prefix if etree.QName(request).namespace == RFC_NS else None
        response = etree.SubElement(body, f"{{{RFC_NS}}}{xml_name(function.name)}.Response",
                                    nsmap={prefix or "rfc": RFC_NS})
        for param in function.parameters:
            if param.direction in RESPONSE_DIRECTIONS:
                _encode(response, param.name, param.type, result.get(param.name))
    return root


def _encode(parent: etree._Element, name: str, type_: ParamType, value: Any) -> None:
    element = etree.SubElement(parent, xml_name(name))
    if isinstance(type_, TableType):
        for row in value or []:
            if isinstance(type_.row, Elementary):
                etree.SubElement(element, "item").text = _text(type_.row, row)
            else:
                _encode_fields(etree.SubElement(element, "item"), type_.row, row)
    elif isinstance(type_, Structure):
        _encode_fields(element, type_, value or {})
    else:
        element.text = _text(type_, value)


def _encode_fields(element: etree._Element, structure: Structure, row: dict[str, Any]) -> None:
    for field in structure.fields:
        _encode(element, field.name, field.type, row.get(field.name))


def _text(type_: Elementary, value: Any) -> str:
    """An elementary value as SAP writes it in SOAP: YYYY-MM-DD, HH:MM:SS, plain decimals."""
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes | bytearray):
        return base64_text(bytes(value))
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same double
    text = str(value)
    if type_.kind == "DATS" and not text.strip("0"):
        return "0000-00-00"  # SAP's initial date in XML
    if type_.kind == "DATS" and len(text) == 8:
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if type_.kind == "TIMS" and len(text) == 6:
        return f"{text[:2]}:{text[2:4]}:{text[4:]}"
    return text


# -- faults -------------------------------------------------------------------------------
def _fault(code: str, string: str, detail: etree._Element) -> Answer:
    """A SOAP 1.1 fault; HTTP 500 as SOAP 1.1 prescribes for every fault."""
    root, body = _envelope()
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"SOAP-ENV:{code}"
    etree.SubElement(fault, "faultstring").text = string
    etree.SubElement(fault, "detail").append(detail)
    return 500, _serialize(root)


def _error_fault(code: str, kind: str, message: str) -> Answer:
    """wire.md §2.4 shape 2/3: `rfc:Error` with type and message; faultstring 'TYPE: text'."""
    error = etree.Element(f"{{{ERROR_NS}}}Error", nsmap={"rfc": ERROR_NS})
    etree.SubElement(error, "type").text = kind
    etree.SubElement(error, "message").text = message
    return _fault(code, f"{kind}: {message}", error)


def _rfc_error_fault(error: RFCLibError) -> Answer:
    """An RFC error that is no ABAP exception: Server for communication/logon, else Client."""
    code = "Server" if isinstance(error, CommunicationError | LogonError) else "Client"
    return _error_fault(code, error.key or type(error).__name__, error.message or "")


def refusal_fault(error: RFCLibError) -> bytes:
    """The fault of a request refused before any call (logon, authorisation): the caller's
    mistake, so `Client`; the HTTP status (401, 403) is the refuser's to choose."""
    return _error_fault("Client", error.key or type(error).__name__, error.message or "")[1]


def _exception_fault(function: str, error: RFCLibError) -> Answer:
    """wire.md §2.4 shape 1: a classic ABAP exception as `rfc:FUNC.Exception`."""
    key = error.key or "SYSTEM_FAILURE"
    exception = etree.Element(f"{{{RFC_NS}}}{xml_name(function)}.Exception",
                              nsmap={"rfc": RFC_NS})
    etree.SubElement(exception, "Name").text = key
    etree.SubElement(exception, "Text").text = error.message or key
    if error.msg_class and error.msg_number:
        message = etree.SubElement(exception, "Message")
        etree.SubElement(message, "ID").text = error.msg_class
        etree.SubElement(message, "Number").text = error.msg_number
    return _fault("Client", key, exception)


# -- the WSDL -----------------------------------------------------------------------------
def answer_wsdl(interfaces: Interfaces, names: Names, services: str, location: str
                ) -> tuple[int, bytes, str]:
    """The WSDL for `services` (F1,F2; `*` patterns allowed), or a plain-text error."""
    wanted: list[str] = []
    for service in (s.strip().upper() for s in services.split(",")):
        if not service:
            continue
        if "*" in service or "?" in service:
            matches = fnmatch.filter(names(), service)
            if not matches:
                return 404, f"no function module matches {service}\n".encode(), "text/plain"
            wanted.extend(matches)
        else:
            wanted.append(service)
    if not wanted:
        return (400, b"name the functions to describe: ?services=F1,F2 (* patterns allowed)\n",
                "text/plain")
    try:
        functions = [interfaces(name) for name in dict.fromkeys(wanted)]
    except RFCLibError as error:
        name = error.msg_v1 or error.message
        return 404, f"function module {name} does not exist\n".encode(), "text/plain"
    return 200, wsdl_document(functions, location), CONTENT_TYPE
