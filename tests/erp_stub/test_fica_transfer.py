"""FP_RAI_TRANSF (FKK_RAI_TRANSFER): revenue accounting items to RAR in SAP's order, one unit
per source document in the company code's queue, SENTTS with the unit, the newest contract
item version only, CPICERR retried exactly once by TID, an 8205 module refusing a group."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.fica.customizing import TFKRA_ACT
from sapgw.erp_stub.fica.rai_tables import TFKFBC
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.qout_tables import TRFCQOUT
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.qrfc.queries import queue_list
from sapgw.qrfc.sender import RetryPolicy
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import CommunicationError, ExternalRuntimeError
from sapgw.types import RfcCall
from tests.erp_stub.fica_support import DEVICE as DEVICE_ITEM
from tests.erp_stub.fica_support import (
    SERVICE,
    bit,
    bits,
    contract,
    contract_item,
    contract_with_items,
    read,
)

CA01, CA02, CA03 = (f"/1RA/CA0{n}_RAI_CREATE_API" for n in (1, 2, 3))


class Rar(RfcConnection):
    """RAR as FI-CA's destination sees it: each unit recorded once per TID; down on demand."""

    def __init__(self) -> None:
        self.units: dict[str, tuple[str | None, list[RfcCall]]] = {}
        self.down = False
        self.lose_answer = False
        self.attempts = 0

    def connect(self) -> RfcConnection:
        return self

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        return {}

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> None:
        self.attempts += 1
        if self.down:
            raise CommunicationError("RAR not reached", 1, "RFC_COMMUNICATION_FAILURE")
        self.units.setdefault(tid, (queue, calls))
        if self.lose_answer:
            raise CommunicationError("connection reset", 1, "RFC_COMMUNICATION_FAILURE")

    def _confirm(self, tid: str) -> None:
        """Nothing to forget: the recorder keeps every unit it took, by TID."""

    def close(self) -> None:
        """Nothing to release: the recorder holds no connection."""

    def calls(self) -> list[tuple[str | None, str, list[str]]]:
        """(queue, function, SRCDOC_IDs) of every call received, in order."""
        return [(queue, call.function, [i["SRCDOC_ID"] for i in call.params["IT_MAIN_ITEMS"]])
                for queue, calls in self.units.values() for call in calls]


@pytest.fixture
def rar(erp: ErpSystem) -> Rar:
    receiver = Rar()
    erp.outbound.set_destination("RAR", receiver.connect,
                                 RetryPolicy(count=3, interval=60, backoff=1))
    return receiver


@pytest.fixture
def vkont(conn: LocalConnection, clock: Clock) -> str:
    """PC-1 (device with SSP, service), its service changed a minute later (a second version
    of item 20), a one-off fee and two calls."""
    gpart, vkont = contract_with_items(conn)
    clock.advance(timedelta(minutes=1))
    contract(conn, {"VTKEY": "PC-1", "GPART": gpart},
             [contract_item("10", vkont, **DEVICE_ITEM),
              contract_item("20", vkont, **{**SERVICE, "TRPRC_TOTAL": "36"})])
    bits(conn, bit("CALL-1", vkont, "0.13", BIT_QUANTITY="3", BIT_QTY_UNIT="MIN"),
         bit("CALL-2", vkont, "0.20", BIT_QUANTITY="5", BIT_QTY_UNIT="MIN"),
         bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10"))
    return vkont


def transfer(conn: LocalConnection, **params: Any) -> dict[str, Any]:
    return conn.call("FKK_RAI_TRANSFER", **params)


def log(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(row["SRCDOC_TYPE"], row["SENT"], row["UNITS"], row["SUPERSEDED"],
             row["AGGREGATED"], row["FAILED"]) for row in result["ET_LOG"]]


def errors(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["NUMBER"], r["MESSAGE"]) for r in result["RETURN"] if r["TYPE"] == "E"]


