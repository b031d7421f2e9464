"""Roles and safety (issue 5): Basic login, display vs admin, CSRF on forms, the bind check."""

import base64
import configparser
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from lxml import etree
from starlette.testclient import TestClient

from sapgw.clock import Clock
from sapgw.gateway import cli
from sapgw.gateway.api import auth
from sapgw.gateway.api.app import create_app
from sapgw.gateway.config import ConfigError, PasswordHash, load_settings, parse_settings
from sapgw.gateway.runtime import Gateway
from tests.monitor.test_pages import QUEUE, failed_fund_usage, send
from tests.scenarios.conftest import trade_promotion

ROOT = Path(__file__).resolve().parents[2]
FAST = {"n": 2**10}  # cheap hashes for tests; the default costs 16 MiB and ~50 ms
ALICE = ("alice", "alice-secret")
BOB = ("bob", "bob-secret")
CAROL = ("carol", "carol-secret")  # role rfc: a communication user


def users_config() -> str:
    return (f"alice:admin:{auth.hash_password(ALICE[1], **FAST)}, "
            f"bob:display:{auth.hash_password(BOB[1], **FAST)}, "
            f"carol:rfc:{auth.hash_password(CAROL[1], **FAST)}")


@pytest.fixture
def sapgw_clock() -> Clock:
    return Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))


@pytest.fixture
def secured(sapgw_clock: Clock) -> Iterator[Gateway]:
    gateway = Gateway.in_memory(clock=sapgw_clock, overrides={"auth": {
        "users": users_config(), "secret": "a-test-secret-of-some-length"}})
    try:
        yield gateway
    finally:
        gateway.close()


@pytest.fixture
def web(secured: Gateway) -> Iterator[TestClient]:
    with TestClient(create_app(secured, run_schedulers=False), follow_redirects=False) as client:
        yield client


def token(client: TestClient, name: str) -> str:
    user = auth.User(name, "admin")
    return client.app.state.auth.csrf_token(user)  # type: ignore[attr-defined]


def form(client: TestClient, name: str = "alice") -> dict[str, str]:
    return {auth.CSRF_FIELD: token(client, name)}


def hidden_token(html: str) -> str:
    tokens = set(re.findall(rf'name="{auth.CSRF_FIELD}" value="([0-9a-f]+)"', html))
    assert len(tokens) == 1, tokens
    return tokens.pop()


def read_paths(gw: Gateway) -> list[str]:
    fu = failed_fund_usage(gw)
    (luw,) = gw.queue(QUEUE)["luws"]
    send(gw, trade_promotion("TPM5"))  # stays in its inbound queue: nothing runs it
    return ["/smw01", f"/smw01/{fu}", "/smq1", f"/smq1/{QUEUE}",
            f"/smq1/{QUEUE}/luws/{luw['tid']}/delete", "/smq2",
            f"/smq2/{gw.queues('in')[0]['name']}",
            "/api/bdocs", f"/api/bdocs/{fu}", "/api/queues", f"/api/queues/{QUEUE}",
            "/api/queues?direction=in", "/api/erp/clock"]


def action_requests(gw: Gateway) -> list[tuple[str, str]]:
    fu = gw.bdocs_list(state="E06")["items"][0]["bdoc_id"]
    (luw,) = gw.queue(QUEUE)["luws"]
    pages = [("POST", f"/smw01/{fu}/{a}") for a in ("reprocess", "set-processed", "discard")]
    pages += [("POST", f"/smq1/{QUEUE}/{a}") for a in ("activate", "lock", "unlock")]
    pages.append(("POST", f"/smq1/{QUEUE}/luws/{luw['tid']}/delete?confirm=yes"))
    rest = [("POST", f"/api/bdocs/{fu}/{a}") for a in ("reprocess", "set-processed", "discard")]
    rest += [("POST", f"/api/queues/{QUEUE}/{a}") for a in ("activate", "lock", "unlock")]
    rest += [("DELETE", f"/api/queues/{QUEUE}/luws/{luw['tid']}?confirm=true"),
             ("POST", "/api/bdocs"), ("POST", "/api/erp/clock"), ("POST", "/api/idle")]
    return pages + rest


