"""SOAP RFC routes in process: envelopes in, `FUNC.Response` or SOAP faults out."""

from collections.abc import Iterator

import pytest
from lxml import etree
from starlette.applications import Starlette

from sapgw.rfc.soap_server import soap_routes
from tests.rfc.conftest import TestClient

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
RFC = "urn:sap-com:document:sap:rfc:functions"
NS = {"e": ENV, "rfc": RFC, "err": "urn:sap-com:document:sap:soap:functions"}


def envelope(call: str) -> bytes:
    return (f'<soapenv:Envelope xmlns:soapenv="{ENV}" xmlns:urn="{RFC}">\n'
            f"<soapenv:Header/>\n<soapenv:Body>\n{call}\n</soapenv:Body>\n"
            f"</soapenv:Envelope>").encode()


@pytest.fixture
def soap(erp) -> Iterator[TestClient]:
    routes = soap_routes(erp.connect, lambda name: erp.registry.get(name).interface,
                         erp.registry.names)
    with TestClient(Starlette(routes=routes)) as client:
        yield client


def post(soap, body: bytes, status: int = 200) -> etree._Element:
    response = soap.post("/sap/bc/soap/rfc?sap-client=100", content=body,
                         headers={"Content-Type": "text/xml; charset=utf-8",
                                  "SOAPAction": "urn:sap-com:document:sap:rfc:functions"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    return etree.fromstring(response.content)


def fault(soap, body: bytes) -> tuple[str, str, etree._Element]:
    root = post(soap, body, 500)
    found = root.find("e:Body/e:Fault", NS)
    assert "Traceback" not in etree.tostring(root).decode()
    return found.findtext("faultcode"), found.findtext("faultstring"), found.find("detail")[0]


def test_stfc_connection_round_trip(soap):
    root = post(soap, envelope("<urn:STFC_CONNECTION><REQUTEXT>Hello SOAP</REQUTEXT>"
                               "</urn:STFC_CONNECTION>"))
    response = root.find("e:Body/rfc:STFC_CONNECTION.Response", NS)
    assert response.prefix == "urn"  # SAP answers with the request's prefix
    assert response.findtext("ECHOTEXT") == "Hello SOAP"
    assert "Date: 20261122" in response.findtext("RESPTEXT")


def test_structures_tables_decimals_and_dates(soap):
    root = post(soap, envelope(
        "<urn:Z_JSONRFC_POST><KEY>K</KEY><ITEMS>"
        "<item><AMOUNT>10.10</AMOUNT><DATE>2026-01-31</DATE></item>"
        "<item><KEY>B</KEY><AMOUNT>-0.10</AMOUNT></item>"
        "</ITEMS></urn:Z_JSONRFC_POST>"))
    response = root.find("e:Body/rfc:Z_JSONRFC_POST.Response", NS)
    assert [child.tag for child in response] == ["TOTAL", "RETURN", "ITEMS"]
    assert response.findtext("TOTAL") == "10.00"
    assert response.findtext("RETURN/TYPE") == ""
    rows = [{f.tag: f.text or "" for f in item} for item in response.findall("ITEMS/item")]
    assert rows == [{"KEY": "", "AMOUNT": "10.10", "DATE": "2026-01-31"},
                    {"KEY": "B", "AMOUNT": "-0.10", "DATE": "0000-00-00"}]


def test_abap_exception_is_a_fault_with_the_exception_element(soap):
    code, string, detail = fault(soap, envelope(
        "<urn:RFC_READ_TABLE><QUERY_TABLE>ZNOPE</QUERY_TABLE></urn:RFC_READ_TABLE>"))
    assert (code, string) == ("SOAP-ENV:Client", "TABLE_NOT_AVAILABLE")
    assert detail.tag == f"{{{RFC}}}RFC_READ_TABLE.Exception"
    assert detail.findtext("Name") == "TABLE_NOT_AVAILABLE"
    assert "ZNOPE" in detail.findtext("Text")
    assert (detail.findtext("Message/ID"), detail.findtext("Message/Number")) == ("SV", "029")


@pytest.mark.parametrize(("call", "kind", "says"), [
    ("<urn:Z_NOPE/>", "FU_NOT_FOUND", "function module Z_NOPE does not exist"),
    ("<urn:STFC_CONNECTION><REQUTEXT>x</REQUTEXT><NOPE>1</NOPE></urn:STFC_CONNECTION>",
     "RFC_INVALID_PARAMETER", "line 4: function STFC_CONNECTION has no parameter NOPE"),
    ("<urn:STFC_CONNECTION><ECHOTEXT>x</ECHOTEXT></urn:STFC_CONNECTION>",
     "RFC_INVALID_PARAMETER", "ECHOTEXT is an exporting parameter"),
    ("<urn:STFC_CONNECTION/>", "RFC_INVALID_PARAMETER",
     "'REQUTEXT' of STFC_CONNECTION is required"),
    ("<urn:RFC_READ_TABLE><QUERY_TABLE>NRIV</QUERY_TABLE><ROWCOUNT>ten</ROWCOUNT>"
     "</urn:RFC_READ_TABLE>", "RFC_CONVERSION_FAILURE", "ROWCOUNT: an integer is required"),
    ("<urn:Z_JSONRFC_POST><KEY>K</KEY><ITEMS><item><DATE>2026-02-30</DATE></item></ITEMS>"
     "</urn:Z_JSONRFC_POST>", "RFC_CONVERSION_FAILURE", "ITEMS[1]-DATE: '2026-02-30' is not"),
    ("<urn:Z_JSONRFC_POST><KEY>K</KEY><ITEMS><row/></ITEMS></urn:Z_JSONRFC_POST>",
     "RFC_INVALID_PARAMETER", "rows of table ITEMS are <item> elements, found <row>"),
    ("<urn:Z_JSONRFC_POST><KEY>K</KEY><ITEMS><item><COLOUR/></item></ITEMS>"
     "</urn:Z_JSONRFC_POST>", "RFC_INVALID_PARAMETER", "structure ZITEM has no field COLOUR"),
])
def test_bad_calls_are_client_faults_that_say_what_is_wrong(soap, call, kind, says):
    code, string, detail = fault(soap, envelope(call))
    assert code == "SOAP-ENV:Client"
    assert string.startswith(f"{kind}: ")
    assert detail.tag == f"{{{NS['err']}}}Error"
    assert detail.findtext("type") == kind
    assert says in detail.findtext("message")


@pytest.mark.parametrize(("body", "kind", "says"), [
    (b"<soapenv:Envelope>\n<broken", "XML_NOT_WELL_FORMED", "SOAP request line 1"),
    (b"<a>\n</b>", "XML_NOT_WELL_FORMED", "SOAP request line 2"),
    (b"", "XML_NOT_WELL_FORMED", "empty"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
     + envelope("<urn:STFC_CONNECTION><REQUTEXT>&x;</REQUTEXT></urn:STFC_CONNECTION>"),
     "XML_NOT_WELL_FORMED", "line 2: a DOCTYPE is not allowed"),
    (b"<request><STFC_CONNECTION/></request>", "SOAP_ENVELOPE_INVALID",
     "line 1: not a SOAP 1.1 envelope"),
    (f'<e:Envelope xmlns:e="{ENV}">\n<e:Header/></e:Envelope>'.encode(),
     "SOAP_ENVELOPE_INVALID", "has no Body"),
    (f'<e:Envelope xmlns:e="{ENV}">\n<e:Body>\n</e:Body></e:Envelope>'.encode(),
     "SOAP_ENVELOPE_INVALID", "line 2: the SOAP Body is empty"),
    (b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>',
     "SOAP_ENVELOPE_INVALID", "SOAP 1.2 envelopes are not supported"),
])
def test_malformed_requests_are_faults_with_line_numbers(soap, body, kind, says):
    code, string, detail = fault(soap, body)
    assert code == "SOAP-ENV:Client"
    assert detail.findtext("type") == kind
    assert says in string
    assert "root:" not in string  # the external entity was never read


def test_an_unexpected_failure_is_a_server_fault_without_traceback(soap):
    code, string, _ = fault(soap, envelope("<urn:Z_JSONRFC_CRASH/>"))
    assert (code, string) == ("SOAP-ENV:Server", "SYSTEM_FAILURE: RuntimeError: disk on fire")


def test_wsdl_routes(soap):
    for path in ("/sap/bc/soap/wsdl11", "/sap/bc/soap/wsdl"):
        response = soap.get(path, params={"services": "STFC_CONNECTION,rfc_ping",
                                          "sap-client": "100"})
        assert response.status_code == 200
        wsdl = etree.fromstring(response.content)
        services = wsdl.xpath("//*[local-name()='service']/@name")
        assert services == ["RfcFunctionsService", "STFC_CONNECTIONService", "RFC_PINGService"]
        assert wsdl.xpath("//*[local-name()='address']/@location") == [
            "http://testserver/sap/bc/soap/rfc?sap-client=100"] * 3
    matched = etree.fromstring(soap.get("/sap/bc/soap/wsdl11?services=BAPI_ACC_DOC*").content)
    assert matched.xpath("//*[local-name()='service']/@name") == [
        "RfcFunctionsService", "BAPI_ACC_DOCUMENT_CHECKService", "BAPI_ACC_DOCUMENT_POSTService"]
    unknown = soap.get("/sap/bc/soap/wsdl11?services=STFC_CONNECTION,Z_NOPE")
    assert (unknown.status_code, unknown.text) == (404, "function module Z_NOPE does not exist\n")
    assert soap.get("/sap/bc/soap/wsdl11?services=ZZ*").status_code == 404
    assert soap.get("/sap/bc/soap/wsdl11").status_code == 400
