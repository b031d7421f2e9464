"""Initial loads and requests through the CLI (in-process), REST and the page: counts of
BDocs, distinct keys, R3AM1 figures, and refusals in SAP's terms (docs/LOADS.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from starlette.testclient import TestClient

from sapgw.erp_stub.masterdata.crm_load import CRMLOADST
from sapgw.gateway.api.app import create_app
from sapgw.gateway.cli import build_parser, dispatch
from sapgw.gateway.client import LocalClient
from sapgw.gateway.loads.store import LoadStore
from sapgw.gateway.queues.status import QueueStatus
from sapgw.gateway.runtime import Gateway
from sapgw.gateway.store.tables import BDocHeader
from sapgw.qrfc.queries import queue_list
from sapgw.types import RfcCall
from tests.loads.customers import FIRST, insert_customers

H = BDocHeader.__table__  # type: ignore[attr-defined]


def cli(gw: Gateway, *argv: str) -> int:
    """`sapgw ARGV` in this process against the gateway `gw`."""
    args = build_parser().parse_args(list(argv))
    return dispatch(args, LocalClient(gw))


def loaded(gw: Gateway) -> tuple[int, int, dict[str, int]]:
    """BUPA_MAIN BDocs from site ERP: how many, how many distinct keys, by state."""
    with gw.db.read() as conn:
        rows = conn.execute(select(H.c.object_key, H.c.state).where(
            H.c.bdoc_type == "BUPA_MAIN", H.c.sender == "ERP")).all()
    states: dict[str, int] = {}
    for row in rows:
        states[row.state] = states.get(row.state, 0) + 1
    return len(rows), len({r.object_key for r in rows}), states


def test_an_initial_load_of_2000_customers_arrives_once_each(
        sapgw: Gateway, capsys: pytest.CaptureFixture[str]) -> None:
    insert_customers(sapgw.local_erp(), 2000)
    code = cli(sapgw, "load", "start", "customer_main", "--filter",
                 f"KUNNR={FIRST}..{FIRST + 1999}", "--json")

    assert code == 0, capsys.readouterr()
    assert loaded(sapgw) == (2000, 2000, {"F04": 2000})
    status = sapgw.loads.monitor()[0]
    assert (status["status"], status["blocks_sent"], status["blocks_processed"],
            status["blocks_in_error"]) == ("DONE", 20, 20, 0)
    assert (status["objects_sent"], status["objects_received"]) == (2000, 2000)
    assert status["queue"] == "R3AI_CUSTOMER_MAIN"
    bdoc = sapgw.bdoc(sapgw.bdocs_list(bdoc_type="BUPA_MAIN", limit=1)["items"][0]["bdoc_id"])
    assert bdoc["data"]["COMPANY"][0]["AKONT"] == "0000140000"  # KNB1 came with KNA1
    assert (bdoc["flow_context"], bdoc["sender"]) == ("MI0", "ERP")
    assert cli(sapgw, "load", "monitor") == 0
    assert "DONE" in capsys.readouterr().out


def test_a_request_loads_its_ranges_into_r3ar(sapgw: Gateway) -> None:
    insert_customers(sapgw.local_erp(), 150)
    assert cli(sapgw, "load", "request", "define", "de_first", "CUSTOMER_MAIN", "--filter",
                 f"KUNNR={FIRST}..{FIRST + 149}", "--filter", "LAND1=DE") == 0
    assert cli(sapgw, "load", "request", "start", "DE_FIRST", "--block-size", "30",
                 "--no-wait") == 0
    erp = sapgw.local_erp()
    erp_queues = {q["name"] for q in queue_list(erp.db, erp.outbound.store.schema, "out")}
    assert erp_queues == {"R3AR_CUSTOMER_MAIN"}
    sapgw.run_until_idle()

    assert loaded(sapgw) == (100, 100, {"F04": 100})  # two of three customers are in DE
    status = sapgw.loads.monitor()[0]
    assert (status["kind"], status["request"], status["status"], status["blocks_sent"]) == (
        "R", "DE_FIRST", "DONE", 4)


def test_a_customer_that_fails_validation_marks_its_block_in_error(sapgw: Gateway) -> None:
    keys = insert_customers(sapgw.local_erp(), 120)
    with sapgw.local_erp().db.write() as conn:  # a customer CRM refuses: no name
        conn.execute(CRMLOADST.metadata.tables["KNA1"].update().where(
            CRMLOADST.metadata.tables["KNA1"].c.KUNNR == keys[110]).values(NAME1=""))
    status = sapgw.loads.run(sapgw.loads.start("CUSTOMER_MAIN", block_size=50, filters=[
        f"KUNNR={FIRST}..{FIRST + 119}"])["load_id"])

    assert (status["status"], status["blocks_sent"], status["blocks_processed"],
            status["blocks_in_error"]) == ("ERROR", 3, 2, 1)
    count, distinct, states = loaded(sapgw)
    assert (count, distinct) == (120, 120) and states["F04"] == 119


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["load", "start", "MATERIAL"], 1,
     "SMOF 910 Load object MATERIAL does not exist (R3AC1); defined: CUSTOMER_MAIN"),
    (["load", "start", "CUSTOMER_MAIN", "--filter", "STRAS=Domplatz"], 1,
     "SMOF 915 Field STRAS is not allowed as a filter of load object CUSTOMER_MAIN"),
    (["load", "start", "CUSTOMER_MAIN", "--filter", "KUNNR"], 2,
     "SMOF 917 Filter 'KUNNR' is not FIELD=VALUE or FIELD=LOW..HIGH"),
    (["load", "start", "CUSTOMER_MAIN", "--target", "MOBILE"], 1,
     "SMOF 913 Target site MOBILE cannot receive load object CUSTOMER_MAIN"),
    (["load", "start", "CUSTOMER_MAIN", "--source", "XYZ"], 1,
     "SMOF 912 Source site XYZ is no site of type R/3"),
    (["load", "request", "start", "NOPE"], 1, "SMOF 921 Request NOPE is not defined (R3AR2)"),
])
def test_bad_input_is_refused_in_sap_terms_and_writes_nothing(
        sapgw: Gateway, capsys: pytest.CaptureFixture[str], argv: list[str], code: int,
        message: str) -> None:
    assert cli(sapgw, *argv) == code
    assert message in capsys.readouterr().err
    assert sapgw.loads.monitor() == []


def test_the_erp_refuses_a_field_it_does_not_have(sapgw: Gateway) -> None:
    with sapgw.destination("ERP") as erp:
        result = erp.call("CRS_FIRST_DOWNLOAD_TRIGGER", OBJNAME="CUSTOMER_MAIN", LOAD_ID="X1",
                          FILTERS=[{"FIELDNAME": "COLOUR", "SIGN": "I", "OPTION": "EQ",
                                    "LOW": "red"}])
    assert result["RETURN"][0]["MESSAGE"] == "Filter field COLOUR is not a field of table KNA1"
    with sapgw.local_erp().db.read() as conn:  # nothing written
        assert conn.execute(select(func.count()).select_from(
            CRMLOADST.__table__)).scalar() == 0  # type: ignore[attr-defined]


def test_rest_and_page(sapgw: Gateway) -> None:
    insert_customers(sapgw.local_erp(), 60)
    web = TestClient(create_app(sapgw, run_schedulers=False))
    refused = web.post("/api/loads", json={"object": "NOPE"})
    assert refused.status_code == 400 and refused.json()["error"] == "SMOF 910"
    bad_filter = web.post("/api/loads", json={"object": "CUSTOMER_MAIN",
                                              "filters": [{"field": "NAME1", "low": "x"}]})
    assert bad_filter.json()["error"] == "SMOF 915"
    assert web.put("/api/loads/requests/R1", json={
        "object": "CUSTOMER_MAIN", "filters": [{"field": "KUNNR", "option": "BT",
                                                "low": str(FIRST), "high": str(FIRST + 9)}]}
                   ).status_code == 200
    started = web.post("/api/loads/requests/R1/start", json={"block_size": 5})
    assert started.status_code == 202, started.text
    load_id = started.json()["load_id"]
    _wait_extracted(sapgw, load_id)
    sapgw.run_until_idle()
    one = web.get(f"/api/loads/{load_id}").json()
    assert (one["status"], one["blocks_sent"], one["blocks_processed"]) == ("DONE", 2, 2)
    assert web.get("/api/loads/999").status_code == 404
    page = web.get("/r3am1").text
    assert "R3AM1" in page and "R3AR_CUSTOMER_MAIN" in page and "DONE" in page
    assert ">R1<" in page and "Start (R3AR4)" in page


def _wait_extracted(gw: Gateway, load_id: int, timeout: float = 20.0) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        load = gw.loads.store.get(load_id) or {}
        if load.get("extracted") or load.get("message"):
            return load
        time.sleep(0.05)
    raise AssertionError(f"load {load_id} did not end its extraction")


@contextmanager
def statements(gw: Gateway) -> Iterator[list[str]]:
    """The SQL statements the gateway's database runs inside the with-block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(gw.db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(gw.db.engine, "before_cursor_execute", record)


