"""Plan values (WRTTP 01) of an internal order: written as totals, read back summed per cost
element, replaced by a new plan of the same year, and never counted as actuals."""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.co.totals_tables import COSP, COSS
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.gateway.monitor.erp_views import order_totals
from tests.erp_stub.co_totals import assert_totals_equal_line_items
from tests.erp_stub.test_co_postings import create_order
from tests.erp_stub.test_fi_post import rows

LABOUR, PARTS, REVENUE = "0000625000", "0000400000", "0000800000"
SENDER = "KL10000000001000ADMIN"


def plan(erp: ErpSystem, objnr: str, lines: list[co.PlanLine], plan_date: str = "") -> None:
    ctx = CallContext(erp, Luw())
    co.post_plan(ctx, kokrs="1000", objnr=objnr, lines=lines, plan_date=plan_date)
    ctx.commit()


def test_plan_is_written_as_totals_and_read_back_per_cost_element(
        erp: ErpSystem, conn: LocalConnection) -> None:
    objnr = f"OR{create_order(conn)}"
    plan(erp, objnr, [
        co.PlanLine(LABOUR, Decimal("462.84"), Decimal("6"), "H", parob=SENDER),
        co.PlanLine(LABOUR, Decimal("462.84"), Decimal("6"), "H", parob=SENDER),
        co.PlanLine(PARTS, Decimal("0.00")),
        co.PlanLine(REVENUE, Decimal("-12155.00"))])

    assert co.plan_totals(CallContext(erp, Luw()), objnr) == {
        LABOUR: Decimal("925.68"), REVENUE: Decimal("-12155.00")}
    [activity] = rows(erp, COSS)
    assert (activity["WRTTP"], activity["VRGNG"], activity["PAROB"], activity["WKG011"],
            activity["MEG011"]) == ("01", "RKP2", SENDER, Decimal("925.68"), Decimal("12"))
    assert {(r["KSTAR"], r["VRGNG"], r["BEKNZ"]) for r in rows(erp, COSP)} == {
        (PARTS, "RKP1", "S"), (REVENUE, "RKP5", "H")}


def test_a_new_plan_of_the_year_replaces_the_old_one(erp: ErpSystem,
                                                     conn: LocalConnection) -> None:
    objnr = f"OR{create_order(conn)}"
    plan(erp, objnr, [co.PlanLine(PARTS, Decimal("100.00"))])
    plan(erp, objnr, [co.PlanLine(PARTS, Decimal("40.00")), co.PlanLine(LABOUR, Decimal("1"))])
    plan(erp, objnr, [co.PlanLine(PARTS, Decimal("7.00"))], plan_date="20270115")

    assert co.plan_totals(CallContext(erp, Luw()), objnr) == {
        PARTS: Decimal("47.00"), LABOUR: Decimal("1")}


def test_plan_values_are_not_actuals(erp: ErpSystem, conn: LocalConnection) -> None:
    """KO03's actual totals and the totals invariant (COSP/COSS = COEP) see only WRTTP 04."""
    objnr = f"OR{create_order(conn)}"
    plan(erp, objnr, [co.PlanLine(PARTS, Decimal("100.00"))])
    assert rows(erp, COSP) != []
    assert order_totals(conn, objnr) == []
    assert_totals_equal_line_items(erp)
