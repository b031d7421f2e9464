"""BAPI_CATIMESHEETMGR_INSERT: checks, statuses by data entry profile, all-or-nothing, the
approval (CATS_APPROVE_RECORDS) and cats.api for callers in the ERP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.cats import api as cats
from sapgw.erp_stub.cats.tables import CATSCO, CATSDB
from sapgw.erp_stub.co.tables import AUFK
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.rfc.errors import ABAPRuntimeError
from tests.erp_stub.cats_support import (
    SALES_CLERK,
    SECOND_TECHNICIAN,
    SERVICE_CENTER,
    TECHNICIAN,
    insert,
    record,
)
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_co_master_data import fields, read_table
from tests.erp_stub.test_co_postings import create_order
from tests.erp_stub.test_fi_post import codes, rows


@pytest.fixture
def order(conn: LocalConnection) -> str:
    return create_order(conn)


def test_record_is_approved_at_once_with_the_sender_from_pa0001(
        erp: ErpSystem, conn: LocalConnection, order: str) -> None:
    result = insert(conn, [record(REC_ORDER=order.lstrip("0"), EXTDOCUMENTNO="8000000042")],
                    commit=False)

    assert result["RETURN"] == []   # SAP answers nothing on success
    [out] = result["CATSRECORDS_OUT"]
    assert (out["STATUS"], out["SEND_CCTR"], out["UNIT"], out["REC_ORDER"]) == (
        "30", SERVICE_CENTER, "H", order)
    assert rows(erp, CATSDB) == []   # written at the commit
    conn.call("BAPI_TRANSACTION_COMMIT")

    [saved] = rows(erp, CATSDB)
    assert saved["COUNTER"] == out["COUNTER"] and saved["BELNR"] == out["BELNR"] != ""
    assert (saved["PERNR"], saved["SKOSTL"], saved["LSTAR"], saved["RAUFNR"],
            saved["CATSHOURS"], saved["STATUS"], saved["VARIANT"], saved["EXTDOCUMENTNO"]) == (
        TECHNICIAN, SERVICE_CENTER, "SRVHR", order, Decimal("7.25"), "30", "CRMSRV",
        "8000000042")
    [interface] = rows(erp, CATSCO)
    assert (interface["COUNTER"], interface["TRANSFER"], interface["BELNR"],
            interface["CATSHOURS"]) == (saved["COUNTER"], "", saved["BELNR"], Decimal("7.25"))
    # RFC_READ_TABLE reads both tables, as any client would.
    assert len(read_table(conn, "CATSDB", f"PERNR = '{TECHNICIAN}'")) == 1
    assert len(read_table(conn, "CATSCO", "TRANSFER = ' '")) == 1


def test_every_problem_is_named_and_nothing_is_saved(erp: ErpSystem, conn: LocalConnection,
                                                     order: str) -> None:
    with erp.db.write() as db:   # an order created but not released (AUFK-PHAS1 blank)
        db.execute(AUFK.__table__.insert(), [{  # type: ignore[attr-defined]
            "AUFNR": "000000900001", "AUART": "SAPS", "AUTYP": "01", "BUKRS": "1000",
            "KOKRS": "1000", "WAERS": "EUR", "OBJNR": "OR000000900001", "PHAS1": ""}])
    close_period(conn, 2026, 10)
    records = [
        record(REC_ORDER=order),                                     # 1 correct
        record(EMPLOYEENUMBER="4711", REC_ORDER=order),              # 2 unknown employee
        record(REC_ORDER="999999"),                                  # 3 order unknown
        record(REC_ORDER="900001"),                                  # 4 not released
        record(EMPLOYEENUMBER=SALES_CLERK, REC_ORDER=order),         # 5 no price at 2000
        record(WORKDATE="20261015", REC_ORDER=order),                # 6 period closed
        record("0", REC_ORDER=order),                                # 7 no hours
        record(REC_ORDER=order, REC_CCTR="1000"),                    # 8 two receivers
        record(WBS_ELEMENT="P-1"),                                   # 9 not supported
        record(ACTTYPE="NOPE", REC_CCTR="1000"),                     # 10 unknown type
    ]

    result = insert(conn, records)

    assert result["CATSRECORDS_OUT"] == []
    assert [m["TYPE"] for m in result["RETURN"]] == ["E"] * 9
    assert fields(result["RETURN"]) == [
        ("LR", "901", "CATSRECORDS_IN", 2, "EMPLOYEENUMBER"),
        ("LR", "905", "CATSRECORDS_IN", 3, "REC_ORDER"),
        ("LR", "906", "CATSRECORDS_IN", 4, "REC_ORDER"),
        ("LR", "909", "CATSRECORDS_IN", 5, "ACTTYPE"),
        ("LR", "910", "CATSRECORDS_IN", 6, "WORKDATE"),
        ("LR", "904", "CATSRECORDS_IN", 7, "CATSHOURS"),
        ("LR", "911", "CATSRECORDS_IN", 8, "REC_CCTR"),
        ("LR", "913", "CATSRECORDS_IN", 9, "WBS_ELEMENT"),
        ("LR", "908", "CATSRECORDS_IN", 10, "ACTTYPE"),
    ]
    texts = [m["MESSAGE"] for m in result["RETURN"]]
    assert texts[0] == "Personnel number 00004711 has no organisational assignment (PA0001) " \
                       "on 20261120"
    assert texts[3] == "No planned price for cost center 0000002000, activity type SRVHR in " \
                       "2026 period 011"
    assert texts[4] == "Posting period 010 2026 is not open in company code 1000"
    assert rows(erp, CATSDB) == [] and rows(erp, CATSCO) == []


@pytest.mark.parametrize(("profile", "release", "status"), [
    ("ENTRY", "", "10"), ("ENTRY", "X", "20"), ("APPROVAL", "", "20"), ("CRMSRV", "", "30")])
def test_status_follows_the_data_entry_profile(erp: ErpSystem, conn: LocalConnection,
                                               order: str, profile: str, release: str,
                                               status: str) -> None:
    result = insert(conn, [record(REC_ORDER=order)], PROFILE=profile, RELEASE_DATA=release)

    assert result["RETURN"] == []   # SAP answers nothing on success
    [saved] = rows(erp, CATSDB)
    assert saved["STATUS"] == status
    assert (saved["BELNR"] != "") == (status == "30")
    assert len(rows(erp, CATSCO)) == (1 if status == "30" else 0)


def test_unknown_profile_and_test_run(erp: ErpSystem, conn: LocalConnection,
                                      order: str) -> None:
    unknown = insert(conn, [record(REC_ORDER=order)], PROFILE="NOPE")
    assert fields(unknown["RETURN"]) == [("LR", "902", "PROFILE", 0, "PROFILE")]

    test = insert(conn, [record(REC_ORDER=order), record(REC_CCTR="1000")], TESTRUN="X")
    assert test["RETURN"] == []
    assert [out["STATUS"] for out in test["CATSRECORDS_OUT"]] == ["30", "30"]
    assert rows(erp, CATSDB) == []


def test_released_records_are_approved_or_rejected(erp: ErpSystem, conn: LocalConnection,
                                                   order: str) -> None:
    saved = insert(conn, [record(REC_ORDER=order), record("2", REC_ORDER=order),
                          record("1", EMPLOYEENUMBER=SECOND_TECHNICIAN, REC_CCTR="1000")],
                   PROFILE="APPROVAL")
    first, second, third = (out["COUNTER"] for out in saved["CATSRECORDS_OUT"])

    approved = conn.call("CATS_APPROVE_RECORDS", DECISION="A", APPROVER="MANAGER",
                         RECORDS=[{"COUNTER": first}, {"COUNTER": third}])
    rejected = conn.call("CATS_APPROVE_RECORDS", DECISION="R",
                         RECORDS=[{"COUNTER": second.lstrip("0")}])
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert codes(approved["RETURN"]) == [("S", "LR", "932")]
    assert codes(rejected["RETURN"]) == [("S", "LR", "933")]
    states = {row["COUNTER"]: (row["STATUS"], row["APNAM"], row["BELNR"])
              for row in rows(erp, CATSDB)}
    belnr = approved["RETURN"][0]["MESSAGE_V2"]
    assert states == {first: ("30", "MANAGER", belnr), third: ("30", "MANAGER", belnr),
                      second: ("40", "RFC_USER", "")}
    assert [row["COUNTER"] for row in rows(erp, CATSCO)] == [first, third]

    again = conn.call("CATS_APPROVE_RECORDS", DECISION="A",
                      RECORDS=[{"COUNTER": first}, {"COUNTER": "424242"}])
    assert fields(again["RETURN"]) == [("LR", "931", "RECORDS", 1, "COUNTER"),
                                       ("LR", "930", "RECORDS", 2, "COUNTER")]
    bad = conn.call("CATS_APPROVE_RECORDS", DECISION="X", RECORDS=[{"COUNTER": second}])
    assert codes(bad["RETURN"]) == [("E", "LR", "934")]


def test_api_registers_in_the_callers_luw(erp: ErpSystem, order: str) -> None:
    """A caller in the ERP (the CRM confirmation upload) writes the records with its own
    postings: registered in its LUW, nothing at all when RETURN has an E."""
    erp.sync_buffer()
    luw = Luw()
    ctx = CallContext(erp, luw)
    assert cats.employee(ctx, "1001", "20261120").kostl == SERVICE_CENTER
    assert cats.employee(ctx, "1001", "18991231") is None

    bad_out, bad = cats.insert_time_sheet(ctx, [record(REC_ORDER=order),
                                                record(EMPLOYEENUMBER="4711", REC_ORDER=order)])
    assert bad_out == [] and codes(bad) == [("E", "LR", "901")]
    assert luw.empty

    out, messages = cats.insert_time_sheet(ctx, [{"WORKDATE": "20261120",
                                                  "EMPLOYEENUMBER": "1001", "CATSHOURS": "1.5",
                                                  "ACTTYPE": "SRVHR", "REC_ORDER": order}])
    assert messages == [] and out[0]["STATUS"] == "30"
    assert rows(erp, CATSDB) == []
    erp.commit(luw)
    assert [row["CATSHOURS"] for row in rows(erp, CATSDB)] == [Decimal("1.50")]


def test_two_approvals_of_one_record_the_second_terminates(erp: ErpSystem,
                                                           conn: LocalConnection,
                                                           order: str) -> None:
    saved = insert(conn, [record(REC_ORDER=order)], PROFILE="APPROVAL")
    counter = saved["CATSRECORDS_OUT"][0]["COUNTER"]
    other = erp.connect()
    for session in (conn, other):   # both check against the committed status 20
        result = session.call("CATS_APPROVE_RECORDS", DECISION="A",
                              RECORDS=[{"COUNTER": counter}])
        assert codes(result["RETURN"]) == [("S", "LR", "932")]

    conn.call("BAPI_TRANSACTION_COMMIT")
    with pytest.raises(ABAPRuntimeError) as terminated:
        other.call("BAPI_TRANSACTION_COMMIT")

    assert terminated.value.key == "UPDATE_TERMINATED"
    assert len(rows(erp, CATSCO)) == 1
