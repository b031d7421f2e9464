"""`type = soap` destinations: the gateway calls a partner's SOAP RFC service through zeep.

    [destination ERP]
    type = soap
    url = http://erp.example:8000/sap/bc/soap/rfc     ; the endpoint (SAP's or sapgw's)
    wsdl =                  ; empty: <url's folder>/wsdl11?services=FUNC, one WSDL a function;
                            ; or one URL/file for all, or a pattern with {function}
    user = RFC_USER         ; HTTP Basic; passwd may be env:NAME (read at connect)
    passwd = env:ERP_PASSWORD
    client = 100            ; sent as sap-client

zeep loads each WSDL once per connection (cached with its `SoapShapes`) and writes the
requests; the answers are read here, so that SOAP faults become pyrfc's errors: an ABAP
exception (`FUNC.Exception`) an `ABAPApplicationError`, an `rfc:Error` by its type, and a
partner that cannot be reached, times out, or answers 5xx without a SOAP fault a
`CommunicationError`, so the queue goes CPICERR and retries.

Synchronous calls share a stateful session (`sap-sessioncmd=open`, then the cookie), so a
BAPI and BAPI_TRANSACTION_COMMIT form one LUW, as on a pyrfc connection. A tRFC/qRFC unit
is one envelope holding its calls, sent with `sap-trfc-tid` (and `sap-qrfc-queue`): a sapgw
partner executes it once per TID (docs/SOAP.md). SAP's own /sap/bc/soap/rfc knows no such
header and runs every delivery, so against SAP a unit should hold one call, and a RETURN row
of type E/A in its answer fails it like an exception.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests
import zeep
from lxml import etree
from zeep.cache import InMemoryCache
from zeep.exceptions import Error as ZeepError

from sapgw.gateway.config import DestinationSettings, env_value
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import (
    ABAPApplicationError,
    ABAPRuntimeError,
    CommunicationError,
    ExternalRuntimeError,
    LogonError,
    RFCLibError,
    conversion_failure,
    function_not_found,
    invalid_parameter,
)
from sapgw.rfc.soap_server import SOAP_ENV
from sapgw.rfc.soap_shapes import SoapShapes
from sapgw.rfc.structures import check_unit_result
from sapgw.rfc.units import QRFC_QUEUE, TRFC_STATE, TRFC_TID
from sapgw.rfc.wsdl import RFC_NS
from sapgw.rfc.xml import XmlError, parse_xml
from sapgw.types import RfcCall

HEADERS = {"Content-Type": "text/xml; charset=utf-8"}
_CALLER_TYPES = {"RFC_INVALID_PARAMETER": 20, "RFC_CONVERSION_FAILURE": 22,
                 "SOAP_ENVELOPE_INVALID": 20, "XML_NOT_WELL_FORMED": 22}


def connect(dest: DestinationSettings) -> SoapRfcConnection:
    params = {key: env_value(value) for key, value in dest.params.items()}
    return SoapRfcConnection(params.get("url", dest.url), wsdl=params.get("wsdl", ""),
                             user=params.get("user", ""), passwd=params.get("passwd", ""),
                             client=params.get("client", ""), timeout=dest.timeout)


class SoapRfcConnection(RfcConnection):
    def __init__(self, url: str, *, wsdl: str = "", user: str = "", passwd: str = "",
                 client: str = "", timeout: float = 30.0) -> None:
        self.url = url
        self.client = client
        self.address = _with_query(url, {"sap-client": client} if client else {})
        self._wsdl = wsdl
        self._http = requests.Session()
        if user:
            self._http.auth = (user, passwd)
        self._transport = zeep.Transport(session=self._http, timeout=timeout,
                                         operation_timeout=timeout, cache=InMemoryCache())
        self._definitions: dict[str, tuple[zeep.Client, SoapShapes]] = {}
        self._in_session = False

    def __repr__(self) -> str:
        return f"<SoapRfcConnection {self.url}>"

    # -- RfcConnection ---------------------------------------------------------------------
    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        envelope = self._envelope([RfcCall(function.upper(), params)])
        query = {} if self._in_session else {"sap-sessioncmd": "open"}
        try:
            response = self._post(envelope, HEADERS, query)
            result = self._results(response, [function.upper()])[0]
        except CommunicationError:
            self._in_session = False  # as pyrfc's reopen: the session and its LUW are gone
            raise
        self._in_session = True
        return result

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> str | None:
        headers = {**HEADERS, TRFC_TID: tid, **({QRFC_QUEUE: queue} if queue else {})}
        response = self._post(self._envelope(calls), headers, {})
        results = self._results(response, [call.function.upper() for call in calls])
        for call, result in zip(calls, results, strict=True):
            check_unit_result(call.function, result)
        return response.headers.get(TRFC_STATE)

    def _confirm(self, tid: str) -> None:
        """Best effort, where the partner is sapgw: its JSON confirm route on the same host."""
        target = urljoin(self.url, f"/sap/bc/rfc_unit/{tid}/confirm")
        with suppress(requests.RequestException):
            self._http.post(target, timeout=self._transport.operation_timeout)

    def close(self) -> None:
        if self.closed:
            return
        if self._in_session:  # end the partner's session; if it is gone, so is the session
            ping = (f'<e:Envelope xmlns:e="{SOAP_ENV}"><e:Body><rfc:RFC_PING xmlns:rfc='
                    f'"{RFC_NS}"/></e:Body></e:Envelope>').encode()
            with suppress(requests.RequestException):
                self._http.post(_with_query(self.address, {"sap-sessioncmd": "close"}),
                                data=ping, headers=HEADERS,
                                timeout=self._transport.operation_timeout)
            self._in_session = False
        self._http.close()
        super().close()

    # -- WSDL ------------------------------------------------------------------------------
    def wsdl_location(self, function: str) -> str:
        if self._wsdl:
            return self._wsdl.replace("{function}", function)
        base = urlunsplit(urlsplit(self.url)._replace(query="", fragment=""))
        query = {"services": function, **({"sap-client": self.client} if self.client else {})}
        return _with_query(urljoin(base, "wsdl11"), query)

    def _definition(self, function: str) -> tuple[zeep.Client, SoapShapes]:
        location = self.wsdl_location(function)
        if location not in self._definitions:
            try:
                content = self._transport.load(location)
                shapes = SoapShapes(content, location)
                client = zeep.Client(location, transport=self._transport)
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else 0
                if status == 404:
                    raise function_not_found(function) from None
                raise _http_error(status, f"WSDL {location}") from None
            except requests.RequestException as exc:
                raise _unreachable(location, exc) from None
            except (XmlError, ZeepError, etree.XMLSyntaxError, OSError) as exc:
                raise ExternalRuntimeError(f"the WSDL {location} cannot be read: {exc}", 15,
                                           "RFC_EXTERNAL_FAILURE") from None
            self._definitions[location] = (client, shapes)
        client, shapes = self._definitions[location]
        if function not in shapes.functions():
            raise function_not_found(function)
        return client, shapes

    # -- requests and answers --------------------------------------------------------------
    def _envelope(self, calls: list[RfcCall]) -> etree._Element:
        """One SOAP envelope whose Body holds every call, written by zeep."""
        envelope: etree._Element | None = None
        for call in calls:
            function = call.function.upper()
            client, shapes = self._definition(function)
            service = client.create_service(_binding(client, function), self.address)
            values = shapes.to_soap(function, call.params)
            try:
                message = client.create_message(service, function, **values)
            except TypeError as exc:  # zeep: "...() got an unexpected keyword argument 'X'"
                text = str(exc).split(". Signature:", 1)[0].replace(f"{{{RFC_NS}}}", "")
                raise invalid_parameter(f"{function}: {text}") from None
            except (ZeepError, ValueError) as exc:
                raise conversion_failure(f"{function}: {exc}") from None
            if envelope is None:
                envelope = message
            else:
                body = envelope.find(f"{{{SOAP_ENV}}}Body")
                body.extend(message.find(f"{{{SOAP_ENV}}}Body"))  # type: ignore[union-attr]
        assert envelope is not None  # calls is never empty (RfcConnection checks)
        return envelope

    def _post(self, envelope: etree._Element, headers: dict[str, str],
              query: dict[str, str]) -> requests.Response:
        try:
            return self._transport.post_xml(_with_query(self.address, query), envelope, headers)
        except requests.RequestException as exc:
            raise _unreachable(self.url, exc) from None

    def _results(self, response: requests.Response, functions: list[str]
                 ) -> list[dict[str, Any]]:
        body = _body(response)
        if body is None:
            raise _http_error(response.status_code, f"SOAP endpoint {self.url}")
        fault = body.find(f"{{{SOAP_ENV}}}Fault")
        if fault is not None:
            raise _fault_error(fault, functions[0])
        if response.status_code >= 400:
            raise _http_error(response.status_code, f"SOAP endpoint {self.url}")
        answers = {etree.QName(e).localname: e for e in body if isinstance(e.tag, str)}
        results = []
        for function in functions:
            element = answers.get(f"{function}.Response")
            if element is None:
                raise ExternalRuntimeError(f"the SOAP answer holds no {function}.Response", 15,
                                           "RFC_EXTERNAL_FAILURE")
            results.append(self._definition(function)[1].from_xml(f"{function}.Response",
                                                                   element))
        return results


def _binding(client: zeep.Client, function: str) -> str:
    """SAP's binding name for the function, else any binding that has the operation."""
    wanted = f"{{{RFC_NS}}}{function}Binding"
    bindings = client.wsdl.bindings
    if wanted in bindings:
        return wanted
    for name, binding in bindings.items():
        if function in binding.all():
            return str(name)
    raise function_not_found(function)