def test_the_transfer_sends_in_sap_order_one_unit_per_source_document(
        erp: ErpSystem, conn: LocalConnection, rar: Rar, vkont: str) -> None:
    result = transfer(conn)

    assert errors(result) == []
    assert log(result) == [("CAOI", 2, 1, 1, 0, 0), ("CABO", 1, 1, 0, 0, 0),
                           ("CAFI", 1, 1, 0, 1, 0), ("CAIN", 0, 0, 0, 0, 0)]
    assert [(u["SRCDOC_TYPE"], u["HEADER_ID"], u["QNAME"], u["ITEMS"], u["CONDITIONS"],
             u["STATUS"]) for u in result["ET_UNITS"]] == [
        ("CAOI", "PC-1", "FKKRAI_1000", 2, 3, "Q"), ("CABO", "FEE-1", "FKKRAI_1000", 1, 1, "Q"),
        ("CAFI", "PC-1", "FKKRAI_1000", 1, 1, "Q")]
    assert result["RETURN"][0]["MESSAGE"] == (
        "Contract order items (CAOI): 2 items queued for RAR in 1 units, 1 superseded")
    # Every row sent has its timestamp; the older version of item 20 is superseded, unsent.
    rows = read(conn, "DFKKRA_RAI_MI", ["RAI_ID", "SRCDOC_TYPE", "SRCDOC_ID", "BETRW",
                                        "SENTDATE", "SENTTIME", "SENTTS", "SUPERSEDED_BY"])
    service_v1, service_v2 = (r for r in rows if r[2] == "PC-1/000020")
    assert service_v1[3:] == ["30.00", "", "000000", "0", service_v2[0]]
    assert service_v2[3:] == ["36.00", "20261122", "120100", "20261122120100", ""]
    assert all(r[6] == "20261122120100" for r in rows if r != service_v1)

    erp.outbound.run_until_idle()
    fulfilment = read(conn, "DFKKRA_RAI_MI", ["SRCDOC_ID"], "SRCDOC_TYPE = 'CAFI'")[0][0]
    assert rar.calls() == [
        ("FKKRAI_1000", CA01, ["PC-1/000010", "PC-1/000020"]),
        ("FKKRAI_1000", CA01, ["FEE-1/00000000"]),
        ("FKKRAI_1000", CA02, [fulfilment])]
    [device, service] = next(iter(rar.units.values()))[1][0].params["IT_MAIN_ITEMS"]
    assert (device["SRCDOC_COMP"], device["SRCDOC_TYPE"], device["HEADER_ID"],
            device["BETRW"], device["INVOICE_TYPE"], device["REVERSAL"]) == (
        "CA", "CAOI", "PC-1", "90.00", "", "")
    assert service["BETRW"] == "36.00"
    conditions = next(iter(rar.units.values()))[1][0].params["IT_CONDITIONS"]
    assert [(c["SRCDOC_ID"], c["CONDITION_TYPE"], c["BETRW"], c["STATISTIC"])
            for c in conditions] == [("PC-1/000010", "CTPR", "90.00", ""),
                                     ("PC-1/000010", "CSSP", "100.00", "X"),
                                     ("PC-1/000020", "CTPR", "36.00", "")]
    assert conditions[0]["TIMESTAMP_UTC"] == device["TIMESTAMP_UTC"]

    again = transfer(conn)  # nothing left: nothing sent twice
    assert [row[1:4] for row in log(again)] == [(0, 0, 0)] * 4
    summary = conn.call("FKK_RAI_MON")
    assert [(s["SRCDOC_TYPE"], s["STATUS"], s["RECORDS"]) for s in summary["ET_SUMMARY"]] == [
        ("CABO", "S", 1), ("CAFI", "S", 1), ("CAOI", "S", 2), ("CAOI", "X", 1)]
    assert summary["ET_UNSENT"] == []


def luw(erp: ErpSystem) -> CallContext:
    return CallContext(erp, Luw())


def customize(erp: ErpSystem, table: Any, key: dict[str, str], **values: str) -> None:
    """Change a customizing entry as SM30 would: committed, the table buffers told."""
    ctx = luw(erp)
    ctx.update(table, key, values)
    ctx.commit()


