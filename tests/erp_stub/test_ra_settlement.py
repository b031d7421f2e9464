"""Results analysis and settlement over RFC: the §10 worked example from postings (POC,
revenue surplus, its cancellation at TECO and the reversal by the next settlement), re-runs,
collective runs, settlement to a cost center, and every refusal in SAP's message terms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.settlement import api as settlement
from sapgw.erp_stub.settlement import ra_settled, reversal
from sapgw.erp_stub.settlement.tables import ZAUA_RA
from tests.erp_stub.periods import close_period
from tests.erp_stub.ra_support import (
    PART,
    balance,
    bill_service,
    charge_expense,
    confirm_hours,
    kka2,
    ko88,
    labour_price,
    post_plan,
    ra_order,
    results,
    types,
)
from tests.erp_stub.sd_support import (
    amount,
    bill,
    create_order,
    internal_order,
    item,
    price,
    read,
    sales_data,
)
from tests.erp_stub.test_ra_settlement_seed import copa_values, fi_lines

D = Decimal


@pytest.fixture(autouse=True)
def customer(conn: LocalConnection) -> None:
    sales_data(conn)


def worked_example(conn: LocalConnection, erp: ErpSystem, ra_key: str) -> str:
    """§10: plan C(p) 1800 (22.5 h at 80), R(p) 3000; 10 h at 80, expense 100, billed
    2000 (item 10: 20 at 100.00; item 20, 10 at 100.00, stays open: no final billing)."""
    rate = labour_price(conn, D("40.00"), D("40.00"))
    aufnr = ra_order(conn, ra_key, "Worked example")
    post_plan(erp, aufnr, hours_planned="22.5", parts="0", expenses="0", revenue=D("3000"),
              rate=rate)
    confirm_hours(conn, aufnr, "10")
    charge_expense(conn, aufnr, "100.00")
    order = create_order(conn, [item("10", PART, "20", ORDERID=aufnr),
                                item("20", PART, "10", ORDERID=aufnr)],
                         [price("10", "100.00"), price("20", "100.00")])
    billed = bill(conn, {"REF_DOC_CA": "C", "REF_DOC": order["SALESDOCUMENT"],
                         "REF_ITEM": "000010", "BILL_DATE": "20261122"})
    assert billed["SUCCESS"], billed["RETURN"]
    return aufnr


def test_worked_example_cost_based_and_its_cancellation(conn: LocalConnection,
                                                        erp: ErpSystem) -> None:
    aufnr = worked_example(conn, erp, "CRMSC")
    assert results(kka2(conn, aufnr, "011")) == {
        "POCS": D("-500.00"), "COSR": D("900.00"), "REVR": D("-1500.00")}
    assert ("S", "KD", "005") in types(ko88(conn, aufnr, "011"))
    [first] = read(conn, "AUAK", ["AWKEY"])
    assert fi_lines(conn, first[0]) == {"0000079300": D("-500.00"), "0000481200": D("500.00")}
    assert copa_values(conn, aufnr) == [("C", D("1500.00"), D("900.00"))]

    # TECO: no further costs -> the surplus is cancelled, the actual values realised; the
    # next settlement reverses the 500 and sends only the difference to CO-PA.
    status = conn.call("ZCO_ORDER_SET_STATUS", ORDERID=aufnr, STATUS="TECO")
    assert types(status) == [("S", "KO", "912")]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert results(kka2(conn, aufnr, "012")) == {
        "POCS": D(0), "COSR": D("900.00"), "REVR": D("-2000.00")}
    assert ("S", "KD", "005") in types(ko88(conn, aufnr, "012"))
    [second] = read(conn, "AUAK", ["AWKEY"], "PERIO = '012'")
    assert fi_lines(conn, second[0]) == {"0000079300": D("500.00"), "0000481200": D("-500.00")}
    assert copa_values(conn, aufnr) == [("C", D("1500.00"), D("900.00")),
                                        ("C", D("500.00"), D(0))]
    assert balance(conn, aufnr) == 0


def test_worked_example_revenue_based_reserve(conn: LocalConnection, erp: ErpSystem) -> None:
    """§10 with method 01: POC 2000/3000, C(PA) 1200 > C(a) 900 -> RUC 300, to FI as
    expense / reserve; CO-PA gets revenue 2000 and cost of sales 1200."""
    aufnr = worked_example(conn, erp, "CRMSO")
    analysed = kka2(conn, aufnr, "011", TESTRUN="X")
    assert ("S", "ZRA", "006") in types(analysed)
    assert read(conn, "COSB", ["KSTAR"]) == []
    assert results(kka2(conn, aufnr, "011")) == {
        "RUCR": D("-300.00"), "COSR": D("1200.00"), "REVR": D("-2000.00")}
    assert ("S", "KD", "005") in types(ko88(conn, aufnr, "011"))
    [auak] = read(conn, "AUAK", ["AWKEY"])
    assert fi_lines(conn, auak[0]) == {"0000079100": D("-300.00"), "0000481100": D("300.00")}
    assert copa_values(conn, aufnr) == [("C", D("2000.00"), D("1200.00"))]
    # The order gave CO-PA 1200 cost of sales against 900 actual cost: the reserve covers it.
    assert balance(conn, aufnr) == D("900.00") - D("2000.00") - D("1200.00") + D("2000.00")


def test_a_rerun_replaces_the_period_and_test_runs_save_nothing(conn: LocalConnection,
                                                                erp: ErpSystem) -> None:
    labour_price(conn)
    aufnr = ra_order(conn, "CRMWIP", "Repair")
    assert types(kka2(conn, aufnr, "011", TESTRUN="X"))[-1] == ("S", "ZRA", "006")
    assert read(conn, "COSB", ["KSTAR"]) == []
    confirm_hours(conn, aufnr, "2")
    kka2(conn, aufnr, "011")
    confirm_hours(conn, aufnr, "1")
    again = kka2(conn, aufnr, "011")
    assert results(again) == {"WIPR": D("255.00")}
    cosb = read(conn, "COSB", ["OBJNR", "WRTTP", "ABKAT", "KSTAR", "WKG011"])
    assert [row[:4] for row in cosb] == [[f"OR{aufnr}", "32", "51", "0000935000"]]
    assert amount(cosb[0][4]) == D("255.00")
    coepb = read(conn, "COEPB", ["PERIO", "ABKAT", "VRGNG", "WKGBTR"])
    assert [row[:3] for row in coepb] == [["011", "51", "KABG"]]
    assert amount(coepb[0][3]) == D("255.00")
    display = conn.call("ZKKA_RA_DISPLAY", ORDERID=aufnr, FISC_YEAR="2026", PERIOD="011")
    assert results(display) == {"WIPR": D("255.00")}
    # Period 12 without new costs: cumulative WIP unchanged, no change in the period.
    later = kka2(conn, aufnr, "012")
    assert [(row["CATEGORY"], row["CUMULATIVE"], row["PERIOD_VALUE"])
            for row in later["RESULTS"]] == [("WIPR", D("255.00"), D(0))]


def test_collective_runs_take_the_open_orders_of_the_area(conn: LocalConnection,
                                                          erp: ErpSystem) -> None:
    labour_price(conn)
    first, second = ra_order(conn, "CRMWIP", "A"), ra_order(conn, "CRMWIP", "B")
    closed = ra_order(conn, "CRMWIP", "C")
    internal_order(conn, "Without RA key", settlement_rule=False)
    for aufnr in (first, second, closed):
        confirm_hours(conn, aufnr, "1")
    conn.call("ZCO_ORDER_SET_STATUS", ORDERID=closed, STATUS="CLSD")
    conn.call("BAPI_TRANSACTION_COMMIT")

    # Without year and period (a background job): today's period, 2026/011.
    kkai = conn.call("ZKKA_RA_COLLECTIVE", CO_AREA="1000")
    assert kkai["RETURN"][0]["MESSAGE"].endswith("period 011/2026, RA version 000")
    assert {row["ORDERID"] for row in kkai["RESULTS"]} == {first, second}
    assert types(kkai)[-1] == ("S", "ZRA", "010")
    assert kkai["RETURN"][-1]["MESSAGE"] == (
        "Collective processing: 2 orders selected, 2 processed, 0 with errors")
    ko8g = conn.call("ZKO_SETTLE_COLLECTIVE", CO_AREA="1000", FISC_YEAR="2026",
                     PERIOD="011")
    assert {row["ORDERID"] for row in ko8g["LINES"]} == {first, second}
    assert len(read(conn, "AUAK", ["BELNR"])) == 2
    assert {row[0] for row in read(conn, "COBRA", ["OBJNR"])} == {
        f"OR{first}", f"OR{second}", f"OR{closed}"}
    assert read(conn, "COBRB", ["KONTY", "PERBZ", "AVORG"], f"OBJNR = 'OR{first}'") == [
        ["EO", "GES", "KOAO"]]


def test_actual_costs_to_a_cost_center(conn: LocalConnection) -> None:
    """Without RA the order's costs go to the cost center under the settlement cost element
    of the allocation structure: sender credited (BEKNZ A), receiver debited, balance 0."""
    labour_price(conn)
    aufnr = internal_order(conn, "Internal repair")
    confirm_hours(conn, aufnr, "2")
    charge_expense(conn, aufnr, "30.00")
    settled = ko88(conn, aufnr, "011")
    assert ("S", "KD", "005") in types(settled), settled["RETURN"]
    [auak] = read(conn, "AUAK", ["BELNR", "BELCO"])
    lines = read(conn, "COEP", ["OBJNR", "KSTAR", "BEKNZ", "VRGNG", "PAROB", "WKGBTR"],
                 f"BELNR = '{auak[1]}'")
    cctr = "KS10000000001000"
    assert [(row[:5], amount(row[5])) for row in lines] == [
        ([f"OR{aufnr}", "0000655000", "A", "KOAO", cctr], D("-30.00")),
        ([cctr, "0000655000", "S", "KOAO", f"OR{aufnr}"], D("30.00")),
        ([f"OR{aufnr}", "0000655000", "A", "KOAO", cctr], D("-170.00")),
        ([cctr, "0000655000", "S", "KOAO", f"OR{aufnr}"], D("170.00"))]
    assert balance(conn, aufnr) == 0
    assert ("S", "KD", "920") in types(ko88(conn, aufnr, "011"))


def test_refusals(conn: LocalConnection, erp: ErpSystem) -> None:
    without_rule = internal_order(conn, "No rule", settlement_rule=False)
    billed = bill_service(conn, without_rule, "1", "10.00", "20261122")
    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["FIELD"]) for m in billed["RETURN"]] == [
        ("E", "KO", "914", "REF_DOC")]
    assert billed["RETURN"][0]["MESSAGE"] == (
        f"Order {without_rule} has no settlement rule: revenue cannot be posted to it")
    assert read(conn, "VBRK", ["VBELN"]) == []
    assert types(kka2(conn, without_rule, "011")) == [("E", "ZRA", "901")]
    assert types(kka2(conn, "999999", "011")) == [("E", "ZRA", "912")]
    assert types(kka2(conn, without_rule, "017")) == [("E", "ZRA", "908")]
    assert types(ko88(conn, without_rule, "011")) == [("E", "KD", "910")]
    status = conn.call("ZCO_ORDER_SET_STATUS", ORDERID=without_rule, STATUS="SETC")
    assert types(status) == [("E", "KO", "913")]

    # Revenue cannot go to a cost center: nothing is posted.
    to_cost_center = internal_order(conn, "Revenue to CCtr")
    assert bill_service(conn, to_cost_center, "1", "10.00", "20261122")["SUCCESS"]
    refused = ko88(conn, to_cost_center, "011")
    assert ("E", "KD", "912") in types(refused)
    assert read(conn, "AUAK", ["BELNR"]) == []
    rule = conn.call("ZKO_RULE_MAINTAIN", ORDERID=to_cost_center, PROFILE="NONE")
    assert types(rule) == [("E", "KD", "901")]


def test_a_closed_period_refuses_the_settlement_and_posts_nothing(conn: LocalConnection,
                                                                   erp: ErpSystem) -> None:
    labour_price(conn)
    aufnr = ra_order(conn, "CRMWIP", "Closed period")
    confirm_hours(conn, aufnr, "1")
    kka2(conn, aufnr, "011")
    close_period(conn, 2026, 11)
    refused = ko88(conn, aufnr, "011")
    assert [row[:2] for row in types(refused) if row[0] == "E"] == [("E", "RW"), ("E", "F5")]
    assert read(conn, "AUAK", ["BELNR"]) == [] and read(conn, "COSBD", ["KSTAR"]) == []
    assert read(conn, "COBRA", ["LETJA", "LETPE"]) == [["0000", "000"]]


def test_generate_rule_for_crm(erp: ErpSystem, conn: LocalConnection) -> None:
    """settlement.api as CRM's controlling integration calls it, in the caller's LUW."""
    aufnr = internal_order(conn, "From CRM", settlement_rule=False)
    objnr = f"OR{aufnr}"
    ctx = CallContext(erp, Luw())
    assert not settlement.has_rule(ctx, objnr)
    with pytest.raises(settlement.SettlementError) as refused:
        settlement.generate_rule(ctx, objnr, profile="CRMSRV", strategy_sequence="NONE")
    assert (refused.value.msg_class, refused.value.number) == ("KD", "902")
    with pytest.raises(settlement.SettlementError) as refused:
        settlement.generate_rule(ctx, objnr, profile="CRMSRV", receiver={"AUFNR": "1"})
    assert refused.value.number == "907"
    assert ctx.luw.empty
    settlement.generate_rule(ctx, objnr, profile="CRMSRV",
                             characteristics={"KNDNR": "1000", "ARTNR": "SRV-HOUR"})
    ctx.commit()
    assert settlement.has_rule(CallContext(erp, Luw()), objnr)
    [cobrb] = read(conn, "COBRB", ["KONTY", "PERBZ", "PROZS", "PAOBJNR", "GABJA", "GABPE"])
    assert cobrb[:3] == ["EO", "GES", "100.00"] and cobrb[3].strip("0")
    assert cobrb[4:] == ["2026", "011"]
    segment = read(conn, "CE4S001", ["KNDNR", "ARTNR", "AUFNR"], f"PAOBJNR = '{cobrb[3]}'")
    assert segment == [["0000001000", "SRV-HOUR", aufnr]]
    assert ["I0028"] in read(conn, "JEST", ["STAT"], f"OBJNR = '{objnr}' AND INACT = ''")
    # Generated again with a cost center: the rule is replaced.
    ctx = CallContext(erp, Luw())
    settlement.generate_rule(ctx, objnr, profile="CRMSRV", receiver={"KOSTL": "1000"})
    ctx.commit()
    assert read(conn, "COBRB", ["KONTY", "KOSTL"]) == [["KS", "0000001000"]]


def test_cosbd_keeps_what_was_taken_under_the_version_it_was_read_from(erp: ErpSystem) -> None:
    """Settlement reads COSB and COSBD under one RA version (000, or the area's first
    FI-relevant one): what it takes must land under that version, else the next run would
    find nothing taken and settle the whole amount again."""
    erp.sync_buffer()
    ctx = CallContext(erp, Luw())
    assert ra_settled.version(ctx, "1000") == "000"
    taken = {("51", "0000935000"): D("255.00")}
    ra_settled.register_taken(ctx, belnr="0000000901", objnr="OR000000999901", versn="001",
                              year="2026", period=11, currency="EUR", changes=taken)
    ctx.commit()
    reader = CallContext(erp, Luw())
    assert ra_settled.settled(reader, "OR000000999901", "001", 2026, 11) == taken
    assert ra_settled.settled(reader, "OR000000999901", "000", 2026, 11) == {}
    assert ra_settled.taken_by(reader, "0000000901") == ("001", taken)
    # its reversal takes it back under 001, though today's customizing would choose 000
    reversing = CallContext(erp, Luw())
    original = {"BELNR": "0000000901", "KOKRS": "1000", "OBJNR": "OR000000999901",
                "GJAHR": "2026", "PERIO": "011", "BUDAT": "20261130"}
    reversal._register(reversing, {"WAERS": "EUR"}, original, [], belnr="0000000902",
                       co_belnr="", awkey="", pa_belnr="", usnam="TESTER")
    reversing.commit()
    after = CallContext(erp, Luw())
    assert ra_settled.settled(after, "OR000000999901", "001", 2026, 11) == {}
    assert ra_settled.settled(after, "OR000000999901", "000", 2026, 11) == {}
    assert ra_settled.taken_by(after, "0000000902") == (
        "001", {("51", "0000935000"): D("-255.00")})


def test_a_zaua_ra_row_from_before_its_version_column_counts_as_000(erp: ErpSystem) -> None:
    """Databases created before ZAUA_RA-VERSN get the column blank (char's default) on
    upgrade; settlement kept COSBD under 000 only then, so that is what a reversal of such a
    document must take back from."""
    erp.sync_buffer()
    ctx = CallContext(erp, Luw())
    ctx.insert(ZAUA_RA, {"BELNR": "0000000903", "ABKAT": "51", "KSTAR": "0000935000",
                         "VERSN": "", "WKGBTR": D("10.00"), "WAERS": "EUR"})
    ctx.commit()
    assert ra_settled.taken_by(CallContext(erp, Luw()), "0000000903") == (
        "000", {("51", "0000935000"): D("10.00")})
