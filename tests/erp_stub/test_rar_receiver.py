"""The RAR receiver through its RFC functions: fica_rar.md §7 example A from the order,
fulfilment and invoice items (allocation, revenue per period, contract asset/liability),
retrospective and prospective changes, posting runs and the consistency check."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub.kernel.system import ErpSystem, LocalConnection
from sapgw.erp_stub.rar_system import create_system
from tests.erp_stub.rar_support import STAMP, follower, order_item, post, process, read, send

D = Decimal


@pytest.fixture
def rar() -> Iterator[ErpSystem]:
    system = create_system("sqlite://", clock=Clock(frozen_at=datetime(2027, 1, 20, tzinfo=UTC)))
    yield system
    system.db.dispose()


@pytest.fixture
def conn(rar: ErpSystem) -> LocalConnection:
    return rar.connect()


def example_a(conn: LocalConnection) -> None:
    """P1 device: 2 pieces, SSP 100, price 90; P2 service 12 months from February, SSP 50,
    price 30; one device delivered in January."""
    send(conn, "CA01", [order_item("C1/000001", "90.00", "100.00", service="DEVICE",
                                   quantity="2", start="20270115", end="20270115"),
                        order_item("C1/000002", "30.00", "50.00", start="20270201",
                                   end="20280131")])
    send(conn, "CA02", [follower("CAFI", "F1", "C1/000001", "0", service="DEVICE")])
    process(conn)


def by_pob(rows: list[dict[str, Any]], pob: str, field: str) -> dict[str, Decimal]:
    return {r["GJAHR"] + r["POPER"]: r[field] for r in rows if r["POB_ID"] == pob}


def lines(result: dict[str, Any]) -> dict[tuple[str, str, str], Decimal]:
    return {(r["POB_ID"][-1:], r["POST_CAT"], r["SHKZG"]): r["BETRW"]
            for r in result["ET_POSTINGS"]}


def test_example_a_allocation_and_schedule(conn: LocalConnection) -> None:
    example_a(conn)
    data = read(conn)
    [contract] = data["ET_CONTRACTS"]
    p1, p2 = data["ET_POBS"]
    tp = D("90.00") + D("30.00")
    assert contract["TRX_PRICE"] == tp and contract["ALLOC_DIFFER"] == D("10.00")
    assert p1["ALLOC_AMT"] == tp * 100 / 150 and p2["ALLOC_AMT"] == tp * 50 / 150
    assert by_pob(data["ET_DEFITEMS"], p1["POB_ID"], "REV_AMT_DELTA") == {
        "2027001": p1["ALLOC_AMT"] * 1 / 2}
    spread = by_pob(data["ET_DEFITEMS"], p2["POB_ID"], "REV_AMT_DELTA")
    per = (p2["ALLOC_AMT"] / 12).quantize(D("0.01"))
    assert len(spread) == 12 and spread["2027002"] == per
    assert spread["2028001"] == p2["ALLOC_AMT"] - 11 * per == D("3.37")


@pytest.mark.parametrize(("invoiced", "category", "side", "net"), [
    ("120.00", "CL", "H", D("80.00")),   # A1 upfront invoice: liability 80
    ("45.00", "CL", "H", D("5.00")),     # A2 delivered device at 90/2: liability 5
    (None, "CA", "S", D("40.00")),       # A3 nothing invoiced: asset 40
])
def test_example_a_contract_position(conn: LocalConnection, invoiced: str | None,
                                     category: str, side: str, net: Decimal) -> None:
    example_a(conn)
    if invoiced is not None:
        send(conn, "CA03", [follower("CAIN", "I1", "C1/000001", invoiced,
                                     service="DEVICE", header="INV1")])
        process(conn)
    result = post(conn, "202701")
    got = lines(result)
    revenue = D("80.00") * 1 / 2
    assert got[("1", "RV", "H")] == revenue == got[("1", "UR", "S")]
    assert got[("", category, side)] == net == abs(revenue - D(invoiced or 0))
    debit = sum((r["BETRW"] for r in result["ET_POSTINGS"] if r["SHKZG"] == "S"), D(0))
    credit = sum((r["BETRW"] for r in result["ET_POSTINGS"] if r["SHKZG"] == "H"), D(0))
    assert debit == credit
    [key] = read(conn)["ET_RECON_KEYS"]
    assert key["RECON_KEY"] == "2027001001" and key["LIAB_ASSET_FLAG"] == category


def test_retrospective_change_catches_up_in_the_next_period(conn: LocalConnection) -> None:
    example_a(conn)
    post(conn, "202701")
    # period 2: the SSP of P2 corrected from 50 to 100 with reason CR (retrospective)
    send(conn, "CA01", [order_item("C1/000002", "30.00", "100.00", start="20270201",
                                   end="20280131", stamp=STAMP + 100, chrsn="CR",
                                   effective="20270201")])
    process(conn)
    p1, p2 = read(conn)["ET_POBS"]
    assert p1["ALLOC_AMT"] == D("120.00") * 100 / 200 == p2["ALLOC_AMT"]
    got = lines(post(conn, "202702"))
    catch_up = D("60.00") * 1 / 2 - D("40.00")
    assert got[("1", "RV", "S")] == -catch_up == D("10.00")   # a debit: revenue reversed
    assert got[("2", "RV", "H")] == D("5.00")                  # 60 / 12
    p1_rows = {r["GJAHR"] + r["POPER"]: r for r in read(conn)["ET_DEFITEMS"]
               if r["POB_ID"] == p1["POB_ID"]}
    assert p1_rows["2027002"]["REV_AMT_CATCHUP"] == catch_up


def test_prospective_change_keeps_earlier_revenue(conn: LocalConnection) -> None:
    example_a(conn)
    send(conn, "CA01", [order_item("C1/000002", "30.00", "100.00", start="20270201",
                                   end="20280131", stamp=STAMP + 100, chrsn="01",
                                   effective="20270201")])
    send(conn, "CA02", [follower("CAFI", "F2", "C1/000001", "0", service="DEVICE",
                                 date="20270310")])
    process(conn)
    data = read(conn)
    p1, p2 = data["ET_POBS"]
    rows = by_pob(data["ET_DEFITEMS"], p1["POB_ID"], "REV_AMT_DELTA")
    # 40 kept from January; the rest of the new allocation (60) with the second device
    assert rows["2027001"] == D("40.00") and rows["2027003"] == D("60.00") - D("40.00")
    assert p1["PRO_PERIOD"] == "2027002" and p1["PRO_AMT_CUMULATE"] == D("40.00")
    assert sum(by_pob(data["ET_DEFITEMS"], p2["POB_ID"], "REV_AMT_DELTA").values()) == D("60")
    assert conn.call("FARR_CHECK_CONS")["ET_FINDINGS"] == []


def test_usage_is_value_based_and_one_off_at_its_date(conn: LocalConnection) -> None:
    send(conn, "CA01", [order_item("C1/000001", "120.00", "150.00", start="20270101",
                                   end="20271231"),
                        order_item("C1/000001/USAGE", "0", service="USAGE", estimated=True),
                        order_item("B1/1", "20.00", service="ONEOFF", start="20270105",
                                   end="20270105", header="B1")])
    send(conn, "CA02", [follower("CAFI", "F1", "C1/000001", "7.35", quantity="49",
                                 service="USAGE", date="20270131"),
                        follower("CAFI", "F2", "C1/000001", "2.65", quantity="18",
                                 service="USAGE", date="20270131")])
    process(conn)
    data = read(conn)
    fee, usage, once = _by_service(data["ET_POBS"])
    # usage: outside the allocation, its price the fulfilments' amounts
    assert usage["PREVENT_ALLOC"] == "X" and usage["ALLOC_AMT"] == D("10.00")
    # recurring fee and one-off share 140.00 by SSP 150 : 20 (no SSP: its price)
    assert fee["ALLOC_AMT"] == (D("140.00") * 150 / 170).quantize(D("0.01")) == D("123.53")
    assert once["ALLOC_AMT"] == D("140.00") - D("123.53")
    assert by_pob(data["ET_DEFITEMS"], once["POB_ID"], "REV_AMT_DELTA") == {
        "2027001": once["ALLOC_AMT"]}
    assert by_pob(data["ET_DEFITEMS"], usage["POB_ID"], "REV_AMT_DELTA") == {
        "2027001": D("10.00")}
    assert conn.call("FARR_CHECK_CONS")["ET_FINDINGS"] == []


def _by_service(pobs: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    found = {p["SERVICE_TYPE"]: p for p in pobs}
    return found["RECFEE"], found["USAGE"], found["ONEOFF"]


def test_periods_are_posted_in_order(conn: LocalConnection) -> None:
    example_a(conn)
    assert post(conn, "202701", test="X")["ET_RETURN"][0]["NUMBER"] == "035"
    assert read(conn)["ET_POSTINGS"] == []
    post(conn, "202701")
    late = post(conn, "202703")["ET_RETURN"][0]
    assert (late["TYPE"], late["NUMBER"]) == ("E", "032") and "002/2027" in late["MESSAGE"]
    early = post(conn, "202612")["ET_RETURN"][0]
    assert (early["TYPE"], early["NUMBER"]) == ("E", "031")
    bad = post(conn, "202713")["ET_RETURN"][0]
    assert (bad["TYPE"], bad["NUMBER"]) == ("E", "034")
    unknown = post(conn, "202702", bukrs="9999")["ET_RETURN"][0]
    assert (unknown["TYPE"], unknown["NUMBER"]) == ("E", "033")
    again = post(conn, "202701")  # nothing new: no second key
    assert again["ET_POSTINGS"] == [] and len(read(conn)["ET_RECON_KEYS"]) == 1


def test_check_lists_what_the_sender_sent_and_rar_lacks(conn: LocalConnection) -> None:
    example_a(conn)
    sent = [{"SRCDOC_COMP": "CA", "SRCDOC_LOGSYS": "ERPCLNT100", "SRCDOC_TYPE": t,
             "SRCDOC_ID": i, "TIMESTAMP_UTC": STAMP, "BETRW": D(a)}
            for t, i, a in (("CAOI", "C1/000001", "90.00"), ("CAOI", "C1/000002", "31.00"),
                            ("CAIN", "I9", "5.00"))]
    findings = conn.call("FARR_CHECK_CONS", IT_SENT=sent)["ET_FINDINGS"]
    assert [(f["CHECK"], f["SRCDOC_ID"]) for f in findings] == [("AMT", "C1/000002"),
                                                                 ("SND", "I9")]
    assert "31.00 sent, 30.00 stored" in findings[0]["MESSAGE"]


def test_a_renewal_opens_a_new_contract_from_its_effective_date(conn: LocalConnection) -> None:
    send(conn, "CA01", [order_item("C1/000001", "120.00", "120.00")])
    process(conn)
    renewed = order_item("C1/000001", "60.00", "60.00", start="20270101", end="20280630",
                         refid="C1-2", chrsn="RN", effective="20280101", stamp=STAMP + 1)
    send(conn, "CA01", [renewed])
    process(conn)
    data = read(conn)
    assert [c["REFERENCE_ID"] for c in data["ET_CONTRACTS"]] == ["C1", "C1-2"]
    old, new = data["ET_POBS"]
    assert (old["ALLOC_AMT"], old["END_DATE"]) == (D("120.00"), "20271231")
    assert (new["START_DATE"], new["ALLOC_AMT"]) == ("20280101", D("60.00"))
    assert sorted(by_pob(data["ET_DEFITEMS"], new["POB_ID"], "REV_AMT_DELTA")) == [
        f"20280{m:02d}" for m in range(1, 7)]


def test_an_invoice_for_a_posted_period_is_a_finding_until_the_next_run(
        conn: LocalConnection) -> None:
    example_a(conn)
    post(conn, "202701")
    send(conn, "CA03", [follower("CAIN", "I1", "C1/000001", "45.00", service="DEVICE",
                                 date="20270131", header="INV1")])
    process(conn)
    [finding] = conn.call("FARR_CHECK_CONS")["ET_FINDINGS"]
    assert finding["CHECK"] == "C13" and "posted 0.00, invoiced 45.00" in finding["MESSAGE"]
    got = lines(post(conn, "202702"))
    assert got[("1", "IC", "S")] == D("45.00") == got[("1", "DR", "H")]
    # the asset of January (40) reversed; invoiced 45 > recognised 40 + 3.33: liability
    assert got[("", "CA", "H")] == D("40.00")
    assert got[("", "CL", "H")] == D("45.00") - (D("40.00") + D("3.33")) == D("1.67")
    assert conn.call("FARR_CHECK_CONS")["ET_FINDINGS"] == []
