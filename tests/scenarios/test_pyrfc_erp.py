"""The ERP behind a pyrfc destination: qRFC queues deliver exactly once, in order.

The ERP is the stub behind the fake pyrfc (tests/fake_pyrfc), which can break the line and
lose answers; the gateway knows only `type = pyrfc` with SM59-like logon parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.gateway.runtime import Gateway
from tests.rfc.pyrfc_support import fake_pyrfc

from .conftest import fund_posting, fund_usage, trade_promotion


@dataclass
class Landscape:
    gateway: Gateway
    erp: ErpSystem
    sap: Any  # the fake's FakeSystem: switches for the line
    clock: Clock

    def send(self, *payloads: dict[str, Any]) -> list[str]:
        return [self.gateway.send(p["type"], p["data"])["bdoc_id"] for p in payloads]

    def states(self, ids: list[str]) -> list[str]:
        return [self.gateway.bdoc(i)["state"] for i in ids]

    def posted(self) -> list[str]:
        """XBLNR of the FI documents, in posting order."""
        with self.erp.connect() as conn:
            rows = conn.call("RFC_READ_TABLE", QUERY_TABLE="BKPF", DELIMITER="|",
                             FIELDS=[{"FIELDNAME": "XBLNR"}, {"FIELDNAME": "BELNR"}])["DATA"]
        return [row["WA"].split("|")[0].strip() for row in rows]

    def queue(self, name: str) -> dict[str, Any]:
        return {q["name"]: q for q in self.gateway.queues()}[name]


@pytest.fixture
def landscape(tmp_path, monkeypatch) -> Iterator[Landscape]:
    clock = Clock(frozen_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    monkeypatch.setenv("SAPGW_TEST_ERP_PASSWORD", "secret")
    with fake_pyrfc() as pyrfc:
        erp = create_system(f"sqlite:///{tmp_path}/s4.db", clock=clock)
        sap = pyrfc._fake.register_system("s4.example", erp.connect,
                                          users={"SAPGW_RFC": "secret"}, sysid="S4H")
        gateway = Gateway.in_memory(clock=clock, overrides={
            "gateway": {"serve_rfc": ""},
            "destination ERP": {"type": "pyrfc", "ashost": "s4.example", "sysnr": "00",
                                "client": "100", "user": "SAPGW_RFC",
                                "passwd": "env:SAPGW_TEST_ERP_PASSWORD", "lang": "EN",
                                "retry_interval": "10", "retry_backoff": "2",
                                "retry_count": "5"}})
        try:
            yield Landscape(gateway, erp, sap, clock)
        finally:
            gateway.close()
            erp.db.dispose()


def test_fund_postings_reach_the_erp_once_each_in_order(landscape: Landscape):
    ids = landscape.send(trade_promotion(), fund_usage(), *(
        fund_posting(f"FPO{n}", amount=f"{n}00.00") for n in (1, 2, 3)))
    landscape.gateway.run_until_idle()

    assert landscape.states(ids) == ["F04"] * 5
    assert landscape.gateway.queues() == []
    assert landscape.posted() == ["FPO1", "FPO2", "FPO3"]
    submits = [tid for kind, tid in landscape.sap.log if kind == "submit"]
    confirms = [tid for kind, tid in landscape.sap.log if kind == "confirm"]
    assert len(submits) == len(set(submits)) == 5, "one unit per LUW, each sent once"
    assert confirms == submits, "each confirmed after the gateway recorded it, in order"


def test_communication_failure_is_cpicerr_then_catches_up_in_order(landscape: Landscape):
    landscape.sap.down = True
    ids = landscape.send(trade_promotion(), fund_usage(), fund_posting("FPO1"),
                         fund_posting("FPO2"))
    landscape.gateway.run_until_idle()

    queue = landscape.queue("R3AUMKTPLTPM1")
    assert queue["status"] == "CPICERR" and "not reached" in queue["error"]
    assert queue["next_retry_at"] == "2026-11-22T12:00:10.000000Z"
    assert landscape.states(ids[:1]) == ["I02"]
    assert landscape.posted() == []

    landscape.sap.down = False
    landscape.clock.advance(timedelta(seconds=11))
    landscape.gateway.run_until_idle()
    assert landscape.states(ids) == ["F04"] * 4
    assert landscape.posted() == ["FPO1", "FPO2"]


def test_lost_answer_is_resent_with_its_tid_and_posts_once(landscape: Landscape):
    ids = landscape.send(trade_promotion(), fund_usage())
    landscape.gateway.run_until_idle()
    landscape.sap.lose_answers = 1
    ids += landscape.send(fund_posting("FPO1"), fund_posting("FPO2"))
    landscape.gateway.run_until_idle()
    assert landscape.queue("R3AUFMFPO1791")["status"] == "CPICERR"
    assert landscape.posted() == ["FPO1"], "executed at the ERP, answer lost on the way"

    landscape.clock.advance(timedelta(seconds=11))
    landscape.gateway.run_until_idle()
    assert landscape.states(ids) == ["F04"] * 4
    assert landscape.posted() == ["FPO1", "FPO2"], "the resent TID did not post again"


def test_abap_application_error_stops_the_queue_in_sysfail(landscape: Landscape):
    ids = landscape.send(trade_promotion(), fund_usage(), fund_posting("FPO1"),
                         fund_posting("FPO7", reverses="NOPE"), fund_posting("FPO8"))
    landscape.gateway.run_until_idle()

    queue = landscape.queue("R3AUFMFPO1791")
    assert queue["status"] == "SYSFAIL" and "NOPE" in queue["error"]
    assert landscape.states(ids) == ["F04", "F04", "F04", "E06", "I02"]
    assert "NOPE" in landscape.gateway.bdoc(ids[3])["error"]
    assert landscape.posted() == ["FPO1"], "nothing after the failing LUW runs"
    landscape.clock.advance(timedelta(minutes=5))
    landscape.gateway.run_until_idle()
    assert landscape.queue("R3AUFMFPO1791")["status"] == "SYSFAIL", "waits for a person"
