"""Stateful SOAP sessions and tRFC/qRFC headers on `sapgw serve`, driven by zeep and httpx."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import zeep
from zeep.exceptions import Fault

from sapgw.clock import Clock
from sapgw.types import new_tid

pytestmark = pytest.mark.server

NS = "{urn:sap-com:document:sap:rfc:functions}"
ENVELOPE = ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:urn="urn:sap-com:document:sap:rfc:functions"><soapenv:Body>{}'
            '</soapenv:Body></soapenv:Envelope>')


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


def document(reference: str) -> dict[str, Any]:
    return {
        "DOCUMENTHEADER": {"BUS_ACT": "RFBU", "USERNAME": "TESTER", "COMP_CODE": "1000",
                           "DOC_DATE": "2026-11-22", "PSTNG_DATE": "2026-11-22",
                           "DOC_TYPE": "SA", "REF_DOC_NO": reference},
        "ACCOUNTGL": {"item": [{"ITEMNO_ACC": "1", "GL_ACCOUNT": "0000113100"},
                               {"ITEMNO_ACC": "2", "GL_ACCOUNT": "0000140000"}]},
        "CURRENCYAMOUNT": {"item": [
            {"ITEMNO_ACC": "1", "CURRENCY": "EUR", "AMT_DOCCUR": Decimal("75.00")},
            {"ITEMNO_ACC": "2", "CURRENCY": "EUR", "AMT_DOCCUR": Decimal("-75.00")}]}}


def soap_client(url: str) -> zeep.Client:
    wsdl = (f"{url}/sap/bc/soap/wsdl11?sap-client=100&services="
            "BAPI_ACC_DOCUMENT_POST,BAPI_TRANSACTION_COMMIT,RFC_READ_TABLE")
    return zeep.Client(wsdl, transport=zeep.Transport(timeout=10))


def service(client: zeep.Client, function: str, address: str) -> Any:
    return client.create_service(f"{NS}{function}Binding", address)


def documents(client: zeep.Client, url: str, reference: str) -> list[str]:
    read = service(client, "RFC_READ_TABLE", f"{url}/sap/bc/soap/rfc?sap-client=100")
    result = read.RFC_READ_TABLE(QUERY_TABLE="BKPF", DELIMITER="|",
                                 FIELDS={"item": [{"FIELDNAME": "BELNR"}]},
                                 OPTIONS={"item": [{"TEXT": f"XBLNR = '{reference}'"}]})
    return [row.WA.strip() for row in (result.DATA.item if result.DATA else [])]


def test_a_soap_session_commits_a_posting(sapgw_server):
    address = f"{sapgw_server}/sap/bc/soap/rfc?sap-client=100"
    client, reader = soap_client(sapgw_server), soap_client(sapgw_server)
    post = service(client, "BAPI_ACC_DOCUMENT_POST", f"{address}&sap-sessioncmd=open")
    posted = post.BAPI_ACC_DOCUMENT_POST(**document("SOAPSESS1"))
    assert posted.RETURN.item[0].TYPE == "S"
    assert documents(reader, sapgw_server, "SOAPSESS1") == []  # pending in the session's LUW
    commit = service(client, "BAPI_TRANSACTION_COMMIT", f"{address}&sap-sessioncmd=close")
    commit.BAPI_TRANSACTION_COMMIT(WAIT="X")  # the cookie carries the session
    assert documents(reader, sapgw_server, "SOAPSESS1") == [posted.OBJ_KEY[:10]]
    # the session is closed (its cookie deleted): the same two calls now commit nothing
    service(client, "BAPI_ACC_DOCUMENT_POST", address).BAPI_ACC_DOCUMENT_POST(
        **document("SOAPSESS2"))
    service(client, "BAPI_TRANSACTION_COMMIT", address).BAPI_TRANSACTION_COMMIT(WAIT="X")
    assert documents(reader, sapgw_server, "SOAPSESS2") == []


def test_an_unknown_session_is_a_fault(sapgw_server):
    body = ENVELOPE.format("<urn:RFC_PING/>")
    with httpx.Client(base_url=sapgw_server) as http:
        answer = http.post("/sap/bc/soap/rfc", content=body,
                           headers={"sap-contextid": "gone"})
        assert answer.status_code == 500 and b"Session not found" in answer.content
        opened = http.post("/sap/bc/soap/rfc", content=body,
                           headers={"sap-contextid-accept": "header"})
        context = opened.headers["sap-contextid"]
        assert opened.status_code == 200 and http.cookies["sap-contextid"] == context
        closed = http.post("/sap/bc/soap/rfc", content=body,
                           headers={"sap-contextid": context, "sap-contextid-close": "X"})
        assert closed.status_code == 200 and "sap-contextid" not in http.cookies
        assert http.post("/sap/bc/soap/rfc", content=body,
                         headers={"sap-contextid": context}).status_code == 500


def test_soap_trfc_and_qrfc_headers(sapgw_server, sapgw):
    client = soap_client(sapgw_server)
    post = service(client, "BAPI_ACC_DOCUMENT_POST",
                   f"{sapgw_server}/sap/bc/soap/rfc?sap-client=100")
    tid = new_tid()
    with client.settings(extra_http_headers={"sap-trfc-tid": tid}):
        for _ in range(2):
            post.BAPI_ACC_DOCUMENT_POST(**document("SOAPTRFC"))
    assert len(documents(client, sapgw_server, "SOAPTRFC")) == 1

    queued = new_tid()
    with httpx.Client(base_url=sapgw_server) as http:
        body = ENVELOPE.format("<urn:RFC_PING/><urn:RFC_PING/>")
        headers = {"sap-trfc-tid": queued, "sap-qrfc-queue": "ZSOAPQ"}
        answer = http.post("/sap/bc/soap/rfc", content=body, headers=headers)
        assert answer.status_code == 200, answer.text
        assert (answer.headers["sap-trfc-state"], answer.headers["sap-qrfc-queue"]) == (
            "QUEUED", "ZSOAPQ")
        assert answer.content.count(b"RFC_PING.Response") == 2
        bad = http.post("/sap/bc/soap/rfc", content=body, headers={"sap-qrfc-queue": "Q"})
        assert bad.status_code == 500 and b"RFC_INVALID_PARAMETER" in bad.content
        two = http.post("/sap/bc/soap/rfc", content=body)
        assert two.status_code == 500 and b"only a tRFC unit" in two.content
    sapgw.wait_until_idle(30)
    assert sapgw.queues("in") == []


def test_a_fault_of_a_unit_says_what_failed(sapgw_server):
    client = soap_client(sapgw_server)
    post = service(client, "BAPI_ACC_DOCUMENT_POST",
                   f"{sapgw_server}/sap/bc/soap/rfc?sap-client=100")
    unbalanced = document("SOAPBAD")
    unbalanced["CURRENCYAMOUNT"]["item"][1]["AMT_DOCCUR"] = Decimal("-1.00")
    with client.settings(extra_http_headers={"sap-trfc-tid": new_tid()}), \
            pytest.raises(Fault) as fault:
        post.BAPI_ACC_DOCUMENT_POST(**unbalanced)
    assert fault.value.message == "APPLICATION_ERROR"
