"""CATS_TRANSFER_TO_CO (CAT7): approved records become RKL activity allocations at the
planned price, each in its own LUW, marked so that no run posts one twice."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.cats import transfer
from sapgw.erp_stub.cats.tables import CATSCO, CATSDB
from sapgw.erp_stub.co.tables import COBK, COEP
from sapgw.erp_stub.co.totals_tables import COSS
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.copa.tables import CE1S001
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.cats_support import SERVICE_CENTER, insert, planned_price, record
from tests.erp_stub.co_totals import assert_totals_equal_line_items
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_co_postings import create_order
from tests.erp_stub.test_fi_post import codes, rows

KL = f"KL1000{SERVICE_CENTER}SRVHR"
ALLOCATION_ELEMENT = "0000943000"   # SRVHR's allocation cost element (CSLA-VKSTA, category 43)


def cat7(conn: LocalConnection, **params: Any) -> dict[str, Any]:
    return conn.call("CATS_TRANSFER_TO_CO", **params)


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def order(conn: LocalConnection) -> str:
    return create_order(conn)


def test_cat7_posts_the_allocation_and_marks_the_record(erp: ErpSystem, conn: LocalConnection,
                                                        order: str) -> None:
    saved = insert(conn, [record("7.25", REC_ORDER=order)])
    [out] = saved["CATSRECORDS_OUT"]
    price, unit = planned_price(conn)
    value = cents(Decimal("7.25") * price / unit)

    result = cat7(conn)

    assert codes(result["RETURN"]) == [("S", "LR", "940"), ("S", "LR", "942")]
    [line] = result["RESULTS"]
    [cobk] = rows(erp, COBK)
    assert (line["TYPE"], line["CO_BELNR"]) == ("S", cobk["BELNR"])
    assert (cobk["VRGNG"], cobk["BUDAT"], cobk["AWTYP"], cobk["AWKEY"], cobk["USNAM"]) == (
        "RKL", "20261120", "CATS", out["COUNTER"], "CAT7")
    sender, receiver = rows(erp, COEP)
    assert (sender["OBJNR"], sender["WKGBTR"], sender["MEGBTR"], sender["PAROB"]) == (
        KL, -value, Decimal("-7.25"), f"OR{order}")
    assert (receiver["OBJNR"], receiver["WKGBTR"], receiver["MEGBTR"], receiver["PAROB"]) == (
        f"OR{order}", value, Decimal("7.25"), KL)
    assert {sender["VRGNG"], receiver["VRGNG"]} == {"RKL"}
    assert {row["OBJNR"]: row["WKG011"] for row in rows(erp, COSS)} == {
        KL: -value, f"OR{order}": value}
    assert_totals_equal_line_items(erp)
    [interface] = rows(erp, CATSCO)
    assert (interface["TRANSFER"], interface["CO_BELNR"]) == ("X", cobk["BELNR"])
    assert [row["STATUS"] for row in rows(erp, CATSDB)] == ["30"]   # SAP keeps 30

    again = cat7(conn)
    assert codes(again["RETURN"]) == [("S", "LR", "943")]
    assert len(rows(erp, COBK)) == 1


def test_a_record_co_refuses_does_not_block_the_others(erp: ErpSystem, conn: LocalConnection,
                                                       order: str) -> None:
    saved = insert(conn, [record("2", WORKDATE="20261102", REC_ORDER=order),
                          record("3", WORKDATE="20261020", REC_CCTR="1000"),
                          record("4", WORKDATE="20261103", REC_ORDER=order)])
    first, refused, third = (out["COUNTER"] for out in saved["CATSRECORDS_OUT"])
    close_period(conn, 2026, 10)   # closed after the records were saved

    result = cat7(conn)

    assert codes(result["RETURN"]) == [("S", "LR", "940"), ("E", "LR", "941"),
                                       ("E", "F5", "201"), ("S", "LR", "940"),
                                       ("S", "LR", "942")]
    assert result["RETURN"][-1]["MESSAGE"] == "CAT7: 2 records transferred, 1 not transferred"
    assert [(r["COUNTER"], r["TYPE"]) for r in result["RESULTS"]] == [
        (first, "S"), (refused, "E"), (third, "S")]
    assert {row["COUNTER"]: row["TRANSFER"] for row in rows(erp, CATSCO)} == {
        first: "X", refused: "", third: "X"}
    assert len(rows(erp, COBK)) == 2

    conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="1000", FISC_YEAR="2026",
              PERIOD="010", ACTION="O")
    conn.call("BAPI_TRANSACTION_COMMIT")
    rerun = cat7(conn)

    assert [(r["COUNTER"], r["TYPE"]) for r in rerun["RESULTS"]] == [(refused, "S")]
    assert len(rows(erp, COBK)) == 3
    assert {row["TRANSFER"] for row in rows(erp, CATSCO)} == {"X"}
    assert_totals_equal_line_items(erp)


def test_test_run_posts_nothing(erp: ErpSystem, conn: LocalConnection, order: str) -> None:
    insert(conn, [record(REC_ORDER=order)])

    result = cat7(conn, TESTRUN="X")

    assert codes(result["RETURN"]) == [("S", "LR", "945"), ("S", "LR", "942")]
    assert rows(erp, COBK) == [] and [r["TRANSFER"] for r in rows(erp, CATSCO)] == [""]


def test_an_overlapping_run_does_not_post_twice(erp: ErpSystem, conn: LocalConnection,
                                                order: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs read the same waiting record; the second's mark finds it transferred and
    its posting is rolled back with it."""
    insert(conn, [record(REC_ORDER=order)])
    read_before = transfer.waiting(CallContext(erp, Luw()))
    cat7(conn)
    monkeypatch.setattr(transfer, "waiting", lambda ctx: read_before)

    late = cat7(conn)

    assert codes(late["RETURN"]) == [("W", "LR", "944"), ("S", "LR", "942")]
    assert len(rows(erp, COBK)) == 1 and len(rows(erp, COEP)) == 2
    assert_totals_equal_line_items(erp)


def test_a_segment_receiver_needs_an_allocation_cost_element(erp: ErpSystem,
                                                             conn: LocalConnection) -> None:
    """The transfer to a profitability segment checks the activity type's allocation cost
    element as the allocation BAPI does: a category other than 43 is refused with KL 903."""
    paobjnr = copa.segment(CallContext(erp, Luw()), {
        "KNDNR": "1000", "ARTNR": "SRV-LABOUR", "VKORG": "1000", "BUKRS": "1000",
        "KOKRS": "1000"})
    saved = insert(conn, [record(PROFIT_SEGM_NO=paobjnr)])
    assert saved["RETURN"] == [], "saved: SAP answers nothing on success"
    assert codes(cat7(conn, TESTRUN="X")["RETURN"]) == [("S", "LR", "945"), ("S", "LR", "942")]
    with erp.db.write() as db:   # now a secondary cost element of another kind (42)
        db.exec_driver_sql("UPDATE \"CSKB\" SET \"KATYP\" = '42' "
                           f"WHERE \"KSTAR\" = '{ALLOCATION_ELEMENT}'")
    erp.buffer.invalidate()

    result = cat7(conn)

    assert codes(result["RETURN"]) == [("E", "LR", "941"), ("E", "KL", "903"),
                                       ("S", "LR", "942")]
    assert result["RETURN"][1]["MESSAGE_V1"] == ALLOCATION_ELEMENT
    assert [r["TYPE"] for r in result["RESULTS"]] == ["E"]
    assert rows(erp, COBK) == [] and rows(erp, CE1S001) == []
    assert [r["TRANSFER"] for r in rows(erp, CATSCO)] == [""]
