"""IAOM_CRMSRV_DOCUMENT_IN: a released service order or contract gets its internal order
(order type, number range, IAOM key), its plan from the unit cost estimate and its sales
document; every problem is answered and nothing is created."""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import AUFK
from sapgw.erp_stub.co.totals_tables import COSP, COSS
from sapgw.erp_stub.crmsrv.tables import CRMSRV_DOCS
from sapgw.erp_stub.iaom.tables import IAOM_ASSIGNMENTS
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.sd.tables import VBAK, VBAP
from sapgw.erp_stub.settlement.tables import COBRA, COBRB
from tests.erp_stub.crmsrv_support import (
    CONTRACT_ITEMS,
    ORDER_ITEMS,
    document_in,
    header,
    item,
    plan_prices,
)
from tests.erp_stub.test_fi_post import codes, rows


def plan_of(erp: ErpSystem, objnr: str) -> dict[str, Decimal]:
    """{cost element: planned value} of an object, summed over COSP and COSS periods."""
    found: dict[str, Decimal] = {}
    for model in (COSP, COSS):
        for row in rows(erp, model, OBJNR=objnr, WRTTP="01"):
            value = sum((row[f"WKG{p:03d}"] for p in range(1, 17)), Decimal(0))
            found[row["KSTAR"]] = found.get(row["KSTAR"], Decimal(0)) + value
    return found


def test_released_order_gets_order_plan_and_sales_document(erp: ErpSystem,
                                                           conn: LocalConnection) -> None:
    plan_prices(conn)
    result = document_in(conn, header("8000000101", "SRVO"), ORDER_ITEMS)

    assert codes(result["RETURN"])[0] == ("S", "IAOM_CRMSRV", "113"), result["RETURN"]
    [order] = rows(erp, AUFK)
    assert (order["AUART"], order["BUKRS"], order["KOKRS"], order["PHAS1"], order["ABGSL"]) == (
        "SAPS", "1000", "1000", "X", "CRMSO")
    [rule] = rows(erp, COBRA)
    assert (rule["OBJNR"], rule["APROF"], rule["SRSLIST"]) == (
        f"OR{order['AUFNR']}", "CRMSRV", "SAPCRM")
    [receiver] = rows(erp, COBRB)
    assert receiver["KONTY"] == "EO" and receiver["PAOBJNR"] != "0000000000"
    assert result["E_OBJECT_NO"] == f"OR{order['AUFNR']}"
    [assignment] = rows(erp, IAOM_ASSIGNMENTS)
    assert (assignment["BUS_SCENARIO_ID"], assignment["EXT_OBJECT_ID"],
            assignment["OBJECT_NO"]) == ("CRMSRV", "8000000101", f"OR{order['AUFNR']}")
    # 6 h x 85.50, 1.5 h x 35.50, 2 x 12.00, expense 50.00 at its value; revenue 720.00
    assert plan_of(erp, f"OR{order['AUFNR']}") == {
        "0000943000": Decimal("513.00"), "0000944000": Decimal("53.25"),
        "0000400000": Decimal("24.00"), "0000474000": Decimal("50.00"),
        "0000800100": Decimal("-720.00")}
    [vbak] = rows(erp, VBAK)
    assert (vbak["VBELN"], vbak["AUART"], vbak["KUNNR"], vbak["NETWR"]) == (
        result["E_VBELN"], "SO", "0000001000", Decimal("720.00"))
    items = rows(erp, VBAP)
    assert [(i["MATNR"], i["NETWR"], i["AUFNR"]) for i in items] == [
        ("SRV-LABOUR", Decimal("540.00"), order["AUFNR"]),
        ("TOOL-PRESS", Decimal("70.00"), order["AUFNR"]),
        ("SP-2000", Decimal("60.00"), order["AUFNR"]),
        ("EXP-TRAVEL", Decimal("50.00"), order["AUFNR"])]


def test_contract_gets_the_badi_order_type_and_its_number_range(erp: ErpSystem,
                                                               conn: LocalConnection) -> None:
    plan_prices(conn)
    document_in(conn, header("9000000001", "SC"), CONTRACT_ITEMS)

    [order] = rows(erp, AUFK)
    assert (order["AUART"], order["AUFNR"][:4], order["ABGSL"]) == ("ZSC1", "0072", "CRMSC")
    plan = plan_of(erp, f"OR{order['AUFNR']}")
    assert sum(v for v in plan.values() if v > 0) == Decimal("925.68")
    assert plan["0000800100"] == Decimal("-12155.00")


def test_order_of_a_contract_posts_to_the_contracts_order(erp: ErpSystem,
                                                         conn: LocalConnection) -> None:
    plan_prices(conn)
    contract = document_in(conn, header("9000000001", "SC"), CONTRACT_ITEMS)
    result = document_in(conn, header("8000000102", "SRVO", predecessor="9000000001"),
                         [item(10, "SRVM", "SP-2000", "6", "PC")])

    assert result["E_OBJECT_NO"] == contract["E_OBJECT_NO"]
    assert len(rows(erp, AUFK)) == 1
    assert result["E_VBELN"] == "", "nothing to bill: the contract bills"
    assert [r["OBJECT_NO"] for r in rows(erp, CRMSRV_DOCS)] == [contract["E_OBJECT_NO"]] * 2


