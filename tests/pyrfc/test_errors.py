"""ABAP outcomes as pyrfc raises them (PyRFC's test_errors_abap.py, test_timeout.py)."""

import pytest

from sapgw import pyrfc

pytestmark = pytest.mark.server


@pytest.mark.parametrize(("method", "msg_type", "cls", "code", "key", "number"), [
    ("0", "A", pyrfc.ABAPRuntimeError, 4, "Function not supported", "006"),
    ("0", "E", pyrfc.ABAPRuntimeError, 4, "Function not supported", "006"),
    ("0", "X", pyrfc.ABAPRuntimeError, 4, "MESSAGE_TYPE_X", "006"),
    ("1", "E", pyrfc.ABAPApplicationError, 5, "RAISE_EXCEPTION", "006"),
    ("2", "E", pyrfc.ABAPApplicationError, 5, "RAISE_EXCEPTION", "000"),
    ("3", "E", pyrfc.ABAPRuntimeError, 3, "COMPUTE_INT_ZERODIVIDE", ""),
    ("36", "E", pyrfc.ABAPRuntimeError, 4, "Division by 0 (type I)", "006"),
    ("51", "E", pyrfc.ABAPRuntimeError, 3, "BLOCKED_COMMIT", ""),
    ("17", "E", pyrfc.ExternalRuntimeError, 17, "RFC_NOT_FOUND", ""),
    ("32", "E", pyrfc.CommunicationError, 1, "RFC_COMMUNICATION_FAILURE", ""),
])
def test_rfc_raise_error(conn, method, msg_type, cls, code, key, number):
    with pytest.raises(cls) as raised:
        conn.call("RFC_RAISE_ERROR", METHOD=method, MESSAGETYPE=msg_type)
    error = raised.value
    assert (error.code, error.key, error.msg_number) == (code, key, number)
    assert conn.alive is True  # PyRFC opens a new connection after messages and dumps
    assert conn.call("STFC_CONNECTION", REQUTEXT="still there")["ECHOTEXT"] == "still there"


def test_message_texts_and_string_form(conn):
    with pytest.raises(pyrfc.ABAPRuntimeError) as x:
        conn.call("RFC_RAISE_ERROR", MESSAGETYPE="X")
    assert x.value.message == ("The current application has triggered a termination with a "
                               "short dump.")
    with pytest.raises(pyrfc.ABAPRuntimeError) as gui:
        conn.call("STFC_SAPGUI")
    assert (gui.value.code, gui.value.key) == (3, "DYNPRO_SEND_IN_BACKGROUND")
    with pytest.raises(pyrfc.ABAPApplicationError) as table:
        conn.call("RFC_READ_TABLE", QUERY_TABLE="T008X", DELIMITER=".")
    assert str(table.value) == (
        "5 (rc=5): key=TABLE_NOT_AVAILABLE, message=ID:SV Type:E Number:029 T008X "
        "[MSG: class=SV, type=E, number=029, v1-4:=T008X;;;]")


def test_call_argument_checks(conn):
    with pytest.raises(pyrfc.ABAPApplicationError) as unknown:
        conn.call("undefined")
    assert (unknown.value.code, unknown.value.key, unknown.value.message) == (
        5, "FU_NOT_FOUND", "ID:FL Type:E Number:046 undefined")
    with pytest.raises(pyrfc.RFCError) as not_str:
        conn.call(123)
    assert not_str.value.args == ("Remote function module name must be unicode string, "
                                  "received:", 123, int)
    with pytest.raises(TypeError) as no_name:
        conn.call()
    assert no_name.value.args[0] == "call() takes at least 1 positional argument (0 given)"


def test_timeout_cancels_and_reconnects(url):
    conn = pyrfc.Connection(config={"timeout": 30}, ashost="erp", user="demo")
    old = conn.handle
    with pytest.raises(pyrfc.RFCError) as canceled:
        conn.call("RFC_PING_AND_WAIT", options={"timeout": 0.5}, SECONDS=2)
    assert (canceled.value.code, canceled.value.key) == (7, "RFC_CANCELED")
    assert "Connection was canceled" in canceled.value.message
    assert conn.alive is True and conn.handle != old
    handle = conn.handle
    assert conn.call("RFC_PING_AND_WAIT", options={"timeout": 10}, SECONDS=0) == {}
    assert conn.handle == handle
    conn.close()
