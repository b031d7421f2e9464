"""Destination type pyrfc: calls, units and errors through pyrfc's API.

The `sap` tests run twice: against the fake pyrfc (tests/fake_pyrfc, backed by the ERP stub)
and against a real test system when SAPGW_TEST_PYRFC_DEST is set (skipped otherwise). The
`fake` tests need what only the fake can do: break the line, lose answers, count rows.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem, create_system
from sapgw.gateway.config import ConfigError, DestinationSettings
from sapgw.gateway.rfc.destinations import destination_problems
from sapgw.gateway.rfc.pyrfc_destination import (
    PyrfcConnection,
    check_destination,
    connect,
    connection_params,
    translate,
)
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.errors import (
    ABAPApplicationError,
    CommunicationError,
    ExternalRuntimeError,
    LogonError,
    RFCError,
)
from sapgw.types import RfcCall
from tests.rfc.conftest import with_test_functions
from tests.rfc.pyrfc_support import fake_pyrfc, real_pyrfc

HOST = "erp.example"
LOGON = {"ashost": HOST, "sysnr": "00", "client": "100", "user": "SAPGW", "passwd": "secret"}


@dataclass
class Sap:
    pyrfc: ModuleType
    params: dict[str, str]
    system: Any = None  # the fake's FakeSystem; None for a real system
    erp: ErpSystem | None = None

    def connect(self) -> PyrfcConnection:
        return PyrfcConnection(self.params, {"timeout": 30.0}, pyrfc=self.pyrfc)


@pytest.fixture
def fake(tmp_path) -> Iterator[Sap]:
    with fake_pyrfc() as pyrfc:
        erp = with_test_functions(create_system(f"sqlite:///{tmp_path}/erp.db"))
        system = pyrfc._fake.register_system(HOST, erp.connect, users={"SAPGW": "secret"})
        try:
            yield Sap(pyrfc, dict(LOGON), system, erp)
        finally:
            erp.db.dispose()


@pytest.fixture(params=["fake", "real"])
def sap(request: pytest.FixtureRequest) -> Sap:
    if request.param == "real":
        pyrfc, dest = real_pyrfc()
        return Sap(pyrfc, {"dest": dest})
    return request.getfixturevalue("fake")  # type: ignore[no-any-return]


def post(key: str, fail: str = "") -> RfcCall:
    return RfcCall("Z_JSONRFC_POST", {"KEY": key, "FAIL": fail, "ITEMS": [
        {"KEY": key, "AMOUNT": "10.00", "DATE": "20261122"}]})


def count(sap: Sap) -> int:
    with sap.connect() as conn:
        return int(conn.call("Z_JSONRFC_COUNT")["COUNT"])


# -- against the fake and a real system ---------------------------------------------------------
def test_call_ping_and_close(sap: Sap):
    conn = sap.connect()
    assert conn.call("STFC_CONNECTION", REQUTEXT="hello sapgw")["ECHOTEXT"] == "hello sapgw"
    conn.ping()
    assert conn.call("STFC_CONNECTION", {"not_requested": []}, REQUTEXT="x")["ECHOTEXT"] == "x"
    conn.close()
    with pytest.raises(RFCError, match="invocation rejected because the connection is closed"):
        conn.call("STFC_CONNECTION", REQUTEXT="late")


def test_function_description_is_a_plain_dict(sap: Sap):
    with sap.connect() as conn:
        description = conn.get_function_description("stfc_connection")
    assert description["name"] == "STFC_CONNECTION"
    params = {p["name"]: p for p in description["parameters"]}
    assert params["REQUTEXT"]["direction"] == "RFC_IMPORT"
    assert params["ECHOTEXT"]["parameter_type"] == "RFCTYPE_CHAR"


def test_abap_and_caller_errors_become_ours(sap: Sap):
    with sap.connect() as conn:
        with pytest.raises(ABAPApplicationError) as unknown:
            conn.call("Z_SAPGW_DOES_NOT_EXIST")
        assert (unknown.value.code, unknown.value.key) == (5, "FU_NOT_FOUND")
        assert not unknown.value.retryable
        with pytest.raises(ExternalRuntimeError) as parameter:
            conn.call("STFC_CONNECTION", REQUTEXT="x", UNDEFINED="y")
        assert (parameter.value.code, parameter.value.key) == (20, "RFC_INVALID_PARAMETER")
        with pytest.raises(ExternalRuntimeError) as conversion:
            conn.call("STFC_CONNECTION", REQUTEXT=42)
        assert conversion.value.code == 22
        assert "an string is required" in conversion.value.message
        assert "REQUTEXT" in conversion.value.message


def test_unit_submitted_then_confirmed_once(sap: Sap):
    with sap.connect() as conn:
        tid = conn.initialize_unit(background=False)["id"]
        assert len(tid) == 24
        unit = [RfcCall("STFC_CONNECTION", {"REQUTEXT": "in a unit"})]
        assert conn.submit_units([(tid, unit, "SAPGWTEST")]) == (1, None)
        conn.confirm_unit({"id": tid, "background": False, "queued": True})
        with pytest.raises(RFCError, match="not the unit open on this connection"):
            conn.confirm_unit({"id": tid, "background": False, "queued": True})
        with pytest.raises(RFCError, match="must be a boolean"):
            conn.initialize_unit(background="no")  # type: ignore[arg-type]


# -- the fake only: faults and effects ----------------------------------------------------------
def test_lost_answer_is_retried_with_the_same_tid_and_posts_once(fake: Sap):
    conn = fake.connect()
    fake.system.lose_answers = 1
    done, failure = conn.submit_units([("T" * 24, [post("K1")], "Q1")])
    assert done == 0 and isinstance(failure, CommunicationError) and failure.retryable
    conn = fake.connect()  # the worker drops a connection after a failure
    assert conn.submit_units([("T" * 24, [post("K1")], "Q1")]) == (1, None)
    conn.confirm_unit({"id": "T" * 24, "background": False, "queued": True})
    assert count(fake) == 1
    assert fake.system.log == [("submit", "T" * 24), ("submit", "T" * 24),
                               ("confirm", "T" * 24)]


def test_application_error_in_a_unit_is_not_retryable_and_leaves_nothing(fake: Sap):
    done, failure = fake.connect().submit_units([("A" * 24, [post("K1", fail="X")], "Q1")])
    assert done == 0 and isinstance(failure, ABAPApplicationError)
    assert not failure.retryable
    assert "test failure" in failure.message and failure.msg_number == "609"
    assert count(fake) == 0


def test_units_go_one_at_a_time_and_an_unconfirmed_one_is_dropped(fake: Sap):
    conn = fake.connect()
    units = [(c * 24, [post(f"K{c}")], "Q1") for c in "ABC"]
    assert conn.submit_units(units) == (1, None), "pyrfc holds one open transaction"
    assert conn.submit_units(units[1:]) == (1, None), "the open one is destroyed first"
    with pytest.raises(RFCError, match="not the unit open"):
        conn.confirm_unit({"id": "A" * 24, "background": False, "queued": True})
    conn.confirm_unit({"id": "B" * 24, "background": False, "queued": True})
    assert count(fake) == 2
    assert conn.submit_units([]) == (0, None)


def test_units_are_trfc_unless_qrfc_is_configured(fake: Sap):
    units = [("Q" * 24, [post("K1")], "R3AUTEST")]
    assert fake.connect().submit_units(units) == (1, None)
    dest = DestinationSettings("ERP", "pyrfc", params={**LOGON, "qrfc": "yes"})
    assert "qrfc" not in connection_params(dest.params), "sapgw's key, not a logon parameter"
    assert connect(dest).submit_units([("R" * 24, [post("K2")], "R3AUTEST")]) == (1, None)
    assert fake.system.queues == {"Q" * 24: None, "R" * 24: "R3AUTEST"}


def test_unreachable_system_and_wrong_password_are_retryable(fake: Sap):
    conn = fake.connect()
    fake.system.down = True
    with pytest.raises(CommunicationError) as lost:
        conn.call("RFC_PING")
    assert lost.value.retryable and "not reached" in lost.value.message
    done, failure = conn.submit_units([("D" * 24, [post("K1")], None)])
    assert done == 0 and isinstance(failure, CommunicationError)
    with pytest.raises(CommunicationError):
        fake.connect()
    fake.system.down = False
    with pytest.raises(LogonError) as logon:
        PyrfcConnection({**LOGON, "passwd": "wrong"}, pyrfc=fake.pyrfc)
    assert logon.value.retryable and logon.value.key == "RFC_LOGON_FAILURE"


def test_connect_resolves_env_passwords_and_sapnwrfc_ini(fake: Sap, tmp_path, monkeypatch):
    monkeypatch.setenv("SAPGW_TEST_PASSWD", "secret")
    dest = DestinationSettings("ERP", "pyrfc", params={
        **LOGON, "passwd": "env:SAPGW_TEST_PASSWD", "lang": ""})
    assert connection_params(dest.params)["passwd"] == "secret"
    assert "lang" not in connection_params(dest.params)
    with connect(dest) as conn:
        assert conn.call("STFC_CONNECTION", REQUTEXT="env")["ECHOTEXT"] == "env"
    (tmp_path / "sapnwrfc.ini").write_text(
        "# test system\nDEST=ERPTEST\nASHOST=erp.example\nSYSNR=00\nCLIENT=100\n"
        "USER=SAPGW\nPASSWD=secret\n")
    fake.pyrfc.set_ini_file_directory(str(tmp_path))
    with PyrfcConnection({"dest": "ERPTEST"}, pyrfc=fake.pyrfc) as conn:
        conn.ping()


def test_translate_maps_by_class_and_code(fake: Sap):
    pyrfc = fake.pyrfc
    canceled = translate(pyrfc, pyrfc.RFCLibError("Connection was canceled", 7, "RFC_CANCELED"))
    assert isinstance(canceled, CommunicationError) and canceled.retryable
    logon = translate(pyrfc, pyrfc.LogonError("Name or password is incorrect"))
    assert isinstance(logon, LogonError) and logon.code == 2
    runtime = translate(pyrfc, pyrfc.ABAPRuntimeError("dump", 3, "COMPUTE_INT_ZERODIVIDE"))
    assert type(runtime).__name__ == "ABAPRuntimeError" and not runtime.retryable
    plain = translate(pyrfc, pyrfc.RFCError("There is an active unit for this connection."))
    assert type(plain) is RFCError
    other = ValueError("not pyrfc's")
    assert translate(pyrfc, other) is other


# -- start-up checks and config ------------------------------------------------------------
def test_missing_pyrfc_refuses_the_start_with_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyrfc", None)  # `import pyrfc` fails
    overrides = {"gateway": {"serve_rfc": ""}, "destination ERP": {"type": "pyrfc", **LOGON}}
    with pytest.raises(ConfigError) as refused:
        Gateway.in_memory(overrides=overrides)
    text = str(refused.value)
    assert "destination ERP is of type pyrfc, but the pyrfc package is not installed" in text
    assert "pip install 'sapgw[rfc]'" in text and "SDK" in text
    dest = DestinationSettings("ERP", "pyrfc", params={**LOGON, "passwd": "env:SAPGW_NOT_SET"})
    problems = check_destination(dest)
    assert len(problems) == 2 and "SAPGW_NOT_SET is not set" in problems[1]


def test_config_needs_enough_to_log_on(fake: Sap):
    with pytest.raises(ConfigError) as refused:
        Gateway.in_memory(overrides={"gateway": {"serve_rfc": ""}, "destination ERP": {
            "type": "pyrfc", "ashost": HOST}})
    assert "missing: sysnr, client, user" in str(refused.value)
    with pytest.raises(ConfigError, match=r"qrfc: 'maybe' is not yes or no"):
        Gateway.in_memory(overrides={"gateway": {"serve_rfc": ""}, "destination ERP": {
            "type": "pyrfc", **LOGON, "qrfc": "maybe"}})
    with pytest.raises(ConfigError) as bad_values:
        Gateway.in_memory(overrides={"gateway": {"serve_rfc": ""}, "destination ERP": {
            "type": "pyrfc", **LOGON, "sysnr": "0", "client": "1000", "trace": "9"}})
    assert bad_values.value.problems == [
        "[destination ERP] sysnr: '0' is not 2 digits",
        "[destination ERP] client: '1000' is not 3 digits",
        "[destination ERP] trace: '9' is not an SDK trace level 0-3"]
    with pytest.raises(ConfigError, match="missing: sysid"):
        Gateway.in_memory(overrides={"gateway": {"serve_rfc": ""}, "destination ERP": {
            "type": "pyrfc", "mshost": HOST, "group": "PUBLIC", "client": "100",
            "user": "SAPGW"}})
    gateway = Gateway.in_memory(overrides={"gateway": {"serve_rfc": ""},
                                           "destination ERP": {"type": "pyrfc", **LOGON}})
    try:
        assert destination_problems(gateway.settings) == []
        assert gateway.destination("ERP").call("STFC_CONNECTION", REQUTEXT="ok")["ECHOTEXT"]
    finally:
        gateway.close()


# -- the fake follows PyRFC 3.3 (reference/wire.md §1) ------------------------------------------
def test_fake_connection_checks_like_pyrfc(fake: Sap):
    pyrfc = fake.pyrfc
    with pytest.raises(pyrfc.RFCError) as missing:
        pyrfc.Connection()
    assert missing.value.args[0] == "Connection parameters missing"
    with pytest.raises(pyrfc.RFCError, match="Connection parameter 'sysnr' value is not string"):
        pyrfc.Connection(**{**LOGON, "sysnr": 0})
    with pytest.raises(pyrfc.RFCError, match="option 'bogus' is not supported"):
        pyrfc.Connection(config={"bogus": True}, **LOGON)
    with pytest.raises(pyrfc.RFCError) as incomplete:
        pyrfc.Connection(user="SAPGW", passwd="secret")
    assert (incomplete.value.code, incomplete.value.key) == (20, "RFC_INVALID_PARAMETER")
    conn = pyrfc.Connection(config={"timeout": 123}, **LOGON)
    assert conn.options["timeout"] == 123 and conn.alive
    with pytest.raises(pyrfc.RFCError) as name:
        conn.call(1)
    assert name.value.args == ("Remote function module name must be unicode string, received:",
                               1, int)
    with pytest.raises(pyrfc.ABAPApplicationError) as unknown:
        conn.call("undefined")
    assert unknown.value.message == "ID:FL Type:E Number:046 undefined"
    with pytest.raises(TypeError) as typed:
        conn.call("STFC_CONNECTION", REQUTEXT=1)
    assert typed.value.args == ("an string is required, received", 1, "of type", int,
                                "REQUTEXT")
    with pytest.raises(TypeError) as field:
        conn.call("Z_JSONRFC_POST", KEY="K", ITEMS=[{"KEY": "K", "AMOUNT": 1}])
    assert field.value.args == ("a decimal value required, received", 1, "of type", int,
                                "AMOUNT", "ITEMS")
    with pytest.raises(pyrfc.ExternalRuntimeError, match="field 'NOPE' not found"):
        conn.call("Z_JSONRFC_POST", KEY="K", ITEMS=[{"NOPE": "x"}])
    with pytest.raises(TypeError, match="date value required"):
        conn.call("Z_JSONRFC_POST", KEY="K", ITEMS=[{"DATE": "2026-11-22"}])
    attributes = conn.get_connection_attributes()
    assert attributes["user"] == "SAPGW" and attributes["rfcRole"] == "C"
    conn.close()
    assert conn.get_connection_attributes() == {} and not conn.alive


def test_fake_units_check_like_pyrfc(fake: Sap):
    pyrfc = fake.pyrfc
    conn = pyrfc.Connection(**LOGON)
    unit = conn.initialize_unit(background=False)
    assert len(unit["id"]) == 24 and len(conn.initialize_unit()["id"]) == 32
    calls = [("Z_JSONRFC_POST", {"KEY": "U1", "ITEMS": []})]
    with pytest.raises(TypeError, match="Please use initialize_unit"):
        conn.fill_and_submit_unit({"id": unit["id"]}, calls)
    with pytest.raises(TypeError, match="at least on call description"):
        conn.fill_and_submit_unit(unit, [])
    with pytest.raises(TypeError, match="valid call descriptions"):
        conn.fill_and_submit_unit(unit, [("Z_JSONRFC_POST", "not a dict")])
    with pytest.raises(TypeError, match="must be 24 chars, found 23"):
        conn.fill_and_submit_unit({**unit, "id": unit["id"][:23]}, calls)
    with pytest.raises(pyrfc.RFCError, match="only support one queue name"):
        conn.fill_and_submit_unit(unit, calls, queue_names=["Q1", "Q2"])
    with pytest.raises(pyrfc.RFCError, match="does not support attributes"):
        conn.fill_and_submit_unit(unit, calls, attributes={"lock": 1})
    with pytest.raises(pyrfc.RFCError, match="No transaction handle"):
        conn.confirm_unit(unit)
    assert conn.fill_and_submit_unit(unit, calls, queue_names=["Q1"])["queued"] is True
    assert conn.get_connection_attributes()["active_unit"] is True
    with pytest.raises(pyrfc.RFCError, match="There is an active unit"):
        conn.fill_and_submit_unit(conn.initialize_unit(background=False), calls)
    with pytest.raises(pyrfc.RFCError, match="No state check possible of non-bgRFC units"):
        conn.get_unit_state(unit)
    conn.confirm_unit(unit)
    with pytest.raises(pyrfc.RFCError, match="No transaction handle"):
        conn.destroy_unit(unit)
    assert fake.system.log == [("submit", unit["id"]), ("confirm", unit["id"])]


def test_fake_error_text_is_pyrfcs():
    with fake_pyrfc() as pyrfc:
        error = pyrfc.ABAPApplicationError("ID:SV Type:E Number:029 T008X", 5,
                                           "TABLE_NOT_AVAILABLE", "SV", "E", "029", "T008X",
                                           "", "", "")
        assert str(error) == ("5 (rc=5): key=TABLE_NOT_AVAILABLE, message=ID:SV Type:E "
                              "Number:029 T008X [MSG: class=SV, type=E, number=029, "
                              "v1-4:=T008X;;;]")
        assert error.args == ("ID:SV Type:E Number:029 T008X",)
        logon = pyrfc.LogonError("Name or password is incorrect (repeat logon)")
        assert (logon.code, logon.key) == (2, "RFC_LOGON_FAILURE")
        assert issubclass(pyrfc.CommunicationError, pyrfc.RFCLibError)
        assert not hasattr(pyrfc, "RFCTypeError"), "defined but not exported by pyrfc"
