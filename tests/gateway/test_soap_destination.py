"""`type = soap` destinations against a partner that `responses` stands in for (soap_partner)."""

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import requests
import responses

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem
from sapgw.gateway.config import ConfigError
from sapgw.gateway.rfc.soap_destination import SoapRfcConnection
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.errors import (
    ABAPApplicationError,
    CommunicationError,
    ExternalRuntimeError,
    LogonError,
)
from sapgw.types import RfcCall, new_tid

from .soap_partner import URL, WSDL_URL, SoapPartner, partner_erp, soap_partner


@pytest.fixture
def erp(tmp_path) -> Iterator[ErpSystem]:
    clock = Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    with partner_erp(tmp_path / "partner.db", clock) as system:
        yield system


@pytest.fixture
def partner(erp) -> Iterator[SoapPartner]:
    with soap_partner(erp) as answering:
        yield answering


@pytest.fixture
def conn(partner) -> Iterator[SoapRfcConnection]:
    connection = SoapRfcConnection(URL, user="RFCUSER", passwd="secret", client="100",
                                   timeout=5)
    yield connection
    connection.close()


def document(reference: str, credit: str = "-75.00") -> dict:
    return {
        "DOCUMENTHEADER": {"BUS_ACT": "RFBU", "USERNAME": "TESTER", "COMP_CODE": "1000",
                           "DOC_DATE": "20261122", "PSTNG_DATE": "20261122",
                           "DOC_TYPE": "SA", "REF_DOC_NO": reference},
        "ACCOUNTGL": [{"ITEMNO_ACC": "1", "GL_ACCOUNT": "0000113100"},
                      {"ITEMNO_ACC": "2", "GL_ACCOUNT": "0000140000"}],
        "CURRENCYAMOUNT": [{"ITEMNO_ACC": "1", "CURRENCY": "EUR", "AMT_DOCCUR": "75.00"},
                           {"ITEMNO_ACC": "2", "CURRENCY": "EUR", "AMT_DOCCUR": credit}]}


def posted(erp: ErpSystem, reference: str) -> list[str]:
    with erp.connect() as conn:
        result = conn.call("RFC_READ_TABLE", QUERY_TABLE="BKPF",
                           FIELDS=[{"FIELDNAME": "BELNR"}, {"FIELDNAME": "BLDAT"}],
                           OPTIONS=[{"TEXT": f"XBLNR = '{reference}'"}], DELIMITER="|")
    return [row["WA"] for row in result["DATA"]]


def test_calls_share_a_session_and_come_back_in_pyrfcs_shape(conn, partner, erp):
    echo = conn.call("STFC_CONNECTION", REQUTEXT="hello")
    assert echo["ECHOTEXT"] == "hello" and "ERP" in echo["RESPTEXT"]
    result = conn.call("BAPI_ACC_DOCUMENT_POST", **document("SOAPDEST1"))
    assert [row["TYPE"] for row in result["RETURN"]] == ["S"]
    amounts = result["CURRENCYAMOUNT"]
    assert [a["AMT_DOCCUR"] for a in amounts] == [Decimal("75.0000"), Decimal("-75.0000")]
    first = partner.requests[0]
    assert "sap-sessioncmd=open" in first.url and "sap-client=100" in first.url
    assert first.headers["Authorization"] == "Basic " + base64.b64encode(
        b"RFCUSER:secret").decode()
    assert "sap-sessioncmd" not in partner.requests[1].url
    assert b"<PSTNG_DATE>2026-11-22</PSTNG_DATE>" in partner.requests[1].body
    assert b"<item>" in partner.requests[1].body  # tables go as item rows


def test_dates_come_back_as_pyrfc_dates(conn, partner):
    partner.canned = lambda calls: [{"ACCOUNTGL": [
        {"ITEMNO_ACC": "1", "PSTNG_DATE": "20261122", "VALUE_DATE": ""}]}]
    result = conn.call("BAPI_ACC_DOCUMENT_CHECK", **document("DATES"))
    row = result["ACCOUNTGL"][0]
    assert (row["PSTNG_DATE"], row["VALUE_DATE"], row["ITEMNO_ACC"]) == (
        "20261122", "", "1")
    assert b"<PSTNG_DATE>2026-11-22</PSTNG_DATE>" in partner.requests[-1].body
    assert result["RETURN"] == []


def test_errors_are_pyrfcs(conn, partner):
    with pytest.raises(ABAPApplicationError) as exception:
        conn.call("RFC_READ_TABLE", QUERY_TABLE="ZNOPE")
    assert exception.value.key == "TABLE_NOT_AVAILABLE"
    with pytest.raises(ExternalRuntimeError) as wrong:
        conn.call("STFC_CONNECTION", NOPE="x")
    assert wrong.value.key == "RFC_INVALID_PARAMETER"
    with pytest.raises(ABAPApplicationError) as unknown:
        conn.call("Z_NOT_THERE")
    assert unknown.value.key == "FU_NOT_FOUND"
    partner.mode = "proxy"
    with pytest.raises(CommunicationError, match="HTTP 502"):
        conn.call("RFC_PING")
    partner.mode = "down"
    with pytest.raises(CommunicationError) as down:
        conn.call("RFC_PING")
    assert down.value.retryable and "erp.partner" in down.value.message


