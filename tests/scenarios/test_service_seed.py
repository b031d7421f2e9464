"""Seed 001's two figures end to end from BDocs: CRM sends service orders, a contract and
confirmations; the ERP's CATS, CAT7, goods issues, repostings and billing post them; results
analysis and settlement over RFC give the seed's numbers, each made by the mechanics (hours
x planned prices, parts x standard price, expenses, billed values, planned quantities)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from sapgw.gateway.runtime import Gateway
from tests.erp_stub.crmsrv_support import PRICES, plan_prices, receive_stock

from .conftest import read_table
from .test_service_flow import bdoc, bdoc_item, send, transaction

CENT = Decimal("0.01")
LABOUR = sum(PRICES[("4100", "SRVHR")])       # 85.50 per hour
TOOL = sum(PRICES[("4300", "TOOLHR")])        # 35.50 per hour
PART = Decimal("12.00")                       # SP-2000's standard price (mm/demo.toml)


@pytest.fixture
def erp(sapgw: Gateway) -> Any:
    connection = sapgw.destination("ERP")
    plan_prices(connection)
    receive_stock(connection, "20")
    return connection


def call(erp: Any, function: str, **params: Any) -> dict[str, Any]:
    result = erp.call(function, **params)
    failed = [m for m in result.get("RETURN", []) if m["TYPE"] in "EA"]
    assert not failed, failed
    erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return dict(result)


def balance(http, aufnr: str) -> Decimal:
    rows = read_table(http, "COEP", ["WKGBTR"], f"OBJNR = 'OR{aufnr}' AND WRTTP = '04'")
    return sum((_amount(row["WKGBTR"]) for row in rows), Decimal(0))


def _amount(text: str) -> Decimal:
    return -Decimal(text[:-1]) if text.endswith("-") else Decimal(text)


def document(http, object_id: str) -> dict[str, str]:
    [row] = read_table(http, "CRMSRV_DOCS", ["OBJECT_NO", "VBELN"],
                       f"OBJECT_ID = '{object_id}'")
    return row


def results(answer: dict[str, Any]) -> dict[str, Decimal]:
    return {row["CATEGORY"]: row["CUMULATIVE"] for row in answer["RESULTS"]}


def copa(http, aufnr: str) -> list[tuple[str, Decimal, Decimal]]:
    rows = read_table(http, "CE1S001", ["VRGAR", "VV010", "VV140"], f"RKAUFNR = '{aufnr}'")
    return [(r["VRGAR"], _amount(r["VV010"]), _amount(r["VV140"])) for r in rows]


def run(sapgw: Gateway, http, *payloads: dict[str, Any]) -> None:
    ids = [send(http, payload) for payload in payloads]
    sapgw.run_until_idle()
    for bdoc_id in ids:
        detail = bdoc(http, bdoc_id)
        assert detail["state"] == "F04", (detail["error"], detail["log"][-1])


def test_service_order_wip_then_final_billing(sapgw: Gateway, http, erp) -> None:
    run(sapgw, http, transaction("8000000101", "SRVO", [
        bdoc_item(10, "SRVP", "SRV-LABOUR", "6", "H", "540.00"),
        bdoc_item(20, "SRVT", "TOOL-PRESS", "1.5", "H", "70.00"),
        bdoc_item(30, "SRVM", "SP-2000", "2", "PC", "60.00"),
        bdoc_item(40, "SRVE", "EXP-TRAVEL", "1", "PC", "50.00")]))
    run(sapgw, http, transaction("7000000001", "SRVC", [
        bdoc_item(10, "SRVP", "SRV-LABOUR", "6", "H", EMPLOYEE="1001",
                  WORK_DATE="2026-11-20"),
        bdoc_item(20, "SRVT", "TOOL-PRESS", "1.5", "H", EMPLOYEE="1001"),
        bdoc_item(30, "SRVM", "SP-2000", "2", "PC"),
        bdoc_item(40, "SRVE", "EXP-TRAVEL", "1", "PC", "14.41", EMPLOYEE="1001")],
        predecessor="8000000101", released="", completed="X"))
    call(erp, "CATS_TRANSFER_TO_CO")
    order = document(http, "8000000101")
    aufnr = order["OBJECT_NO"][2:]
    cost = 6 * LABOUR + Decimal("1.5") * TOOL + 2 * PART + Decimal("14.41")
    assert cost == balance(http, aufnr) == Decimal("604.66")

    analysed = call(erp, "ZKKA_RA_ORDER", ORDERID=aufnr, FISC_YEAR="2026", PERIOD="011")
    assert results(analysed) == {"WIPR": cost}
    call(erp, "ZKO_SETTLE_ORDER", ORDERID=aufnr, FISC_YEAR="2026", PERIOD="011")
    assert copa(http, aufnr) == [] and balance(http, aufnr) == cost

    billed = call(erp, "BAPI_BILLINGDOC_CREATEMULTIPLE", BILLINGDATAIN=[
        {"REF_DOC_CA": "C", "REF_DOC": order["VBELN"], "BILL_DATE": "20261215"}])
    assert billed["SUCCESS"]
    revenue = Decimal("540.00") + Decimal("70.00") + Decimal("60.00") + Decimal("50.00")
    assert revenue == Decimal("720.00") == cost - balance(http, aufnr)
    analysed = call(erp, "ZKKA_RA_ORDER", ORDERID=aufnr, FISC_YEAR="2026", PERIOD="012")
    assert results(analysed) == {"WIPR": Decimal(0), "COSR": cost, "REVR": -revenue}
    call(erp, "ZKO_SETTLE_ORDER", ORDERID=aufnr, FISC_YEAR="2026", PERIOD="012")
    assert copa(http, aufnr) == [("C", revenue, cost)]
    assert balance(http, aufnr) == 0


def test_contract_recognises_revenue_by_cost_and_defers_the_rest(sapgw: Gateway, http,
                                                                  erp) -> None:
    run(sapgw, http, transaction("9000000001", "SC", [
        bdoc_item(10, "SRVP", "SRV-LABOUR", "10", "H", "11584.32"),
        bdoc_item(20, "SRVM", "SP-2000", "5", "PC", "560.00"),
        bdoc_item(30, "SRVE", "EXP-TRAVEL", "1", "PC", "10.68")]))
    contract = document(http, "9000000001")
    aufnr = contract["OBJECT_NO"][2:]
    plan = read_table(http, "COSP", ["KSTAR"], f"OBJNR = 'OR{aufnr}' AND WRTTP = '01'")
    assert plan, "the unit cost estimate is on the contract's order"
    planned_cost = 10 * LABOUR + 5 * PART + Decimal("10.68")
    planned_revenue = Decimal("11584.32") + Decimal("560.00") + Decimal("10.68")
    assert (planned_cost, planned_revenue) == (Decimal("925.68"), Decimal("12155.00"))
    run(sapgw, http, transaction("8000000201", "SRVO", [
        bdoc_item(10, "SRVM", "SP-2000", "6", "PC")], predecessor="9000000001"))
    run(sapgw, http, transaction("7000000201", "SRVC", [
        bdoc_item(10, "SRVM", "SP-2000", "6", "PC")], predecessor="8000000201", released="",
        completed="X"))
    billed = call(erp, "BAPI_BILLINGDOC_CREATEMULTIPLE", BILLINGDATAIN=[
        {"REF_DOC_CA": "C", "REF_DOC": contract["VBELN"], "BILL_DATE": "20261122"}])
    assert billed["SUCCESS"]
    cost = 6 * PART
    assert cost == Decimal("72.00")

    analysed = call(erp, "ZKKA_RA_ORDER", ORDERID=aufnr, FISC_YEAR="2026", PERIOD="011")
    calculated = (cost * planned_revenue / planned_cost).quantize(CENT, ROUND_HALF_UP)
    surplus = planned_revenue - calculated
    assert (calculated, surplus) == (Decimal("945.42"), Decimal("11209.58"))
    assert results(analysed) == {"POCS": -surplus, "COSR": cost, "REVR": -calculated}
    call(erp, "ZKO_SETTLE_ORDER", ORDERID=aufnr, FISC_YEAR="2026", PERIOD="011")
    assert copa(http, aufnr) == [("C", calculated, cost)]
    assert balance(http, aufnr) == -surplus
