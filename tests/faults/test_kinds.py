"""Each kind of rule on a synchronous call to the ERP destination, matching, count, expiry."""

from datetime import timedelta

import pytest

from sapgw.gateway.faults import FaultRuleError
from sapgw.gateway.runtime import Gateway
from sapgw.rfc.errors import ABAPApplicationError, CommunicationError
from sapgw.rfc.injected import injected_fault

HEADER = {"COMP_CODE": "1000", "PSTNG_DATE": "20261122", "DOC_TYPE": "SA",
          "USERNAME": "TEST", "REF_DOC_NO": "K1"}


def check(erp, comp_code: str = "1000") -> dict:
    return erp.call("BAPI_ACC_DOCUMENT_CHECK", DOCUMENTHEADER={**HEADER, "COMP_CODE": comp_code},
                    CURRENCYAMOUNT=[])


def test_return_error_answers_instead_of_the_bapi_with_t100_text_and_mark(
        sapgw: Gateway) -> None:
    sapgw.faults.add(kind="return", function="BAPI_ACC_DOCUMENT_CHECK", msg_class="F5",
                     msg_number="165", msg_v1="9999")
    erp = sapgw.destination("ERP")
    result = check(erp)
    assert injected_fault(result) == "F1"
    assert [(r["TYPE"], r["ID"], r["NUMBER"]) for r in result["RETURN"]] == [("E", "F5", "165")]
    # the text from the ERP's T100, &1 filled, then the mark
    assert result["RETURN"][0]["MESSAGE"] == \
        "Company code 9999 is not defined [injected fault F1]"
    assert "ACCOUNTGL" in result  # the BAPI's other parameters, initial
    assert injected_fault(check(erp)) is None  # count 1: spent


def test_warning_is_added_to_the_real_answer(sapgw: Gateway) -> None:
    sapgw.faults.add(kind="return", function="BAPI_ACC_DOCUMENT_CHECK", msg_type="W",
                     msg_class="RW", msg_number="001", message="Think twice about &1",
                     msg_v1="this")
    rows = check(sapgw.destination("ERP"))["RETURN"]
    assert rows[-1]["TYPE"] == "W"
    assert rows[-1]["MESSAGE"] == "Think twice about this [injected fault F1]"
    assert len(rows) >= 2  # the BAPI's own answer stays


def test_exception_down_lock_period(sapgw: Gateway) -> None:
    erp = sapgw.destination("ERP")
    sapgw.faults.add(kind="exception", function="RFC_READ_TABLE", exception="TABLE_NOT_AVAILABLE")
    with pytest.raises(ABAPApplicationError) as raised:
        erp.call("RFC_READ_TABLE", QUERY_TABLE="T001")
    assert raised.value.key == "TABLE_NOT_AVAILABLE" and raised.value.code == 5
    assert "[injected fault F1]" in raised.value.message

    sapgw.faults.add(kind="down", destination="ERP")
    with pytest.raises(CommunicationError) as down:
        erp.call("RFC_PING")
    assert down.value.key == "RFC_COMMUNICATION_FAILURE"
    assert str(down.value.message).endswith("[injected fault F2]")

    sapgw.faults.add(kind="lock", function="BAPI_ACC_DOCUMENT_CHECK", user="OTHER")
    row = check(erp)["RETURN"][0]
    assert (row["ID"], row["NUMBER"], row["MESSAGE"]) == (
        "MC", "601", "Object requested is currently locked by user OTHER [injected fault F3]")
    sapgw.faults.add(kind="lock", function="RFC_PING")  # no RETURN: the enqueue exception
    with pytest.raises(ABAPApplicationError) as lock:
        erp.call("RFC_PING")
    assert lock.value.key == "FOREIGN_LOCK"

    sapgw.faults.add(kind="period", function="BAPI_ACC_DOCUMENT_CHECK")
    rows = check(erp)["RETURN"]
    assert [(r["ID"], r["NUMBER"]) for r in rows] == [("RW", "609"), ("F5", "201")]
    assert rows[1]["MESSAGE"] == "Posting period 011 2026 is not open [injected fault F5]"
    assert (rows[1]["PARAMETER"], rows[1]["FIELD"]) == ("DOCUMENTHEADER", "PSTNG_DATE")


def test_slow_waits_and_beyond_the_timeout_cancels(sapgw: Gateway) -> None:
    slept: list[float] = []
    sapgw.destinations.faults.sleep = slept.append
    erp = sapgw.destination("ERP")
    sapgw.faults.add(kind="slow", function="RFC_PING", seconds=2)
    assert injected_fault(erp.call("RFC_PING")) == "F1" and slept == [2]
    sapgw.faults.add(kind="slow", function="RFC_PING", seconds=3600)
    with pytest.raises(CommunicationError) as canceled:
        erp.call("RFC_PING")
    assert canceled.value.key == "RFC_CANCELED" and slept == [2, 30.0]


def test_parameter_match_count_and_expiry_on_the_gateways_clock(sapgw: Gateway) -> None:
    erp = sapgw.destination("ERP")
    sapgw.faults.add(kind="period", function="BAPI_ACC_DOCUMENT_*",
                     params={"DOCUMENTHEADER.COMP_CODE": "2*"}, count=None, expires_in=60)
    assert injected_fault(check(erp, "1000")) is None
    assert injected_fault(check(erp, "2000")) == "F1"
    assert injected_fault(check(erp, "2000")) == "F1"  # no count: until it expires
    sapgw.clock.advance(timedelta(seconds=61))
    assert injected_fault(check(erp, "2000")) is None
    listed = sapgw.faults.list()[0]
    assert (listed["status"], listed["hits"], listed["remaining"]) == ("expired", 2, None)


def test_bad_rules_name_every_field(sapgw: Gateway) -> None:
    with pytest.raises(FaultRuleError) as bad:
        sapgw.faults.add(kind="return", msg_type="X", count=0, colour="red")
    text = str(bad.value)
    for part in ("colour: unknown field", "count: 0 must be 1 or more"):
        assert part in text
    with pytest.raises(FaultRuleError) as bad:
        sapgw.faults.add(kind="return", msg_type="X")
    assert {p.split(":")[0] for p in bad.value.problems} >= {"msg_type", "function"}
    with pytest.raises(FaultRuleError, match="kind: melt is not one of"):
        sapgw.faults.add(kind="melt")


def test_clear_one_and_unknown(sapgw: Gateway) -> None:
    sapgw.faults.add(kind="down", destination="ERP")
    sapgw.faults.add(kind="down", destination="OTHER")
    assert sapgw.faults.clear("F1") == 1
    assert [r["id"] for r in sapgw.faults.list()] == ["F2"]
    with pytest.raises(LookupError, match="fault rule F9 does not exist"):
        sapgw.faults.clear("F9")
