"""Bad input end to end between FI-CA and RAR: each gives a clear error in SAP's terms, keeps
the item where it can be corrected, and loses nothing — RAR unreachable (CPICERR in the
ERP's SMQ1, retried, a lost answer resent with its TID: every item held once), an event 8205
module that raises (the CRM contract waits in its BDoc), a service type RAR does not know
(raw with the reason, processed after the customizing is corrected)."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from sapgw.erp_stub.farr.tables import FARR_C_POBTYPE
from sapgw.erp_stub.fica.customizing import TFK_RA_SERVTYP
from sapgw.erp_stub.fica.rai_tables import TFKFBC
from sapgw.gateway.runtime import Gateway
from sapgw.qrfc.queries import queue_list
from sapgw.rfc.errors import CommunicationError

from .support import (
    billable_item,
    check_cons,
    contract_bdoc,
    contract_item,
    create_bits,
    master_data,
    rar_process,
    rar_state,
    rfc,
    send_bdoc,
    sent_items,
    transfer,
)

QUEUE = "FKKRAI_1000"


def a_contract_with_charges(gateway: Gateway, http: TestClient, service: str = "RECFEE"
                            ) -> str:
    gpart, vkont = master_data(http)
    bdoc = send_bdoc(http, contract_bdoc("PC-77", gpart, [
        contract_item("10", vkont, "90.00", "2026-12-01", "2027-11-30", "100.00"),
        contract_item("20", vkont, "30.00", "2026-12-01", "2027-11-30", SERVICE_TYPE=service)],
        [{"ITEM_NO": "20", "SERVICE_TYPE": "USAGE"}]))
    gateway.run_until_idle()
    assert gateway.bdoc(bdoc)["state"] == "F04", gateway.bdoc(bdoc)["log"]
    create_bits(http, [
        billable_item("ONE-7", vkont, "PC-77", "10", "25.00", "20261205", "ONCE"),
        billable_item("USG-7", vkont, "PC-77", "20", "1.50", "20261203", "USAG")])
    return vkont


def smq1(gateway: Gateway) -> list[dict[str, Any]]:
    erp = gateway.destinations.local_system("ERP")
    return list(queue_list(erp.db, erp.outbound.store.schema))


class LosesTheFirstAnswer:
    """RAR runs the units, but the answer of the first call never reaches the ERP."""

    def __init__(self, connect: Any) -> None:
        self.connect, self.lost = connect, False

    def __call__(self) -> Any:
        real, outer = self.connect(), self

        class Connection:
            def submit_units(self, units: Any) -> Any:
                result = real.submit_units(units)
                if not outer.lost:
                    outer.lost = True
                    raise CommunicationError("connection reset by peer", 1,
                                             "RFC_COMMUNICATION_FAILURE")
                return result

            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

        return Connection()


def test_rar_unreachable_is_cpicerr_retried_and_nothing_is_held_twice(
        gateway: Gateway, http: TestClient) -> None:
    a_contract_with_charges(gateway, http)
    erp = gateway.destinations.local_system("ERP")
    working = erp.outbound._destinations["RAR"]

    def down() -> Any:
        raise CommunicationError("RAR is down: connection refused", 1,
                                 "RFC_COMMUNICATION_FAILURE")

    erp.outbound.set_destination("RAR", down, working[1])
    sent = transfer(http)
    gateway.run_until_idle()
    [queue] = smq1(gateway)
    assert (queue["name"], queue["status"]) == (QUEUE, "CPICERR")
    assert rar_state(gateway)["ET_ITEMS"] == []
    again = transfer(http)                 # the rows count as sent: nothing queued twice
    assert sum(row["SENT"] for row in again["ET_LOG"]) == 0
    units = sum(row["UNITS"] for row in sent["ET_LOG"])

    lossy = LosesTheFirstAnswer(working[0])
    erp.outbound.set_destination("RAR", lossy, working[1])
    rfc(http, "TRFC_QOUT_ACTIVATE", QNAME=QUEUE, DEST="RAR")   # SMQ1: activate
    gateway.run_until_idle()
    assert lossy.lost and [q["status"] for q in smq1(gateway)] == ["CPICERR"]
    for _ in range(units):                 # activate again: the unit goes with its TID
        if not smq1(gateway):
            break
        rfc(http, "TRFC_QOUT_ACTIVATE", QNAME=QUEUE, DEST="RAR")
        gateway.run_until_idle()
    assert smq1(gateway) == []
    rar_process(gateway)

    held = [(i["SRCDOC_TYPE"], i["SRCDOC_ID"], i["TIMESTAMP_UTC"])
            for i in rar_state(gateway)["ET_ITEMS"]]
    expected = [(r["SRCDOC_TYPE"], r["SRCDOC_ID"]) for r in sent_items(http)]
    assert len(held) == len(set(held)) == len(expected) == 5
    assert sorted((kind, ident) for kind, ident, _ in held) == sorted(expected)
    assert check_cons(gateway, http) == []


def test_an_event_8205_module_that_raises_keeps_the_contract_in_its_bdoc(
        gateway: Gateway, http: TestClient) -> None:
    erp = gateway.destinations.local_system("ERP")
    erp.seed_rows(TFKFBC, [{"FBEVE": "8205", "APPLK": "C",
                            "FUNCN": "tests.erp_stub.fica_event_modules:failing"}])
    gpart, vkont = master_data(http)
    bdoc = send_bdoc(http, contract_bdoc("PC-88", gpart, [
        contract_item("10", vkont, "90.00", "2026-12-01", "2027-11-30", "100.00")]))
    gateway.run_until_idle()

    detail = gateway.bdoc(bdoc)
    assert detail["state"] != "F04" and detail["receivers"][0]["state"] == "ERROR"
    assert ("Event 8205 module tests.erp_stub.fica_event_modules:failing failed: "
            "RuntimeError: enrichment service down") in [e["message"] for e in detail["log"]]
    assert rfc(http, "RFC_READ_TABLE", QUERY_TABLE="DFKK_VT_H")["DATA"] == []
    assert sum(row["SENT"] for row in transfer(http)["ET_LOG"]) == 0

    erp.seed_rows(TFKFBC, [{"FBEVE": "8205", "APPLK": "C", "FUNCN": ""}],
                  update_existing=True)    # corrected (SM30)
    assert http.post(f"/api/bdocs/{bdoc}/reprocess").status_code == 200
    gateway.run_until_idle()
    assert gateway.bdoc(bdoc)["state"] == "F04"
    transfer(http)
    rar_process(gateway)
    [pob] = rar_state(gateway)["ET_POBS"]
    assert pob["TRX_PRICE"] == pob["ALLOC_AMT"]
    assert check_cons(gateway, http) == []


def test_a_service_type_rar_does_not_know_is_raw_until_rar_knows_it(
        gateway: Gateway, http: TestClient) -> None:
    erp = gateway.destinations.local_system("ERP")
    erp.seed_rows(TFK_RA_SERVTYP, [{"SERVICE_TYPE": "STREAM", "SRVTY_CAT": "R",
                                    "COND_TYPE": "CTPR", "SSP_COND_TYPE": "CSSP",
                                    "XINVOICE": "X", "TEXT": "Streaming"}])
    a_contract_with_charges(gateway, http, service="STREAM")
    transfer(http)
    rar_process(gateway)

    items = {i["SRCDOC_ID"]: i for i in rar_state(gateway)["ET_ITEMS"]}
    stream = items["PC-77/000020"]
    assert (stream["STATUS"], stream["MSGNO"], stream["REASON"]) == (
        "0", "013", "Service type STREAM has no performance obligation type")
    assert items["PC-77/000010"]["MSGNO"] == "016"      # one source document, one unit
    findings = check_cons(gateway, http)
    assert {f["CHECK"] for f in findings} == {"RAW"}
    assert "PC-77/000020" in {f["SRCDOC_ID"] for f in findings}

    rar = gateway.destinations.local_system("RAR")
    rar.seed_rows(FARR_C_POBTYPE, [{"SERVICE_TYPE": "STREAM", "POB_TYPE": "SERVICE",
                                    "FULFILL_TYPE": "T", "EVENT_TYPE": "",
                                    "DEFAULT_TERM": "012", "TEXT": "Streaming"}])
    rar_process(gateway)
    state = rar_state(gateway)
    assert {i["STATUS"] for i in state["ET_ITEMS"]} == {"4"}
    assert "PC-77/000020 STREAM" in {p["POB_NAME"] for p in state["ET_POBS"]}
    assert check_cons(gateway, http) == []
