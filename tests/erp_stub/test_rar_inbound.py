"""Inbound of the RAR receiver (/1RA/CA0n_RAI_CREATE_API): malformed calls store nothing,
items RAR cannot take yet are stored raw with the reason, one source document is one unit,
a resend stores nothing twice, FARR_RAI_TRANSFER makes raw items processable."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub.kernel.system import ErpSystem, LocalConnection
from sapgw.erp_stub.rar_system import create_system
from tests.erp_stub.rar_support import follower, order_item, process, read, send


@pytest.fixture
def conn() -> Iterator[LocalConnection]:
    system: ErpSystem = create_system(
        "sqlite://", clock=Clock(frozen_at=datetime(2027, 1, 20, tzinfo=UTC)))
    yield system.connect()
    system.db.dispose()


def items(conn: LocalConnection) -> dict[str, dict[str, Any]]:
    rows = conn.call("RFC_READ_TABLE", QUERY_TABLE="FARR_D_RAI_MI", DELIMITER="|",
                     FIELDS=[{"FIELDNAME": f} for f in ("SRCDOC_ID", "STATUS", "MSGNO")])
    return {r["WA"].split("|")[0].strip(): r["WA"] for r in rows["DATA"]}


def codes(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(m["TYPE"], m["NUMBER"]) for m in messages]


def test_malformed_calls_store_nothing(conn: LocalConnection) -> None:
    main, conditions = order_item("C1/000001", "90.00", "100.00")
    missing = send(conn, "CA01", [({**main, "HEADER_ID": ""}, conditions)])
    assert codes(missing) == [("E", "001")] and "HEADER_ID" in missing[0]["MESSAGE"]
    wrong = send(conn, "CA02", [(main, conditions)])
    assert codes(wrong) == [("E", "003")]
    assert "belongs to class CA01, not CA02" in wrong[0]["MESSAGE"]
    lonely = conn.call("/1RA/CA01_RAI_CREATE_API", IT_MAIN_ITEMS=[],
                       IT_CONDITIONS=conditions)["ET_RETURN"]
    assert codes(lonely) == [("E", "002"), ("E", "002")]
    twice = send(conn, "CA01", [(main, conditions), (main, [])])
    assert ("E", "005") in codes(twice)
    unknown = send(conn, "CA01", [({**main, "SRCDOC_TYPE": "ZZZZ"}, [])])
    assert codes(unknown) == [("E", "004")]
    assert items(conn) == {}


def test_a_resend_is_not_stored_twice_and_test_mode_stores_nothing(conn: LocalConnection
                                                                   ) -> None:
    item = order_item("C1/000001", "90.00", "100.00")
    assert codes(send(conn, "CA01", [item], test="X")) == [("S", "008"), ("S", "007")]
    assert items(conn) == {}
    assert codes(send(conn, "CA01", [item])) == [("S", "007")]
    again = send(conn, "CA01", [item])
    assert codes(again) == [("I", "006"), ("S", "007")]
    assert again[-1]["MESSAGE"] == "0 items stored: 0 processable, 0 raw; 1 already stored"
    assert len(items(conn)) == 1


def test_unknown_reference_type_is_raw_with_the_reason_and_blocks_its_document(
        conn: LocalConnection) -> None:
    answer = send(conn, "CA01", [order_item("C1/000001", "90.00", reftype="ZZ"),
                                 order_item("C1/000002", "30.00")])
    assert codes(answer) == [("W", "012"), ("W", "016"), ("S", "007")]
    assert answer[0]["MESSAGE"] == "Reference type ZZ is not defined in revenue accounting"
    stored = items(conn)
    assert "|0|012" in stored["C1/000001"].replace(" ", "")
    assert "|0|016" in stored["C1/000002"].replace(" ", "")
    process(conn)
    assert read(conn)["ET_CONTRACTS"] == []
    raw = conn.call("FARR_CHECK_CONS")["ET_FINDINGS"]
    assert [f["CHECK"] for f in raw] == ["RAW", "RAW"]


def test_unknown_company_code_and_currency_stay_raw(conn: LocalConnection) -> None:
    answer = send(conn, "CA01", [order_item("C1/000001", "1", bukrs="9999", header="H1"),
                                 order_item("C2/000001", "1", currency="XYZ", header="H2",
                                            refid="C2")])
    assert codes(answer) == [("W", "010"), ("W", "011"), ("S", "007")]


def test_fulfilment_before_its_order_item_waits_raw_then_goes_through(conn: LocalConnection
                                                                     ) -> None:
    early = send(conn, "CA02", [follower("CAFI", "F1", "C1/000001", "0", service="DEVICE")])
    assert codes(early) == [("W", "015"), ("S", "007")]
    send(conn, "CA01", [order_item("C1/000001", "90.00", "100.00", service="DEVICE",
                                   quantity="2")])
    result = process(conn)
    assert result["ET_RETURN"][-1]["MESSAGE"] == "2 items processed into 1 revenue contracts"
    [pob] = read(conn)["ET_POBS"]
    assert [r["REV_AMT_DELTA"] for r in read(conn)["ET_DEFITEMS"]] == [pob["ALLOC_AMT"] / 2]
