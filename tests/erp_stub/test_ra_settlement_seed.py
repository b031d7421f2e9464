"""The seed's figures (001_…, period end) from postings: a service order with results
analysis method 01 and a service contract with method 03, each costed through the BAPIs a
user calls, analysed (ZKKA_RA_ORDER) and settled (ZKO_SETTLE_ORDER) over RFC."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

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
from tests.erp_stub.sd_support import amount, read, sales_data

CENT = Decimal("0.01")


@pytest.fixture(autouse=True)
def customer(conn: LocalConnection) -> None:
    sales_data(conn)


def fi_lines(conn: LocalConnection, awkey: str) -> dict[str, Decimal]:
    """{G/L account: signed amount} of the FI document of a settlement."""
    [bkpf] = read(conn, "BKPF", ["BELNR", "BLART"], f"AWTYP = 'AUAK' AND AWKEY = '{awkey}'")
    lines = read(conn, "BSEG", ["HKONT", "SHKZG", "DMBTR"], f"BELNR = '{bkpf[0]}'")
    return {hkont: amount(value) * (1 if shkzg == "S" else -1)
            for hkont, shkzg, value in lines}


def copa_values(conn: LocalConnection, aufnr: str) -> list[tuple[str, Decimal, Decimal]]:
    """(record type, revenue VV010, cost of sales VV140) of the order's CO-PA line items."""
    rows = read(conn, "CE1S001", ["VRGAR", "VV010", "VV140"], f"RKAUFNR = '{aufnr}'")
    return [(vrgar, amount(revenue), amount(cost)) for vrgar, revenue, cost in rows]


def test_service_order_wip_then_final_billing(conn: LocalConnection, erp: object) -> None:
    price = labour_price(conn)
    aufnr = ra_order(conn, "CRMSO")
    hours, parts, expense, rate = "6", "4", "46.66", "120.00"
    planned = post_plan(erp, aufnr, hours_planned=hours, parts=parts,  # type: ignore[arg-type]
                        expenses=expense, revenue=Decimal(hours) * Decimal(rate))
    confirm_hours(conn, aufnr, hours)
    issue_parts(conn, aufnr, parts)
    charge_expense(conn, aufnr, expense)
    cost = Decimal(hours) * price + Decimal(parts) * PART_PRICE + Decimal(expense)
    assert cost == planned == Decimal("604.66")
    assert balance(conn, aufnr) == cost

    # Period 11: nothing billed -> all actual cost is WIP, settled to the balance sheet only.
    analysed = kka2(conn, aufnr, "011")
    assert ("S", "ZRA", "005") in types(analysed)
    assert results(analysed) == {"WIPR": cost}
    settled = ko88(conn, aufnr, "011")
    assert ("S", "KD", "005") in types(settled), settled["RETURN"]
    [auak] = read(conn, "AUAK", ["BELNR", "AWKEY", "PABELNR", "BELCO"])
    assert fi_lines(conn, auak[1]) == {"0000079000": cost, "0000481000": -cost}
    assert auak[2:] == ["", ""]                   # no CO-PA line item, no CO document
    assert copa_values(conn, aufnr) == []
    assert balance(conn, aufnr) == cost           # WIP settlement leaves the order as it is

    # A second run of the same period settles nothing more (delta to COSBD).
    assert ("S", "KD", "920") in types(ko88(conn, aufnr, "011"))

    # Final billing in period 12: FNBL -> WIP cancelled, revenue and cost of sales realised.
    billed = bill_service(conn, aufnr, hours, rate, "20261215")
    assert billed["SUCCESS"], billed["RETURN"]
    revenue = Decimal(hours) * Decimal(rate)
    assert revenue == Decimal("720.00")
    assert read(conn, "JEST", ["STAT"], f"OBJNR = 'OR{aufnr}' AND INACT = ''") == [
        ["I0002"], ["I0028"], ["I0074"]]       # REL, SETC, FNBL
    analysed = kka2(conn, aufnr, "012")
    assert ("S", "ZRA", "004") in types(analysed)
    assert results(analysed) == {"WIPR": Decimal(0), "COSR": cost, "REVR": -revenue}
    settled = ko88(conn, aufnr, "012")
    assert ("S", "KD", "005") in types(settled), settled["RETURN"]
    second = read(conn, "AUAK", ["AWKEY", "PERIO"], "PERIO = '012'")
    assert fi_lines(conn, second[0][0]) == {"0000079000": -cost, "0000481000": cost}
    assert copa_values(conn, aufnr) == [("C", revenue, cost)]
    assert balance(conn, aufnr) == 0


def test_contract_cost_based_poc_defers_revenue(conn: LocalConnection, erp: object) -> None:
    labour_price(conn)
    aufnr = ra_order(conn, "CRMSC", "Service contract")
    quantity, rate = "11", "1105.00"
    planned_revenue = Decimal(quantity) * Decimal(rate)
    planned_cost = post_plan(erp, aufnr, hours_planned="10",  # type: ignore[arg-type]
                             parts="6", expenses="3.68", revenue=planned_revenue)
    assert (planned_cost, planned_revenue) == (Decimal("925.68"), Decimal("12155.00"))
    billed = bill_service(conn, aufnr, quantity, rate, "20261122")
    assert billed["SUCCESS"], billed["RETURN"]
    issue_parts(conn, aufnr, "6")
    cost = 6 * PART_PRICE
    assert cost == Decimal("72.00")

    analysed = kka2(conn, aufnr, "011")
    calculated = (cost * planned_revenue / planned_cost).quantize(CENT, ROUND_HALF_UP)
    assert calculated == Decimal("945.42")
    surplus = planned_revenue - calculated
    assert results(analysed) == {"POCS": -surplus, "COSR": cost, "REVR": -calculated}
    assert surplus == Decimal("11209.58")

    settled = ko88(conn, aufnr, "011")
    assert ("S", "KD", "005") in types(settled), settled["RETURN"]
    [auak] = read(conn, "AUAK", ["AWKEY"])
    assert fi_lines(conn, auak[0]) == {"0000079300": -surplus, "0000481200": surplus}
    assert copa_values(conn, aufnr) == [("C", calculated, cost)]
    assert balance(conn, aufnr) == -surplus == Decimal("-11209.58")