def test_the_monitor_reads_any_number_of_loads_in_the_same_queries(sapgw: Gateway) -> None:
    def start(n: int) -> None:  # loads of both kinds, each with a block of its own
        load_id = sapgw.loads.store.create({
            "kind": "IR"[n % 2], "objname": "CUSTOMER_MAIN", "request": "R" * (n % 2),
            "source_site": "ERP", "target_site": "CRM", "block_size": 10,
            "started_at": sapgw.clock.now()})
        with sapgw.db.write() as conn:
            LoadStore.record_block(conn, load_id, 1, [f"B{n}"], sapgw.clock.now())

    start(0)
    with statements(sapgw) as few:
        assert len(sapgw.loads.monitor()) == 1
    for n in range(1, 40):
        start(n)
    with statements(sapgw) as many:
        assert len(sapgw.loads.monitor()) == 40
    assert len(many) == len(few) <= 5, many


def test_a_block_heading_its_queue_in_sysfail_is_in_error_with_the_queue_message(
        sapgw: Gateway) -> None:
    insert_customers(sapgw.local_erp(), 30)
    done = sapgw.loads.run(sapgw.loads.start("CUSTOMER_MAIN", block_size=10, filters=[
        f"KUNNR={FIRST}..{FIRST + 29}"])["load_id"])
    other = sapgw.loads.start("CUSTOMER_MAIN", block_size=5, filters=[f"KUNNR={FIRST}"])
    queue = done["queue"]
    with sapgw.db.write() as conn:  # a block of the first load that CRM could not save
        sapgw.queue_store.enqueue(conn, queue=queue, direction="in", kind="RFC", tid="T" * 24,
                             destination="CRM", calls=[RfcCall("BAPI_CRM_SAVE", {"HEADER": {
                                 "LOAD_ID": str(done["load_id"]), "BLOCK_NO": "4"}})])
        sapgw.queue_store.set_status(conn, queue, "in", QueueStatus.SYSFAIL, "SMOF 906 Load 1 ...")

    lines = {line["load_id"]: line for line in sapgw.loads.monitor()}
    failed = lines[done["load_id"]]
    assert (done["status"], failed["status"], failed["blocks_processed"],
            failed["blocks_in_error"], failed["message"]) == (
        "DONE", "ERROR", 3, 1, "SMOF 906 Load 1 ...")
    assert failed == sapgw.loads.status(done["load_id"])
    assert (lines[other["load_id"]]["status"], lines[other["load_id"]]["blocks_in_error"],
            lines[other["load_id"]]["message"]) == ("RUNNING", 0, "")