def test_no_credentials_answer_401_with_the_basic_challenge(secured: Gateway, web: TestClient):
    for path in [*read_paths(secured), "/api/audit"]:
        answer = web.get(path)
        assert answer.status_code == 401, path
        assert answer.headers["www-authenticate"] == 'Basic realm="sapgw"'
    for method, path in action_requests(secured):
        assert web.request(method, path).status_code == 401, path
    assert web.get("/api/bdocs").json()["error"] == "UNAUTHORIZED"
    assert web.get("/smw01").headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("header", [
    "Basic " + base64.b64encode(b"alice:wrong").decode(),
    "Basic " + base64.b64encode(b"mallory:alice-secret").decode(),
    "Basic " + base64.b64encode(b"alice").decode(),
    "Basic not-base64!", "Bearer abc", ""])
def test_wrong_credentials_answer_401(web: TestClient, header: str):
    assert web.get("/smw01", headers={"Authorization": header}).status_code == 401


def test_healthz_stays_open(web: TestClient):
    assert web.get("/healthz").status_code == 200


def test_an_rfc_user_may_not_use_the_monitor_or_the_rest_api(secured: Gateway,
                                                             web: TestClient):
    web.auth = CAROL
    for path in [*read_paths(secured), "/api/audit", "/docs", "/metrics"]:
        answer = web.get(path)
        assert answer.status_code == 403, path
    assert "rfc role" in web.get("/api/bdocs").json()["message"]
    for method, path in action_requests(secured):
        assert web.request(method, path).status_code == 403, path


def test_display_user_reads_but_may_not_act(secured: Gateway, web: TestClient):
    web.auth = BOB
    for path in read_paths(secured):
        assert web.get(path).status_code == 200, path
    detail = web.get(f"/smq1/{QUEUE}").text
    assert "bob (display)" in detail
    assert "<form" not in detail.split("<h2>LUWs</h2>")[0], "no action forms for display"
    assert '<button disabled title="needs the admin role">Lock</button>' in detail
    for method, path in action_requests(secured):
        data = form(web, "bob") if method == "POST" and not path.startswith("/api") else None
        answer = web.request(method, path, data=data)
        assert answer.status_code == 403, path
    assert web.post("/api/bdocs/X/reprocess").json()["error"] == "FORBIDDEN"
    assert web.get("/api/audit").status_code == 403
    assert secured.queue(QUEUE)["status"] == "SYSFAIL" and len(secured.queue(QUEUE)["luws"]) == 1
    assert secured.bdocs_list(state="E06")["items"], "nothing changed"


def test_admin_acts_through_pages_with_the_form_token(secured: Gateway, web: TestClient):
    fu = failed_fund_usage(secured)
    web.auth = ALICE
    page = web.get(f"/smw01/{fu}").text
    assert "alice (admin)" in page
    page_token = hidden_token(page)
    assert page_token == token(web, "alice")
    for action, status in (("lock", "STOP"), ("unlock", "SYSFAIL"), ("activate", "READY")):
        answer = web.post(f"/smq1/{QUEUE}/{action}", data={auth.CSRF_FIELD: page_token})
        assert answer.status_code == 303, action
        assert secured.queue(QUEUE)["status"] == status
    answer = web.post(f"/smw01/{fu}/set-processed", data={auth.CSRF_FIELD: page_token})
    assert answer.status_code == 303
    assert secured.bdoc(fu)["state"] == "F03"
    assert "(by alice)" in secured.bdoc(fu)["log"][-1]["message"]


@pytest.mark.parametrize("data", [None, {auth.CSRF_FIELD: ""}, {auth.CSRF_FIELD: "0" * 64},
                                  {"other": "x"}, "bob"])
def test_forms_without_a_valid_csrf_token_answer_403(secured: Gateway, web: TestClient,
                                                     data: object):
    fu = failed_fund_usage(secured)
    (luw,) = secured.queue(QUEUE)["luws"]
    web.auth = ALICE
    body = form(web, "bob") if data == "bob" else data  # another user's token does not do
    for path in (f"/smw01/{fu}/reprocess", f"/smq1/{QUEUE}/lock",
                 f"/smq1/{QUEUE}/luws/{luw['tid']}/delete?confirm=yes"):
        answer = web.post(path, data=body)  # type: ignore[arg-type]
        assert answer.status_code == 403, path
        assert "CSRF token" in answer.text and answer.headers["content-type"].startswith(
            "text/html")
    assert secured.queue(QUEUE)["status"] == "SYSFAIL" and len(secured.queue(QUEUE)["luws"]) == 1
    assert web.get("/api/audit").json() == [], "refused before the action: nothing to audit"


