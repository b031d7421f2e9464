"""Outbound deliveries and their goods issue (601): LIKP/LIPS, VBFA C -> J -> R, the material
document at standard price, stock, the FI document (COGS/stock), the cost on the internal
order, billing after it, and every refusal with nothing half-posted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.sd.api import simulate_delivery
from sapgw.rfc.errors import ABAPRuntimeError
from tests.erp_stub.periods import close_period
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
from tests.erp_stub.test_goods_movements import item as gm_item
from tests.erp_stub.test_goods_movements import movement


@pytest.fixture(autouse=True)
def customer(conn: LocalConnection) -> None:
    sales_data(conn)


def stock_up(conn: LocalConnection, quantity: str, material: str = "SP-2000",
             location: str = "0001") -> None:
    result = movement(conn, "05", gm_item("561", quantity, material, location))
    assert result["RETURN"] == [], result["RETURN"]


def sales_order(conn: LocalConnection, aufnr: str = "", quantity: str = "4") -> str:
    """SP-2000 (standard price 12.00 per PC) sold at 20.00, on the internal order if given."""
    result = create_order(conn, [item("10", "SP-2000", quantity, ORDERID=aufnr, PLANT="1000")],
                          [price("10", "20.00")])
    assert result["SALESDOCUMENT"], result["RETURN"]
    return str(result["SALESDOCUMENT"])


def deliver(conn: LocalConnection, vbeln: str, commit: bool = True, **row: Any
            ) -> dict[str, Any]:
    result = conn.call("BAPI_OUTB_DELIVERY_CREATE_SLS", SHIP_POINT="1000",
                       SALES_ORDER_ITEMS=[{"REF_DOC": vbeln, "REF_ITEM": "000010", **row}])
    if commit and result["DELIVERY"]:
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def goods_issue(conn: LocalConnection, delivery: str, commit: bool = True,
                flag: str = "X") -> dict[str, Any]:
    result = conn.call("BAPI_OUTB_DELIVERY_CONFIRM_DEC", DELIVERY=delivery,
                       HEADER_DATA={"DELIV_NUMB": delivery},
                       HEADER_CONTROL={"DELIV_NUMB": delivery, "POST_GI_FLG": flag})
    if commit and all(m["TYPE"] == "S" for m in result["RETURN"]):
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def messages(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(m["TYPE"], m["ID"], m["NUMBER"], m["MESSAGE"]) for m in result["RETURN"]]


def stock(conn: LocalConnection, location: str = "0001") -> Decimal:
    found = read(conn, "MARD", ["LABST"],
                 f"MATNR = 'SP-2000' AND WERKS = '1000' AND LGORT = '{location}'")
    return Decimal(found[0][0]) if found else Decimal(0)


def test_delivery_and_goods_issue_post_cogs_to_the_internal_order(
        conn: LocalConnection) -> None:
    stock_up(conn, "10")
    aufnr = internal_order(conn)
    vbeln = sales_order(conn, aufnr)

    created = deliver(conn, vbeln, commit=False)
    assert messages(created) == [("S", "VL", "311",
                                  "Outbound Delivery 0080000000 has been saved")]
    assert read(conn, "LIKP", ["VBELN"]) == []
    conn.call("BAPI_TRANSACTION_COMMIT")
    delivery = created["DELIVERY"]
    assert created["CREATED_ITEMS"][0]["DELIV_ITEM"] == "000010"
    assert read(conn, "LIPS", ["VGBEL", "VGPOS", "LGORT", "LFIMG", "AUFNR"]) == [
        [vbeln, "000010", "0001", "4.000", aufnr]]
    assert read(conn, "LIKP", ["LFART", "WBSTK"]) == [["LF", "A"]]

    issued = goods_issue(conn, delivery)

    assert messages(issued) == [
        ("S", "VL", "311", f"Outbound Delivery {delivery} has been saved"),
        ("S", "VL", "914", "Goods issue posted: material document 4900000001 2026")]
    assert stock(conn) == Decimal("6")
    [mseg] = read(conn, "MSEG", ["BWART", "SHKZG", "MENGE", "DMBTR", "AUFNR", "KUNNR"],
                  "BWART = '601'")
    assert mseg == ["601", "H", "4.000", "48.00", aufnr, "0000001000"]
    assert read(conn, "MKPF", ["VGART", "XBLNR"], "MBLNR = '4900000001'") == [["WL", delivery]]
    [[belnr]] = read(conn, "BKPF", ["BELNR"], "AWKEY = '49000000012026'")
    lines = read(conn, "BSEG", ["HKONT", "SHKZG", "DMBTR", "AUFNR"], f"BELNR = '{belnr}'")
    assert sorted(lines) == [["0000300000", "H", "48.00", ""],
                             ["0000500100", "S", "48.00", aufnr]]
    [coep] = read(conn, "COEP", ["VRGNG", "KSTAR", "WKGBTR", "OBJNR"],
                  "KSTAR = '0000500100'")
    assert coep[:3] == ["COIN", "0000500100", "48.00"] and coep[3].endswith(aufnr)
    assert read(conn, "LIKP", ["WBSTK"]) == [["C"]]
    flow = read(conn, "VBFA", ["VBELV", "VBELN", "VBTYP_N"])
    assert [vbeln, delivery, "J"] in flow and [delivery, "4900000001", "R"] in flow


def test_billing_after_the_delivery_still_bills_the_order_once(conn: LocalConnection) -> None:
    stock_up(conn, "10")
    aufnr = internal_order(conn)
    vbeln = sales_order(conn, aufnr)
    goods_issue(conn, deliver(conn, vbeln)["DELIVERY"])

    result = bill(conn, {"REF_DOC_CA": "C", "REF_DOC": vbeln, "BILL_DATE": "20261130"})

    assert [m["TYPE"] for m in result["RETURN"]] == ["S"], result["RETURN"]
    assert read(conn, "VBUK", ["FKSAK"], f"VBELN = '{vbeln}'") == [["C"]]
    categories = sorted(row[0] for row in read(conn, "VBFA", ["VBTYP_N"],
                                               f"VBELV = '{vbeln}'"))
    assert categories == ["J", "M"]
    assert [amount(row[0]) for row in read(conn, "COEP", ["WKGBTR"],
                                           "KSTAR = '0000800100'")] == [Decimal("-80.00")]


def test_goods_issue_without_stock_posts_nothing(conn: LocalConnection) -> None:
    stock_up(conn, "1")
    delivery = deliver(conn, sales_order(conn))["DELIVERY"]

    result = goods_issue(conn, delivery)

    assert messages(result) == [("E", "M7", "021",
                                 "Deficit of SL Unrestricted-use 3 PC : SP-2000 1000 0001")]
    assert read(conn, "MSEG", ["MBLNR"], "BWART = '601'") == []
    assert read(conn, "LIKP", ["WBSTK"]) == [["A"]] and stock(conn) == Decimal("1")
    stock_up(conn, "3")
    assert messages(goods_issue(conn, delivery))[0][0] == "S"
    assert stock(conn) == Decimal("0")


def test_goods_issue_twice_and_delivery_twice_are_refused(conn: LocalConnection) -> None:
    stock_up(conn, "10")
    vbeln = sales_order(conn)
    delivery = deliver(conn, vbeln)["DELIVERY"]
    goods_issue(conn, delivery)

    again = goods_issue(conn, delivery)
    twice = deliver(conn, vbeln)

    assert messages(again) == [("E", "VL", "911", f"Goods issue for delivery {delivery} is "
                                "already posted (material document 4900000001)")]
    assert messages(twice) == [("E", "VL", "905", f"Item 000010 of sales document {vbeln} "
                                f"is already delivered (delivery {delivery})")]
    assert stock(conn) == Decimal("6") and twice["DELIVERY"] == ""


def test_the_second_of_two_luws_posting_one_goods_issue_terminates(
        erp: ErpSystem, conn: LocalConnection) -> None:
    stock_up(conn, "10")
    delivery = deliver(conn, sales_order(conn))["DELIVERY"]
    other = erp.connect()
    goods_issue(conn, delivery, commit=False)
    goods_issue(other, delivery, commit=False)
    conn.call("BAPI_TRANSACTION_COMMIT")

    with pytest.raises(ABAPRuntimeError) as raised:
        other.call("BAPI_TRANSACTION_COMMIT")

    assert (raised.value.msg_class, raised.value.msg_number) == ("VL", "911")
    assert stock(conn) == Decimal("6")
    assert len(read(conn, "MSEG", ["MBLNR"], "BWART = '601'")) == 1


def test_goods_issue_in_a_closed_period_is_refused(conn: LocalConnection) -> None:
    stock_up(conn, "10")
    delivery = deliver(conn, sales_order(conn))["DELIVERY"]
    close_period(conn, 2026, 11)

    result = goods_issue(conn, delivery)

    assert [(m["TYPE"], m["ID"], m["NUMBER"]) for m in result["RETURN"]] == [
        ("E", "F5", "201")]
    assert read(conn, "LIKP", ["WBSTK"]) == [["A"]] and stock(conn) == Decimal("10")


@pytest.mark.parametrize(("row", "expected"), [
    ({"REF_DOC": "4711"}, ("VL", "902", "REF_DOC")),
    ({"REF_ITEM": "000020"}, ("VL", "903", "REF_ITEM")),
    ({"DLV_QTY": "2"}, ("VL", "906", "DLV_QTY")),
    ({"SALES_UNIT": "KG"}, ("VL", "909", "SALES_UNIT")),
])
def test_refused_deliveries(conn: LocalConnection, row: dict[str, str],
                            expected: tuple[str, str, str]) -> None:
    result = deliver(conn, sales_order(conn), **row)

    assert [(m["ID"], m["NUMBER"], m["FIELD"]) for m in result["RETURN"]] == [expected]
    assert result["DELIVERY"] == "" and read(conn, "LIKP", ["VBELN"]) == []


def test_unknown_delivery_and_missing_flag(conn: LocalConnection) -> None:
    assert messages(goods_issue(conn, "0080009999"))[0][1:3] == ("VL", "910")
    assert messages(goods_issue(conn, "0080009999", flag=""))[0][1:3] == ("VL", "913")


def test_delivery_and_goods_issue_in_one_luw(conn: LocalConnection) -> None:
    """The goods issue finds the delivery saved earlier in its LUW (the delivery buffer);
    a second goods issue in that LUW is refused; one commit writes both."""
    stock_up(conn, "10")
    vbeln = sales_order(conn)
    delivery = str(deliver(conn, vbeln, commit=False)["DELIVERY"])
    issued = goods_issue(conn, delivery, commit=False)
    assert [m[2] for m in messages(issued)] == ["311", "914"], issued["RETURN"]
    assert [m[2] for m in messages(goods_issue(conn, delivery, commit=False))] == ["911"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert read(conn, "LIKP", ["WBSTK"], f"VBELN = '{delivery}'") == [["C"]]
    assert stock(conn) == Decimal("6")


def test_simulated_delivery_answers_the_deficit_and_writes_nothing(
        erp: ErpSystem, conn: LocalConnection) -> None:
    stock_up(conn, "3")
    vbeln = sales_order(conn)
    ctx = CallContext(erp, Luw(), False)
    rows = [{"REF_DOC": vbeln, "REF_ITEM": "000010", "DLV_QTY": Decimal(4), "SALES_UNIT": ""}]
    assert [(m["ID"], m["NUMBER"], m["ROW"]) for m in simulate_delivery(ctx, rows, "T")] == [
        ("M7", "021", 1)]
    assert ctx.luw.empty
    stock_up(conn, "1")
    assert simulate_delivery(ctx, rows, "T") == []
    assert ctx.luw.empty and read(conn, "LIKP", ["VBELN"], "") == []
