"""The generated WSDL: SAP's rfc:functions shape, DDIC types as XSD facets, a valid schema."""

import pytest
from lxml import etree

from sapgw.rfc.soap_server import answer_call
from sapgw.rfc.wsdl import RFC_NS, wsdl_document

NS = {"wsdl": "http://schemas.xmlsoap.org/wsdl/", "xsd": "http://www.w3.org/2001/XMLSchema",
      "soap": "http://schemas.xmlsoap.org/wsdl/soap/"}
LOCATION = "http://erp.example:8000/sap/bc/soap/rfc"


@pytest.fixture
def wsdl(erp):
    functions = [erp.registry.get(name).interface
                 for name in ("BAPI_ACC_DOCUMENT_CHECK", "RFC_READ_TABLE", "Z_JSONRFC_POST")]
    return etree.fromstring(wsdl_document(functions, LOCATION))


def element(wsdl, name):
    found = wsdl.xpath(f"//xsd:schema/xsd:element[@name='{name}']", namespaces=NS)
    assert len(found) == 1, name
    return found[0]


def named_type(wsdl, name):
    found = wsdl.xpath(f"//xsd:schema/*[@name='{name}']", namespaces=NS)
    assert len(found) == 1, name  # every named type is declared exactly once
    return found[0]


def params(el):
    return {p.get("name"): p for p in el.xpath("xsd:complexType/xsd:all/xsd:element",
                                               namespaces=NS)}


def facets(el):
    return {f.tag.split("}")[1]: f.get("value")
            for f in el.xpath("xsd:simpleType/xsd:restriction/*", namespaces=NS)}


def test_request_and_response_elements(wsdl):
    assert wsdl.get("targetNamespace") == RFC_NS
    request = params(element(wsdl, "BAPI_ACC_DOCUMENT_CHECK"))
    assert list(request) == ["DOCUMENTHEADER", "ACCOUNTGL", "ACCOUNTRECEIVABLE",
                             "ACCOUNTPAYABLE", "CURRENCYAMOUNT", "RETURN"]
    assert request["DOCUMENTHEADER"].get("type") == "s0:BAPIACHE09"
    assert request["DOCUMENTHEADER"].get("minOccurs") is None  # required
    assert request["ACCOUNTGL"].get("type") == "s0:TABLE_OF_BAPIACGL09"
    assert request["ACCOUNTGL"].get("minOccurs") == "0"
    response = params(element(wsdl, "BAPI_ACC_DOCUMENT_CHECK.Response"))
    assert "DOCUMENTHEADER" not in response  # IMPORTING parameters are not answered
    assert response["RETURN"].get("type") == "s0:TABLE_OF_BAPIRET2"
    read = params(element(wsdl, "RFC_READ_TABLE"))
    assert read["ROWCOUNT"].get("type") == "xsd:int"
    assert facets(read["QUERY_TABLE"]) == {"maxLength": "30"}
    assert read["QUERY_TABLE"].get("minOccurs") is None
    assert read["DELIMITER"].get("minOccurs") == "0"


def test_tables_structures_and_ddic_facets(wsdl):
    item = named_type(wsdl, "TABLE_OF_BAPIRET2").xpath("xsd:sequence/xsd:element",
                                                       namespaces=NS)
    assert [(i.get("name"), i.get("maxOccurs"), i.get("type")) for i in item] == [
        ("item", "unbounded", "s0:BAPIRET2")]
    header = {f.get("name"): f for f in named_type(wsdl, "BAPIACHE09").xpath(
        "xsd:sequence/xsd:element", namespaces=NS)}
    assert facets(header["PSTNG_DATE"])["pattern"] == r"\d\d\d\d-\d\d-\d\d"
    assert facets(header["COMP_CODE"]) == {"maxLength": "4"}
    amounts = {f.get("name"): f for f in named_type(wsdl, "BAPIACCR09").xpath(
        "xsd:sequence/xsd:element", namespaces=NS)}
    assert facets(amounts["AMT_DOCCUR"]) == {"totalDigits": "23", "fractionDigits": "4"}
    assert facets(amounts["ITEMNO_ACC"]) == {"maxLength": "10", "pattern": r"\d*"}
    total = params(element(wsdl, "Z_JSONRFC_POST.Response"))["TOTAL"]
    assert facets(total) == {"totalDigits": "15", "fractionDigits": "2"}


def test_exceptions_messages_bindings_and_services(wsdl):
    exception = element(wsdl, "RFC_READ_TABLE.Exception")
    assert exception.get("type") == "s0:RFC_READ_TABLE.RfcException"
    keys = named_type(wsdl, "RFC_READ_TABLE.RfcExceptions").xpath(
        "xsd:restriction/xsd:enumeration/@value", namespaces=NS)
    assert "TABLE_NOT_AVAILABLE" in keys
    assert wsdl.xpath("//wsdl:message[@name='RFC_READ_TABLEOutput']/wsdl:part/@element",
                      namespaces=NS) == ["s0:RFC_READ_TABLE.Response"]
    action = wsdl.xpath("//wsdl:binding[@name='RFC_READ_TABLEBinding']//soap:operation"
                        "/@soapAction", namespaces=NS)
    assert action == ["http://www.sap.com/RFC_READ_TABLE"]
    # SAP's service per function, after sapgw's one with all of them (for zeep's
    # `client.service`)
    assert wsdl.xpath("//soap:binding/@style", namespaces=NS) == ["document"] * 4
    assert wsdl.xpath("//wsdl:service/wsdl:port/soap:address/@location",
                      namespaces=NS) == [LOCATION] * 4
    operations = wsdl.xpath("//wsdl:portType[@name='RfcFunctionsPortType']/wsdl:operation/@name",
                            namespaces=NS)
    assert operations == wsdl.xpath("//wsdl:portType[@name!='RfcFunctionsPortType']"
                                    "/wsdl:operation/@name", namespaces=NS)
    # no exceptions declared: no exception element
    assert not wsdl.xpath("//xsd:element[@name='BAPI_ACC_DOCUMENT_CHECK.Exception']",
                          namespaces=NS)


def test_a_real_answer_is_valid_against_the_schema(erp, wsdl):
    # serialised alone, the schema keeps the prefixes it inherits (s0:)
    schema_root = wsdl.find("wsdl:types/xsd:schema", NS)
    schema = etree.XMLSchema(etree.fromstring(etree.tostring(schema_root)))
    body = (b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" '
            b'xmlns:rfc="urn:sap-com:document:sap:rfc:functions"><e:Body><rfc:Z_JSONRFC_POST>'
            b"<KEY>K1</KEY><ITEMS><item><KEY>A</KEY><AMOUNT>1.50</AMOUNT>"
            b"<DATE>2026-11-22</DATE></item><item><AMOUNT>-0.25</AMOUNT><DATE>20261123</DATE>"
            b"</item></ITEMS></rfc:Z_JSONRFC_POST></e:Body></e:Envelope>")
    status, content = answer_call(erp.connect, lambda n: erp.registry.get(n).interface, body)
    assert status == 200
    response = etree.fromstring(content)[0][0]
    schema.assertValid(response)
    assert response.findtext("TOTAL") == "1.25"
    assert response.xpath("ITEMS/item/DATE/text()") == ["2026-11-22", "2026-11-23"]
