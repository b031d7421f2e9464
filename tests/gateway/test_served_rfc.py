"""The gateway's served RFC layer: gateway functions beside the ERP stub, over JSON and SOAP RFC,
with tRFC exactly once and qRFC units stored in the inbound queue (SMQ2)."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from starlette.testclient import TestClient

from sapgw.gateway.api.app import create_app
from sapgw.gateway.rfc.served import GatewayCall, GatewayFunctions, ServedRfc
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.ddic import CHAR, INT4
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.interface import exporting, importing, interface
from sapgw.rfc.jsonrfc_client import HttpRfcConnection
from sapgw.rfc.structures import BAPIRET2
from sapgw.types import new_tid

# Test-only gateway functions writing to a test table of the gateway database, so that
# "ran once" can be counted and the TID record seen committing with the effects.
NOTES = Table("z_gw_notes", MetaData(), Column("id", Integer, primary_key=True),
              Column("text", String(40)), Column("tid", String(24)))
FUNCTIONS = GatewayFunctions()
CAUSE = {"broken": False}  # FAIL = C fails while the cause is not fixed


def z_gw_note(call: GatewayCall, params: dict[str, Any]) -> dict[str, Any]:
    if params["FAIL"] == "X":
        return {"RETURN": {"TYPE": "E", "ID": "ZGW", "NUMBER": "001",
                           "MESSAGE": "Note refused"}}
    if params["FAIL"] == "R":
        raise ABAPApplicationError("No room for notes", 5, "NO_ROOM", "ZGW", "E", "002")
    if params["FAIL"] == "C" and CAUSE["broken"]:
        raise ABAPApplicationError("Cause not fixed", 5, "BROKEN", "ZGW", "E", "003")
    with call.gateway.db.write() as conn:
        conn.execute(NOTES.insert().values(text=params["TEXT"], tid=call.tid or ""))
        call.record_tid(conn)
        count = conn.execute(select(func.count()).select_from(NOTES)).scalar_one()
    return {"COUNT": count, "RETURN": {"TYPE": "S", "MESSAGE": "Noted"}}


def z_gw_count(call: GatewayCall, params: dict[str, Any]) -> dict[str, Any]:
    with call.gateway.db.read() as conn:
        return {"COUNT": conn.execute(select(func.count()).select_from(NOTES)).scalar_one()}


FUNCTIONS.register(interface("Z_GW_NOTE", [
    importing("TEXT", CHAR(40), optional=False), importing("FAIL", CHAR(1)),
    exporting("COUNT", INT4), exporting("RETURN", BAPIRET2)], exceptions=("NO_ROOM",)),
    z_gw_note)
FUNCTIONS.register(interface("Z_GW_COUNT", [exporting("COUNT", INT4)]), z_gw_count)


@pytest.fixture
def gateway(sapgw: Gateway) -> Iterator[Gateway]:
    NOTES.metadata.create_all(sapgw.db.engine)
    sapgw.served_rfc = ServedRfc(sapgw, FUNCTIONS)
    yield sapgw
    CAUSE["broken"] = False


@pytest.fixture
def client(gateway: Gateway) -> Iterator[TestClient]:
    with TestClient(create_app(gateway, run_schedulers=False)) as test_client:
        yield test_client


def notes(gateway: Gateway) -> list[tuple[str, str]]:
    with gateway.db.read() as conn:
        return [(r.text, r.tid) for r in conn.execute(select(NOTES).order_by(NOTES.c.id))]


def unit(tid: str, calls: list[list[Any]], queue: str | None = None) -> dict[str, Any]:
    return {"TID": tid, "QUEUE": queue, "CALLS": calls}


def test_gateway_functions_and_erp_functions_are_one_system(client, gateway):
    answer = client.post("/sap/bc/rfc/Z_GW_NOTE", json={"TEXT": "hello"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["COUNT"] == 1 and answer.json()["RETURN"]["MESSAGE"] == "Noted"
    assert client.post("/sap/bc/rfc/STFC_CONNECTION",
                       json={"REQUTEXT": "hi"}).json()["ECHOTEXT"] == "hi"
    described = client.post("/sap/bc/rfc/RFC_GET_FUNCTION_INTERFACE",
                            json={"FUNCNAME": "Z_GW_NOTE"}).json()["PARAMS"]
    assert [(r["PARAMCLASS"], r["PARAMETER"]) for r in described if not r["FIELDNAME"]] == [
        ("I", "TEXT"), ("I", "FAIL"), ("E", "COUNT"), ("E", "RETURN")]
    erp_described = client.post("/sap/bc/rfc/RFC_GET_FUNCTION_INTERFACE",
                                json={"FUNCNAME": "RFC_PING"})
    assert erp_described.status_code == 200 and erp_described.json()["PARAMS"] == []
    refused = client.post("/sap/bc/rfc/Z_GW_NOTE", json={"TEXT": "x", "FAIL": "R"})
    assert refused.status_code == 500 and refused.json()["key"] == "NO_ROOM"
    bad = client.post("/sap/bc/rfc/Z_GW_NOTE", json={"TEXXT": "x"})
    assert bad.status_code == 400 and bad.json()["key"] == "RFC_INVALID_PARAMETER"
    assert gateway.served_rfc.interface("Z_GW_COUNT").name == "Z_GW_COUNT"
    assert {"Z_GW_NOTE", "RFC_READ_TABLE"} <= set(gateway.served_rfc.names())


def test_soap_and_wsdl_serve_gateway_functions(client):
    wsdl = client.get("/sap/bc/soap/wsdl11?services=Z_GW_NOTE,STFC_CONNECTION")
    assert wsdl.status_code == 200 and b'name="Z_GW_NOTE.Response"' in wsdl.content
    envelope = (b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                b'xmlns:urn="urn:sap-com:document:sap:rfc:functions"><soapenv:Body>'
                b'<urn:Z_GW_NOTE><TEXT>soap</TEXT></urn:Z_GW_NOTE></soapenv:Body>'
                b'</soapenv:Envelope>')
    answer = client.post("/sap/bc/soap/rfc", content=envelope)
    assert answer.status_code == 200, answer.text
    assert b"<COUNT>1</COUNT>" in answer.content


def test_a_trfc_unit_of_gateway_functions_runs_once(client, gateway):
    tid = new_tid()
    body = unit(tid, [["Z_GW_NOTE", {"TEXT": "first"}], ["Z_GW_NOTE", {"TEXT": "second"}]])
    for _ in range(3):
        answer = client.post("/sap/bc/rfc_unit", json=body)
        assert answer.json() == {"TID": tid, "STATE": "EXECUTED"}
    assert notes(gateway) == [("first", tid), ("second", tid)]
    record = gateway.served_rfc.tids
    assert record.executed(tid)
    assert client.post(f"/sap/bc/rfc_unit/{tid}/confirm").json()["STATE"] == "CONFIRMED"


def test_a_failing_unit_records_nothing_and_runs_again(client, gateway):
    tid = new_tid()
    failing = client.post("/sap/bc/rfc_unit", json=unit(tid, [
        ["Z_GW_NOTE", {"TEXT": "kept"}], ["Z_GW_NOTE", {"TEXT": "no", "FAIL": "X"}]]))
    assert failing.status_code == 500
    assert failing.json()["messages"][0]["MESSAGE"] == "Note refused"
    assert not gateway.served_rfc.tids.executed(tid)
    fixed = client.post("/sap/bc/rfc_unit", json=unit(tid, [["Z_GW_NOTE", {"TEXT": "kept"}]]))
    assert fixed.json()["STATE"] == "EXECUTED" and gateway.served_rfc.tids.executed(tid)


def test_a_unit_may_not_mix_gateway_and_erp_functions(client):
    answer = client.post("/sap/bc/rfc_unit", json=unit(new_tid(), [
        ["Z_GW_NOTE", {"TEXT": "x"}], ["RFC_PING", {}]]))
    assert answer.status_code == 400 and "cannot mix" in answer.json()["message"]


def test_qrfc_units_go_to_smq2_once_and_run_in_order(client, gateway):
    first, second = new_tid(), new_tid()
    for tid, text in ((first, "one"), (second, "two"), (first, "one")):  # first resent
        answer = client.post("/sap/bc/rfc_unit", json=unit(
            tid, [["Z_GW_NOTE", {"TEXT": text}]], "ZGWNOTES"))
        assert answer.json() == {"TID": tid, "STATE": "QUEUED", "QUEUE": "ZGWNOTES"}
    queue = gateway.queue("ZGWNOTES", "in")
    assert queue is not None and queue["destination"] == "ERP"
    assert [(luw["tid"], luw["kind"]) for luw in queue["luws"]] == [
        (first, "RFC"), (second, "RFC")]
    assert notes(gateway) == []
    gateway.run_until_idle()
    assert notes(gateway) == [("one", first), ("two", second)]
    assert gateway.queues("in") == []
    # delivered again after it ran: still acknowledged, not queued again
    again = client.post("/sap/bc/rfc_unit", json=unit(
        first, [["Z_GW_NOTE", {"TEXT": "one"}]], "ZGWNOTES"))
    assert again.json()["STATE"] == "QUEUED" and gateway.queues("in") == []


def test_a_qrfc_unit_for_the_erp_posts_through_the_inbound_queue(client, gateway):
    tid = new_tid()
    document = {
        "DOCUMENTHEADER": {"BUS_ACT": "RFBU", "USERNAME": "TESTER", "COMP_CODE": "1000",
                           "DOC_DATE": "20261122", "PSTNG_DATE": "20261122", "DOC_TYPE": "SA",
                           "REF_DOC_NO": "QRFC1"},
        "ACCOUNTGL": [{"ITEMNO_ACC": "1", "GL_ACCOUNT": "0000113100"},
                      {"ITEMNO_ACC": "2", "GL_ACCOUNT": "0000140000"}],
        "CURRENCYAMOUNT": [{"ITEMNO_ACC": "1", "CURRENCY": "EUR", "AMT_DOCCUR": "10.00"},
                           {"ITEMNO_ACC": "2", "CURRENCY": "EUR", "AMT_DOCCUR": "-10.00"}]}
    answer = client.post("/sap/bc/rfc_unit", json=unit(
        tid, [["BAPI_ACC_DOCUMENT_POST", document]], "ZERPQ"))
    assert answer.json()["STATE"] == "QUEUED"
    assert gateway.queues("in")[0]["name"] == "ZERPQ"
    gateway.run_until_idle()
    assert gateway.queues("in") == []
    read = client.post("/sap/bc/rfc/RFC_READ_TABLE", json={
        "QUERY_TABLE": "BKPF", "FIELDS": [{"FIELDNAME": "XBLNR"}],
        "OPTIONS": [{"TEXT": "XBLNR = 'QRFC1'"}]}).json()
    assert len(read["DATA"]) == 1


def test_a_wrong_call_is_refused_before_it_is_queued(client, gateway):
    answer = client.post("/sap/bc/rfc_unit", json=unit(
        new_tid(), [["Z_GW_NOTE", {"NOPE": "x"}]], "ZGWNOTES"))
    assert answer.status_code == 400
    assert gateway.queues("in") == []


def test_a_failing_queued_unit_stops_smq2_until_activated(client, gateway):
    CAUSE["broken"] = True
    first, later = new_tid(), new_tid()
    client.post("/sap/bc/rfc_unit", json=unit(
        first, [["Z_GW_NOTE", {"TEXT": "a", "FAIL": "C"}]], "ZGWQ"))
    client.post("/sap/bc/rfc_unit", json=unit(later, [["Z_GW_NOTE", {"TEXT": "b"}]], "ZGWQ"))
    gateway.run_until_idle()
    queue = gateway.queue("ZGWQ", "in")
    assert (queue["status"], queue["error"], len(queue["luws"])) == (
        "SYSFAIL", "ZGW 003 Cause not fixed", 2)
    assert notes(gateway) == []
    page = client.get("/smq2/ZGWQ").text
    assert "SYSFAIL" in page and "Z_GW_NOTE" in page and "<td>RFC</td>" in page
    assert "ZGWQ" in client.get("/smq2").text
    CAUSE["broken"] = False
    assert client.post("/api/queues/ZGWQ/activate?direction=in").status_code == 200
    gateway.run_until_idle()
    assert notes(gateway) == [("a", first), ("b", later)]


def test_a_deleted_luw_is_not_queued_again(client, gateway):
    tid = new_tid()
    body = unit(tid, [["Z_GW_NOTE", {"TEXT": "x", "FAIL": "X"}]], "ZGWDEL")
    client.post("/sap/bc/rfc_unit", json=body)
    gateway.run_until_idle()
    assert gateway.queue("ZGWDEL", "in")["status"] == "SYSFAIL"
    deleted = client.delete(f"/api/queues/ZGWDEL/luws/{tid}?direction=in&confirm=true")
    assert deleted.status_code == 200, deleted.text
    assert client.post("/sap/bc/rfc_unit", json=body).json()["STATE"] == "QUEUED"
    assert (gateway.queue("ZGWDEL", "in") or {"luws": []})["luws"] == []


def test_confirmed_tids_are_forgotten_once_their_luw_is_gone(client, gateway):
    executed, queued = new_tid(), new_tid()
    client.post("/sap/bc/rfc_unit", json=unit(executed, [["Z_GW_NOTE", {"TEXT": "t"}]]))
    client.post("/sap/bc/rfc_unit", json=unit(queued, [["Z_GW_NOTE", {"TEXT": "q"}]], "ZGWR"))
    for tid in (executed, queued):
        client.post(f"/sap/bc/rfc_unit/{tid}/confirm")
    tids = gateway.served_rfc.tids
    later = gateway.clock.now() + timedelta(days=2)
    assert tids.reorganize(later) == 1  # the queued one waits for its LUW
    gateway.run_until_idle()
    assert tids.reorganize(later) == 1
    with gateway.db.read() as conn:
        assert tids.get(conn, executed) is None and tids.get(conn, queued) is None


def test_one_call_with_tid_headers_is_a_unit(client, gateway):
    tid = new_tid()
    for _ in range(2):
        answer = client.post("/sap/bc/rfc/Z_GW_NOTE", json={"TEXT": "once"},
                             headers={"sap-trfc-tid": tid})
        assert answer.json() == {"TID": tid, "STATE": "EXECUTED"}
        assert answer.headers["sap-trfc-state"] == "EXECUTED"
    assert notes(gateway) == [("once", tid)]
    queued = client.post("/sap/bc/rfc/Z_GW_NOTE", json={"TEXT": "later"},
                         headers={"sap-trfc-tid": new_tid(), "sap-qrfc-queue": "ZGWH"})
    assert queued.json()["STATE"] == "QUEUED" and queued.headers["sap-qrfc-queue"] == "ZGWH"
    for headers in ({"sap-trfc-tid": "short"}, {"sap-qrfc-queue": "ZGWH"},
                    {"sap-trfc-tid": new_tid(), "sap-qrfc-queue": "Q" * 25},
                    {"sap-trfc-tid": new_tid(), "sap-contextid": "abc"}):
        refused = client.post("/sap/bc/rfc/Z_GW_NOTE", json={"TEXT": "x"}, headers=headers)
        assert refused.status_code == 400, headers
        assert refused.json()["key"] == "RFC_INVALID_PARAMETER"
    gateway.run_until_idle()
    assert [text for text, _ in notes(gateway)] == ["once", "later"]


def test_tids_and_queue_names_that_fit_no_header_or_path_are_refused(client, gateway):
    for tid, queue in (("中" * 24, None), (new_tid(), "ZGW/Q"), (new_tid(), "ZGW*"),
                       (new_tid(), " ZGWQ"), (new_tid(), "ZGWÄ")):
        answer = client.post("/sap/bc/rfc_unit", json=unit(
            tid, [["Z_GW_NOTE", {"TEXT": "x"}]], queue))
        assert answer.status_code == 400, (tid, queue)
        assert answer.json()["key"] == "RFC_INVALID_PARAMETER"
    confirm = client.post("/sap/bc/rfc_unit/" + "%C3%84" * 24 + "/confirm")
    assert confirm.status_code == 400
    assert notes(gateway) == [] and gateway.queues("in") == []


def test_the_json_rfc_client_learns_that_a_unit_was_queued(client):
    with HttpRfcConnection(str(client.base_url), client=client) as conn:
        unit = conn.initialize_unit(background=False)
        conn.fill_and_submit_unit(unit, [("Z_GW_NOTE", {"TEXT": "q"})], ["ZGWC"])
        assert (unit["queued"], unit["state"]) == (True, "QUEUED")
        conn.confirm_unit(unit)