def _body(response: requests.Response) -> etree._Element | None:
    """The SOAP Body of an answer, or None when the answer is no SOAP envelope."""
    try:
        root = parse_xml(response.content, "SOAP answer")
    except XmlError:
        return None
    return root.find(f"{{{SOAP_ENV}}}Body")


def _fault_error(fault: etree._Element, function: str) -> RFCLibError:
    """A SOAP fault as pyrfc's error (wire.md §2.4: FUNC.Exception, rfc:Error, bare fault)."""
    code = (fault.findtext("faultcode") or "").rsplit(":", 1)[-1]
    text = fault.findtext("faultstring") or code or "SOAP fault"
    detail = next((e for e in fault.iterfind("detail/*") if isinstance(e.tag, str)), None)
    if detail is not None:
        kind = etree.QName(detail).localname
        if kind.endswith(".Exception"):
            name = detail.findtext("Name") or text
            return ABAPApplicationError(detail.findtext("Text") or name, 5, name,
                                        detail.findtext("Message/ID"), "E",
                                        detail.findtext("Message/Number"))
        if kind == "Error":
            error_type = detail.findtext("type") or "SYSTEM_FAILURE"
            message = detail.findtext("message") or text
            if error_type == "RFC_COMMUNICATION_FAILURE":
                return CommunicationError(message, 1, error_type)
            if error_type == "RFC_LOGON_FAILURE":
                return LogonError(message)
            if error_type == "FU_NOT_FOUND":
                return function_not_found(function)
            if error_type in _CALLER_TYPES:
                return ExternalRuntimeError(message, _CALLER_TYPES[error_type], error_type)
            return ABAPRuntimeError(message, 4, error_type)
    if "AUTHORIZATION" in text.upper():
        return LogonError(text)
    return ABAPRuntimeError(text, 4, code or "SOAP_FAULT")


def _http_error(status: int, what: str) -> RFCLibError:
    if status in (401, 403):
        return LogonError(f"{what} refused the logon (HTTP {status})")
    return CommunicationError(f"{what} answered HTTP {status} without a SOAP envelope", 1,
                              "RFC_COMMUNICATION_FAILURE")


def _unreachable(where: str, exc: Exception) -> CommunicationError:
    kind = "timed out" if isinstance(exc, requests.Timeout) else "is unreachable"
    return CommunicationError(f"SOAP partner {where} {kind}: {type(exc).__name__}", 1,
                              "RFC_COMMUNICATION_FAILURE")


def _with_query(url: str, params: dict[str, str]) -> str:
    if not params:
        return url
    return f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(params)}"
