"""IAOM_CRMSRV_CONFIRM_IN with mass-object controlling: no internal order, the confirmation's
costs go to the profitability segment of customer, product and sales organisation (CO-PA
CE1S001, record type B, value fields by the PA transfer structure DP): tools and expenses
directly (sender credited in CO, RKL/RKU1), labour through CATS (CATSDB-PAOBJNR, CAT7),
parts as goods issue 201 to the segment (FI -> CO-PA); a sales item is delivered (601, COGS
in FI) and its cost reaches CO-PA at billing (VPRS, record type F). One LUW."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.cats.tables import CATSDB
from sapgw.erp_stub.co.tables import AUFK, COBK, COEP
from sapgw.erp_stub.copa.tables import CE1S001, CE4S001
from sapgw.erp_stub.crmsrv.tables import CRMSRV_DOCS
from sapgw.erp_stub.fi.tables import BSEG
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.mm.tables import MSEG
from sapgw.erp_stub.sd.tables import VBAP, VBRP
from tests.erp_stub.crmsrv_support import (
    ORDER_ITEMS,
    PRICES,
    confirm_in,
    document_in,
    header,
    item,
    plan_prices,
    receive_stock,
)
from tests.erp_stub.periods import close_period
from tests.erp_stub.sd_support import bill
from tests.erp_stub.test_crmsrv_confirmations import standard_price
from tests.erp_stub.test_fi_post import codes, rows

LABOUR = item(10, "SRVP", "SRV-LABOUR", "6.25", "H", EMPLOYEE="00001001",
              WORK_DATE="20261120")
TOOL = item(20, "SRVT", "TOOL-PRESS", "1.5", "H", EMPLOYEE="00001001")
EXPENSE = item(30, "SRVE", "EXP-TRAVEL", "1", "PC", "14.41", EMPLOYEE="00001001")
PART = item(40, "SRVM", "SP-2000", "2", "PC")
CONFIRMATION = header("7000000001", "SRVC", predecessor="8000000101")


def mass_object(erp: ErpSystem) -> None:
    """IAOM_CRMSRV_CTP: service orders under mass-object controlling (02)."""
    with erp.db.write() as db:
        db.exec_driver_sql("UPDATE \"IAOM_CRMSRV_CTP\" SET \"CO_TYPE\" = '02' "
                           "WHERE \"PROCESS_TYPE_CTP\" = 'SRVO'")
    erp.buffer.invalidate()


def price(kostl: str, lstar: str, quantity: Decimal) -> Decimal:
    fix, var = PRICES[(kostl, lstar)]
    return (quantity * (fix + var)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture
def order(erp: ErpSystem, conn: LocalConnection) -> None:
    plan_prices(conn)
    mass_object(erp)
    result = document_in(conn, header("8000000101", "SRVO"), ORDER_ITEMS)
    assert codes(result["RETURN"]) == [("I", "IAOM_CRMSRV", "122")], result["RETURN"]
    assert rows(erp, AUFK) == []


def test_costs_go_to_the_profitability_segment(erp: ErpSystem, conn: LocalConnection,
                                               order: None) -> None:
    receive_stock(conn, "5")
    result = confirm_in(conn, CONFIRMATION, [LABOUR, TOOL, EXPENSE, PART])

    assert codes(result["RETURN"]) == [("S", "IAOM_CRMSRV", "118")], result["RETURN"]
    assert [p["DOC_TYPE"] for p in result["ET_RESULT"]] == [
        "CATS", "MKPF", "RKL", "COPA", "RKU1", "COPA"], "time sheet, goods issue, the rest"
    tool = price("4300", "TOOLHR", TOOL["QUANTITY"])               # 1.5 h x 35.50
    expense = EXPENSE["NET_VALUE"]
    stprs, peinh = standard_price(erp, "SP-2000")
    part = (PART["QUANTITY"] * stprs / peinh).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (tool, expense, part) == (Decimal("53.25"), Decimal("14.41"), Decimal("24.00"))

    lines = {line["ARTNR"]: line for line in rows(erp, CE1S001)}
    assert {(a, line["VRGAR"], line["VV150"], line["VV160"], line["VV170"])
            for a, line in lines.items()} == {
        ("TOOL-PRESS", "B", Decimal(0), tool, Decimal(0)),
        ("EXP-TRAVEL", "B", Decimal(0), Decimal(0), expense),
        ("SP-2000", "B", part, Decimal(0), Decimal(0))}, "labour waits for CAT7"
    [mseg] = rows(erp, MSEG, BWART="201")
    assert (mseg["PAOBJNR"], mseg["AUFNR"], mseg["KOSTL"], mseg["DMBTR"]) == (
        lines["SP-2000"]["PAOBJNR"], "", "", part)
    [record] = rows(erp, CATSDB)
    assert (record["RAUFNR"], record["CATSHOURS"], record["STATUS"]) == (
        "", LABOUR["QUANTITY"], "30")
    [segment] = rows(erp, CE4S001, PAOBJNR=record["PAOBJNR"])
    assert (segment["KNDNR"], segment["ARTNR"], segment["VKORG"]) == (
        "0000001000", "SRV-LABOUR", "1000")

    transfer = conn.call("CATS_TRANSFER_TO_CO")
    assert [r["TYPE"] for r in transfer["RESULTS"]] == ["S"], transfer["RETURN"]
    labour = price("4100", "SRVHR", LABOUR["QUANTITY"])            # 6.25 h x 85.50
    assert labour == Decimal("534.38")
    [allocated] = [line for line in rows(erp, CE1S001) if line["ARTNR"] == "SRV-LABOUR"]
    assert (allocated["VRGAR"], allocated["VV160"], allocated["PAOBJNR"], allocated["PERIO"],
            allocated["BUDAT"]) == ("B", labour, record["PAOBJNR"], "2026011", "20261120")
    credits = {(c["VRGNG"], c["OBJNR"], c["KSTAR"], c["WKGBTR"], c["PAROB"])
               for c in rows(erp, COEP) if c["VRGNG"] != "COIN"}
    assert credits == {
        ("RKL", "KL10000000004100SRVHR", "0000943000", -labour, f"EO{record['PAOBJNR']}"),
        ("RKL", "KL10000000004300TOOLHR", "0000944000", -tool,
         f"EO{lines['TOOL-PRESS']['PAOBJNR']}"),
        ("RKU1", "KS10000000004100", "0000474000", -expense,
         f"EO{lines['EXP-TRAVEL']['PAOBJNR']}")}
    [cats_doc] = rows(erp, COBK, AWTYP="CATS")
    assert (allocated["RBELN"], cats_doc["AWKEY"]) == (cats_doc["BELNR"], record["COUNTER"])

    twice = confirm_in(conn, CONFIRMATION, [LABOUR, TOOL, EXPENSE, PART])
    assert codes(twice["RETURN"]) == [("S", "IAOM_CRMSRV", "117")]
    assert len(rows(erp, CE1S001)) == 4 and len(rows(erp, CATSDB)) == 1


def test_every_problem_answered_and_nothing_posted(erp: ErpSystem, conn: LocalConnection,
                                                   order: None) -> None:
    stranger = {**LABOUR, "EMPLOYEE": "00009999"}
    unknown = confirm_in(conn, CONFIRMATION, [TOOL, PART, stranger])
    no_stock = confirm_in(conn, CONFIRMATION, [TOOL, PART])

    assert codes(unknown["RETURN"]) == [("E", "IAOM_CRMSRV", "124")]
    assert codes(no_stock["RETURN"]) == [("E", "M7", "021")]
    assert [r["ROW"] for r in unknown["RETURN"] + no_stock["RETURN"]] == [3, 2]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, COBK) == [] and rows(erp, CE1S001) == [] and rows(erp, MSEG) == []
    assert rows(erp, CATSDB) == []
    assert [d["OBJECT_ID"] for d in rows(erp, CRMSRV_DOCS)] == ["8000000101"]


SALES = item(50, "SRVS", "FG-3000", "2", "PC", "360.00")


def test_a_sales_item_is_delivered_and_its_cost_reaches_copa_at_billing(
        erp: ErpSystem, conn: LocalConnection) -> None:
    plan_prices(conn)
    mass_object(erp)
    document_in(conn, header("8000000102", "SRVO"), [*ORDER_ITEMS, SALES])
    [vbap] = rows(erp, VBAP, MATNR="FG-3000")
    stprs, peinh = standard_price(erp, "FG-3000")
    cost = (SALES["QUANTITY"] * stprs / peinh).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (vbap["AUFNR"], vbap["NETWR"], vbap["WAVWR"]) == ("", Decimal("360.00"), cost)
    receive_stock(conn, "2", "FG-3000")

    result = confirm_in(conn, header("7000000002", "SRVC", predecessor="8000000102"),
                        [SALES])
    assert codes(result["RETURN"]) == [("S", "IAOM_CRMSRV", "118")], result["RETURN"]
    assert [p["DOC_TYPE"] for p in result["ET_RESULT"]] == ["DELIVERY", "MKPF"]
    [mseg] = rows(erp, MSEG, BWART="601")
    assert (mseg["AUFNR"], mseg["DMBTR"]) == ("", cost)
    cogs = [b for b in rows(erp, BSEG) if b["HKONT"] == "0000500000"]
    assert [(b["SHKZG"], b["DMBTR"]) for b in cogs] == [("S", cost)], "GBB-VAX: FI only"
    assert rows(erp, CE1S001) == [], "no cost element: CO-PA takes the cost at billing"

    billed = bill(conn, {"REF_DOC_CA": "C", "REF_DOC": vbap["VBELN"],
                         "BILL_DATE": "20261122"})
    assert billed["SUCCESS"], billed["RETURN"]
    [vbrp] = rows(erp, VBRP, MATNR="FG-3000")
    [line] = [c for c in rows(erp, CE1S001) if c["ARTNR"] == "FG-3000"]
    assert (vbrp["WAVWR"], line["VRGAR"], line["VV010"], line["VV140"]) == (
        cost, "F", Decimal("360.00"), cost)


def test_closed_period_then_reopened_posts_once(erp: ErpSystem, conn: LocalConnection,
                                                order: None) -> None:
    close_period(conn, 2026, 11)
    result = confirm_in(conn, CONFIRMATION, [TOOL])

    assert codes(result["RETURN"]) == [("E", "F5", "201")]
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, COBK) == [] and rows(erp, CE1S001) == []

    conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="1000", FISC_YEAR="2026",
              PERIOD="011", ACTION="O")
    conn.call("BAPI_TRANSACTION_COMMIT")
    again = confirm_in(conn, CONFIRMATION, [TOOL])
    assert codes(again["RETURN"]) == [("S", "IAOM_CRMSRV", "118")], again["RETURN"]
    assert len(rows(erp, CE1S001)) == 1 and len(rows(erp, COBK)) == 1


def test_a_cost_element_outside_the_transfer_structure_is_refused(
        erp: ErpSystem, conn: LocalConnection, order: None) -> None:
    with erp.db.write() as db:
        db.exec_driver_sql("DELETE FROM \"TKB9G\" WHERE \"ERSCH\" = 'DP' AND "
                           "\"ERZUO\" = '040'")
    erp.buffer.invalidate()
    result = confirm_in(conn, CONFIRMATION, [EXPENSE, TOOL])

    assert codes(result["RETURN"]) == [("E", "KE", "907")]
    assert (result["RETURN"][0]["ROW"], result["RETURN"][0]["MESSAGE_V1"]) == (
        2, "0000944000")
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, COBK) == [] and rows(erp, CE1S001) == []
