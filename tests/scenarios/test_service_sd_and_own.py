"""From BDocs: a confirmed sales item is delivered from the service order's sales document
and its goods issue 601 puts the material's cost on the internal order (a missing stock
stops the queue in SYSFAIL with M7 021 and posts once after the fix); a confirmation
without predecessor gets its own internal order on completion and posts to it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from sapgw.gateway.runtime import Gateway
from tests.erp_stub.crmsrv_support import PRICES, plan_prices, receive_stock

from .conftest import read_table
from .test_service_flow import (
    ORDER,
    bdoc,
    bdoc_item,
    bdoc_link,
    queues,
    send,
    transaction,
)

SALES_ITEM = bdoc_item(50, "SRVS", "FG-3000", "2", "PC", "380.00")


@pytest.fixture
def erp(sapgw: Gateway) -> Any:
    connection = sapgw.destination("ERP")
    plan_prices(connection)
    return connection


def amount(text: str) -> Decimal:
    return -Decimal(text[:-1]) if text.endswith("-") else Decimal(text)


def standard_value(http, material: str, quantity: str) -> Decimal:
    [mbew] = read_table(http, "MBEW", ["STPRS", "PEINH"], f"MATNR = '{material}'")
    value = Decimal(quantity) * Decimal(mbew["STPRS"]) / Decimal(mbew["PEINH"])
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_sales_item_delivered_sysfail_without_stock_then_once(sapgw: Gateway, http,
                                                              erp) -> None:
    send(http, transaction("8000000201", "SRVO", [*ORDER, SALES_ITEM]))
    confirmation = send(http, transaction("7000000201", "SRVC", [
        {**SALES_ITEM, "NET_VALUE": ""}], predecessor="8000000201", released="",
        completed="X"))
    sapgw.run_until_idle()

    assert bdoc(http, confirmation)["state"] == "E06"
    queue = queues(http)["R3AUSRVCNF7000000201"]
    assert queue["status"] == "SYSFAIL"
    assert queue["error"].startswith("M7 021 Deficit of SL Unrestricted-use 2 PC"), queue
    assert read_table(http, "LIKP", ["VBELN"]) == [], "nothing half-posted"

    receive_stock(erp, "2", "FG-3000")
    for _ in range(2):
        assert http.post(f"/api/bdocs/{confirmation}/reprocess").status_code in (200, 409)
        sapgw.run_until_idle()

    assert bdoc(http, confirmation)["state"] == "F04"
    [order] = read_table(http, "CRMSRV_DOCS", ["OBJECT_NO", "VBELN"],
                         "OBJECT_ID = '8000000201'")
    [likp] = read_table(http, "LIKP", ["VBELN", "WBSTK"])
    [lips] = read_table(http, "LIPS", ["VGBEL", "AUFNR", "LFIMG"])
    assert (likp["WBSTK"], lips["VGBEL"], lips["AUFNR"]) == (
        "C", order["VBELN"], order["OBJECT_NO"][2:])
    cost = standard_value(http, "FG-3000", "2")
    [mseg] = read_table(http, "MSEG", ["DMBTR", "AUFNR"], "BWART = '601'")
    assert (Decimal(mseg["DMBTR"]), mseg["AUFNR"]) == (cost, order["OBJECT_NO"][2:])
    coin = read_table(http, "COEP", ["WKGBTR"],
                      f"OBJNR = '{order['OBJECT_NO']}' AND VRGNG = 'COIN'")
    assert [amount(row["WKGBTR"]) for row in coin] == [cost]


def test_confirmation_without_predecessor_gets_its_own_order(sapgw: Gateway, http,
                                                             erp) -> None:
    receive_stock(erp, "5")
    walk_in = send(http, transaction("7000000202", "SRVC", [
        bdoc_item(10, "SRVT", "TOOL-PRESS", "2.5", "H", "100.00", EMPLOYEE="1001"),
        bdoc_item(20, "SRVM", "SP-2000", "5", "PC", "90.00")], released="", completed="X"))
    sapgw.run_until_idle()

    assert bdoc(http, walk_in)["state"] == "F04", bdoc(http, walk_in)["log"]
    assert bdoc_link(http, walk_in) == "/crmsrv?object_id=7000000202", "its own page"
    [own] = read_table(http, "CRMSRV_DOCS", ["OBJECT_NO", "VBELN", "PREDECESSOR"],
                       "OBJECT_ID = '7000000202'")
    [aufk] = read_table(http, "AUFK", ["AUFNR", "AUART"])
    assert own["OBJECT_NO"] == f"OR{aufk['AUFNR']}" and own["VBELN"]
    assert aufk["AUFNR"].lstrip("0") in http.get(bdoc_link(http, walk_in)).text
    tool = Decimal("2.5") * sum(PRICES[("4300", "TOOLHR")])
    posted = read_table(http, "COEP", ["VRGNG", "WKGBTR"],
                        f"OBJNR = '{own['OBJECT_NO']}' AND WRTTP = '04'")
    assert sorted((row["VRGNG"], amount(row["WKGBTR"])) for row in posted) == [
        ("COIN", standard_value(http, "SP-2000", "5")), ("RKL", tool.quantize(Decimal("0.01")))]


def test_confirmation_without_predecessor_delivers_its_sales_items(sapgw: Gateway, http,
                                                                   erp) -> None:
    receive_stock(erp, "2", "FG-3000")
    walk_in = send(http, transaction("7000000203", "SRVC", [SALES_ITEM], released="",
                                     completed="X"))
    sapgw.run_until_idle()

    assert bdoc(http, walk_in)["state"] == "F04", bdoc(http, walk_in)["log"]
    [own] = read_table(http, "CRMSRV_DOCS", ["OBJECT_NO", "VBELN"],
                       "OBJECT_ID = '7000000203'")
    aufnr = own["OBJECT_NO"][2:]
    [vbap] = read_table(http, "VBAP", ["VBELN", "POSNR", "AUFNR", "NETWR"])
    assert (vbap["VBELN"], vbap["AUFNR"], Decimal(vbap["NETWR"])) == (
        own["VBELN"], aufnr, Decimal("380.00")), "its own sales document, on its own order"
    [likp] = read_table(http, "LIKP", ["VBELN", "WBSTK"])
    [lips] = read_table(http, "LIPS", ["VGBEL", "VGPOS", "AUFNR", "LFIMG"])
    assert (likp["WBSTK"], lips["VGBEL"], lips["VGPOS"], lips["AUFNR"]) == (
        "C", own["VBELN"], vbap["POSNR"], aufnr), "delivered and issued in the same LUW"
    [flow] = read_table(http, "VBFA", ["VBELN"], f"VBELV = '{own['VBELN']}' AND VBTYP_N = 'J'")
    assert flow["VBELN"] == likp["VBELN"]
    cost = standard_value(http, "FG-3000", "2")
    [mseg] = read_table(http, "MSEG", ["DMBTR", "AUFNR"], "BWART = '601'")
    assert (Decimal(mseg["DMBTR"]), mseg["AUFNR"]) == (cost, aufnr)
    coin = read_table(http, "COEP", ["WKGBTR"],
                      f"OBJNR = '{own['OBJECT_NO']}' AND VRGNG = 'COIN' AND WRTTP = '04'")
    assert [amount(row["WKGBTR"]) for row in coin] == [cost]