def test_admin_acts_through_rest_without_a_token(secured: Gateway, web: TestClient):
    fu = failed_fund_usage(secured)
    web.auth = ALICE
    assert web.post(f"/api/queues/{QUEUE}/lock").json()["status"] == "STOP"
    assert web.post(f"/api/queues/{QUEUE}/unlock").status_code == 200
    assert web.post(f"/api/bdocs/{fu}/discard").json()["state"] == "F01"
    audit = web.get("/api/audit").json()
    assert [(e["user"], e["action"]) for e in audit] == [
        ("alice", "discard"), ("alice", "unlock"), ("alice", "lock")]


def test_without_users_everyone_is_anonymous_on_loopback(sapgw: Gateway):
    fu = failed_fund_usage(sapgw)
    with TestClient(create_app(sapgw, run_schedulers=False), follow_redirects=False) as web:
        page = web.get(f"/smw01/{fu}").text
        assert "anonymous@loopback (admin)" in page
        assert web.post(f"/smw01/{fu}/reprocess").status_code == 403, "forms still need CSRF"
        answer = web.post(f"/smq1/{QUEUE}/lock", data={auth.CSRF_FIELD: hidden_token(page)})
        assert answer.status_code == 303
        assert web.post(f"/api/queues/{QUEUE}/unlock").status_code == 200
        users = {e["user"] for e in web.get("/api/audit").json()}
        assert web.post("/sap/bc/rfc/RFC_PING").status_code == 200, "RFC needs no login"
    assert users == {"anonymous@loopback"}


def test_serve_refuses_other_addresses_only_without_users(secured: Gateway, sapgw: Gateway):
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        assert cli.bind_refusal(sapgw.settings, host) == ""
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        refusal = cli.bind_refusal(sapgw.settings, host)
        assert host in refusal and "loopback" in refusal
        assert "[auth]" in refusal and "sapgw passwd" in refusal
        assert cli.bind_refusal(secured.settings, host) == ""


def test_erp_serve_is_behind_the_same_auth(secured: Gateway, sapgw: Gateway,
                                           capsys: pytest.CaptureFixture[str]):
    def basic(user: tuple[str, str]) -> dict[str, str]:
        return {"authorization": "Basic " + base64.b64encode(":".join(user).encode()).decode()}

    with TestClient(cli.erp_app(secured.settings)) as erp:
        anonymous = erp.post("/sap/bc/rfc/STFC_CONNECTION", json={"REQUTEXT": "x"})
        assert anonymous.status_code == 401 and anonymous.json()["error"] == "LogonError"
        assert erp.post("/sap/bc/rfc/RFC_PING", headers=basic(BOB)).status_code == 403
        answer = erp.post("/sap/bc/rfc/STFC_CONNECTION", json={"REQUTEXT": "x"},
                          headers=basic(CAROL))
        assert answer.status_code == 200 and answer.json()["ECHOTEXT"] == "x"
    with TestClient(cli.erp_app(sapgw.settings)) as open_erp:  # no users: loopback, open
        assert open_erp.post("/sap/bc/rfc/RFC_PING").status_code == 200
    assert cli.erp_serve(sapgw.settings, "0.0.0.0", 8081) == 2
    assert "loopback" in capsys.readouterr().err


def test_passwords_are_scrypt_hashes_with_a_salt():
    first, second = auth.hash_password("pw", **FAST), auth.hash_password("pw", **FAST)
    assert first != second and first.startswith("scrypt$1024$8$1$")
    stored = PasswordHash.parse(first)
    assert str(stored) == first and stored.salt.hex() not in repr(stored)
    assert auth.verify_password("pw", stored) and not auth.verify_password("pW", stored)


