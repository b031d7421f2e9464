"""BAPI_GOODSMVT_CREATE: material documents, stock in MARD, the FI follow-up, every error.

Movement types 101 (GR for PO), 201 (GI to cost center), 261 (GI to order), 311 (transfer),
501 (GR without PO) and 561 (initial entry); quantities are exact Decimals throughout.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.fi.tables import BKPF, BSEG
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.mm.tables import MARD, MKPF, MSEG
from sapgw.rfc.errors import ABAPRuntimeError
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_fi_post import rows

HEADER = {"PSTNG_DATE": "20261122", "DOC_DATE": "20261121", "REF_DOC_NO": "DN-4711",
          "HEADER_TXT": "Goods movement", "PR_UNAME": "WAREHOUSE"}


def item(move_type: str, quantity: str, material: str = "SP-2000", location: str = "0001",
         **fields: Any) -> dict[str, Any]:
    return {"MATERIAL": material, "PLANT": "1000", "STGE_LOC": location,
            "MOVE_TYPE": move_type, "ENTRY_QNT": quantity, **fields}


def movement(conn: LocalConnection, code: str, *items: dict[str, Any], commit: bool = True,
             **header: Any) -> dict[str, Any]:
    result = conn.call("BAPI_GOODSMVT_CREATE", GOODSMVT_HEADER={**HEADER, **header},
                       GOODSMVT_CODE={"GM_CODE": code}, GOODSMVT_ITEM=list(items))
    if commit and result["MATERIALDOCUMENT"]:
        conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return result


def stock(erp: ErpSystem, material: str = "SP-2000", location: str = "0001") -> Decimal:
    found = rows(erp, MARD, MATNR=material, WERKS="1000", LGORT=location)
    return found[0]["LABST"] if found else Decimal(0)


def errors_of(result: dict[str, Any]) -> list[tuple[str, str, int, str]]:
    return [(m["ID"], m["NUMBER"], m["ROW"], m["FIELD"]) for m in result["RETURN"]]


def test_initial_entry_writes_document_stock_and_fi_follow_up(erp: ErpSystem,
                                                              conn: LocalConnection) -> None:
    result = movement(conn, "05", item("561", "40"), commit=False)

    assert result["RETURN"] == []
    assert (result["MATERIALDOCUMENT"], result["MATDOCUMENTYEAR"]) == ("4900000000", "2026")
    assert result["GOODSMVT_HEADRET"] == {"MAT_DOC": "4900000000", "DOC_YEAR": "2026"}
    assert rows(erp, MKPF) == [] and stock(erp) == 0
    conn.call("BAPI_TRANSACTION_COMMIT")

    [mkpf] = rows(erp, MKPF)
    assert (mkpf["BUDAT"], mkpf["BLDAT"], mkpf["XBLNR"], mkpf["BKTXT"], mkpf["USNAM"],
            mkpf["VGART"]) == ("20261122", "20261121", "DN-4711", "Goods movement",
                               "WAREHOUSE", "WA")
    [mseg] = rows(erp, MSEG)
    assert (mseg["ZEILE"], mseg["BWART"], mseg["SHKZG"], mseg["MENGE"], mseg["MEINS"],
            mseg["DMBTR"], mseg["WAERS"], mseg["BUKRS"]) == (
        "0001", "561", "S", Decimal("40.000"), "PC", Decimal("480.00"), "EUR", "1000")
    assert stock(erp) == Decimal("40.000")
    [bkpf] = rows(erp, BKPF)
    assert (bkpf["AWTYP"], bkpf["AWKEY"], bkpf["BLART"], bkpf["XBLNR"]) == (
        "MKPF", "49000000002026", "WA", "DN-4711")
    assert [(b["HKONT"], b["SHKZG"], b["DMBTR"]) for b in rows(erp, BSEG)] == [
        ("0000300000", "S", Decimal("480.00")), ("0000799999", "H", Decimal("480.00"))]


def test_quantities_are_exact_decimals(erp: ErpSystem, conn: LocalConnection) -> None:
    movement(conn, "05", item("561", "0.1", "RM-1000"), item("561", "0.2", "RM-1000"))
    movement(conn, "03", item("201", "0.3", "RM-1000", COSTCENTER="1000"))

    assert stock(erp, "RM-1000") == Decimal("0.000")
    values = [m["DMBTR"] for m in rows(erp, MSEG)]
    assert values == [Decimal("0.25"), Decimal("0.50"), Decimal("0.75")]
    assert all(isinstance(m["MENGE"], Decimal) for m in rows(erp, MSEG))


def test_goods_issue_to_cost_center_and_the_deficit(erp: ErpSystem,
                                                    conn: LocalConnection) -> None:
    movement(conn, "05", item("561", "10"))
    issued = movement(conn, "03", item("201", "4", COSTCENTER="1000", ITEM_TEXT="Repair"))
    short = movement(conn, "03", item("201", "5", COSTCENTER="1000"),
                     item("201", "2", COSTCENTER="2000"))

    assert issued["MATERIALDOCUMENT"] == "4900000001" and stock(erp) == Decimal(6)
    assert errors_of(short) == [("M7", "021", 2, "ENTRY_QNT")]
    assert short["RETURN"][0]["MESSAGE"] == ("Deficit of SL Unrestricted-use 1 PC : "
                                             "SP-2000 1000 0001")
    assert (short["MATERIALDOCUMENT"], short["MATDOCUMENTYEAR"]) == ("", "0000")
    [issue] = rows(erp, MSEG, MBLNR="4900000001")
    assert (issue["SHKZG"], issue["KOSTL"], issue["SGTXT"]) == ("H", "0000001000", "Repair")
    bseg = rows(erp, BSEG, BELNR="0100000001")
    assert [(b["HKONT"], b["SHKZG"], b["KOSTL"]) for b in bseg] == [
        ("0000300000", "H", ""), ("0000400000", "S", "0000001000")]


def test_goods_issue_to_an_order(erp: ErpSystem, conn: LocalConnection) -> None:
    order = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
        "ORDER_TYPE": "SAPS", "ORDER_NAME": "Pump repair", "CO_AREA": "1000"})["ORDERID"]
    movement(conn, "05", item("501", "3", "FG-3000"))
    result = movement(conn, "03", item("261", "1", "FG-3000", ORDERID=order))
    missing = movement(conn, "03", item("261", "1", "FG-3000"))
    unknown = movement(conn, "03", item("261", "1", "FG-3000", ORDERID="999999"))

    assert result["RETURN"] == []
    [mseg] = rows(erp, MSEG, MBLNR=result["MATERIALDOCUMENT"])
    assert (mseg["AUFNR"], mseg["DMBTR"]) == (order, Decimal("150.00"))
    assert [b["AUFNR"] for b in rows(erp, BSEG, BELNR="0100000001")] == ["", order]
    assert errors_of(missing) == [("M7", "908", 1, "ORDERID")]
    assert errors_of(unknown) == [("KO", "013", 1, "ORDERID")]


def test_goods_receipt_for_purchase_order_uses_its_own_interval(erp: ErpSystem,
                                                                conn: LocalConnection) -> None:
    without = movement(conn, "01", item("101", "5"))
    result = movement(conn, "01", item("101", "5", PO_NUMBER="4500000001", PO_ITEM="10",
                                       MVT_IND="B", VENDOR="2000"))

    assert errors_of(without) == [("M7", "908", 1, "PO_NUMBER")]
    assert result["MATERIALDOCUMENT"] == "5000000000"
    [mseg] = rows(erp, MSEG)
    assert (mseg["EBELN"], mseg["EBELP"], mseg["KZBEW"], mseg["LIFNR"]) == (
        "4500000001", "00010", "B", "0000002000")
    assert rows(erp, MKPF)[0]["VGART"] == "WE"
    assert [(b["HKONT"], b["SHKZG"]) for b in rows(erp, BSEG)] == [
        ("0000300000", "S"), ("0000191100", "H")]
    assert rows(erp, BKPF)[0]["BLART"] == "WE"


def test_transfer_between_storage_locations(erp: ErpSystem, conn: LocalConnection) -> None:
    movement(conn, "05", item("561", "8"))
    result = movement(conn, "04", item("311", "3", MOVE_STLOC="0002"))

    assert result["RETURN"] == []
    assert (stock(erp), stock(erp, location="0002")) == (Decimal(5), Decimal(3))
    lines = rows(erp, MSEG, MBLNR=result["MATERIALDOCUMENT"])
    assert [(m["ZEILE"], m["LGORT"], m["SHKZG"], m["UMLGO"], m["XAUTO"], m["LINE_ID"])
            for m in lines] == [("0001", "0001", "H", "0002", "", "000001"),
                                ("0002", "0002", "S", "0001", "X", "000001")]
    assert len(rows(erp, BKPF)) == 1  # only the initial entry: a transfer in a plant has no FI


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, ("M7", "908", 1, "MOVE_STLOC")),
    ({"MOVE_STLOC": "0001"}, ("M7", "914", 1, "MOVE_STLOC")),
    ({"MOVE_STLOC": "0009"}, ("M7", "904", 1, "MOVE_STLOC")),
    ({"MOVE_STLOC": "0002", "MOVE_PLANT": "2000"}, ("M7", "913", 1, "MOVE_PLANT")),
])
def test_refused_transfers(conn: LocalConnection, fields: dict[str, str],
                           expected: tuple[str, str, int, str]) -> None:
    movement(conn, "05", item("561", "5"))
    assert errors_of(movement(conn, "04", item("311", "1", **fields))) == [expected]


def test_items_are_checked_in_order_against_the_stock(erp: ErpSystem,
                                                      conn: LocalConnection) -> None:
    result = movement(conn, "05", item("561", "2"), commit=False)
    conn.call("BAPI_TRANSACTION_COMMIT")
    both = movement(conn, "04", item("311", "2", MOVE_STLOC="0002"),
                    item("311", "2", location="0002", MOVE_STLOC="0003"))
    assert result["RETURN"] == [] and both["RETURN"] == []
    assert stock(erp, location="0003") == Decimal(2)


@pytest.mark.parametrize(("code", "fields", "expected"), [
    ("99", {}, [("M7", "907", 0, "GM_CODE")]),
    ("05", {"MOVE_TYPE": "999"}, [("M7", "905", 1, "MOVE_TYPE")]),
    ("03", {"MOVE_TYPE": "561"}, [("M7", "906", 1, "MOVE_TYPE")]),
    ("05", {"MATERIAL": "NOPE"}, [("M7", "901", 1, "MATERIAL")]),
    ("05", {"PLANT": "2000"}, [("M7", "902", 1, "PLANT")]),
    ("05", {"STGE_LOC": "0009"}, [("M7", "904", 1, "STGE_LOC")]),
    ("05", {"STGE_LOC": ""}, [("M7", "908", 1, "STGE_LOC")]),
    ("05", {"ENTRY_QNT": "0"}, [("M7", "909", 1, "ENTRY_QNT")]),
    ("05", {"ENTRY_QNT": "1.5"}, [("M7", "911", 1, "ENTRY_QNT")]),
    ("05", {"ENTRY_UOM": "KG"}, [("M7", "910", 1, "ENTRY_UOM")]),
    ("05", {"STCK_TYPE": "2"}, [("M7", "913", 1, "STCK_TYPE")]),
    # no stock either: the deficit is reported with the item's other errors
    ("03", {"MOVE_TYPE": "201"}, [("M7", "908", 1, "COSTCENTER"),
                                  ("M7", "021", 1, "ENTRY_QNT")]),
    ("03", {"MOVE_TYPE": "201", "COSTCENTER": "9999"}, [("KI", "100", 1, "COSTCENTER"),
                                                        ("M7", "021", 1, "ENTRY_QNT")]),
])
def test_refused_items(erp: ErpSystem, conn: LocalConnection, code: str,
                       fields: dict[str, str], expected: list[tuple[str, str, int, str]]
                       ) -> None:
    result = movement(conn, code, {**item("561", "1"), **fields})
    assert errors_of(result) == expected
    assert all(m["TYPE"] == "E" and m["MESSAGE"] for m in result["RETURN"])
    assert result["MATERIALDOCUMENT"] == "" and rows(erp, MKPF) == []


def test_units_of_entry_and_iso_codes(erp: ErpSystem, conn: LocalConnection) -> None:
    result = movement(conn, "05", item("561", "12.345", "RM-1000", ENTRY_UOM_ISO="KGM"),
                      item("561", "2.5", "000000000000004711", ENTRY_UOM="L"))
    assert result["RETURN"] == []
    assert stock(erp, "RM-1000") == Decimal("12.345")
    values = [(m["MENGE"], m["DMBTR"]) for m in rows(erp, MSEG)]
    assert values == [(Decimal("12.345"), Decimal("30.86")), (Decimal("2.500"), Decimal("2.50"))]


def test_no_items_and_serial_numbers(conn: LocalConnection) -> None:
    assert errors_of(movement(conn, "05")) == [("M7", "912", 0, "")]
    result = conn.call("BAPI_GOODSMVT_CREATE", GOODSMVT_HEADER=HEADER,
                       GOODSMVT_CODE={"GM_CODE": "05"}, GOODSMVT_ITEM=[item("561", "1")],
                       GOODSMVT_SERIALNUMBER=[{"MATDOC_ITM": "1", "SERIALNO": "S1"}])
    assert errors_of(result) == [("M7", "913", 1, "SERIALNO")]


def test_test_run_posts_nothing_and_draws_no_number(erp: ErpSystem,
                                                    conn: LocalConnection) -> None:
    simulated = conn.call("BAPI_GOODSMVT_CREATE", GOODSMVT_HEADER=HEADER, TESTRUN="X",
                          GOODSMVT_CODE={"GM_CODE": "05"}, GOODSMVT_ITEM=[item("561", "1")])
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert simulated["RETURN"] == [] and simulated["MATERIALDOCUMENT"] == ""
    assert rows(erp, MKPF) == [] and rows(erp, BKPF) == [] and stock(erp) == 0
    assert movement(conn, "05", item("561", "1"))["MATERIALDOCUMENT"] == "4900000000"


def test_rollback_discards_the_movement_and_leaves_a_gap(erp: ErpSystem,
                                                         conn: LocalConnection) -> None:
    movement(conn, "05", item("561", "1"), commit=False)
    conn.call("BAPI_TRANSACTION_ROLLBACK")
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert rows(erp, MKPF) == [] and rows(erp, BKPF) == [] and stock(erp) == 0
    assert movement(conn, "05", item("561", "1"))["MATERIALDOCUMENT"] == "4900000001"


def test_closed_period_is_refused(erp: ErpSystem, conn: LocalConnection) -> None:
    close_period(conn, 2026, 11)
    result = movement(conn, "05", item("561", "1"))
    assert errors_of(result) == [("F5", "201", 0, "PSTNG_DATE")]
    assert result["RETURN"][0]["PARAMETER"] == "GOODSMVT_HEADER"


def test_the_last_pieces_go_to_the_first_commit_only(erp: ErpSystem,
                                                     conn: LocalConnection) -> None:
    movement(conn, "05", item("561", "3"))
    other = erp.connect()
    first = movement(conn, "03", item("201", "2", COSTCENTER="1000"), commit=False)
    second = movement(other, "03", item("201", "2", COSTCENTER="1000"), commit=False)
    assert first["RETURN"] == [] and second["RETURN"] == []
    conn.call("BAPI_TRANSACTION_COMMIT")

    with pytest.raises(ABAPRuntimeError) as error:
        other.call("BAPI_TRANSACTION_COMMIT")
    assert (error.value.msg_class, error.value.msg_number) == ("M7", "021")
    assert str(error.value.message) == "Deficit of SL Unrestricted-use 1 PC : SP-2000 1000 0001"
    assert stock(erp) == Decimal(1)
    assert [m["MBLNR"] for m in rows(erp, MKPF)] == ["4900000000", "4900000001"]


def test_material_master_is_seeded_and_readable(conn: LocalConnection) -> None:
    result = conn.call("RFC_READ_TABLE", QUERY_TABLE="MARA", DELIMITER="|",
                       FIELDS=[{"FIELDNAME": "MATNR"}, {"FIELDNAME": "MEINS"}],
                       OPTIONS=[{"TEXT": "MTART = 'HAWA'"}])
    assert [row["WA"] for row in result["DATA"]] == ["000000000000004711|L"]
    for table in ("MAKT", "MARC", "MBEW", "MARD", "MKPF", "MSEG"):
        assert conn.call("RFC_READ_TABLE", QUERY_TABLE=table, NO_DATA="X")["FIELDS"]
    described = conn.call("RFC_GET_FUNCTION_INTERFACE", FUNCNAME="BAPI_GOODSMVT_CREATE")
    assert {p["PARAMETER"] for p in described["PARAMS"]} >= {
        "GOODSMVT_HEADER", "GOODSMVT_CODE", "GOODSMVT_ITEM", "MATERIALDOCUMENT", "RETURN"}