def test_parameters_of_the_wrong_shape_are_conversion_failures(conn, partner):
    for params, message in (
            ({"ACCOUNTGL": {"ITEMNO_ACC": "1"}}, "ACCOUNTGL: a table (a list of rows) is"),
            ({"ACCOUNTGL": [["1"]]}, "ACCOUNTGL[1]: a structure (a dict of fields) is"),
            ({"DOCUMENTHEADER": "RFBU"}, "DOCUMENTHEADER: a structure (a dict of fields) is")):
        with pytest.raises(ExternalRuntimeError) as wrong:
            conn.call("BAPI_ACC_DOCUMENT_CHECK", **params)
        assert wrong.value.key == "RFC_CONVERSION_FAILURE" and message in wrong.value.message
    with pytest.raises(ExternalRuntimeError) as unknown:
        conn.call("BAPI_ACC_DOCUMENT_CHECK", DOCUMENTHEADER={"NOPE": "x"})
    assert unknown.value.message.endswith("got an unexpected keyword argument 'NOPE'")
    assert partner.requests == [], "nothing was sent"


def test_config_refuses_what_cannot_work(monkeypatch):
    monkeypatch.delenv("SAPGW_TEST_UNSET", raising=False)
    with pytest.raises(ConfigError) as refused:
        Gateway.in_memory(overrides={"gateway": {"serve_rfc": ""}, "destination ERP": {
            "type": "soap", "url": URL, "client": "1000"}})
    assert refused.value.problems == ["[destination ERP] client: '1000' is not 3 digits"]
    with pytest.raises(ConfigError) as unset:
        Gateway.in_memory(overrides={"gateway": {"serve_rfc": ""}, "destination ERP": {
            "type": "soap", "url": URL, "passwd": "env:SAPGW_TEST_UNSET"}})
    assert unset.value.problems == ["[destination ERP] passwd = env:SAPGW_TEST_UNSET: "
                                    "environment variable SAPGW_TEST_UNSET is not set"]


def test_a_wsdl_that_cannot_be_had(partner):
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, WSDL_URL, status=401)
        with SoapRfcConnection(URL) as refused, pytest.raises(LogonError):
            refused.call("RFC_PING")
        mock.add(responses.GET, WSDL_URL, body=requests.Timeout("slow"))
        with SoapRfcConnection(URL) as slow, pytest.raises(CommunicationError, match="timed"):
            slow.call("RFC_PING")


def test_a_unit_is_one_envelope_executed_once(conn, partner, erp):
    tid = new_tid()
    unit = {"id": tid, "background": False, "queued": False}
    for _ in range(2):
        conn.fill_and_submit_unit(dict(unit), [("BAPI_ACC_DOCUMENT_POST", document("UNIT1")),
                                               ("RFC_PING", {})], ["R3AUTEST"])
        conn.destroy_unit(unit)
    request = partner.requests[-1]
    assert (request.headers["sap-trfc-tid"], request.headers["sap-qrfc-queue"]) == (
        tid, "R3AUTEST")
    assert request.body.count(b":BAPI_ACC_DOCUMENT_POST") == 2  # open and close tag
    assert b":RFC_PING" in request.body
    assert len(posted(erp, "UNIT1")) == 1
    conn.confirm_unit(unit)


def test_a_unit_whose_answer_has_an_error_fails(conn, partner):
    partner.knows_units = False  # SAP's service: runs the BAPI and answers its RETURN
    partner.canned = lambda calls: [{"RETURN": [
        {"TYPE": "E", "ID": "RW", "NUMBER": "609", "MESSAGE": "Error in document"}]}]
    with pytest.raises(ABAPApplicationError) as failed:
        conn.fill_and_submit_unit({"id": new_tid(), "background": False},
                                  [("BAPI_ACC_DOCUMENT_CHECK", document("X"))])
    assert (failed.value.msg_class, failed.value.msg_number) == ("RW", "609")


def test_a_fault_in_a_unit(conn, partner):
    partner.failing = {"BAPI_ACC_DOCUMENT_POST"}
    done, failure = conn.submit_units([(new_tid(), [RfcCall("BAPI_ACC_DOCUMENT_POST",
                                                            document("F"))], "Q")])
    assert done == 0 and isinstance(failure, ABAPApplicationError)
    assert (failure.key, failure.msg_class, failure.msg_number) == ("PERIOD_CLOSED", "F5", "201")
    assert not failure.retryable