def test_passwd_prints_a_hash_from_stdin(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    assert cli.main(["passwd"]) == 0
    printed = capsys.readouterr().out.strip()
    assert auth.verify_password("s3cret", PasswordHash.parse(printed))
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert cli.main(["passwd"]) == 2


def auth_problems(**keys: str) -> list[str]:
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "config.ini")
    parser["auth"].update(keys)
    with pytest.raises(ConfigError) as raised:
        parse_settings(parser, ROOT, None)
    return raised.value.problems


def test_config_check_names_section_and_key_of_bad_auth_entries():
    good = auth.hash_password("x", **FAST)
    problems = auth_problems(**{
        "users": f"alice:boss:{good}, bob:display:plain, carol, dave:admin:{good}",
        "user.dave": f"display {good}", "user.erin": "admin scrypt$3$8$1$00$00",
        "user.b@d": f"admin {good}", "secret": "short", "realm": "x"})
    assert problems == [
        "[auth] users: entry 'carol'… is not name:role:hash",
        "[auth] realm: unknown key; use users, user.<name> or secret",
        "[auth] users: role 'boss' of alice is not one of display, admin, rfc",
        "[auth] users: password hash of bob is not scrypt$n$r$p$salt$hash (make one with "
        "`sapgw passwd`)",
        "[auth] user.dave: user dave is configured twice",
        "[auth] user.erin: password hash of erin n must be a power of 2 above 1, r and p at "
        "least 1",
        "[auth] user.b@d: user name 'b@d' must be letters, digits, . _ -",
        "[auth] secret: must be 16 characters or more (or empty: random)"]
    assert all("plain" not in p for p in problems), "a bad hash is never echoed"


def test_both_user_forms_load(tmp_path: Path):
    hashed = auth.hash_password("x", **FAST)
    config = (ROOT / "config.ini").read_text().replace(
        "users =\n", f"users = alice:admin:{hashed}\nuser.bob = display {hashed}\n")
    (tmp_path / "config.ini").write_text(config)
    settings = load_settings(tmp_path / "config.ini")
    assert {n: u.role for n, u in settings.auth.users.items()} == {"alice": "admin",
                                                                   "bob": "display"}
    assert hashed not in repr(settings)


def test_cross_site_requests_cannot_act(sapgw):
    from sapgw.gateway.api.app import create_app

    with TestClient(create_app(sapgw, run_schedulers=False)) as web:
        refused = web.post("/api/queues/Q1/lock", headers={"origin": "https://evil.example"})
        assert refused.status_code == 403 and refused.json()["error"] == "CROSS_SITE"
        assert web.post("/api/queues/Q1/lock", headers={"sec-fetch-site": "cross-site"}
                        ).status_code == 403
        same = web.post("/api/queues/Q1/lock", headers={"origin": "http://testserver"})
        assert same.status_code == 200
        assert web.post("/api/queues/Q1/unlock").status_code == 200, "curl sends no Origin"


# -- the RFC services under /sap/: the rfc or admin role, refusals in each protocol's shape ----
SOAP_PING = ('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>'
             '<rfc:RFC_PING xmlns:rfc="urn:sap-com:document:sap:rfc:functions"/>'
             '</e:Body></e:Envelope>')


def soap_error(answer: httpx.Response) -> tuple[str | None, ...]:
    """faultcode, rfc:Error type and message of a SOAP fault."""
    root = etree.fromstring(answer.content)
    error = root.find(".//{urn:sap-com:document:sap:soap:functions}Error")
    assert error is not None, answer.text
    return root.findtext(".//faultcode"), error.findtext("type"), error.findtext("message")


