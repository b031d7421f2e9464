"""CO line items from FI: COBK/COEP for every G/L line with a CO object, and post_line_items."""

from decimal import Decimal
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.postings import CoLine, CoReference, line_items, post_line_items
from sapgw.erp_stub.co.tables import COBK, COEP
from sapgw.erp_stub.fi.tables import BSEG
from sapgw.erp_stub.iaom.tables import IAOM_ASSIGNMENTS
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.ps.tables import PRPS
from tests.erp_stub.test_fi_post import FIRST_KEY, codes, expense, post, rows

IAOM_KEY = "00000000000000001791/10"


def create_order(conn: LocalConnection) -> str:
    result = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
        "ORDER_TYPE": "SAPS", "ORDER_NAME": "Fund usage 1791/10", "CO_AREA": "1000"})
    conn.call("BAPI_TRANSACTION_COMMIT")
    return str(result["ORDERID"])


def insert(erp: ErpSystem, model: Any, row: dict[str, Any]) -> None:
    with erp.db.write() as db:
        db.execute(model.__table__.insert(), [row])


@pytest.fixture
def wbs(erp: ErpSystem) -> dict[str, Any]:
    row = {"PSPNR": "00000007", "POSID": "TPM-4711-01", "POST1": "Summer promotion",
           "PSPHI": "00000003", "PBUKR": "1000", "PKOKR": "1000", "OBJNR": "PR00000007"}
    insert(erp, PRPS, row)
    return row


def test_cost_center_line_writes_a_co_document_pointing_back_to_fi(
        erp: ErpSystem, conn: LocalConnection) -> None:
    post(conn, expense("250.00"))

    [cobk] = rows(erp, COBK)
    assert cobk == {
        "KOKRS": "1000", "BELNR": "0200000000", "GJAHR": "2026", "VRGNG": "COIN",
        "BUDAT": "20261120", "BLDAT": "20261118", "REFBT": "R", "REFBN": "0100000000",
        "REFBK": "1000", "REFGJ": "2026", "AWTYP": "BKPFF", "AWKEY": FIRST_KEY,
        "VERSN": "000", "PERAB": "011", "PERBI": "011", "KWAER": "EUR", "USNAM": "TESTER",
        "LOGSYSTEM": "ERPCLNT100", "CPUDT": "20261122", "BLTXT": "Test posting"}
    [coep] = rows(erp, COEP)
    assert coep == {
        "KOKRS": "1000", "BELNR": "0200000000", "BUZEI": "001", "GJAHR": "2026",
        "PERIO": "011", "OBJNR": "KS10000000001000", "KSTAR": "0000400000",
        "WKGBTR": Decimal("250.00"), "WTGBTR": Decimal("250.00"), "TWAER": "EUR",
        "BEKNZ": "S", "BUKRS": "1000", "LEDNR": "00", "WRTTP": "04", "VERSN": "000",
        "VRGNG": "COIN", "REFBZ": "001", "PAROB": "", "SGTXT": "Raw material",
        "USPOB": "", "HRKFT": "", "WOGBTR": Decimal("250.00"), "OWAER": "EUR",
        "MEGBTR": Decimal(0), "MEINH": "", "MBGBTR": Decimal(0), "MEINB": ""}


def test_a_credit_on_a_cost_element_is_negative_with_beknz_h(
        erp: ErpSystem, conn: LocalConnection) -> None:
    document = expense("80.00")
    document["CURRENCYAMOUNT"] = [{**row, "AMT_DOCCUR": -row["AMT_DOCCUR"]}
                                  for row in document["CURRENCYAMOUNT"]]
    post(conn, document)

    [coep] = rows(erp, COEP)
    assert (coep["WKGBTR"], coep["WTGBTR"], coep["BEKNZ"]) == (
        Decimal("-80.00"), Decimal("-80.00"), "H")


def test_order_line(erp: ErpSystem, conn: LocalConnection) -> None:
    aufnr = create_order(conn)

    result = post(conn, expense(co={"ORDERID": aufnr.lstrip("0")}))

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    assert rows(erp, BSEG)[0]["AUFNR"] == aufnr
    [coep] = rows(erp, COEP)
    assert coep["OBJNR"] == f"OR{aufnr}"


