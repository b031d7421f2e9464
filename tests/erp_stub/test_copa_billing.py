"""SD billing to CO-PA (record type F): items without an internal order transfer at billing,
in the billing's LUW, with the billing document's characteristics; items on an internal
order do not (their revenue reaches CO-PA through settlement, record type C)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.copa.customizing import TKEB, ZCOPA_KOKRS
from sapgw.erp_stub.kernel.system import LocalConnection
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
    value,
)

ORDER = {"REF_DOC_CA": "C"}
CE1 = ["BELNR", "VRGAR", "PERIO", "PAOBJNR", "KNDNR", "ARTNR", "FKART", "KAUFN", "KDPOS",
       "AUFNR", "BUKRS", "KOKRS", "WERKS", "VKORG", "VTWEG", "SPART", "RBELN", "RPOSN",
       "REC_WAERS", "VV010", "VV140"]


@pytest.fixture(autouse=True)
def customer(conn: LocalConnection) -> None:
    sales_data(conn)


def service_order(conn: LocalConnection, aufnr: str) -> str:
    """Labour on the internal order (7.5 h at 96.333), a part without one (3 at 12.345)."""
    result = create_order(conn, [item("10", "SP-2000", "7.5", ORDERID=aufnr),
                                 item("20", "SP-2000", "3")],
                          [price("10", "96.333"), price("20", "12.345")])
    return result["SALESDOCUMENT"]


def line_items(conn: LocalConnection) -> list[dict[str, str]]:
    return [dict(zip(CE1, row, strict=True)) for row in read(conn, "CE1S001", CE1)]


def test_billing_transfers_items_without_an_internal_order_as_record_type_f(
        conn: LocalConnection) -> None:
    aufnr = internal_order(conn)
    vbeln = service_order(conn, aufnr)

    result = bill(conn, {**ORDER, "REF_DOC": vbeln, "BILL_DATE": "20261130"}, commit=False)
    assert [m["NUMBER"] for m in result["RETURN"]] == ["911"]
    assert line_items(conn) == []  # in the billing's LUW: nothing before the commit
    conn.call("BAPI_TRANSACTION_COMMIT")

    [line] = line_items(conn)  # item 10 is on the internal order: settled later, not here
    billing = result["SUCCESS"][1]["BILL_DOC"]
    assert {k: v for k, v in line.items() if k not in ("BELNR", "PAOBJNR", "VV010")} == {
        "VRGAR": "F", "PERIO": "2026011", "KNDNR": "0000001000", "ARTNR": "SP-2000",
        "FKART": "F2", "KAUFN": vbeln, "KDPOS": "000020", "AUFNR": "", "BUKRS": "1000",
        "KOKRS": "1000", "WERKS": read(conn, "VBAP", ["WERKS"])[1][0], "VKORG": "1000",
        "VTWEG": "10", "SPART": "00", "RBELN": billing, "RPOSN": "000020",
        "REC_WAERS": "EUR", "VV140": "0.00"}
    assert amount(line["VV010"]) == value("3", "12.345")  # revenue positive in CO-PA
    [segment] = read(conn, "CE4S001", ["PAOBJNR", "KNDNR", "KAUFN", "KDPOS"])
    assert segment == [line["PAOBJNR"], "0000001000", vbeln, "000020"]
    # the internal order still carries its own revenue (COEP), CO-PA has only item 20's
    [coep] = read(conn, "COEP", ["OBJNR", "WKGBTR"])
    assert coep[0] == f"OR{aufnr}" and amount(coep[1]) == -value("7.5", "96.333")


def test_a_second_billing_of_the_same_combination_reuses_the_segment(
        conn: LocalConnection) -> None:
    for _ in range(2):
        order = create_order(conn, [item("10", "SP-2000", "1")], [price("10", "10")])
        bill(conn, {**ORDER, "REF_DOC": order["SALESDOCUMENT"]})
    lines = line_items(conn)
    assert len(lines) == 2 and lines[0]["BELNR"] != lines[1]["BELNR"]
    # the sales order is a characteristic: two orders, two segments
    assert len(read(conn, "CE4S001", ["PAOBJNR"])) == 2


def test_a_refused_billing_writes_no_line_item(conn: LocalConnection) -> None:
    order = create_order(conn, [item("10", "SP-2000", "1")], [price("10", "10")])
    close_period(conn, 2026, 11)
    result = bill(conn, {**ORDER, "REF_DOC": order["SALESDOCUMENT"],
                         "BILL_DATE": "20261130"})
    assert result["SUCCESS"] == [] and result["RETURN"][0]["TYPE"] == "E"
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert line_items(conn) == []


def test_without_an_operating_concern_nothing_goes_to_copa(erp: ErpSystem,
                                                           conn: LocalConnection) -> None:
    erp.seed_rows(ZCOPA_KOKRS, [{"KOKRS": "1000", "ERKRS": ""}], update_existing=True)
    erp.sync_buffer()
    order = create_order(conn, [item("10", "SP-2000", "1")], [price("10", "10")])
    assert bill(conn, {**ORDER, "REF_DOC": order["SALESDOCUMENT"]})["SUCCESS"]
    assert line_items(conn) == []
    assert amount(read(conn, "VBRK", ["NETWR"])[0][0]) == Decimal("10.00")


def test_a_document_currency_other_than_the_operating_concerns_is_refused(
        erp: ErpSystem, conn: LocalConnection) -> None:
    erp.seed_rows(TKEB, [{"ERKRS": "S001", "PERIV": "K4", "WAERS": "USD"}],
                  update_existing=True)
    erp.sync_buffer()
    order = create_order(conn, [item("10", "SP-2000", "1")], [price("10", "10")])
    result = bill(conn, {**ORDER, "REF_DOC": order["SALESDOCUMENT"]})
    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["FIELD"]) for m in result["RETURN"]] == [
        ("E", "KE", "910", "CURRENCY")]
    assert result["RETURN"][0]["MESSAGE"] == (
        "Currency EUR differs from operating concern currency USD (no translation)")
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert read(conn, "VBRK", ["VBELN"]) == [] and line_items(conn) == []