def test_json_rfc_needs_a_user_with_the_rfc_or_admin_role(web: TestClient):
    refused = web.post("/sap/bc/rfc/RFC_PING")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Basic realm="sapgw"'
    body = refused.json()
    assert (body["error"], body["code"], body["key"]) == ("LogonError", 2, "RFC_LOGON_FAILURE")
    assert body["message"].startswith("No logon data") and body["messages"] == []
    wrong = web.post("/sap/bc/rfc/RFC_PING", auth=("carol", "wrong"))
    assert wrong.status_code == 401
    assert wrong.json()["message"] == "Name or password is incorrect (repeat logon)"
    unit = web.post("/sap/bc/rfc_unit", json={"TID": "0" * 24, "QUEUE": None, "CALLS": []})
    assert unit.status_code == 401 and unit.json()["error"] == "LogonError"

    for user in (CAROL, ALICE):
        answer = web.post("/sap/bc/rfc/RFC_READ_TABLE", auth=user,
                          json={"QUERY_TABLE": "PROJ", "ROWCOUNT": 1})
        assert answer.status_code == 200, (user, answer.text)
    forbidden = web.post("/sap/bc/rfc/RFC_PING", auth=BOB)
    assert forbidden.status_code == 403
    assert (forbidden.json()["error"], forbidden.json()["key"]) == (
        "ExternalAuthorizationError", "RFC_AUTHORIZATION_FAILURE")
    assert "bob has no RFC authorization" in forbidden.json()["message"]
    cross_site = web.post("/sap/bc/rfc/RFC_PING", auth=CAROL,
                          headers={"origin": "https://evil.example"})
    assert cross_site.status_code == 403, "a browser's remembered login is no consent"


def test_soap_wsdl_and_idoc_xml_refuse_in_their_own_shape(web: TestClient):
    soap = {"content-type": "text/xml; charset=utf-8"}
    refused = web.post("/sap/bc/soap/rfc", content=SOAP_PING, headers=soap)
    assert refused.status_code == 401 and refused.headers["content-type"].startswith("text/xml")
    assert refused.headers["www-authenticate"] == 'Basic realm="sapgw"'
    assert soap_error(refused)[:2] == ("SOAP-ENV:Client", "RFC_LOGON_FAILURE")
    forbidden = web.post("/sap/bc/soap/rfc", content=SOAP_PING, headers=soap, auth=BOB)
    assert forbidden.status_code == 403
    assert soap_error(forbidden)[1] == "RFC_AUTHORIZATION_FAILURE"
    answer = web.post("/sap/bc/soap/rfc", content=SOAP_PING, headers=soap, auth=CAROL)
    assert answer.status_code == 200 and b"RFC_PING.Response" in answer.content

    wsdl = "/sap/bc/soap/wsdl11?services=RFC_PING"
    assert web.get(wsdl).status_code == 401
    assert web.get(wsdl).headers["content-type"].startswith("text/plain")
    assert web.get(wsdl, auth=CAROL).status_code == 200

    from sapgw.gateway.idoc.xml_format import write_idoc_xml
    from tests.idoc.conftest import acc_document

    idoc = write_idoc_xml([acc_document("AUTH1")])
    refused = web.post("/sap/bc/idoc_xml", content=idoc)
    assert refused.status_code == 401 and refused.text.startswith("No logon data")
    assert refused.headers["content-type"].startswith("text/plain")
    assert web.post("/sap/bc/idoc_xml", content=idoc, auth=BOB).status_code == 403
    taken = web.post("/sap/bc/idoc_xml", content=idoc, auth=CAROL)
    assert taken.status_code == 200 and taken.text.startswith("IDoc "), taken.text


def test_a_session_stays_with_the_user_who_opened_it(web: TestClient):
    opened = web.post("/sap/bc/rfc/RFC_PING", auth=ALICE,
                      headers={"sap-contextid-accept": "header"})
    context = {"sap-contextid": opened.headers["sap-contextid"]}
    stolen = web.post("/sap/bc/rfc/RFC_PING", auth=CAROL, headers=context)
    assert stolen.status_code == 400 and "Session not found" in stolen.json()["message"]
    assert web.post("/sap/bc/rfc/RFC_PING", auth=ALICE, headers=context).status_code == 200

    soap = "/sap/bc/soap/rfc?sap-sessioncmd=open"
    opened = web.post(soap, content=SOAP_PING, auth=ALICE)
    cookie = opened.cookies["sap-contextid"]
    web.cookies.clear()
    stolen = web.post("/sap/bc/soap/rfc", content=SOAP_PING, auth=CAROL,
                      headers={"sap-contextid": cookie})
    assert "Session not found" in soap_error(stolen)[2]
    mine = web.post("/sap/bc/soap/rfc?sap-sessioncmd=close", content=SOAP_PING, auth=ALICE,
                    headers={"sap-contextid": cookie})
    assert mine.status_code == 200 and mine.headers["sap-contextid"] == cookie