def test_wbs_element_line(erp: ErpSystem, conn: LocalConnection, wbs: dict[str, Any]) -> None:
    result = post(conn, expense(co={"WBS_ELEMENT": "TPM-4711-01"}))

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    assert rows(erp, BSEG)[0]["PROJK"] == "00000007"
    assert [c["OBJNR"] for c in rows(erp, COEP)] == ["PR00000007"]


@pytest.mark.parametrize("object_no", ["OR000000100000", "PR00000007", "KS10000000002000"])
def test_iaom_key_resolves_to_its_object(erp: ErpSystem, conn: LocalConnection,
                                         object_no: str) -> None:
    insert(erp, IAOM_ASSIGNMENTS, {"BUS_SCENARIO_ID": "CRMFM", "EXT_OBJECT_ID": IAOM_KEY,
                                   "OBJECT_NO": object_no, "CONTROLLING_TYPE": "S"})

    result = post(conn, expense(co={"BUS_SCENARIO": "CRMFM", "EXT_OBJECT_ID": IAOM_KEY}))

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    line = rows(erp, BSEG)[0]
    assert (line["AUFNR"], line["PROJK"], line["KOSTL"]) == {
        "OR": ("000000100000", "00000000", ""), "PR": ("", "00000007", ""),
        "KS": ("", "00000000", "0000002000")}[object_no[:2]]
    assert [c["OBJNR"] for c in rows(erp, COEP)] == [object_no]


def test_iaom_object_of_unknown_kind_is_unresolved(erp: ErpSystem, conn: LocalConnection
                                                   ) -> None:
    insert(erp, IAOM_ASSIGNMENTS, {"BUS_SCENARIO_ID": "CRMFM", "EXT_OBJECT_ID": IAOM_KEY,
                                   "OBJECT_NO": "XX0001", "CONTROLLING_TYPE": "S"})

    result = post(conn, expense(co={"BUS_SCENARIO": "CRMFM", "EXT_OBJECT_ID": IAOM_KEY}))

    assert codes(result["RETURN"]) == [("E", "RW", "609"), ("E", "IAOM", "010")]


def test_balance_sheet_line_with_a_co_object_makes_no_co_line(
        erp: ErpSystem, conn: LocalConnection) -> None:
    document = expense()
    document["ACCOUNTGL"][1]["COSTCENTER"] = "0000002000"

    post(conn, document)

    assert rows(erp, BSEG)[1]["KOSTL"] == "0000002000"
    assert [c["OBJNR"] for c in rows(erp, COEP)] == ["KS10000000001000"]


def test_post_line_items_for_an_allocation(erp: ErpSystem) -> None:
    luw = Luw()
    ctx = CallContext(erp, luw)
    lines = [CoLine("KS10000000001000", "0000943000", Decimal("-800.00"),
                    parob="OR000000100000"),
             CoLine("OR000000100000", "0000943000", Decimal("800.00"),
                    parob="KS10000000001000")]

    belnr = post_line_items(ctx, kokrs="1000", budat="20261130", lines=lines, vrgng="RKL",
                            reference=CoReference(refbt="K"), usnam="CATS")
    assert line_items(ctx, "OR000000100000") == []
    ctx.commit()

    [received] = line_items(ctx, "OR000000100000", "2026")
    assert (received["BELNR"], received["VRGNG"], received["BEKNZ"]) == (belnr, "RKL", "S")
    assert (received["PAROB"], received["TWAER"], received["PERIO"]) == (
        "KS10000000001000", "EUR", "011")
    [cobk] = rows(erp, COBK)
    assert (cobk["REFBT"], cobk["VRGNG"], cobk["USNAM"], cobk["REFGJ"]) == (
        "K", "RKL", "CATS", "0000")


def test_post_line_items_refuses_what_it_cannot_post(erp: ErpSystem) -> None:
    ctx = CallContext(erp, Luw())
    line = CoLine("KS10000000001000", "0000400000", Decimal("1.00"))

    with pytest.raises(KeyError):
        post_line_items(ctx, kokrs="9999", budat="20261130", lines=[line])
    with pytest.raises(ValueError):
        post_line_items(ctx, kokrs="1000", budat="20261130", lines=[])
    assert ctx.luw.empty
