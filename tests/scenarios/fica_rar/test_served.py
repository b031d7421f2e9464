"""The chain over a real served gateway (uvicorn, its schedulers running the queues): the CRM
contract over REST, the billable item and FP_RAI_TRANSF over JSON RFC; RAR (in the served
process, behind destination RAR) receives through the qRFC the scheduler sends."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from sapgw.gateway.runtime import Gateway

from .support import (
    billable_item,
    contract_bdoc,
    contract_item,
    create_bits,
    master_data,
    send_bdoc,
    transfer,
)


def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return result


def test_a_served_gateway_carries_a_contract_to_rar(sapgw: Gateway, sapgw_server: str) -> None:
    with httpx.Client(base_url=sapgw_server, timeout=30) as http:
        gpart, vkont = master_data(http)
        bdoc = send_bdoc(http, contract_bdoc("PC-LIVE", gpart, [
            contract_item("10", vkont, "90.00", "2026-12-01", "2027-11-30", "100.00"),
            contract_item("20", vkont, "30.00", "2026-12-01", "2027-11-30", "50.00")]))
        eventually(lambda: http.get(f"/api/bdocs/{bdoc}").json()["state"] == "F04")
        create_bits(http, [billable_item(
            "ONE-L", vkont, "PC-LIVE", "10", "25.00", "20261205", "ONCE")])
        log = transfer(http)["ET_LOG"]
        assert sum(row["SENT"] for row in log) == 3

        rar = sapgw.destination("RAR")
        eventually(lambda: len(rar.call("FARR_CONTRACT_READ")["ET_ITEMS"]) == 3)
        rar.call("FARR_RAI_TRANSFER")
        rar.call("FARR_RAI_PROCESS")
        pobs = rar.call("FARR_CONTRACT_READ")["ET_POBS"]
        assert sum(p["ALLOC_AMT"] for p in pobs) == sum(p["TRX_PRICE"] for p in pobs)
        assert len(pobs) == 3
