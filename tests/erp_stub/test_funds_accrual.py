"""Fund postings arriving as FI documents (CRM_FM_ACL_ACCRUAL_R3_IN / _LOAD_PROXY)."""

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import AUFK, COEP
from sapgw.erp_stub.fi.tables import BKPF, BSEG
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.ps.tables import PRPS
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.types import RfcCall

PROMOTION = {"TPM_ID": "TPM-4711", "DESCRIPTION": "Summer promotion", "COMP_CODE": "1000",
             "SALES_ORG": "1000", "VALID_FROM": "20261201", "VALID_TO": "20261231"}
USAGE = {"FU_ID": "1791", "TPM_ID": "TPM-4711", "COMP_CODE": "1000", "SALES_ORG": "1000",
         "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1", "DESCRIPTION": "Display allowance"}
USAGE_ITEMS = [{"ITEM_ID": "10", "AMOUNT": "1500.00"},
               {"ITEM_ID": "20", "AMOUNT": "250.00", "EXPENSE_TYPE": "TPM2"}]
HEADER = {"FPO_ID": "4711", "POSTING_TYPE": "A", "POSTING_DATE": "20261130",
          "DOC_DATE": "20261130", "COMP_CODE": "1000", "HEADER_TXT": "Accrual run 77",
          "RUN_ID": "77", "USERNAME": "CRMUSER"}
ITEMS = [
    {"ITEMNO_ACC": "1", "FU_ID": "1791", "FU_ITEM": "10", "EXPENSE_TYPE": "TPM1",
     "SALES_ORG": "1000", "AMOUNT": Decimal("300.00"), "CURRENCY": "EUR",
     "BUS_SCENARIO": "CRMFM", "EXT_OBJECT_ID": "00000000000000001791/10",
     "ITEM_TEXT": "Accrual FU 1791/10"},
    {"ITEMNO_ACC": "2", "FU_ID": "1791", "FU_ITEM": "20", "EXPENSE_TYPE": "TPM2",
     "SALES_ORG": "1000", "AMOUNT": Decimal("50.00"), "CURRENCY": "EUR",
     "ITEM_TEXT": "Accrual FU 1791/20"},  # IAOM key left blank: derived from FU_ID/FU_ITEM
]


def rows(erp: ErpSystem, model: Any, **where: Any) -> list[dict[str, Any]]:
    table = model.__table__
    query = select(table).where(*(table.c[k] == v for k, v in where.items()))
    with erp.db.read() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


@pytest.fixture
def prepared(erp: ErpSystem, conn: LocalConnection) -> LocalConnection:
    """The promotion and its fund usage are in ERP: orders and IAOM objects exist."""
    conn.call("CRM_MKTPL_R3_IN", IS_MKTPL=PROMOTION)
    conn.call("BAPI_TRANSACTION_COMMIT")
    conn.call("CRM_FM_ACCOUNTING_R3_IN", IS_FUND_USAGE=USAGE, IT_ITEMS=USAGE_ITEMS)
    conn.call("BAPI_TRANSACTION_COMMIT")
    return conn


def post(conn: LocalConnection, items: list[dict[str, Any]] | None = None, **header: Any
         ) -> list[dict[str, Any]]:
    result = conn.call("CRM_FM_ACL_ACCRUAL_R3_IN", IS_HEADER={**HEADER, **header},
                       IT_ITEMS=ITEMS if items is None else items)
    conn.call("BAPI_TRANSACTION_COMMIT")
    return result["RETURN"]


def codes(messages: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(m["TYPE"], m["ID"], m["NUMBER"]) for m in messages]


def test_accrual_posts_expense_on_the_order_and_the_liability(
        erp: ErpSystem, prepared: LocalConnection) -> None:
    messages = post(prepared)

    assert ("S", "RW", "605") in codes(messages)
    assert codes(messages)[-1] == ("S", "CRM_FM", "104")
    [bkpf] = rows(erp, BKPF)
    assert (bkpf["XBLNR"], bkpf["BLART"], bkpf["BUDAT"]) == ("4711", "SA", "20261130")
    assert (bkpf["BKTXT"], bkpf["USNAM"], bkpf["AWTYP"]) == ("Accrual run 77", "CRMUSER",
                                                              "BKPFF")
    assert bkpf["AWKEY"] in messages[-1]["MESSAGE"]
    lines = sorted(rows(erp, BSEG, BELNR=bkpf["BELNR"]), key=lambda r: r["BUZEI"])
    [order] = rows(erp, AUFK)
    [wbs] = rows(erp, PRPS)
    assert [(r["HKONT"], r["SHKZG"], r["WRBTR"]) for r in lines] == [
        ("0000477000", "S", Decimal("300.00")), ("0000196000", "H", Decimal("300.00")),
        ("0000478000", "S", Decimal("50.00")), ("0000196000", "H", Decimal("50.00"))]
    assert lines[0]["AUFNR"] == order["AUFNR"]
    assert lines[2]["PROJK"] == wbs["PSPNR"]
    assert lines[1]["AUFNR"] == "" and lines[3]["PROJK"] in ("", "00000000")
    on_order = rows(erp, COEP, OBJNR=order["OBJNR"])
    assert [(c["KSTAR"], c["WTGBTR"]) for c in on_order] == [("0000477000", Decimal("300.00"))]
    assert len(rows(erp, COEP, OBJNR=wbs["OBJNR"])) == 1


