"""Connection as PyRFC's test_connection.py / test_client_config.py / test_errors.py see it."""

import datetime as dt
import socket

import pytest

from sapgw import pyrfc

from .conftest import PARAMS

pytestmark = pytest.mark.server


def test_logon_attributes_and_lifecycle(conn):
    assert conn.alive and bool(conn)
    attributes = conn.get_connection_attributes()
    assert (attributes["client"], attributes["user"], attributes["isoLanguage"],
            attributes["rfcRole"], attributes["host"]) == ("100", "DEMO", "EN", "C",
                                                           socket.gethostname())
    assert {"major", "minor", "patchLevel"} <= set(conn.version)
    assert conn.options["rstrip"] is True and conn.options["timeout"] is None
    handle = conn.handle
    conn.reopen()
    assert conn.alive and conn.handle != handle
    conn.close()
    conn.close()  # no error when closed twice
    assert not conn.alive and conn.handle is None
    assert conn.get_connection_attributes() == {}
    with pytest.raises(pyrfc.ExternalRuntimeError) as ping:
        conn.ping()
    assert (ping.value.code, ping.value.key) == (13, "RFC_INVALID_HANDLE")
    with pytest.raises(pyrfc.RFCError) as closed:
        conn.call("STFC_CONNECTION", REQUTEXT="x")
    assert closed.value.args[0] == ("Remote function module 'STFC_CONNECTION' invocation "
                                    "rejected because the connection is closed")


def test_context_manager_and_ping(url):
    with pyrfc.Connection(**PARAMS) as conn:
        conn.ping()
        assert conn.call("STFC_CONNECTION", REQUTEXT="Hällo SAP!")["ECHOTEXT"] == "Hällo SAP!"
    assert not conn.alive


def test_parameter_and_config_checks(url):
    with pytest.raises(pyrfc.RFCError) as missing:
        pyrfc.Connection()
    assert missing.value.args[0] == "Connection parameters missing"
    with pytest.raises(pyrfc.RFCError, match="Connection parameter 'sysnr' value is not str"):
        pyrfc.Connection(**{**PARAMS, "sysnr": 0})
    with pytest.raises(pyrfc.RFCError) as no_host:
        pyrfc.Connection(**{k: v for k, v in PARAMS.items() if k != "ashost"})
    assert (no_host.value.code, no_host.value.key, no_host.value.message) == (
        20, "RFC_INVALID_PARAMETER", "Parameter ASHOST, GWHOST, MSHOST or SERVER_PORT is missing.")
    with pytest.raises(pyrfc.RFCError, match="option 'trace' is not supported"):
        pyrfc.Connection(config={"trace": 1}, **PARAMS)


def test_unreachable_server_is_a_communication_error(monkeypatch):
    monkeypatch.delenv("SAPGW_RFC_URL", raising=False)
    with pytest.raises(pyrfc.CommunicationError) as down:
        pyrfc.Connection(**{**PARAMS, "ashost": "127.0.0.1", "sysnr": "99"})  # port 8099
    assert down.value.code == 1


def test_rstrip_dtime_and_return_import_params(url):
    padded = pyrfc.Connection(config={"rstrip": False, "return_import_params": True,
                                      "dtime": True}, **PARAMS)
    result = padded.call("STFC_CONNECTION", REQUTEXT="Hi")
    assert result["ECHOTEXT"] == "Hi".ljust(255) and result["REQUTEXT"] == "Hi".ljust(255)
    echo = padded.call("STFC_STRUCTURE", IMPORTSTRUCT={"RFCDATE": "20180625",
                                                       "RFCTIME": dt.time(12, 34, 56)})
    assert echo["ECHOSTRUCT"]["RFCDATE"] == dt.date(2018, 6, 25)
    assert echo["ECHOSTRUCT"]["RFCTIME"] == dt.time(12, 34, 56)
    assert "IMPORTSTRUCT" in echo
    padded.close()


def test_stfc_structure_and_changing(conn):
    imp = {"RFCFLOAT": 1.23456789, "RFCCHAR1": "A", "RFCCHAR2": "BC", "RFCCHAR4": "DEFG",
           "RFCINT1": 1, "RFCINT2": 2, "RFCINT4": 345, "RFCHEX3": b"\x01\x02\x03",
           "RFCTIME": "121120", "RFCDATE": "20140101", "RFCDATA1": "1DATA1",
           "RFCDATA2": "DATA222"}
    result = conn.call("STFC_STRUCTURE", IMPORTSTRUCT=imp, RFCTABLE=[imp] * 3)
    assert result["ECHOSTRUCT"] == imp and result["RFCTABLE"][:3] == [imp] * 3
    added = result["RFCTABLE"][3]
    assert (added["RFCFLOAT"], added["RFCINT1"], added["RFCINT2"], added["RFCINT4"],
            added["RFCHEX3"], added["RFCCHAR1"], added["RFCCHAR2"]) == (
        imp["RFCFLOAT"] + 1, 2, 3, 346, b"\xf1\xf2\xf3", "X", "YZ")
    assert result["RESPTEXT"].startswith("SAP")
    assert conn.call("STFC_CHANGING", START_VALUE=33, COUNTER=88) == {"RESULT": 121,
                                                                      "COUNTER": 89}


def test_not_requested_parameters_come_back_empty(conn):
    imp = {"RFCCHAR4": "ABCD"}
    result = conn.call("STFC_STRUCTURE", options={"not_requested": ["RFCTABLE"]},
                       IMPORTSTRUCT=imp, RFCTABLE=[imp])
    assert result["RFCTABLE"] == [] and result["ECHOSTRUCT"]["RFCCHAR4"] == "ABCD"


def test_function_description(conn):
    description = conn.get_function_description("stfc_structure")
    assert repr(description) == "<FunctionDescription 'STFC_STRUCTURE' with 4 params>"
    by_name = {p["name"]: p for p in description.parameters}
    assert by_name["IMPORTSTRUCT"]["direction"] == "RFC_IMPORT"
    assert by_name["RESPTEXT"]["uc_length"] == 510 and by_name["RESPTEXT"]["nuc_length"] == 255
    fields = {f["name"]: f for f in by_name["RFCTABLE"]["type_description"].fields}
    assert fields["RFCINT1"]["field_type"] == "RFCTYPE_INT1"
    assert fields["RFCHEX3"]["field_type"] == "RFCTYPE_BYTE"
    assert fields["RFCCHAR4"]["uc_length"] == 8 and fields["RFCCHAR4"]["nuc_length"] == 4
