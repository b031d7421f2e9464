"""HttpRfcConnection in process: through the TestClient to the routes, or a fake transport."""

import base64
from datetime import date
from decimal import Decimal

import httpx
import pytest

from sapgw.rfc.errors import (
    ABAPApplicationError,
    CommunicationError,
    ExternalRuntimeError,
    LogonError,
    RFCError,
)
from sapgw.rfc.jsonrfc_client import HttpRfcConnection
from sapgw.rfc.jsonvalues import decimal_fields, dumps, loads, restore_decimals
from sapgw.types import new_tid

URL = "http://testserver"


@pytest.fixture
def rfc(client) -> HttpRfcConnection:
    with HttpRfcConnection(URL, client=client) as conn:
        yield conn


def count(client) -> int:
    with HttpRfcConnection(URL, client=client) as conn:
        return conn.call("Z_JSONRFC_COUNT")["COUNT"]


def fake(handler) -> HttpRfcConnection:
    return HttpRfcConnection("http://user:secret@erp.example:8080",
                             client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_call_gives_decimals_back_as_decimal(rfc):
    result = rfc.call("Z_JSONRFC_POST", KEY="A", ITEMS=[
        {"KEY": "1", "AMOUNT": Decimal("1.50"), "DATE": date(2026, 11, 22)},
        {"KEY": "2", "AMOUNT": "2.25"}])
    assert result["TOTAL"] == Decimal("3.75")
    assert isinstance(result["TOTAL"], Decimal)
    assert [i["AMOUNT"] for i in result["ITEMS"]] == [Decimal("1.50"), Decimal("2.25")]
    assert result["ITEMS"][0]["DATE"] == "20261122"
    assert result["RETURN"]["NUMBER"] == "000"  # NUMC stays a string


def test_ping_and_echo(rfc):
    rfc.ping()
    assert rfc.call("STFC_CONNECTION", REQUTEXT="hi")["ECHOTEXT"] == "hi"


def test_calls_of_one_connection_form_one_luw(client):
    with HttpRfcConnection(URL, client=client) as conn:
        conn.call("Z_JSONRFC_POST", KEY="A")
        assert count(client) == 0
        conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
        assert count(client) == 1
    with HttpRfcConnection(URL, client=client) as conn:
        conn.call("Z_JSONRFC_POST", KEY="B")
    assert count(client) == 1  # closed without commit: discarded
    with pytest.raises(RFCError, match="connection is closed"):
        conn.call("RFC_PING")


def test_errors_come_back_as_pyrfc_classes(rfc):
    with pytest.raises(ABAPApplicationError) as unknown:
        rfc.call("Z_NOPE")
    assert (unknown.value.key, unknown.value.code, unknown.value.msg_v1) == (
        "FU_NOT_FOUND", 5, "Z_NOPE")
    with pytest.raises(ExternalRuntimeError) as bad:
        rfc.call("STFC_CONNECTION", REQUTEXT="x", UNDEFINED="y")
    assert bad.value.key == "RFC_INVALID_PARAMETER"
    with pytest.raises(ExternalRuntimeError, match="RuntimeError: disk on fire"):
        rfc.call("Z_JSONRFC_CRASH")
    with pytest.raises(ExternalRuntimeError) as unsendable:
        rfc.call("STFC_CONNECTION", REQUTEXT={"a set"})
    assert unsendable.value.key == "RFC_CONVERSION_FAILURE"


def test_units_execute_once_and_confirm(client):
    tid = new_tid()
    calls = [("Z_JSONRFC_POST", {"KEY": "A"}), ("Z_JSONRFC_POST", {"KEY": "B"})]
    for _ in range(2):  # a second delivery, e.g. after a crash, on a new connection
        with HttpRfcConnection(URL, client=client) as conn:
            unit = conn.initialize_unit(background=False)
            unit["id"] = tid
            assert conn.fill_and_submit_unit(unit, calls, queue_names=["R3AUTEST"])["queued"]
            conn.confirm_unit(unit)
    assert count(client) == 2


def test_failing_unit_raises_the_application_error(rfc, client):
    unit = rfc.initialize_unit(background=False)
    with pytest.raises(ABAPApplicationError) as failed:
        rfc.fill_and_submit_unit(unit, [("Z_JSONRFC_POST", {"KEY": "A", "FAIL": "X"})])
    assert failed.value.messages[0]["NUMBER"] == "609"
    assert count(client) == 0


# -- communication failures, with a fake transport -----------------------------------------
def test_5xx_without_an_error_body_is_a_communication_error():
    conn = fake(lambda request: httpx.Response(502, text="<html>Bad Gateway</html>"))
    with pytest.raises(CommunicationError) as error:
        conn.call("RFC_PING")
    assert (error.value.code, error.value.key) == (1, "RFC_COMMUNICATION_FAILURE")
    assert "HTTP 502" in error.value.message
    assert "erp.example:8080/sap/bc/rfc/RFC_PING" in error.value.message
    assert "secret" not in error.value.message and "secret" not in repr(conn)
    assert error.value.retryable


def test_user_and_passwd_go_as_basic_auth_and_a_bare_401_is_a_logon_error():
    seen: list[str] = []

    def login_page(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(401, text="<html>Login</html>")

    conn = HttpRfcConnection("http://erp.example", user="RFC_USER", passwd="pw",
                             client=httpx.Client(transport=httpx.MockTransport(login_page)))
    with pytest.raises(LogonError) as error:
        conn.call("RFC_PING")
    assert seen == ["Basic " + base64.b64encode(b"RFC_USER:pw").decode()]
    assert "refused the logon: HTTP 401" in error.value.message
    assert error.value.retryable, "a logon failure is a communication error: CPICERR"


def test_timeouts_and_refusals_are_communication_errors():
    def timeout(request):
        raise httpx.ReadTimeout("timed out", request=request)

    def refused(request):
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with pytest.raises(CommunicationError, match="no answer within 5 s"):
        fake(timeout).call("RFC_PING")
    with pytest.raises(CommunicationError, match="Connection refused"):
        fake(refused).call("RFC_PING")


def test_a_communication_error_drops_the_session():
    seen: list[str | None] = []
    answers = iter([httpx.Response(200, json={}, headers={"sap-contextid": "S1"}),
                    httpx.Response(503, text="overloaded"),
                    httpx.Response(200, json={}, headers={"sap-contextid": "S2"})])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("sap-contextid"))
        return next(answers)

    conn = fake(handler)
    conn.call("RFC_PING")
    with pytest.raises(CommunicationError):
        conn.call("RFC_PING")
    conn.call("RFC_PING")  # a new session, as pyrfc reopens its connection
    assert seen == [None, "S1", None]


def test_close_ends_the_server_session():
    closing: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        closing.append(dict(request.headers))
        return httpx.Response(200, json={}, headers={"sap-contextid": "S1"})

    conn = fake(handler)
    conn.close()  # no session yet: nothing sent
    assert closing == []
    conn = fake(handler)
    conn.call("RFC_PING")
    conn.close()
    assert closing[-1]["sap-contextid"] == "S1"
    assert closing[-1]["sap-contextid-close"] == "X"


# -- the value encoding --------------------------------------------------------------------
def test_values_encode_without_floats():
    assert dumps({"A": Decimal("1.10"), "D": date(2026, 1, 2)}) == b'{"A":"1.10","D":"20260102"}'
    assert loads(b'{"A": 1.10}') == {"A": Decimal("1.10")}


def test_decimal_fields_from_the_interface_rows():
    rows = [{"PARAMETER": "TOTAL", "FIELDNAME": "", "EXID": "P"},
            {"PARAMETER": "ITEMS", "FIELDNAME": "", "EXID": "h"},
            {"PARAMETER": "ITEMS", "FIELDNAME": "AMOUNT", "EXID": "P"},
            {"PARAMETER": "ITEMS", "FIELDNAME": "KEY", "EXID": "C"}]
    fields = decimal_fields(rows)
    assert fields == {"TOTAL": None, "ITEMS": frozenset({"AMOUNT"})}
    result = restore_decimals({"TOTAL": "1.00", "ITEMS": [{"AMOUNT": "2.50", "KEY": "7"}]},
                              fields)
    assert result == {"TOTAL": Decimal("1.00"), "ITEMS": [{"AMOUNT": Decimal("2.50"),
                                                           "KEY": "7"}]}
