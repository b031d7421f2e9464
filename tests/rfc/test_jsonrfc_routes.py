"""JSON RFC routes in process (Starlette TestClient) against the ERP stub."""

import time

import anyio
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.kernel.system import ARFCRSTATE
from sapgw.rfc.jsonrfc_server import Sessions, rfc_routes
from sapgw.rfc.sessions import SessionNotFound
from sapgw.types import new_tid
from tests.rfc.conftest import TestClient

RFC = "/sap/bc/rfc"
OPEN = {"sap-contextid-accept": "header"}


def count(client: TestClient) -> int:
    return client.post(f"{RFC}/Z_JSONRFC_COUNT", json={}).json()["COUNT"]


def test_stfc_connection_echoes_without_a_session(client):
    response = client.post(f"{RFC}/STFC_CONNECTION", json={"REQUTEXT": "Hello SAP"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "sap-contextid" not in response.headers
    result = response.json()
    assert result["ECHOTEXT"] == "Hello SAP"
    assert "Date: 20261122" in result["RESPTEXT"]
    assert "REQUTEXT" not in result  # IMPORT parameters are not returned


def test_empty_body_means_no_parameters(client):
    response = client.post(f"{RFC}/RFC_PING", content=b"")
    assert (response.status_code, response.json()) == (200, {})


def test_decimals_travel_as_strings_and_dates_as_yyyymmdd(client):
    response = client.post(f"{RFC}/Z_JSONRFC_POST", content=b'{"KEY": "A", "ITEMS": ['
                           b'{"KEY": "1", "AMOUNT": "1.50", "DATE": "2026-11-22"},'
                           b'{"KEY": "2", "AMOUNT": 2.25}]}')
    assert response.status_code == 200
    result = response.json()
    assert result["TOTAL"] == "3.75"
    assert [(i["AMOUNT"], i["DATE"]) for i in result["ITEMS"]] == [("1.50", "20261122"),
                                                                  ("2.25", "")]
    assert result["RETURN"]["TYPE"] == ""


def test_unknown_function_is_404_fu_not_found(client):
    response = client.post(f"{RFC}/Z_DOES_NOT_EXIST", json={})
    assert response.status_code == 404
    body = response.json()
    assert (body["error"], body["key"], body["code"]) == ("ABAPApplicationError",
                                                           "FU_NOT_FOUND", 5)
    assert body["msg_v1"] == "Z_DOES_NOT_EXIST"
    assert set(body) >= {"message", "msg_class", "msg_type", "msg_number", "msg_v2",
                         "msg_v3", "msg_v4", "messages"}


def test_namespaced_function_names_may_contain_slashes(client):
    response = client.post(f"{RFC}/%2FSAPGW%2FNOPE", json={})
    assert response.status_code == 404
    assert response.json()["msg_v1"] == "/SAPGW/NOPE"


def test_unknown_parameter_is_400_invalid_parameter(client):
    response = client.post(f"{RFC}/STFC_CONNECTION", json={"REQUTEXT": "x", "UNDEFINED": 1})
    assert response.status_code == 400
    body = response.json()
    assert (body["error"], body["key"], body["code"]) == ("ExternalRuntimeError",
                                                           "RFC_INVALID_PARAMETER", 20)
    assert "UNDEFINED" in body["message"]


def test_bad_value_is_400_conversion_failure(client):
    response = client.post(f"{RFC}/STFC_CONNECTION", json={"REQUTEXT": 42})
    assert response.status_code == 400
    assert response.json()["key"] == "RFC_CONVERSION_FAILURE"


def test_malformed_json_and_non_object_bodies_are_400(client):
    broken = client.post(f"{RFC}/RFC_PING", content=b'{"REQUTEXT": ')
    assert broken.status_code == 400
    assert broken.json()["error"] == "ExternalRuntimeError"
    assert "not valid JSON" in broken.json()["message"]
    listed = client.post(f"{RFC}/RFC_PING", json=["REQUTEXT"])
    assert listed.status_code == 400
    assert listed.json()["key"] == "RFC_INVALID_PARAMETER"


def test_abap_exception_is_500_with_its_fields(client):
    response = client.post(f"{RFC}/Z_JSONRFC_POST", json={"KEY": "A", "FAIL": "R"})
    assert response.status_code == 500
    body = response.json()
    assert (body["error"], body["key"], body["msg_class"], body["msg_number"], body["msg_v1"]) \
        == ("ABAPApplicationError", "NOT_FOUND", "RW", "610", "ZZ")


def test_unexpected_exception_is_500_without_traceback(client, caplog):
    response = client.post(f"{RFC}/Z_JSONRFC_CRASH", json={})
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "ExternalRuntimeError"
    assert body["message"] == "RuntimeError: disk on fire"
    assert "Traceback" not in response.text
    assert "disk on fire" in caplog.text  # the traceback goes to the server log


# -- sessions ------------------------------------------------------------------------------
def test_without_a_session_uncommitted_work_is_discarded(client):
    assert client.post(f"{RFC}/Z_JSONRFC_POST", json={"KEY": "A"}).status_code == 200
    assert client.post(f"{RFC}/BAPI_TRANSACTION_COMMIT", json={}).status_code == 200
    assert count(client) == 0


def test_a_session_commits_across_requests(client):
    opened = client.post(f"{RFC}/Z_JSONRFC_POST", json={"KEY": "A"}, headers=OPEN)
    context = {"sap-contextid": opened.headers["sap-contextid"]}
    assert count(client) == 0  # pending until commit (ABAP update task)
    commit = client.post(f"{RFC}/BAPI_TRANSACTION_COMMIT", json={"WAIT": "X"}, headers=context)
    assert commit.status_code == 200
    assert commit.headers["sap-contextid"] == context["sap-contextid"]
    assert count(client) == 1


def test_rollback_and_close_discard_the_sessions_work(client):
    opened = client.post(f"{RFC}/Z_JSONRFC_POST", json={"KEY": "A"}, headers=OPEN)
    context = {"sap-contextid": opened.headers["sap-contextid"]}
    client.post(f"{RFC}/BAPI_TRANSACTION_ROLLBACK", json={}, headers=context)
    client.post(f"{RFC}/Z_JSONRFC_POST", json={"KEY": "B"}, headers=context)
    closing = client.post(f"{RFC}/RFC_PING", headers={**context, "sap-contextid-close": "X"})
    assert closing.status_code == 200
    after = client.post(f"{RFC}/BAPI_TRANSACTION_COMMIT", json={}, headers=context)
    assert after.status_code == 400
    assert (after.json()["error"], after.json()["key"]) == ("CommunicationError",
                                                            "RFC_COMMUNICATION_FAILURE")
    assert after.json()["message"].startswith("Session not found")
    assert count(client) == 0


def test_errors_on_a_session_keep_the_session(client):
    opened = client.post(f"{RFC}/Z_JSONRFC_POST", json={"KEY": "A"}, headers=OPEN)
    context = {"sap-contextid": opened.headers["sap-contextid"]}
    failed = client.post(f"{RFC}/STFC_CONNECTION", json={"NOPE": "x"}, headers=context)
    assert failed.status_code == 400
    assert failed.headers["sap-contextid"] == context["sap-contextid"]
    client.post(f"{RFC}/BAPI_TRANSACTION_COMMIT", json={}, headers=context)
    assert count(client) == 1


def test_sessions_are_bounded(client):
    ids = [client.post(f"{RFC}/RFC_PING", headers=OPEN).headers["sap-contextid"]
           for _ in range(3)]
    assert len(set(ids)) == 3
    refused = client.post(f"{RFC}/RFC_PING", headers=OPEN)
    assert refused.status_code == 503
    assert refused.json()["error"] == "CommunicationError"
    assert "all 3 sessions are in use" in refused.json()["message"]
    client.post(f"{RFC}/RFC_PING", headers={"sap-contextid": ids[0], "sap-contextid-close": "X"})
    assert client.post(f"{RFC}/RFC_PING", headers=OPEN).status_code == 200


def test_idle_sessions_expire(erp: ErpSystem):
    app = Starlette(routes=rfc_routes(erp.connect, session_timeout=0.05))
    with TestClient(app) as client:
        opened = client.post(f"{RFC}/Z_JSONRFC_POST", json={"KEY": "A"}, headers=OPEN)
        context = {"sap-contextid": opened.headers["sap-contextid"]}
        assert client.post(f"{RFC}/RFC_PING", headers=context).status_code == 200
        time.sleep(0.1)
        expired = client.post(f"{RFC}/BAPI_TRANSACTION_COMMIT", json={}, headers=context)
        assert expired.status_code == 400
        assert "expired" in expired.json()["message"]
        assert count(client) == 0


def test_calls_on_one_session_run_one_at_a_time(erp: ErpSystem):
    running: list[int] = []
    overlap: list[int] = []

    def work() -> tuple[int, bytes]:
        running.append(1)
        overlap.append(len(running))
        time.sleep(0.02)
        running.pop()
        return 200, b"{}"

    async def main() -> None:
        sessions = Sessions(erp.connect, timeout=600, max_sessions=10)
        one, other = await sessions.open(), await sessions.open()
        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(sessions.run, one, work)
        assert max(overlap) == 1
        overlap.clear()
        async with anyio.create_task_group() as group:
            group.start_soon(sessions.run, one, work)
            group.start_soon(sessions.run, other, work)
        assert max(overlap) == 2  # different sessions do run in parallel

    anyio.run(main)


def test_closing_a_session_waits_for_the_call_running_on_it(erp: ErpSystem):
    events: list[str] = []

    def work(name: str) -> tuple[int, bytes]:
        events.append(f"{name} starts")
        time.sleep(0.05)
        events.append(f"{name} ends")
        return 200, b"{}"

    async def main() -> None:
        sessions = Sessions(erp.connect, timeout=600, max_sessions=10)
        session = await sessions.open()
        closing = session.conn.close

        def close() -> None:
            events.append("close")
            closing()

        session.conn.close = close  # type: ignore[method-assign]
        async with anyio.create_task_group() as group:
            group.start_soon(sessions.run, session, work, "running")
            await anyio.sleep(0.01)  # the call holds the session now
            group.start_soon(sessions.close, session)
        assert events == ["running starts", "running ends", "close"]
        with pytest.raises(SessionNotFound):  # a call that comes after the close
            await sessions.run(session, work, "late")
        assert await sessions.lookup(session.id) is None

    anyio.run(main)


# -- tRFC / qRFC units ---------------------------------------------------------------------
def arfcrstate(erp: ErpSystem, tid: str) -> dict | None:
    table = ARFCRSTATE.__table__
    with erp.db.read() as conn:
        row = conn.execute(select(table).where(table.c.ARFCTID == tid)).mappings().first()
    return dict(row) if row else None


def test_a_unit_posted_twice_executes_once(client, erp):
    tid = new_tid()
    unit = {"TID": tid, "QUEUE": "R3AUFUNDS0001", "CALLS": [
        ["Z_JSONRFC_POST", {"KEY": "A", "ITEMS": [{"AMOUNT": "1.00"}]}],
        ["Z_JSONRFC_POST", {"KEY": "B"}]]}
    for _ in range(2):
        response = client.post("/sap/bc/rfc_unit", json=unit)
        assert (response.status_code, response.json()) == (200, {"TID": tid,
                                                                 "STATE": "EXECUTED"})
    assert count(client) == 2
    assert arfcrstate(erp, tid)["ARFCQNAME"] == "R3AUFUNDS0001"
    confirmed = client.post(f"/sap/bc/rfc_unit/{tid}/confirm")
    assert (confirmed.status_code, confirmed.json()) == (200, {"TID": tid,
                                                               "STATE": "CONFIRMED"})
    erp.flush_confirmations()  # confirmations are recorded lazily
    assert arfcrstate(erp, tid)["ARFCSTATE"] == "CONFIRMD"


def test_a_failing_unit_rolls_back_and_reports_every_message(client, erp):
    tid = new_tid()
    response = client.post("/sap/bc/rfc_unit", json={"TID": tid, "QUEUE": None, "CALLS": [
        ["Z_JSONRFC_POST", {"KEY": "A"}], ["Z_JSONRFC_POST", {"KEY": "B", "FAIL": "X"}]]})
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "ABAPApplicationError"
    assert [m["NUMBER"] for m in body["messages"]] == ["609"]
    assert count(client) == 0
    assert arfcrstate(erp, tid) is None  # not recorded: a reprocess runs it again


def test_bad_unit_bodies_are_400(client):
    tid = new_tid()
    bad = [{"TID": "SHORT", "QUEUE": None, "CALLS": [["RFC_PING", {}]]},
           {"TID": tid, "QUEUE": None, "CALLS": []},
           {"TID": tid, "QUEUE": 7, "CALLS": [["RFC_PING", {}]]},
           {"TID": tid, "QUEUE": None, "CALLS": [["RFC_PING"]]},
           {"TID": tid, "CALLS": [["RFC_PING", {}]], "EXTRA": 1},
           ["RFC_PING"]]
    for body in bad:
        response = client.post("/sap/bc/rfc_unit", json=body)
        assert response.status_code == 400, body
        assert response.json()["key"] == "RFC_INVALID_PARAMETER"
    assert client.post("/sap/bc/rfc_unit", content=b"{").status_code == 400
    assert client.post("/sap/bc/rfc_unit/NOT-A-TID/confirm").status_code == 400


def test_unit_with_an_unknown_function_is_404(client):
    response = client.post("/sap/bc/rfc_unit", json={"TID": new_tid(), "QUEUE": None,
                                                      "CALLS": [["Z_NOPE", {}]]})
    assert response.status_code == 404
    assert response.json()["key"] == "FU_NOT_FOUND"


def test_units_arriving_together_commit_together_and_a_failure_stays_its_own(erp):
    """Group commit (UnitBatches): one batch for units that wait together; the failing one
    answers its error and leaves no trace, the ones after it still run, a TID twice runs once."""
    import asyncio

    from sapgw.rfc.jsonrfc_server import UnitBatches
    from sapgw.types import RfcCall

    batches_run: list[int] = []

    def connect():
        conn = erp.connect()
        submit_units = conn.submit_units

        def counted(units):
            batches_run.append(len(units))
            return submit_units(units)
        conn.submit_units = counted
        return conn

    tids = [new_tid() for _ in range(4)]
    units = [(tids[0], "A", ""), (tids[1], "B", "X"), (tids[2], "C", ""), (tids[0], "A", "")]

    batches = UnitBatches(connect)

    async def main(units):
        return await asyncio.gather(*(
            batches.submit(tid, [RfcCall("Z_JSONRFC_POST", {"KEY": key, "FAIL": fail})])
            for tid, key, fail in units))

    answers = asyncio.run(main(units))
    assert [status for (status, _), _ in answers] == [200, 500, 200, 200]
    assert [headers.get("sap-trfc-state") for _, headers in answers] == [
        "EXECUTED", None, "EXECUTED", "EXECUTED"]
    assert batches_run == [4, 2]  # all four together; after the failure, the two behind it
    assert arfcrstate(erp, tids[1]) is None and arfcrstate(erp, tids[2]) is not None
    with erp.connect() as conn:
        assert conn.call("Z_JSONRFC_COUNT")["COUNT"] == 2  # A once, C; B left nothing
    (status, _), headers = asyncio.run(main([(new_tid(), "D", "")]))[0]  # another loop
    assert (status, headers["sap-trfc-state"]) == (200, "EXECUTED")
