"""A real `sapgw serve` with `[auth]` users: partners log on to the RFC services (JSON RFC,
SOAP through zeep, `type = http` destinations) and the CLI's --url logs on with --user."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import zeep
from zeep.exceptions import Fault

from sapgw.clock import Clock
from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway
from sapgw.pytest_plugin import live_server
from sapgw.rfc.errors import ExternalAuthorizationError, LogonError
from sapgw.rfc.jsonrfc_client import HttpRfcConnection
from tests.monitor.test_auth import ALICE, BOB, CAROL, users_config

from .conftest import trade_promotion

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sapgw_overrides() -> dict[str, dict[str, str]]:
    return {"auth": {"users": users_config(), "secret": "a-test-secret-of-some-length"}}


@pytest.fixture
def secured_url(sapgw: Gateway) -> Iterator[str]:
    """`sapgw` with [auth] users behind a real server. Its ERP is built before the server
    listens, as `sapgw serve` does: built by the first call instead, that call took the
    ERP's start-up (~1.3 s on a quiet box, past a sender's timeout under heavy load)."""
    sapgw.served_rfc.warm_up()
    with live_server(create_app(sapgw, run_schedulers=False)) as url:
        yield url


def test_json_rfc_connection_logs_on_with_user_and_passwd(secured_url: str):
    with pytest.raises(LogonError) as refused, HttpRfcConnection(secured_url) as anonymous:
        anonymous.call("RFC_PING")
    assert refused.value.key == "RFC_LOGON_FAILURE" and "No logon data" in refused.value.message
    with pytest.raises(LogonError), HttpRfcConnection(secured_url, user="carol",
                                                      passwd="wrong") as wrong:
        wrong.call("RFC_PING")
    with pytest.raises(ExternalAuthorizationError), HttpRfcConnection(
            secured_url, user=BOB[0], passwd=BOB[1]) as display:
        display.call("RFC_PING")
    with HttpRfcConnection(secured_url, user=CAROL[0], passwd=CAROL[1]) as carol:
        table = carol.call("RFC_READ_TABLE", QUERY_TABLE="NRIV", ROWCOUNT=1)
        assert table["FIELDS"][0]["FIELDNAME"] == "OBJECT"
        carol.call("RFC_PING")  # the second call runs in the session the first opened
        assert "user=carol" in repr(carol) and CAROL[1] not in repr(carol)


def test_zeep_logs_on_through_its_requests_session(secured_url: str):
    wsdl = f"{secured_url}/sap/bc/soap/wsdl11?sap-client=100&services=RFC_READ_TABLE"
    with pytest.raises(requests.HTTPError) as refused:
        zeep.Client(wsdl, transport=zeep.Transport(timeout=10))
    assert refused.value.response.status_code == 401

    session = requests.Session()
    session.auth = CAROL
    client = zeep.Client(wsdl, transport=zeep.Transport(session=session, timeout=10))
    address = f"{secured_url}/sap/bc/soap/rfc?sap-client=100"
    ns = "{urn:sap-com:document:sap:rfc:functions}"
    read = client.create_service(f"{ns}RFC_READ_TABLEBinding", address + "&sap-sessioncmd=open")
    table = read.RFC_READ_TABLE(QUERY_TABLE="NRIV", ROWCOUNT=1)
    assert table.FIELDS.item[0].FIELDNAME == "OBJECT"
    assert "sap-contextid" in session.cookies, "a stateful session, on carol's cookie jar"
    again = client.create_service(f"{ns}RFC_READ_TABLEBinding", address)
    assert again.RFC_READ_TABLE(QUERY_TABLE="NRIV").FIELDS.item[0].FIELDNAME == "OBJECT"

    session.auth = ("carol", "wrong")
    with pytest.raises(Fault) as fault:
        again.RFC_READ_TABLE(QUERY_TABLE="NRIV", ROWCOUNT=1)
    assert fault.value.message.startswith("RFC_LOGON_FAILURE: Name or password is incorrect")


def sender(clock: Clock, url: str, **logon: str) -> Gateway:
    """A gateway whose ERP is the protected gateway at `url`, over JSON RFC. The timeout is
    no part of what the tests check: a call past it is CPICERR, which the frozen clock never
    retries, so a box busy with other work must not reach it (the BDoc would stay I02)."""
    return Gateway.in_memory(clock=clock, overrides={
        "gateway": {"serve_rfc": ""},
        "destination ERP": {"type": "http", "url": url, "timeout": "120", **logon}})


def replicate(gateway: Gateway) -> tuple[str, dict]:
    payload = trade_promotion()
    sent = gateway.send(payload["type"], payload["data"])
    gateway.run_until_idle()
    queues = {q["name"]: q for q in gateway.queues()}
    return gateway.bdoc(sent["bdoc_id"])["state"], queues.get("R3AUMKTPLTPM1", {})


def test_an_http_destination_logs_on_to_a_protected_gateway(secured_url: str, sapgw_clock: Clock,
                                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ERP_RFC_PASSWORD", CAROL[1])
    # No logon: SAP's logon failure is a communication error, so CPICERR, retried.
    with sender(sapgw_clock, secured_url) as anonymous:
        state, queue = replicate(anonymous)
        assert state != "F04" and queue["status"] == "CPICERR"
        assert "No logon data" in queue["error"], queue
    # A user without the rfc role: the partner refuses the calls, a person must act.
    with sender(sapgw_clock, secured_url, user=BOB[0], passwd=BOB[1]) as display:
        state, queue = replicate(display)
        assert queue["status"] == "SYSFAIL" and "no RFC authorization" in queue["error"], queue
    with sender(sapgw_clock, secured_url, user=CAROL[0], passwd="env:ERP_RFC_PASSWORD") as rfc:
        assert replicate(rfc) == ("F04", {})


def test_an_http_password_from_an_unset_variable_refuses_the_start(sapgw_clock: Clock):
    from sapgw.gateway.config import ConfigError

    with pytest.raises(ConfigError) as refused:
        sender(sapgw_clock, "http://127.0.0.1:9", user="carol", passwd="env:SAPGW_TEST_UNSET")
    assert "SAPGW_TEST_UNSET is not set" in str(refused.value)


def cli(tmp_path: Path, *args: str, password: str | None = None
        ) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.ini"
    if not config.exists():
        shutil.copy(ROOT / "config.ini", config)
    env = {k: v for k, v in os.environ.items() if k != "SAPGW_PASSWORD"}
    if password is not None:
        env["SAPGW_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "sapgw.gateway.cli", "--config", str(config),
                           *args], capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def test_cli_url_logs_on_with_user_and_sapgw_password(secured_url: str, tmp_path: Path):
    done = cli(tmp_path, "smq1", "--url", secured_url, "--user", ALICE[0], password=ALICE[1])
    assert done.returncode == 0, done.stderr
    assert "(no queues)" in done.stdout
    called = cli(tmp_path, "erp", "call", "RFC_PING", "--url", secured_url, "--user",
                 CAROL[0], password=CAROL[1])
    assert called.returncode == 0, called.stderr

    wrong = cli(tmp_path, "smq1", "--url", secured_url, "--user", ALICE[0], password="nope")
    assert wrong.returncode == 1
    assert wrong.stderr.strip().endswith(
        f"{secured_url} refused the logon of alice (HTTP 401): name or password is incorrect")
    anonymous = cli(tmp_path, "smq1", "--url", secured_url)
    assert anonymous.returncode == 1 and "give --user NAME" in anonymous.stderr
    no_password = cli(tmp_path, "smq1", "--url", secured_url, "--user", ALICE[0])
    assert no_password.returncode == 2 and "set SAPGW_PASSWORD" in no_password.stderr
    rfc_only = cli(tmp_path, "smq1", "--url", secured_url, "--user", CAROL[0],
                   password=CAROL[1])
    assert rfc_only.returncode == 1 and "HTTP 403" in rfc_only.stderr
    for result in (wrong, anonymous, no_password, rfc_only):
        assert "Traceback" not in result.stderr
