"""KO88 reversal (ZKO_SETTLE_REVERSE) and the cancellation of a period's results analysis
(ZKKA_RA_CANCEL): settle, reverse, the order and FI/CO-PA back where they were, settle again
and get the first settlement's figures; cancel RA, run it again and get the same result."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.ra_support import (
    PART_PRICE,
    balance,
    bill_service,
    charge_expense,
    confirm_hours,
    issue_parts,
    kka2,
    ko88,
    labour_price,
    post_plan,
    ra_order,
    results,
    types,
)
from tests.erp_stub.sd_support import amount, internal_order, read, sales_data

CENT = Decimal("0.01")


@pytest.fixture(autouse=True)
def customer(conn: LocalConnection) -> None:
    sales_data(conn)


def reverse(conn: LocalConnection, aufnr: str, period: str, **params: Any) -> dict[str, Any]:
    return conn.call("ZKO_SETTLE_REVERSE", ORDERID=aufnr, FISC_YEAR="2026", PERIOD=period,
                     **params)


def cancel(conn: LocalConnection, aufnr: str, period: str) -> dict[str, Any]:
    return conn.call("ZKKA_RA_CANCEL", ORDERID=aufnr, FISC_YEAR="2026", PERIOD=period)


def gl_totals(conn: LocalConnection) -> dict[str, Decimal]:
    """{G/L account: balance} of every settlement FI document (AWTYP AUAK)."""
    totals: dict[str, Decimal] = {}
    for [belnr] in read(conn, "BKPF", ["BELNR"], "AWTYP = 'AUAK'"):
        for hkont, shkzg, value in read(conn, "BSEG", ["HKONT", "SHKZG", "DMBTR"],
                                        f"BELNR = '{belnr}'"):
            signed = amount(value) * (1 if shkzg == "S" else -1)
            totals[hkont] = totals.get(hkont, Decimal(0)) + signed
    return {account: value for account, value in totals.items() if value}


def copa_sum(conn: LocalConnection, aufnr: str) -> tuple[Decimal, Decimal]:
    """(revenue VV010, cost of sales VV140) of the order's settlement line items."""
    rows = read(conn, "CE1S001", ["VV010", "VV140"], f"RKAUFNR = '{aufnr}' AND VRGAR = 'C'")
    return (sum((amount(r[0]) for r in rows), Decimal(0)),
            sum((amount(r[1]) for r in rows), Decimal(0)))


def cosbd(conn: LocalConnection, aufnr: str) -> dict[str, Decimal]:
    """{ABKAT: settled value in period 11} of the order's COSBD."""
    rows = read(conn, "COSBD", ["ABKAT", "WKG011"], f"OBJNR = 'OR{aufnr}'")
    return {abkat: amount(value) for abkat, value in rows if amount(value)}


def contract(conn: LocalConnection, erp: object) -> tuple[str, Decimal, Decimal, Decimal]:
    """The seed's contract: billed 12,155.00, cost 72.00, plan 925.68 / 12,155.00."""
    labour_price(conn)
    aufnr = ra_order(conn, "CRMSC", "Service contract")
    planned_revenue = Decimal(11) * Decimal("1105.00")
    planned_cost = post_plan(erp, aufnr, hours_planned="10",  # type: ignore[arg-type]
                             parts="6", expenses="3.68", revenue=planned_revenue)
    assert bill_service(conn, aufnr, "11", "1105.00", "20261122")["SUCCESS"]
    issue_parts(conn, aufnr, "6")
    cost = 6 * PART_PRICE
    calculated = (cost * planned_revenue / planned_cost).quantize(CENT, ROUND_HALF_UP)
    return aufnr, cost, calculated, planned_revenue - calculated


def test_reverse_then_settle_again_equals_the_first(conn: LocalConnection,
                                                    erp: object) -> None:
    aufnr, cost, calculated, surplus = contract(conn, erp)
    kka2(conn, aufnr, "011")
    before = balance(conn, aufnr)
    first = ko88(conn, aufnr, "011")
    assert ("S", "KD", "005") in types(first), first["RETURN"]
    settled = (gl_totals(conn), copa_sum(conn, aufnr), balance(conn, aufnr), cosbd(conn, aufnr))
    assert settled[0] == {"0000079300": -surplus, "0000481200": surplus}
    assert settled[1] == (calculated, cost) and settled[3], "COSBD holds what was settled"
    assert settled[2] == before + calculated - cost   # revenue and COS left the order

    reversed_ = reverse(conn, aufnr, "011")
    assert types(reversed_)[0] == ("S", "KD", "007")
    assert ("S", "KD", "008") in types(reversed_), reversed_["RETURN"]
    assert {(line["KONTY"], line["AMOUNT"]) for line in reversed_["LINES"]} >= {
        ("SK", surplus), ("SK", -surplus)}
    assert gl_totals(conn) == {}, "FI: the settlement's document reversed"
    assert copa_sum(conn, aufnr) == (Decimal(0), Decimal(0)), "CO-PA: record type C back"
    assert balance(conn, aufnr) == before, "the order's credit reversed"
    assert cosbd(conn, aufnr) == {}, "COSBD back to before the settlement"
    auak = read(conn, "AUAK", ["BELNR", "STFLG", "STOKZ", "STBEL"])
    [original] = [row for row in auak if row[1] == ""]
    [reversal] = [row for row in auak if row[1] == "X"]
    assert (original[2], original[3], reversal[3]) == ("X", reversal[0], original[0])

    again = ko88(conn, aufnr, "011")
    assert ("S", "KD", "005") in types(again), again["RETURN"]
    assert [(line["KONTY"], line["KSTAR"], line["AMOUNT"]) for line in again["LINES"]] == [
        (line["KONTY"], line["KSTAR"], line["AMOUNT"]) for line in first["LINES"]]
    assert (gl_totals(conn), copa_sum(conn, aufnr), balance(conn, aufnr),
            cosbd(conn, aufnr)) == settled


