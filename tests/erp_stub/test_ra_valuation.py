"""The valuation formulas of results analysis (reference/controlling.md §6.4, §6.5, §10) on
their worked examples, and rounding half up per stored value from the unrounded quotient."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.erp_stub.ra.valuation import Category, Inputs, PlanMissing, valuate

D = Decimal


def inputs(cost: str, revenue: str, plan_cost: str, plan_revenue: str) -> Inputs:
    return Inputs(D(cost), D(revenue), D(plan_cost), D(plan_revenue))


def test_revenue_based_nothing_billed_is_all_wip() -> None:
    """§6.4 method 01 example: R(p) 200 000, C(p) 120 000, C(a) 20 000, R(a) 0."""
    result = valuate("01", inputs("20000", "0", "120000", "200000"), 2)
    assert result.values == {Category.WIPR: D("20000")}
    assert (result.cost_of_sales, result.calculated_revenue) == (0, 0)


def test_revenue_based_generic_example() -> None:
    """§6.4 generic: R(p) 3000, C(p) 2000, R(a) 1200, C(a) 1000 -> POC 40 %, C(c) 800,
    WIP 200."""
    result = valuate("01", inputs("1000", "1200", "2000", "3000"), 2)
    assert result.poc == D("0.4")
    assert result.values == {Category.WIPR: D("200"), Category.COSR: D("800"),
                             Category.REVR: D("-1200")}


def test_revenue_based_reserve_when_cost_of_sales_exceeds_actual_cost() -> None:
    """§10 step 4 with method 01: POC 2000/3000, C(PA) 1200 > C(a) 900 -> RUC 300."""
    result = valuate("01", inputs("900", "2000", "1800", "3000"), 2)
    assert result.values == {Category.RUCR: D("-300"), Category.COSR: D("1200"),
                             Category.REVR: D("-2000")}


def test_cost_based_poc_revenue_in_excess_of_billings() -> None:
    """§6.4 method 03 example: C(a) 20 000 of 120 000, R(p) 200 000, nothing billed:
    calculated revenue 33 333.33 (rounded half up once), all of it POCI."""
    result = valuate("03", inputs("20000", "0", "120000", "200000"), 2)
    assert result.values == {Category.POCI: D("33333.33"), Category.COSR: D("20000"),
                             Category.REVR: D("-33333.33")}


def test_cost_based_poc_revenue_surplus() -> None:
    """§10 step 4: C(a) 900 of 1800, R(p) 3000, billed 2000 -> R(PA) 1500, POCS 500."""
    result = valuate("03", inputs("900", "2000", "1800", "3000"), 2)
    assert result.poc == D("0.5")
    assert result.values == {Category.POCS: D("-500"), Category.COSR: D("900"),
                             Category.REVR: D("-1500")}


def test_the_quotient_is_rounded_once_half_up() -> None:
    """72 / 925.68 x 12 155 = 945.4239... -> 945.42; 1 / 3 x 0.05 = 0.01666 -> 0.02; in a
    currency without decimals 1 / 8 x 20 = 2.5 -> 3."""
    assert valuate("03", inputs("72", "12155", "925.68", "12155"), 2).calculated_revenue \
        == D("945.42")
    assert valuate("01", inputs("0", "1", "0.05", "3"), 2).cost_of_sales == D("0.02")
    assert valuate("03", inputs("1", "0", "8", "20"), 0).calculated_revenue == D("3")


def test_wip_at_actual_cost() -> None:
    assert valuate("13", inputs("604.66", "0", "0", "0"), 2).values == {
        Category.WIPR: D("604.66")}
    assert valuate("13", inputs("-10", "0", "0", "0"), 2).values == {Category.RUCR: D("-10")}


def test_cancellation_realises_actual_values() -> None:
    result = valuate("01", inputs("604.66", "720", "604.66", "720"), 2, cancel=True)
    assert result.values == {Category.COSR: D("604.66"), Category.REVR: D("-720")}


def test_a_missing_plan_value_is_refused_only_when_needed() -> None:
    with pytest.raises(PlanMissing) as missing:
        valuate("03", inputs("72", "0", "0", "100"), 2)
    assert missing.value.which == "cost"
    with pytest.raises(PlanMissing):
        valuate("01", inputs("72", "10", "100", "0"), 2)
    assert valuate("01", inputs("72", "0", "0", "0"), 2).values == {Category.WIPR: D("72")}
    with pytest.raises(ValueError):
        valuate("02", inputs("1", "0", "1", "1"), 2)
