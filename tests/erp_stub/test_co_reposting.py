"""BAPI_ACC_PRIMARY_COSTS_POST/_CHECK (KB11N) and BAPI_INTERNALORDER_GETDETAIL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import AUFK, COBK, COEP
from sapgw.erp_stub.co.totals_tables import COSP, COSS
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.co_totals import assert_totals_equal_line_items
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_co_master_data import fields
from tests.erp_stub.test_co_postings import create_order, insert
from tests.erp_stub.test_fi_post import codes, expense, post, rows

HEADER = {"CO_AREA": "1000", "POSTGDATE": "20261126", "USERNAME": "TESTER",
          "TRANS_CURR": "EUR", "DOC_HDR_TX": "Travel expenses"}
EXPENSES = "0000400000"
CCTR = "KS10000000001000"


def repost(conn: LocalConnection, items: list[dict[str, Any]], check: bool = False,
           **header: Any) -> dict[str, Any]:
    name = "BAPI_ACC_PRIMARY_COSTS_" + ("CHECK" if check else "POST")
    result = conn.call(name, DOC_HEADER={**HEADER, **header}, DOC_ITEMS=items)
    conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def test_expenses_move_from_the_cost_center_to_the_order(erp: ErpSystem,
                                                         conn: LocalConnection) -> None:
    spent = [Decimal("80.00"), Decimal("43.45")]
    for value in spent:
        post(conn, expense(str(value)))          # the costs arrive on the cost center
    aufnr = create_order(conn)
    moved = [Decimal("50.10"), Decimal("23.35")]

    result = repost(conn, [
        {"SEND_CCTR": "1000", "REC_ORDER": aufnr, "COST_ELEM": "400000",
         "VALUE_TCUR": value, "QUANTITY": Decimal(2), "POSTQUUN": "PC", "SEG_TEXT": "Trip"}
        for value in moved])

    assert codes(result["RETURN"]) == [("S", "KI", "912")]
    reposting = rows(erp, COEP, BELNR=result["DOC_NO"])
    assert [(line["OBJNR"], line["WKGBTR"], line["PAROB"], line["USPOB"], line["VRGNG"],
             line["KSTAR"], line["MEGBTR"]) for line in reposting] == [
        row for value in moved for row in (
            (CCTR, -value, f"OR{aufnr}", "", "RKU1", EXPENSES, Decimal(-2)),
            (f"OR{aufnr}", value, CCTR, CCTR, "RKU1", EXPENSES, Decimal(2)))]
    [cobk] = rows(erp, COBK, BELNR=result["DOC_NO"])
    assert (cobk["VRGNG"], cobk["REFBT"], cobk["BLTXT"]) == ("RKU1", "K", "Travel expenses")
    # Primary postings stay in COSP, the reposting is an internal posting in COSS.
    [cosp] = rows(erp, COSP)
    assert cosp["WKG011"] == sum(spent, Decimal(0))
    coss = {row["OBJNR"]: row["WKG011"] for row in rows(erp, COSS)}
    assert coss == {CCTR: -sum(moved, Decimal(0)), f"OR{aufnr}": sum(moved, Decimal(0))}
    balance = cosp["WKG011"] + coss[CCTR]
    assert balance == sum(spent, Decimal(0)) - sum(moved, Decimal(0))
    assert_totals_equal_line_items(erp)


def test_order_to_cost_center_and_check(erp: ErpSystem, conn: LocalConnection) -> None:
    aufnr = create_order(conn)
    item = {"SENDER_ORD": aufnr, "REC_CCTR": "2000", "COST_ELEM": EXPENSES,
            "VALUE_TCUR": Decimal("9.99")}

    checked = repost(conn, [item], check=True)
    assert codes(checked["RETURN"]) == [("S", "KI", "913")]
    assert rows(erp, COEP) == []

    posted = repost(conn, [item])
    assert codes(posted["RETURN"]) == [("S", "KI", "912")]
    assert [(c["OBJNR"], c["WKGBTR"]) for c in rows(erp, COEP)] == [
        (f"OR{aufnr}", Decimal("-9.99")), ("KS10000000002000", Decimal("9.99"))]


def test_every_problem_is_listed(erp: ErpSystem, conn: LocalConnection) -> None:
    aufnr = create_order(conn)
    good = {"SEND_CCTR": "1000", "REC_ORDER": aufnr, "COST_ELEM": EXPENSES,
            "VALUE_TCUR": Decimal("1.00")}
    result = repost(conn, [
        {**good, "COST_ELEM": "0000943000"},                  # secondary element
        {**good, "VALUE_TCUR": Decimal(0)},                   # zero
        {**good, "SENDER_ORD": aufnr},                        # two senders
        {**good, "REC_ORDER": "", "REC_CCTR": "1000"},        # sender = receiver
        {**good, "SEN_WBS_EL": "P-1", "SEND_CCTR": ""},       # unsupported sender kind
    ], TRANS_CURR="USD")

    assert fields(result["RETURN"]) == [
        ("KI", "908", "DOC_HEADER", 0, "TRANS_CURR"),
        ("KI", "907", "DOC_ITEMS", 1, "COST_ELEM"),
        ("KI", "911", "DOC_ITEMS", 2, "VALUE_TCUR"),
        ("KI", "904", "DOC_ITEMS", 3, "SENDER_ORD"),
        ("KI", "906", "DOC_ITEMS", 4, "REC_ORDER"),
        ("KO", "910", "DOC_ITEMS", 5, "SEN_WBS_EL"),
    ]
    missing = repost(conn, [good], TRANS_CURR="")
    assert fields(missing["RETURN"]) == [("KO", "904", "DOC_HEADER", 0, "TRANS_CURR")]
    assert rows(erp, COEP) == []


def test_closed_period(erp: ErpSystem, conn: LocalConnection) -> None:
    aufnr = create_order(conn)
    close_period(conn, 2026, 11)

    result = repost(conn, [{"SEND_CCTR": "1000", "REC_ORDER": aufnr, "COST_ELEM": EXPENSES,
                            "VALUE_TCUR": Decimal("5.00")}])

    assert codes(result["RETURN"]) == [("E", "F5", "201")]
    assert rows(erp, COEP) == []


def test_getdetail_of_a_released_order(conn: LocalConnection) -> None:
    aufnr = create_order(conn)

    result = conn.call("BAPI_INTERNALORDER_GETDETAIL", ORDERID=aufnr.lstrip("0"))

    assert result["RETURN"]["TYPE"] == ""
    master = result["MASTER_DATA"]
    assert (master["ORDER"], master["ORDER_TYPE"], master["CO_AREA"], master["COMP_CODE"],
            master["CURRENCY"], master["OBJECT_NO"], master["CREATED_ON"]) == (
        aufnr, "SAPS", "1000", "1000", "EUR", f"OR{aufnr}", "20261122")
    assert [(s["STATUS"], s["STATUS_SHORT"]) for s in result["SYSTEM_STATUS"]] == [
        ("I0002", "REL")]
    assert [t["BUS_TRANSACTION"] for t in result["ALLOWED_BUS_TRACT"]] == [
        "COIN", "RKL", "RKU1", "KOAO"]
    assert result["USER_STATUS"] == []


def test_getdetail_of_a_created_and_of_an_unknown_order(erp: ErpSystem,
                                                        conn: LocalConnection) -> None:
    insert(erp, AUFK, {"AUFNR": "000000900001", "AUART": "SAPS", "AUTYP": "01",
                       "KTEXT": "Created only", "BUKRS": "1000", "KOKRS": "1000",
                       "WAERS": "EUR", "OBJNR": "OR000000900001", "PHAS1": ""})

    created = conn.call("BAPI_INTERNALORDER_GETDETAIL", ORDERID="900001")
    assert [s["STATUS_SHORT"] for s in created["SYSTEM_STATUS"]] == ["CRTD"]
    assert [t["BUS_TRANSACTION"] for t in created["ALLOWED_BUS_TRACT"]] == ["BFRE"]

    unknown = conn.call("BAPI_INTERNALORDER_GETDETAIL", ORDERID="4711")
    assert (unknown["RETURN"]["TYPE"], unknown["RETURN"]["CODE"]) == ("E", "KO013")
    assert unknown["RETURN"]["MESSAGE"] == "Order 000000004711 does not exist"
