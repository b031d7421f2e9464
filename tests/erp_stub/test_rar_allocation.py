"""IFRS 15 arithmetic of the RAR receiver as pure functions: relative-SSP allocation with its
rounding rule and the time-based and event-based schedules (fica_rar.md §7, computed from
the inputs, never copied)."""

from decimal import Decimal

import pytest

from sapgw.erp_stub.farr.allocation import Line, allocate, effects
from sapgw.erp_stub.farr.schedule import PobPlan, cumulative, deltas, months

D = Decimal


def test_example_a_allocation() -> None:
    lines = [Line("P1", D("90.00"), D("100.00")), Line("P2", D("30.00"), D("50.00"))]
    allocated = allocate(lines)
    tp = D("90.00") + D("30.00")
    assert allocated == {"P1": tp * 100 / 150, "P2": tp * 50 / 150}
    assert allocated == {"P1": D("80.00"), "P2": D("40.00")}
    assert effects(lines, allocated) == {"P1": D("-10.00"), "P2": D("10.00")}


def test_example_b_public_example() -> None:
    lines = [Line("TG13", D("20000.00"), D("17000.00")), Line("SM0001", D("1000.00"), D("600.00"))]
    allocated = allocate(lines)
    assert allocated == {"TG13": D("20284.09"), "SM0001": D("715.91")}
    assert sum(effects(lines, allocated).values()) == 0
    assert effects(lines, allocated)["TG13"] == D("284.09")


def test_example_c_residue_to_the_largest_last_on_ties() -> None:
    lines = [Line(k, D(p), D("1")) for k, p in (("A", "50.00"), ("B", "25.00"), ("C", "25.00"))]
    allocated = allocate(lines)
    assert allocated == {"A": D("33.33"), "B": D("33.33"), "C": D("33.34")}
    assert sum(allocated.values()) == D("100.00")
    assert sum(effects(lines, allocated).values()) == 0


def test_residue_goes_to_the_largest_unrounded_line() -> None:
    # TP 10.00 over SSP 1:1:4 -> 1.6667, 1.6667, 6.6667 -> 1.67 + 1.67 + 6.67 = 10.01
    lines = [Line("A", D("5"), D("1")), Line("B", D("3"), D("1")), Line("C", D("2"), D("4"))]
    allocated = allocate(lines)
    assert allocated == {"A": D("1.67"), "B": D("1.67"), "C": D("6.66")}


def test_prevented_lines_keep_their_price_and_zero_yen_decimals() -> None:
    lines = [Line("A", D("100"), D("1")), Line("B", D("100"), D("2")),
             Line("U", D("55"), D("0"), prevent=True)]
    assert allocate(lines, decimals=0) == {"A": D("67"), "B": D("133"), "U": D("55")}


def test_time_based_spread_residue_in_the_last_month() -> None:
    plan = PobPlan(D("40.00"), "T", "", "20270201", "20280131", D(1))
    spread = deltas(plan)
    assert list(spread) == months("20270201", "20280131") and len(spread) == 12
    assert set(list(spread.values())[:11]) == {D("3.33")}
    assert spread["2028001"] == D("40.00") - 11 * D("3.33") == D("3.37")


def test_event_based_and_prospective_split() -> None:
    plan = PobPlan(D("80.00"), "E", "FI", "20270101", "20270101", D(2),
                   fulfilments=[("2027001", D(1), D(0))])
    assert cumulative(plan, "2027001") == D("80.00") * 1 / 2
    # prospective change from period 2: new allocation 60, 40 kept, rest over the 1 left
    plan.alloc, plan.pro_period, plan.pro_amount, plan.pro_quantity = (
        D("60.00"), "2027002", D("40.00"), D(1))
    plan.fulfilments.append(("2027003", D(1), D(0)))
    assert deltas(plan) == {"2027002": D(0), "2027003": D("20.00")}
    with pytest.raises(ValueError):
        cumulative(plan, "2027001")
