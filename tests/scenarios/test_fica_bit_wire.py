"""/1FE/0SAP_BIT_CREATE_API from a charging system: the namespaced name over JSON RFC (as a
path and URL-encoded), in a tRFC unit, and over SOAP (`_-1FE_-0SAP_BIT_CREATE_API`)."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from sapgw.types import new_tid

from .conftest import read_table
from .test_provcontract_flow import in_session, master_data

ITEM = {"SRCTATYPE": "01", "SUBPROCESS": "SUBP", "BITTYPE": "USAG", "VTREF": "PC-9",
        "VTPOS": "000010", "BIT_AMOUNT": "1.50", "BIT_CURR": "EUR", "BITDATE": "20261215"}


def contract(http: TestClient) -> str:
    gpart, vkont = master_data(http)
    in_session(http, "FKK_VT_MAINTAIN",
               VT_HEADER={"VTKEY": "PC-9", "GPART": gpart, "BUKRS": "1000"},
               VT_ITEMS=[{"VTPOS": "10", "VKONT": vkont, "VALFR": "20261201000000",
                          "PRDNR": "SERVICE"}])
    return vkont


def create_in_session(http: TestClient, path: str, items: list[dict[str, Any]]
                      ) -> dict[str, Any]:
    opened = http.post(path, headers={"sap-contextid-accept": "header"},
                       json={"IT_BIT_IT": items})
    assert opened.status_code == 200, opened.text
    http.post("/sap/bc/rfc/BAPI_TRANSACTION_COMMIT", json={}, headers={
        "sap-contextid": opened.headers["sap-contextid"], "sap-contextid-close": "X"})
    return dict(opened.json())


def test_json_rfc_takes_the_name_as_a_path_and_url_encoded(http: TestClient) -> None:
    vkont = contract(http)
    plain = create_in_session(http, "/sap/bc/rfc//1FE/0SAP_BIT_CREATE_API",
                              [{**ITEM, "SRCTAID": "A-1", "VKONT": vkont}])
    encoded = create_in_session(http, "/sap/bc/rfc/%2F1FE%2F0SAP_BIT_CREATE_API",
                                [{**ITEM, "SRCTAID": "A-2", "VKONT": vkont}])
    assert [row["BITSTATUS"] for row in plain["ET_BIT_RESULT"] + encoded["ET_BIT_RESULT"]] \
        == ["2", "2"]

    tid = new_tid()
    unit = http.post("/sap/bc/rfc_unit", json={"TID": tid, "CALLS": [
        ["/1FE/0SAP_BIT_CREATE_API", {"IT_BIT_IT": [{**ITEM, "SRCTAID": "A-3",
                                                     "VKONT": vkont}]}]]})
    assert unit.json() == {"TID": tid, "STATE": "EXECUTED"}
    assert read_table(http, "/1FE/00SAP2IT", ["SRCTAID", "SERVICE_TYPE", "RAREL"]) == [
        {"SRCTAID": f"A-{n}", "SERVICE_TYPE": "USAGE", "RAREL": "X"} for n in (1, 2, 3)]
    unknown = http.post("/sap/bc/rfc/%2F1FE%2FZZZZ_BIT_CREATE_API", json={})
    assert unknown.status_code == 404


def test_soap_serves_the_namespaced_function_and_its_wsdl(http: TestClient) -> None:
    vkont = contract(http)
    wsdl = http.get("/sap/bc/soap/wsdl11?services=/1FE/0SAP_BIT_CREATE_API")
    assert wsdl.status_code == 200 and b"_-1FE_-0SAP_BIT_CREATE_API.Response" in wsdl.content
    envelope = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:urn="urn:sap-com:document:sap:rfc:functions"><soapenv:Body>'
        '<urn:_-1FE_-0SAP_BIT_CREATE_API><IT_BIT_IT><item>'
        '<SRCTATYPE>01</SRCTATYPE><SRCTAID>S-1</SRCTAID><SUBPROCESS>SUBP</SUBPROCESS>'
        f'<BITTYPE>USAG</BITTYPE><VKONT>{vkont}</VKONT><VTREF>PC-9</VTREF>'
        '<VTPOS>000010</VTPOS><BIT_AMOUNT>2.00</BIT_AMOUNT><BIT_CURR>EUR</BIT_CURR>'
        '<BITDATE>2026-12-15</BITDATE></item></IT_BIT_IT>'
        '</urn:_-1FE_-0SAP_BIT_CREATE_API></soapenv:Body></soapenv:Envelope>')
    answer = http.post("/sap/bc/soap/rfc?sap-sessioncmd=open", content=envelope)
    assert answer.status_code == 200, answer.text
    assert "<BITSTATUS>2</BITSTATUS>" in answer.text
    commit = ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
              'xmlns:urn="urn:sap-com:document:sap:rfc:functions"><soapenv:Body>'
              '<urn:BAPI_TRANSACTION_COMMIT/></soapenv:Body></soapenv:Envelope>')
    assert http.post("/sap/bc/soap/rfc?sap-sessioncmd=close", content=commit).status_code == 200
    assert read_table(http, "/1FE/00SAP2IT", ["SRCTAID", "BIT_AMOUNT"]) == [
        {"SRCTAID": "S-1", "BIT_AMOUNT": "2.00"}]
