"""`sapgw rfc-server`: SAP systems call the gateway's served functions through pyrfc.Server.

Against the fake pyrfc, whose `_fake.abap_call` / `abap_unit` play the ABAP side. The fake
SAP system's function repository is the gateway's served layer itself, so every served
function is known to "SAP". A real-system run needs an ABAP program calling the registered
program ID, so only the registration is checked there (skipped unless configured).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from sapgw.gateway.cli import main
from sapgw.gateway.config import RfcServerSettings
from sapgw.gateway.rfc.pyrfc_destination import connection_params
from sapgw.gateway.rfc.rfc_server import RfcServer, run_rfc_server, server_params
from sapgw.gateway.rfc.served import GatewayFunctions, ServedRfc
from sapgw.gateway.runtime import DEFAULT_CONFIG, Gateway
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.errors import CommunicationError
from sapgw.rfc.interface import exporting, importing, interface
from tests.rfc.conftest import with_test_functions
from tests.rfc.pyrfc_support import fake_pyrfc, real_pyrfc

SAP = {"type": "pyrfc", "ashost": "sap.example", "sysnr": "00", "client": "100",
       "user": "SAPGW", "passwd": "secret"}
RFC_SERVER = {"gwhost": "sap.example", "gwserv": "sapgw00", "program_id": "SAPGW_TEST",
              "repository_destination": "SAP"}
ITEM = {"KEY": "K1", "AMOUNT": "10.00", "DATE": "20261122"}


@pytest.fixture
def fake() -> Iterator[tuple[ModuleType, Gateway]]:
    with fake_pyrfc() as pyrfc:
        gateway = Gateway.in_memory(overrides={"destination SAP": SAP,
                                               "rfc_server": RFC_SERVER})
        try:
            with_test_functions(gateway.destinations.local_system("ERP"))
            pyrfc._fake.register_system("sap.example", gateway.served_rfc.connect,
                                        users={"SAPGW": "secret"}, sysid="S4H")
            yield pyrfc, gateway
        finally:
            gateway.close()


def rfc_server(pyrfc: ModuleType, gateway: Gateway, served: Any = None,
               **settings: Any) -> RfcServer:
    config = gateway.settings.rfc_server
    assert config is not None
    if settings:
        config = RfcServerSettings(**{**config.__dict__, **settings})
    return RfcServer(pyrfc, config, connection_params(gateway.settings.destinations["SAP"]
                                                      .params), served or gateway.served_rfc)


@pytest.fixture
def serving(fake) -> Iterator[tuple[ModuleType, Gateway, RfcServer]]:
    pyrfc, gateway = fake
    server = rfc_server(pyrfc, gateway)
    assert server.install() == []
    server.server.serve()
    try:
        yield pyrfc, gateway, server
    finally:
        server.close()


def count(gateway: Gateway) -> int:
    with gateway.destination("ERP") as erp:
        return int(erp.call("Z_JSONRFC_COUNT")["COUNT"])


def test_every_served_function_is_installed_with_the_trfc_handlers(serving):
    pyrfc, gateway, server = serving
    assert set(server.functions) == set(gateway.served_rfc.names())
    assert {"STFC_CONNECTION", "RFC_READ_TABLE", "Z_JSONRFC_POST"} <= set(server.functions)
    assert server.server.transaction_handlers_count == 4
    assert pyrfc._fake.running_servers() == ["SAPGW_TEST"]
    assert server_params(gateway.settings.rfc_server) == {
        "gwhost": "sap.example", "gwserv": "sapgw00", "program_id": "SAPGW_TEST"}


def test_synchronous_call_answers_and_maps_errors(serving):
    pyrfc, _gateway, _server = serving
    abap = pyrfc._fake
    assert abap.abap_call("STFC_CONNECTION", REQUTEXT="from SAP")["ECHOTEXT"] == "from SAP"
    with pytest.raises(pyrfc.ABAPApplicationError) as table:
        abap.abap_call("RFC_READ_TABLE", QUERY_TABLE="T008X")
    assert (table.value.key, table.value.msg_v1) == ("TABLE_NOT_AVAILABLE", "T008X")
    with pytest.raises(pyrfc.ABAPApplicationError) as raised:
        abap.abap_call("Z_JSONRFC_POST", KEY="K", FAIL="R")
    assert raised.value.key == "NOT_FOUND" and raised.value.msg_number == "610"
    with pytest.raises(pyrfc.ExternalRuntimeError, match="RuntimeError: disk on fire"):
        abap.abap_call("Z_JSONRFC_CRASH")


def test_a_conversation_is_one_session_so_commit_applies_to_its_luw(serving):
    pyrfc, gateway, _server = serving
    abap = pyrfc._fake
    abap.abap_call("Z_JSONRFC_POST", conv_id="00000001", KEY="K1", ITEMS=[ITEM])
    abap.abap_call("Z_JSONRFC_POST", conv_id="00000002", KEY="K2", ITEMS=[ITEM])
    abap.abap_call("BAPI_TRANSACTION_COMMIT", conv_id="00000001")
    assert count(gateway) == 1, "only the committing conversation's work is saved"


def test_trfc_unit_runs_at_commit_once_per_tid(serving):
    pyrfc, gateway, _server = serving
    abap = pyrfc._fake
    calls = [("Z_JSONRFC_POST", {"KEY": "U1", "ITEMS": [ITEM]}),
             ("Z_JSONRFC_POST", {"KEY": "U2", "ITEMS": [ITEM]})]
    tid = abap.abap_unit(calls, queue="R3AD_TEST")
    assert count(gateway) == 2
    assert abap.abap_unit(calls, tid=tid) == tid, "SAP resends after a lost answer"
    assert count(gateway) == 2, "a TID runs once"
    abap.abap_confirm(tid)


def test_failed_unit_rolls_back_and_runs_when_sent_again(serving):
    pyrfc, gateway, _server = serving
    abap = pyrfc._fake
    tid = "F" * 24
    with pytest.raises(pyrfc.ExternalRuntimeError, match="commit of TID"):
        abap.abap_unit([("Z_JSONRFC_POST", {"KEY": "U1", "ITEMS": [ITEM]}),
                        ("Z_JSONRFC_POST", {"KEY": "U2", "FAIL": "X"})], tid=tid)
    assert count(gateway) == 0, "nothing of a failed unit stays"
    abap.abap_unit([("Z_JSONRFC_POST", {"KEY": "U1", "ITEMS": [ITEM]})], tid=tid)
    assert count(gateway) == 1


def test_bgrfc_and_unit_calls_without_tid_are_refused(serving):
    pyrfc, _gateway, server = serving
    with pytest.raises(pyrfc.ExternalRuntimeError, match="bgRFC is not served"):
        server.handle("STFC_CONNECTION", {"server_context": {
            "call_type": pyrfc.UnitCallType.background_unit}}, {"REQUTEXT": "x"})
    with pytest.raises(pyrfc.ExternalRuntimeError, match="without a TID"):
        server.handle("STFC_CONNECTION", {"server_context": {
            "call_type": pyrfc.UnitCallType.transactional}}, {"REQUTEXT": "x"})


def test_gateway_functions_are_served_and_unknown_ones_skipped(fake):
    pyrfc, gateway = fake
    functions = GatewayFunctions()
    functions.register(interface("Z_GW_ECHO", [importing("TEXT", CHAR(80)),
                                               exporting("ECHO", CHAR(80))]),
                       lambda call, params: {"ECHO": params["TEXT"].upper()})
    served = ServedRfc(gateway, functions)
    pyrfc._fake.register_system("sap.example", served.connect, users={"SAPGW": "secret"})
    server = rfc_server(pyrfc, gateway, served,
                        functions=("Z_GW_ECHO", "STFC_CONNECTION", "Z_NOT_SERVED"))
    try:
        assert server.install() == [("Z_NOT_SERVED", "the gateway does not serve it")]
        server.server.serve()
        assert pyrfc._fake.abap_call("Z_GW_ECHO", TEXT="idoc")["ECHO"] == "IDOC"
    finally:
        server.close()
    # SAP's repository lacks the function: pyrfc cannot install it, the rest is served.
    pyrfc._fake.register_system("sap.example", gateway.served_rfc.connect,
                                users={"SAPGW": "secret"})
    server = rfc_server(pyrfc, gateway, served, functions=("Z_GW_ECHO", "STFC_CONNECTION"))
    try:
        (name, reason), = server.install()
        assert name == "Z_GW_ECHO" and "FU_NOT_FOUND" in reason
        assert server.functions == ["STFC_CONNECTION"]
    finally:
        server.close()


def test_run_rfc_server_registers_serves_and_stops(fake):
    pyrfc, gateway = fake
    stopped = threading.Event()
    outcome: list[int] = []
    thread = threading.Thread(target=lambda: outcome.append(
        run_rfc_server(gateway.settings, stopped, gateway)))
    thread.start()
    deadline = time.monotonic() + 10
    while pyrfc._fake.running_servers() != ["SAPGW_TEST"]:
        assert time.monotonic() < deadline and thread.is_alive(), "did not register"
        time.sleep(0.02)
    assert pyrfc._fake.abap_call("STFC_CONNECTION", REQUTEXT="up")["ECHOTEXT"] == "up"
    stopped.set()
    thread.join(10)
    assert outcome == [0]
    assert pyrfc._fake.running_servers() == []


def test_unreachable_gateway_is_reported(fake):
    pyrfc, gateway = fake
    config = dataclasses.replace(gateway.settings.rfc_server, gwhost="gw.unknown")
    settings = dataclasses.replace(gateway.settings, rfc_server=config)
    with pytest.raises(CommunicationError, match=r"partner 'gw\.unknown:sapgw00' not reached"):
        run_rfc_server(settings, threading.Event(), gateway)
    pyrfc._fake.SYSTEMS["sap.example"].down = True  # metadata cannot be read either
    with pytest.raises(CommunicationError, match="not reached"):
        run_rfc_server(gateway.settings, threading.Event(), gateway)


def test_cli_without_rfc_server_section_says_what_to_add(capsys):
    assert main(["--config", str(DEFAULT_CONFIG), "rfc-server"]) == 2
    assert "no [rfc_server] section" in capsys.readouterr().err


def test_cli_without_pyrfc_says_how_to_install(tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.ini"
    config.write_text(DEFAULT_CONFIG.read_text() + "\n[destination SAP]\n" + "".join(
        f"{k} = {v}\n" for k, v in SAP.items()) + "[rfc_server]\n" + "".join(
        f"{k} = {v}\n" for k, v in RFC_SERVER.items()))
    monkeypatch.setenv("SAPGW_DB_URL", f"sqlite:///{tmp_path}/gw.db")
    monkeypatch.setenv("SAPGW_ERP_DB_URL", f"sqlite:///{tmp_path}/erp.db")
    monkeypatch.setitem(sys.modules, "pyrfc", None)
    assert main(["--config", str(config), "rfc-server"]) == 2
    assert "pip install 'sapgw[rfc]'" in capsys.readouterr().err
    assert main(["--config", str(config), "config", "check"]) == 2
    err = capsys.readouterr().err
    assert "[destination SAP] destination SAP is of type pyrfc, but the pyrfc package" in err
    assert "Traceback" not in err
    assert main(["--config", str(config), "smq1"]) == 2
    assert "pip install 'sapgw[rfc]'" in capsys.readouterr().err


def test_registration_at_a_real_gateway():
    _pyrfc, dest = real_pyrfc()
    server_dest = os.environ.get("SAPGW_TEST_PYRFC_SERVER_DEST")
    if not server_dest:
        pytest.skip("real SAP system: set SAPGW_TEST_PYRFC_SERVER_DEST to a sapnwrfc.ini entry "
                    "with GWHOST/GWSERV/PROGRAM_ID (an SM59 type T destination's program ID)")
    gateway = Gateway.in_memory(overrides={"destination SAP": {"type": "pyrfc", "dest": dest},
                                           "rfc_server": {"dest": server_dest,
                                                          "repository_destination": "SAP",
                                                          "functions": "STFC_CONNECTION"}})
    outcome: list[int] = []
    stopped = threading.Event()
    thread = threading.Thread(target=lambda: outcome.append(
        run_rfc_server(gateway.settings, stopped, gateway)))
    try:
        thread.start()
        time.sleep(3)
        stopped.set()
        thread.join(30)
        assert outcome == [0]
    finally:
        gateway.close()
