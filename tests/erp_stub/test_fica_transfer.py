"""FP_RAI_TRANSF (FKK_RAI_TRANSFER): revenue accounting items to RAR in SAP's order, one unit
per source document in the company code's queue, SENTTS with the unit, the newest contract
item version only, CPICERR retried exactly once by TID, an 8205 module refusing a group."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.fica.customizing import TFKRA_ACT
from sapgw.erp_stub.fica.rai_tables import TFKFBC
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.qrfc.sender import RetryPolicy
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import CommunicationError
from sapgw.types import RfcCall
from tests.erp_stub.fica_support import (
    SERVICE,
    bit,
    bits,
    contract,
    contract_item,
    contract_with_items,
    read,
)
from tests.erp_stub.fica_support import DEVICE as DEVICE_ITEM

CA01, CA02, CA03 = (f"/1RA/CA0{n}_RAI_CREATE_API" for n in (1, 2, 3))


class Rar(RfcConnection):
    """RAR as FI-CA's destination sees it: each unit recorded once per TID; down on demand."""

    def __init__(self) -> None:
        self.units: dict[str, tuple[str | None, list[RfcCall]]] = {}
        self.down = False
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

    def _confirm(self, tid: str) -> None:
        pass

    def close(self) -> None:
        pass

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
