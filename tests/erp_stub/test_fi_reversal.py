"""Reversal with DOCUMENTHEADER-OBJ_KEY_R, and posting inside a tRFC unit (exactly once)."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.erp_stub.co.tables import COEP
from sapgw.erp_stub.fi import documents
from sapgw.erp_stub.fi.tables import BKPF, BSEG
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.rfc.errors import ABAPApplicationError, ABAPRuntimeError
from sapgw.types import RfcCall, new_tid
from tests.erp_stub.test_fi_post import FIRST_KEY, amount, codes, expense, post, rows


def reversal(key: str = FIRST_KEY, **header: Any) -> dict[str, Any]:
    """The mirror of `expense()`, naming the document it reverses."""
    document = expense(OBJ_KEY_R=key, REASON_REV="01", REF_DOC_NO="INV-4711-R", **header)
    document["CURRENCYAMOUNT"] = [amount(1, "-100.00"), amount(2, "100.00")]
    return document


def test_reversal_links_both_documents_at_commit(erp: ErpSystem, conn: LocalConnection) -> None:
    post(conn, expense())

    result = post(conn, reversal(), commit=False)
    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    assert rows(erp, BKPF)[0]["STBLG"] == ""  # the update runs at commit
    conn.call("BAPI_TRANSACTION_COMMIT")

    original, mirror = rows(erp, BKPF)
    assert (original["STBLG"], original["STJAH"], original["XREVERSAL"]) == (
        mirror["BELNR"], "2026", "1")
    assert (mirror["STBLG"], mirror["STJAH"], mirror["STGRD"], mirror["XREVERSAL"]) == (
        original["BELNR"], "2026", "01", "2")
    assert [r["SHKZG"] for r in rows(erp, BSEG, BELNR=mirror["BELNR"])] == ["H", "S"]
    assert sum(c["WKGBTR"] for c in rows(erp, COEP)) == Decimal("0.00")


def test_reversed_document_is_no_longer_found_by_reference(erp: ErpSystem,
                                                           conn: LocalConnection) -> None:
    ctx = CallContext(erp, Luw())
    post(conn, expense())
    post(conn, reversal())

    assert documents.find_by_reference(ctx, "1000", "INV-4711") is None
    found = documents.find_by_reference(ctx, "1000", "INV-4711-R")
    assert found is not None and found["STBLG"] == "0100000000"


def test_reversal_of_a_missing_document_is_refused(conn: LocalConnection) -> None:
    result = post(conn, reversal("0100000042" + "1000" + "2026"))

    assert codes(result["RETURN"]) == [("E", "RW", "609"), ("E", "F5", "701")]
    error = result["RETURN"][1]
    assert (error["PARAMETER"], error["ROW"], error["FIELD"]) == (
        "DOCUMENTHEADER", 0, "OBJ_KEY_R")
    assert error["MESSAGE"] == "Reversal: document 0100000042 1000 2026 does not exist"


def test_a_document_is_reversed_once(erp: ErpSystem, conn: LocalConnection) -> None:
    post(conn, expense())
    post(conn, reversal())

    again = post(conn, reversal())
    of_reversal = post(conn, reversal("0100000001" + "1000" + "2026"))

    assert codes(again["RETURN"]) == [("E", "RW", "609"), ("E", "F5", "700")]
    assert again["RETURN"][1]["FIELD"] == "OBJ_KEY_R"
    assert codes(of_reversal["RETURN"]) == [("E", "RW", "609"), ("E", "F5", "700")]
    assert len(rows(erp, BKPF)) == 2


def test_two_reversals_in_one_luw_fail_the_whole_commit(erp: ErpSystem,
                                                        conn: LocalConnection) -> None:
    post(conn, expense())
    post(conn, reversal(), commit=False)
    post(conn, reversal(), commit=False)  # the first is not committed: both pass the check

    with pytest.raises(ABAPRuntimeError) as raised:
        conn.call("BAPI_TRANSACTION_COMMIT")
    conn.call("BAPI_TRANSACTION_ROLLBACK")

    assert (raised.value.msg_class, raised.value.msg_number) == ("F5", "700")
    [original] = rows(erp, BKPF)
    assert original["STBLG"] == ""


def test_sender_reference_reversal_uses_the_sender_key(erp: ErpSystem,
                                                       conn: LocalConnection) -> None:
    post(conn, expense(OBJ_TYPE="VBRK", OBJ_KEY="0090000001"))

    result = post(conn, reversal("0090000001", OBJ_TYPE="VBRK", OBJ_KEY="0090000002"))

    assert codes(result["RETURN"]) == [("S", "RW", "605")]
    original, mirror = rows(erp, BKPF)
    assert (original["STBLG"], mirror["AWKEY"]) == (mirror["BELNR"], "0090000002")
    missing = post(conn, reversal("0090000009", OBJ_TYPE="VBRK", OBJ_KEY="0090000003"))
    assert missing["RETURN"][1]["MESSAGE"] == (
        "Reversal: document VBRK 0090000009 does not exist")


def test_trfc_unit_posts_once_when_delivered_twice(erp: ErpSystem) -> None:
    tid = new_tid()
    calls = [RfcCall("BAPI_ACC_DOCUMENT_POST", expense())]

    assert erp.execute_unit(tid, calls) is True
    assert erp.execute_unit(tid, calls) is False

    [bkpf] = rows(erp, BKPF)
    assert bkpf["AWKEY"] == FIRST_KEY
    assert len(rows(erp, BSEG)) == 2 and len(rows(erp, COEP)) == 1


def test_trfc_unit_with_an_error_writes_nothing_and_may_run_again(erp: ErpSystem) -> None:
    tid = new_tid()
    good = RfcCall("BAPI_ACC_DOCUMENT_POST", expense())
    bad = RfcCall("BAPI_ACC_DOCUMENT_POST", expense(co={}))

    with pytest.raises(ABAPApplicationError) as raised:
        erp.execute_unit(tid, [good, bad])
    assert [(m["ID"], m["NUMBER"]) for m in raised.value.messages] == [
        ("RW", "609"), ("KI", "235")]
    assert rows(erp, BKPF) == []

    assert erp.execute_unit(tid, [good]) is True
    assert len(rows(erp, BKPF)) == 1


def test_a_tid_sent_twice_in_one_batch_runs_once(tmp_path: Path, clock: Clock) -> None:
    """A client that resends a unit while its first copy still waits for the group commit
    puts one TID twice in a batch: executed once, both copies answered as done."""
    erp = create_system(f"sqlite:///{tmp_path / 'erp.db'}", clock=clock)
    try:
        tid = new_tid()
        unit = (tid, [RfcCall("BAPI_ACC_DOCUMENT_POST", expense())], None)
        assert erp.execute_units([unit, unit]) == (2, None)
        assert len(rows(erp, BKPF)) == 1
    finally:
        erp.db.dispose()