def test_accrual_in_a_trfc_unit(erp: ErpSystem, prepared: LocalConnection) -> None:
    call = RfcCall("CRM_FM_ACL_ACCRUAL_R3_IN", {"IS_HEADER": HEADER, "IT_ITEMS": ITEMS})
    assert erp.execute_unit("00000000000000000000ACC1", [call]) is True
    assert erp.execute_unit("00000000000000000000ACC1", [call]) is False

    assert [b["XBLNR"] for b in rows(erp, BKPF)] == ["4711"]


def test_resent_fund_posting_is_not_posted_twice(erp: ErpSystem, prepared: LocalConnection
                                                 ) -> None:
    post(prepared)
    messages = post(prepared)

    assert codes(messages) == [("S", "CRM_FM", "105")]
    assert len(rows(erp, BKPF)) == 1


def test_numeric_fund_posting_id_loses_its_leading_zeros(
        erp: ErpSystem, prepared: LocalConnection) -> None:
    post(prepared, FPO_ID="00000000000000004712")

    assert [b["XBLNR"] for b in rows(erp, BKPF)] == ["4712"]


def test_reversal_posts_the_mirror_and_marks_the_original(
        erp: ErpSystem, prepared: LocalConnection) -> None:
    post(prepared)
    messages = post(prepared, FPO_ID="4720", POSTING_TYPE="R", REVERSED_FPO_ID="4711",
                    POSTING_DATE="20261215", DOC_DATE="")

    assert codes(messages)[-1] == ("S", "CRM_FM", "104")
    [original] = rows(erp, BKPF, XBLNR="4711")
    [mirror] = rows(erp, BKPF, XBLNR="4720")
    assert original["STBLG"] == mirror["BELNR"]
    assert mirror["BLDAT"] == "20261215"
    lines = sorted(rows(erp, BSEG, BELNR=mirror["BELNR"]), key=lambda r: r["BUZEI"])
    assert [(r["HKONT"], r["SHKZG"], r["WRBTR"]) for r in lines] == [
        ("0000477000", "H", Decimal("300.00")), ("0000196000", "S", Decimal("300.00")),
        ("0000478000", "H", Decimal("50.00")), ("0000196000", "S", Decimal("50.00"))]
    [order] = rows(erp, AUFK)
    on_order = rows(erp, COEP, OBJNR=order["OBJNR"])  # CO values are signed: + S, - H
    assert sorted((c["BEKNZ"], c["WTGBTR"]) for c in on_order) == [
        ("H", Decimal("-300.00")), ("S", Decimal("300.00"))]


def test_reversal_of_an_unknown_posting(erp: ErpSystem, prepared: LocalConnection) -> None:
    messages = post(prepared, FPO_ID="4720", POSTING_TYPE="R", REVERSED_FPO_ID="9999")

    assert codes(messages) == [("E", "CRM_FM", "103")]
    assert messages[0]["MESSAGE_V1"] == "9999"
    assert rows(erp, BKPF) == []


def test_reversal_without_reversed_posting(prepared: LocalConnection) -> None:
    assert codes(post(prepared, POSTING_TYPE="R")) == [("E", "CRM_FM", "107")]


def test_missing_account_determination(erp: ErpSystem, prepared: LocalConnection) -> None:
    items = [ITEMS[0], {**ITEMS[1], "EXPENSE_TYPE": "TPM9"}]
    messages = post(prepared, items=items)

    assert codes(messages) == [("E", "CRM_FM", "102")]
    assert (messages[0]["MESSAGE_V1"], messages[0]["ROW"]) == ("TPM9", 2)
    assert rows(erp, BKPF) == []


def test_missing_account_determination_fails_the_trfc_unit(
        erp: ErpSystem, prepared: LocalConnection) -> None:
    items = [{**ITEMS[0], "EXPENSE_TYPE": "TPM9"}]
    call = RfcCall("CRM_FM_ACL_ACCRUAL_R3_IN", {"IS_HEADER": HEADER, "IT_ITEMS": items})
    with pytest.raises(ABAPApplicationError) as failure:
        erp.execute_unit("00000000000000000000ACC2", [call])

    assert (failure.value.msg_class, failure.value.msg_number) == ("CRM_FM", "102")
    assert rows(erp, BKPF) == []


def test_item_without_account_assignment_object(erp: ErpSystem, prepared: LocalConnection
                                                ) -> None:
    items = [{**ITEMS[0], "EXT_OBJECT_ID": "", "FU_ITEM": "30"}]
    messages = post(prepared, items=items)

    assert codes(messages) == [("E", "IAOM", "010")]
    assert messages[0]["MESSAGE_V2"] == "00000000000000001791/30"
    assert rows(erp, BKPF) == []


def test_unknown_posting_type(prepared: LocalConnection) -> None:
    assert codes(post(prepared, POSTING_TYPE="X")) == [("E", "CRM_FM", "106")]


def test_fund_posting_without_id(prepared: LocalConnection) -> None:
    assert codes(post(prepared, FPO_ID="")) == [("E", "CRM_FM", "109")]


def test_load_proxy_posts_on_its_own(erp: ErpSystem, prepared: LocalConnection) -> None:
    result = prepared.call("CRM_FM_ACL_ACCRUAL_LOAD_PROXY", IS_HEADER=HEADER, IT_ITEMS=ITEMS)
    prepared.call("BAPI_TRANSACTION_COMMIT")

    assert codes(result["RETURN"])[-1] == ("S", "CRM_FM", "104")
    assert len(rows(erp, BKPF)) == 1


def test_fund_posting_id_too_long_for_the_reference(prepared: LocalConnection) -> None:
    messages = post(prepared, FPO_ID="FPO-2026-0000004711")

    assert codes(messages) == [("E", "CRM_FM", "108")]