def queued(erp: ErpSystem) -> list[tuple[str, str, list[str]]]:
    """(queue, function, SRCDOC_IDs) of the units waiting in the ERP's SMQ1, in order."""
    with erp.db.read() as conn:
        rows = conn.execute(select(TRFCQOUT.__table__).order_by(  # type: ignore[attr-defined]
            "QCOUNT")).mappings().all()
    return [(row["QNAME"], function, [i["SRCDOC_ID"] for i in params["IT_MAIN_ITEMS"]])
            for row in rows for function, params in json.loads(row["ARFCSDATA"])]


def test_a_test_run_says_what_it_would_send_and_writes_nothing(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    result = transfer(conn, TESTRUN="X", IT_SRCDOC_TYPE=[{"LOW": "caoi"}, {"LOW": "CAFI"}])

    assert log(result) == [("CAOI", 2, 1, 1, 0, 0), ("CAFI", 0, 0, 0, 1, 0)]
    assert [r["MESSAGE"] for r in result["RETURN"]] == [
        "Test run, Contract order items (CAOI): 2 items would be sent in 1 units, "
        "1 superseded",
        "1 fulfilment items would be aggregated from 2 billable item records",
        "Test run, Fulfilment items (CAFI): 0 items would be sent in 0 units, 0 superseded",
        "Test run: nothing was saved"]
    assert [u["STATUS"] for u in result["ET_UNITS"]] == ["T"]
    assert queued(erp) == []
    assert read(conn, "DFKKRA_RAI_MI", ["RAI_ID"], "SENTTS <> 0 OR SUPERSEDED_BY <> ''") == []
    assert read(conn, "DFKKRA_RAI_MI", ["RAI_ID"], "SRCDOC_TYPE = 'CAFI'") == []


def test_bad_selections_are_named_and_nothing_is_sent(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    result = transfer(conn, IT_SRCDOC_TYPE=[{"LOW": "CAXX"}, {"LOW": "CAOI"}])
    assert errors(result) == [
        ("065", "Source item type CAXX is not defined (CAOI, CABO, CAFI or CAIN)")]
    assert (result["RETURN"][0]["PARAMETER"], result["RETURN"][0]["ROW"]) == (
        "IT_SRCDOC_TYPE", 1)
    with pytest.raises(ExternalRuntimeError, match="SEL_TO: '20261340' is not a valid date"):
        transfer(conn, SEL_TO="20261340")
    assert queued(erp) == []


def test_without_active_integration_or_destination_nothing_is_sent(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    customize(erp, TFKRA_ACT, {"APPLK": "C"}, RFCDEST="")
    assert errors(transfer(conn)) == [
        ("064", "No RFC destination of revenue accounting in TFKRA_ACT (area C)")]
    customize(erp, TFKRA_ACT, {"APPLK": "C"}, XACTIVE="", PROC_LEVEL="7")
    assert errors(transfer(conn)) == [
        ("063", "Revenue accounting integration is not active (TFKRA_ACT, area C)"),
        ("068", "Processing level 7 is not defined (1 or 2, TFKRA_ACT)")]
    assert queued(erp) == []


def test_selections_restrict_what_is_sent(erp: ErpSystem, conn: LocalConnection,
                                          vkont: str) -> None:
    assert transfer(conn, IT_BUKRS=[{"LOW": "2000"}])["ET_UNITS"] == []
    assert transfer(conn, SEL_TO="20261121")["ET_UNITS"] == []
    gpart = read(conn, "FKKVKP", ["GPART"])[0][0]
    result = transfer(conn, IT_PARTNER=[{"LOW": gpart.lstrip("0")}],
                      IT_SRCDOC_TYPE=[{"LOW": "CABO"}])
    assert [(u["SRCDOC_TYPE"], u["HEADER_ID"]) for u in result["ET_UNITS"]] == [
        ("CABO", "FEE-1")]
    assert queued(erp) == [("FKKRAI_1000", CA01, ["FEE-1/00000000"])]


def test_processing_level_2_aggregates_now_and_sends_in_the_next_run(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    customize(erp, TFKRA_ACT, {"APPLK": "C"}, PROC_LEVEL="2")
    first = transfer(conn, IT_SRCDOC_TYPE=[{"LOW": "CAFI"}])
    assert log(first) == [("CAFI", 0, 0, 0, 1, 0)]
    second = transfer(conn, IT_SRCDOC_TYPE=[{"LOW": "CAFI"}])
    assert log(second) == [("CAFI", 1, 1, 0, 0, 0)]
    [(_, function, [item])] = queued(erp)
    assert function == CA02
    assert read(conn, "DFKKRA_RAI_MI", ["SRCDOC_ID", "QUANTITY", "BETRW"],
                "SRCDOC_TYPE = 'CAFI'") == [[item, "8.000000", "0.33"]]


def test_invoice_items_go_one_unit_per_invoicing_document(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    conn.call("FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    invoiced = conn.call("FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20261130")
    [doc] = invoiced["ET_INVDOCS"]

    result = transfer(conn, IT_SRCDOC_TYPE=[{"LOW": "CAIN"}])
    assert [(u["HEADER_ID"], u["FUNCNAME"], u["ITEMS"]) for u in result["ET_UNITS"]] == [
        (doc["INVDOCNO"], CA03, 2)]
    assert queued(erp) == [("FKKRAI_1000", CA03, [f"{doc['INVDOCNO']}/000001",
                                                  f"{doc['INVDOCNO']}/000002"])]


def test_rar_unreachable_leaves_the_units_in_cpicerr_then_each_arrives_once(
        erp: ErpSystem, conn: LocalConnection, clock: Clock, rar: Rar, vkont: str) -> None:
    rar.down = True
    assert errors(transfer(conn)) == []
    erp.outbound.run_until_idle()

    [queue] = queue_list(erp.db, erp.outbound.store.schema)
    assert (queue["name"], queue["status"], queue["entries"]) == ("FKKRAI_1000", "CPICERR", 3)
    assert rar.units == {}
    again = transfer(conn)  # the rows were sent to the queue: a second run sends nothing
    assert again["ET_UNITS"] == []

    rar.down, rar.lose_answer = False, True   # RAR stores the unit, the answer is lost
    clock.advance(timedelta(minutes=2))
    erp.outbound.run_until_idle()
    rar.lose_answer = False
    for _ in range(3):
        clock.advance(timedelta(minutes=2))
        erp.outbound.run_until_idle()

    assert queue_list(erp.db, erp.outbound.store.schema) == []
    assert len(rar.units) == 3 and rar.attempts > 4   # three TIDs, each stored once
    sent = [item for _, _, items in rar.calls() for item in items]
    assert len(sent) == len(set(sent)) == 4


def test_an_event_8205_module_that_raises_stops_its_group_and_loses_nothing(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    erp.seed_rows(TFKFBC, [{"FBEVE": "8205", "APPLK": "C",
                            "FUNCN": "tests.erp_stub.fica_event_modules:failing"}])
    result = transfer(conn)

    assert errors(result) == [
        ("050", "Event 8205 module tests.erp_stub.fica_event_modules:failing failed: "
                "RuntimeError: enrichment service down"),
        ("066", "Fulfilment items (CAFI) of PC-1 not transferred: the records stay for a "
                "later run")]
    assert log(result)[2] == ("CAFI", 0, 0, 0, 0, 1)
    assert [(u["SRCDOC_TYPE"], u["STATUS"]) for u in result["ET_UNITS"]] == [
        ("CAOI", "Q"), ("CABO", "Q"), ("CAFI", "E")]
    assert read(conn, "DFKKRA_RAI_MI", ["RAI_ID"], "SRCDOC_TYPE = 'CAFI'") == []
    assert read(conn, "DFKKBIXBIT_RAI", ["RAI_ID"], "SRCDOC_TYPE = 'CAFI'") == [[""], [""]]
    waiting = conn.call("FKK_RAI_MON", IT_SRCDOC_TYPE=[{"LOW": "CAFI"}])["ET_SUMMARY"]
    assert [(s["STATUS"], s["RECORDS"]) for s in waiting] == [("A", 2)]

    customize(erp, TFKFBC, {"FBEVE": "8205", "APPLK": "C"}, FUNCN="")  # corrected
    fixed = transfer(conn)
    assert errors(fixed) == [] and log(fixed)[2] == ("CAFI", 1, 1, 0, 1, 0)
    assert [f for _, f, _ in queued(erp)] == [CA01, CA01, CA02]