DECEMBER = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)


def test_reverse_a_wip_settlement_and_the_refusals(conn: LocalConnection, erp: object,
                                                   clock: Clock) -> None:
    price = labour_price(conn)
    aufnr = ra_order(conn, "CRMSO")
    post_plan(erp, aufnr, hours_planned="6", parts="4",  # type: ignore[arg-type]
              expenses="46.66", revenue=Decimal("720.00"))
    confirm_hours(conn, aufnr, "6")
    charge_expense(conn, aufnr, "46.66")
    cost = 6 * price + Decimal("46.66")
    kka2(conn, aufnr, "011")
    nothing = reverse(conn, aufnr, "011")
    assert types(nothing) == [("E", "KD", "930")] and nothing["RETURN"][0]["FIELD"] == "ORDERID"
    ko88(conn, aufnr, "011")
    assert gl_totals(conn) == {"0000079000": cost, "0000481000": -cost}

    clock.set(DECEMBER)
    charge_expense(conn, aufnr, "10.00")
    kka2(conn, aufnr, "012")
    assert ("S", "KD", "005") in types(ko88(conn, aufnr, "012"))
    refused = reverse(conn, aufnr, "011")
    assert types(refused) == [("E", "KD", "931")], "the later period first"
    test = reverse(conn, aufnr, "012", TESTRUN="X")
    assert ("S", "KD", "006") in types(test) and len(read(conn, "AUAK", ["BELNR"])) == 2

    assert ("S", "KD", "008") in types(reverse(conn, aufnr, "012"))
    assert ("S", "KD", "008") in types(reverse(conn, aufnr, "011"))
    assert gl_totals(conn) == {} and balance(conn, aufnr) == cost + Decimal("10.00")
    assert types(reverse(conn, aufnr, "011")) == [("E", "KD", "930")], "reversed once"
    assert types(reverse(conn, "999999", "011")) == [("E", "KD", "904")]


def test_reverse_an_actual_cost_settlement_to_a_cost_center(conn: LocalConnection) -> None:
    labour_price(conn)
    aufnr = internal_order(conn, "Internal repair")
    confirm_hours(conn, aufnr, "2")
    charge_expense(conn, aufnr, "30.00")
    cost = balance(conn, aufnr)
    first = ko88(conn, aufnr, "011")
    assert balance(conn, aufnr) == 0
    assert ("S", "KD", "008") in types(reverse(conn, aufnr, "011"))
    assert balance(conn, aufnr) == cost
    cctr = read(conn, "COEP", ["WKGBTR"], "OBJNR = 'KS10000000001000' AND VRGNG = 'KOAO'")
    assert sum((amount(row[0]) for row in cctr), Decimal(0)) == 0
    again = ko88(conn, aufnr, "011")
    assert [line["AMOUNT"] for line in again["LINES"]] == [
        line["AMOUNT"] for line in first["LINES"]]
    assert balance(conn, aufnr) == 0


def test_cancel_results_analysis_then_rerun_equals_the_original(conn: LocalConnection,
                                                                erp: object) -> None:
    aufnr, cost, calculated, surplus = contract(conn, erp)
    original = kka2(conn, aufnr, "011")
    assert results(original) == {"POCS": -surplus, "COSR": cost, "REVR": -calculated}
    saved = read(conn, "COSB", ["ABKAT", "KSTAR", "WKG011"], f"OBJNR = 'OR{aufnr}'")

    cancelled = cancel(conn, aufnr, "011")
    assert ("S", "ZRA", "016") in types(cancelled), cancelled["RETURN"]
    assert {row["CATEGORY"]: row["PERIOD_VALUE"] for row in cancelled["RESULTS"]} == {
        "POCS": surplus, "COSR": -cost, "REVR": calculated}
    display = conn.call("ZKKA_RA_DISPLAY", ORDERID=aufnr, FISC_YEAR="2026", PERIOD="011")
    assert display["RESULTS"] == [], "WIP and reserves back to the previous period's (none)"
    coepb = read(conn, "COEPB", ["ABKAT", "WKGBTR"], f"OBJNR = 'OR{aufnr}'")
    assert sum((amount(row[1]) for row in coepb), Decimal(0)) == 0, "line items reversed"
    assert types(cancel(conn, aufnr, "011")) == [("E", "ZRA", "917")], "nothing to cancel"

    rerun = kka2(conn, aufnr, "011")
    assert results(rerun) == results(original)
    assert read(conn, "COSB", ["ABKAT", "KSTAR", "WKG011"], f"OBJNR = 'OR{aufnr}'") == saved
    settled = ko88(conn, aufnr, "011")
    assert gl_totals(conn) == {"0000079300": -surplus, "0000481200": surplus}, settled


def test_cancel_refuses_while_a_later_period_has_results(conn: LocalConnection,
                                                         erp: object, clock: Clock) -> None:
    aufnr, *_ = contract(conn, erp)
    kka2(conn, aufnr, "011")
    clock.set(DECEMBER)
    issue_parts(conn, aufnr, "1")
    kka2(conn, aufnr, "012")
    assert types(cancel(conn, aufnr, "011")) == [("E", "ZRA", "915")]
    assert ("S", "ZRA", "016") in types(cancel(conn, aufnr, "012"))
    assert ("S", "ZRA", "016") in types(cancel(conn, aufnr, "011"))
    assert read(conn, "COSB", ["ABKAT"], f"OBJNR = 'OR{aufnr}' AND (WKG011 <> 0 OR "
                "WKG012 <> 0)") == []
    assert types(cancel(conn, "999999", "011")) == [("E", "ZRA", "912")]
