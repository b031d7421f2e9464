"""BAPI_ACC_ACTIVITY_ALLOC_POST/_CHECK: activity allocation at the planned price, RKL
documents with sender and receiver lines, COSS totals, every problem listed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import AUFK, COBK, COEP
from sapgw.erp_stub.co.totals_tables import COSP, COSS
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.co_totals import assert_totals_equal_line_items
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_co_master_data import fields, read_table
from tests.erp_stub.test_co_postings import create_order, insert
from tests.erp_stub.test_co_prices import plan
from tests.erp_stub.test_fi_post import codes, rows

HEADER = {"CO_AREA": "1000", "POSTGDATE": "20261125", "DOCDATE": "20261124",
          "USERNAME": "CATS", "DOC_HDR_TX": "Service hours", "OBJ_TYPE": "CATS",
          "OBJ_KEY": "0000004711"}
KL = "KL10000000001000SRVHR"
ALLOCATION_ELEMENT = "0000943000"
FIX, VAR = Decimal("40.00"), Decimal("45.55")


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def plan_price(conn: LocalConnection, fix: Decimal = FIX, var: Decimal = VAR,
               unit: Decimal = Decimal(1), **header: Any) -> None:
    result = plan(conn, header=header, tot={"PRICE_FIX": fix, "PRICE_VAR": var,
                                            "PRICE_UNIT": unit, "CURRENCY": "EUR"})
    assert codes(result["RETURN"]) == [("S", "KP", "905")]
    conn.call("BAPI_TRANSACTION_COMMIT")


def allocate(conn: LocalConnection, items: list[dict[str, Any]], check: bool = False,
             commit: bool = True, **header: Any) -> dict[str, Any]:
    name = "BAPI_ACC_ACTIVITY_ALLOC_" + ("CHECK" if check else "POST")
    result = conn.call(name, DOC_HEADER={**HEADER, **header}, DOC_ITEMS=items)
    if commit:
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def item(quantity: str, **fields: Any) -> dict[str, Any]:
    return {"SEND_CCTR": "1000", "ACTTYPE": "SRVHR", "ACTVTY_QTY": Decimal(quantity),
            "SEG_TEXT": "Repair", **fields}


@pytest.fixture
def order(conn: LocalConnection) -> str:
    plan_price(conn)
    return create_order(conn)


def test_hours_to_an_order_at_the_planned_price(erp: ErpSystem, conn: LocalConnection,
                                                order: str) -> None:
    hours = Decimal("7.25")
    value = cents(hours * (FIX + VAR))

    result = allocate(conn, [item(str(hours), REC_ORDER=order.lstrip("0"))], commit=False)
    assert codes(result["RETURN"]) == [("S", "KI", "912")]
    assert rows(erp, COEP) == []
    conn.call("BAPI_TRANSACTION_COMMIT")

    [cobk] = rows(erp, COBK)
    assert (cobk["BELNR"], cobk["VRGNG"], cobk["REFBT"], cobk["AWTYP"], cobk["AWKEY"],
            cobk["PERAB"], cobk["USNAM"], cobk["BLTXT"]) == (
        result["DOC_NO"], "RKL", "K", "CATS", "0000004711", "011", "CATS", "Service hours")
    sender, receiver = rows(erp, COEP)
    assert (sender["OBJNR"], sender["KSTAR"], sender["WKGBTR"], sender["BEKNZ"],
            sender["PAROB"], sender["MEGBTR"], sender["MEINH"], sender["BUKRS"]) == (
        KL, ALLOCATION_ELEMENT, -value, "H", f"OR{order}", -hours, "H", "1000")
    assert (receiver["OBJNR"], receiver["KSTAR"], receiver["WKGBTR"], receiver["BEKNZ"],
            receiver["PAROB"], receiver["USPOB"], receiver["MEGBTR"]) == (
        f"OR{order}", ALLOCATION_ELEMENT, value, "S", KL, KL, hours)
    assert {line["VRGNG"] for line in (sender, receiver)} == {"RKL"}
    [cskb] = read_table(conn, "CSKB", f"KSTAR = '{ALLOCATION_ELEMENT}'")
    assert "|43|" in cskb.replace(" ", "")   # the allocation cost element's category
    assert rows(erp, COSP) == []
    assert {row["OBJNR"]: row["WKG011"] for row in rows(erp, COSS)} == {
        KL: -value, f"OR{order}": value}
    assert_totals_equal_line_items(erp)


def test_each_item_is_rounded_half_up_on_its_own(erp: ErpSystem, conn: LocalConnection,
                                                 order: str) -> None:
    """Price per 10 hours; a manual price; each item's value rounded at EUR's 2 decimals."""
    price, unit = Decimal("853.33"), Decimal(10)
    plan_price(conn, fix=Decimal(0), var=price, unit=unit, PERIOD_FROM="012",
               PERIOD_TO="012")
    quantities = ["1.235", "2.5", "0.015"]
    items = [item(q, REC_ORDER=order) for q in quantities]
    items.append(item("0.5", REC_CCTR="2000", PRICE=Decimal("0.25")))

    result = allocate(conn, items, POSTGDATE="20261201")

    assert codes(result["RETURN"]) == [("S", "KI", "912")]
    expected = [cents(Decimal(q) * price / unit) for q in quantities]
    expected.append(cents(Decimal("0.5") * Decimal("0.25")))
    debits = [line["WKGBTR"] for line in rows(erp, COEP) if line["BEKNZ"] == "S"]
    assert debits == expected
    assert expected[-1] == Decimal("0.13")   # 0.125 rounded half up
    to_order = sum(expected[:3], Decimal(0))
    totals: dict[str, Decimal] = {}
    for row in rows(erp, COSS):   # KL has one row per partner object
        totals[row["OBJNR"]] = totals.get(row["OBJNR"], Decimal(0)) + row["WKG012"]
    assert totals[f"OR{order}"] == to_order
    assert totals["KS10000000002000"] == expected[-1]
    assert totals[KL] == -sum(expected, Decimal(0))
    assert_totals_equal_line_items(erp)


def test_every_problem_is_listed_and_nothing_posted(erp: ErpSystem, conn: LocalConnection,
                                                    order: str) -> None:
    result = allocate(conn, [
        item("1", SEND_CCTR="2000", REC_ORDER=order),              # no price for 2000
        item("1", REC_ORDER="4711"),                               # unknown order
        item("0", ACTTYPE="NOPE", REC_CCTR="2000"),               # type, quantity
        item("1", SEND_CCTR="999", REC_WBS_EL="P-1"),              # center, unsupported
        item("1", REC_ORDER=order, REC_CCTR="2000"),               # two receivers
        item("1", REC_ORDER=order, ACTIVITYUN="KG", CURRENCY="USD"),
    ], USERNAME="")

    assert fields(result["RETURN"]) == [
        ("KO", "904", "DOC_HEADER", 0, "USERNAME"),
    ]
    result = allocate(conn, [
        item("1", SEND_CCTR="2000", REC_ORDER=order),
        item("1", REC_ORDER="4711"),
        item("0", ACTTYPE="NOPE", REC_CCTR="2000"),
        item("1", SEND_CCTR="999", REC_WBS_EL="P-1"),
        item("1", REC_ORDER=order, REC_CCTR="2000"),
        item("1", REC_ORDER=order, ACTIVITYUN="KG", CURRENCY="USD"),
    ])
    assert fields(result["RETURN"]) == [
        ("KI", "901", "DOC_ITEMS", 1, "ACTTYPE"),
        ("KO", "013", "DOC_ITEMS", 2, "REC_ORDER"),
        ("KL", "906", "DOC_ITEMS", 3, "ACTTYPE"),
        ("KI", "905", "DOC_ITEMS", 3, "ACTVTY_QTY"),
        ("KI", "100", "DOC_ITEMS", 4, "SEND_CCTR"),
        ("KO", "910", "DOC_ITEMS", 4, "REC_WBS_EL"),
        ("KI", "904", "DOC_ITEMS", 5, "REC_CCTR"),
        ("KI", "909", "DOC_ITEMS", 6, "ACTIVITYUN"),
        ("KI", "908", "DOC_ITEMS", 6, "CURRENCY"),
    ]
    assert {row["TYPE"] for row in result["RETURN"]} == {"E"}
    assert result["RETURN"][0]["MESSAGE"] == (
        "No planned price for cost center 0000002000, activity type SRVHR in 2026 period 011")
    assert result["DOC_NO"] == ""
    assert rows(erp, COEP) == [] and rows(erp, COSS) == []


def test_no_price_for_the_fiscal_year(erp: ErpSystem, conn: LocalConnection,
                                      order: str) -> None:
    result = allocate(conn, [item("2", REC_ORDER=order)], POSTGDATE="20270115")

    assert fields(result["RETURN"]) == [("KI", "901", "DOC_ITEMS", 1, "ACTTYPE")]
    assert result["RETURN"][0]["MESSAGE_V3"] == "2027"
    assert rows(erp, COBK) == []


def test_closed_period_is_refused(erp: ErpSystem, conn: LocalConnection, order: str) -> None:
    close_period(conn, 2026, 11)

    result = allocate(conn, [item("2", REC_ORDER=order)])

    assert fields(result["RETURN"]) == [("F5", "201", "DOC_HEADER", 0, "POSTGDATE")]
    assert result["RETURN"][0]["MESSAGE"] == "Posting period 011 2026 is not open"
    assert rows(erp, COBK) == []


def test_order_not_released_or_of_another_area(erp: ErpSystem, conn: LocalConnection,
                                               order: str) -> None:
    insert(erp, AUFK, {"AUFNR": "000000900001", "AUART": "SAPS", "AUTYP": "01",
                       "KTEXT": "Created only", "BUKRS": "1000", "KOKRS": "1000",
                       "WAERS": "EUR", "OBJNR": "OR000000900001", "PHAS1": ""})

    result = allocate(conn, [item("1", REC_ORDER="900001")])

    assert codes(result["RETURN"]) == [("E", "KI", "902")]


def test_check_posts_nothing(erp: ErpSystem, conn: LocalConnection, order: str) -> None:
    result = allocate(conn, [item("3", REC_ORDER=order)], check=True)

    assert codes(result["RETURN"]) == [("S", "KI", "913")]
    assert result["DOC_NO"] == ""
    assert rows(erp, COBK) == [] and rows(erp, COSS) == []


def test_unknown_controlling_area(conn: LocalConnection) -> None:
    result = allocate(conn, [item("1", REC_CCTR="2000")], CO_AREA="9999")

    assert fields(result["RETURN"]) == [("KO", "905", "DOC_HEADER", 0, "")]