def test_item_level_controlling_gives_each_item_its_order(erp: ErpSystem,
                                                          conn: LocalConnection) -> None:
    plan_prices(conn)
    conn.call("RFC_READ_TABLE", QUERY_TABLE="IAOM_CRMSRV_CTP")  # the buffer is read first
    with erp.db.write() as db:
        db.exec_driver_sql("UPDATE \"IAOM_CRMSRV_CTP\" SET \"CO_LEVEL\" = '0002' "
                           "WHERE \"PROCESS_TYPE_CTP\" = 'SRVO'")
    erp.buffer.invalidate()
    result = document_in(conn, header("8000000103", "SRVO"), ORDER_ITEMS[:2])

    keys = sorted(a["EXT_OBJECT_ID"] for a in rows(erp, IAOM_ASSIGNMENTS))
    assert keys == ["8000000103/10", "8000000103/20"]
    assert len(rows(erp, AUFK)) == 2 and result["E_OBJECT_NO"] == ""
    assert len({i["AUFNR"] for i in rows(erp, VBAP)}) == 2


def test_sent_again_it_creates_nothing_twice(erp: ErpSystem, conn: LocalConnection) -> None:
    plan_prices(conn)
    first = document_in(conn, header("8000000101", "SRVO"), ORDER_ITEMS)
    again = document_in(conn, header("8000000101", "SRVO"), ORDER_ITEMS)

    assert codes(again["RETURN"]) == [("S", "IAOM_CRMSRV", "114")]
    assert again["E_OBJECT_NO"] == first["E_OBJECT_NO"]
    assert len(rows(erp, AUFK)) == 1 and len(rows(erp, VBAK)) == 1


def test_every_problem_answered_and_nothing_created(erp: ErpSystem,
                                                    conn: LocalConnection) -> None:
    # no planned prices in 2029: both activity items fail; an unknown item category too
    result = document_in(conn, header("8000000101", "SRVO", POSTING_DATE="20290115"),
                         [*ORDER_ITEMS, item(50, "ZZZZ", "X", "1", "PC")])

    assert codes(result["RETURN"]) == [("E", "IAOM_CRMSRV", "108")] * 2 + [
        ("E", "IAOM_CRMSRV", "105")]
    assert [(r["ROW"], r["FIELD"]) for r in result["RETURN"]] == [
        (1, "PRODUCT_ID"), (2, "PRODUCT_ID"), (5, "ITM_TYPE")]
    assert "4100" in result["RETURN"][0]["MESSAGE"] and "SRVHR" in result["RETURN"][0]["MESSAGE"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, AUFK) == [] and rows(erp, VBAK) == [] and rows(erp, CRMSRV_DOCS) == []


def test_unknown_transaction_type_and_sales_organization(conn: LocalConnection) -> None:
    unknown = document_in(conn, header("8000000101", "ZXXX"), ORDER_ITEMS)
    assert codes(unknown["RETURN"]) == [("E", "IAOM_CRMSRV", "101")]
    no_org = document_in(conn, header("8000000101", "SRVO", SALES_ORG="9999"), ORDER_ITEMS)
    assert codes(no_org["RETURN"]) == [("E", "IAOM_CRMSRV", "104")]
    assert no_org["RETURN"][0]["FIELD"] == "SALES_ORG"


def test_order_type_rule_that_fails_is_the_badis_message(erp: ErpSystem,
                                                         conn: LocalConnection) -> None:
    plan_prices(conn)
    conn.call("RFC_READ_TABLE", QUERY_TABLE="CRMSRV_BADI")
    with erp.db.write() as db:
        db.exec_driver_sql("UPDATE \"CRMSRV_BADI\" SET \"CALLABLE\" = 'no.such.module:rule'")
    erp.buffer.invalidate()
    result = document_in(conn, header("8000000101", "SRVO"), ORDER_ITEMS)

    assert codes(result["RETURN"]) == [("E", "IAOM_CRMSRV", "110")]
    assert "no.such.module" in result["RETURN"][0]["MESSAGE"]


def test_mass_object_controlling_creates_no_order(erp: ErpSystem, conn: LocalConnection
                                                  ) -> None:
    plan_prices(conn)
    conn.call("RFC_READ_TABLE", QUERY_TABLE="IAOM_CRMSRV_CTP")
    with erp.db.write() as db:
        db.exec_driver_sql("UPDATE \"IAOM_CRMSRV_CTP\" SET \"CO_TYPE\" = '02' "
                           "WHERE \"PROCESS_TYPE_CTP\" = 'SRVO'")
    erp.buffer.invalidate()
    result = document_in(conn, header("8000000101", "SRVO"), ORDER_ITEMS)

    assert codes(result["RETURN"]) == [("I", "IAOM_CRMSRV", "122")]
    assert rows(erp, AUFK) == [] and rows(erp, IAOM_ASSIGNMENTS) == []
    assert {i["AUFNR"] for i in rows(erp, VBAP)} == {""}, "billing goes to CO-PA"
    confirmation = conn.call("IAOM_CRMSRV_CONFIRM_IN", IS_HEADER=header(
        "7000000001", "SRVC", predecessor="8000000101"), IT_ITEMS=[ORDER_ITEMS[2]])
    assert codes(confirmation["RETURN"]) == [("E", "M7", "021")], \
        "the part is a goods issue 201 to the profitability segment: no stock"


def test_a_sales_document_problem_creates_no_order(erp: ErpSystem, conn: LocalConnection
                                                   ) -> None:
    plan_prices(conn)
    result = document_in(conn, header("8000000101", "SRVO", SOLD_TO_PARTY="9999"),
                         ORDER_ITEMS)

    assert codes(result["RETURN"]) == [("E", "V1", "903"), ("E", "V1", "904"),
                                       ("E", "V4", "219")]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, AUFK) == [] and rows(erp, IAOM_ASSIGNMENTS) == []
