"""ZMB51_LIST: the material document list by material, plant, movement type, order and
posting date range, newest first, and its refusals."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.test_goods_movements import item, movement


def mb51(conn: LocalConnection, **selection: str) -> dict[str, Any]:
    return conn.call("ZMB51_LIST", **selection)


def documents(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(row["MBLNR"], row["BWART"], row["BUDAT"]) for row in result["LIST"]]


def test_selections_and_order(conn: LocalConnection) -> None:
    first = movement(conn, "05", item("561", "10"), PSTNG_DATE="20261102")["MATERIALDOCUMENT"]
    order = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
        "ORDER_TYPE": "SAPS", "ORDER_NAME": "Repair", "CO_AREA": "1000"})["ORDERID"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    second = movement(conn, "03", item("261", "2", ORDERID=order),
                      PSTNG_DATE="20261120")["MATERIALDOCUMENT"]
    other = movement(conn, "05", item("561", "1", "FG-3000"),
                     PSTNG_DATE="20261110")["MATERIALDOCUMENT"]

    assert documents(mb51(conn)) == [(second, "261", "20261120"), (other, "561", "20261110"),
                                     (first, "561", "20261102")]
    assert documents(mb51(conn, MATERIAL="SP-2000", MOVE_TYPE="561")) == [
        (first, "561", "20261102")]
    assert documents(mb51(conn, ORDERID=order.lstrip("0"))) == [(second, "261", "20261120")]
    assert documents(mb51(conn, DATE_FROM="20261103", DATE_TO="20261119")) == [
        (other, "561", "20261110")]
    [line] = mb51(conn, MOVE_TYPE="261")["LIST"]
    assert (line["SHKZG"], str(line["MENGE"]), str(line["DMBTR"]), line["WAERS"]) == (
        "H", "2.000", "24.00", "EUR")


def test_nothing_found_and_refused_selections(conn: LocalConnection) -> None:
    empty = mb51(conn, PLANT="1000")
    assert empty["LIST"] == [] and [(m["TYPE"], m["NUMBER"]) for m in empty["RETURN"]] == [
        ("S", "916")]
    refused = mb51(conn, MATERIAL="NOPE", PLANT="9999", MOVE_TYPE="999",
                   DATE_FROM="20261201", DATE_TO="20261101")
    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["FIELD"]) for m in refused["RETURN"]] == [
        ("E", "M7", "901", "MATERIAL"), ("E", "M7", "902", "PLANT"),
        ("E", "M7", "905", "MOVE_TYPE"), ("E", "M7", "915", "DATE_TO")]
