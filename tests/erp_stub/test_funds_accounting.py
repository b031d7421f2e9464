"""Fund usages arriving in ERP (CRM_FM_ACCOUNTING_R3_IN): IAOM account assignment objects."""

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import AUFK
from sapgw.erp_stub.funds.keys import business_key
from sapgw.erp_stub.iaom import api as iaom
from sapgw.erp_stub.iaom.tables import IAOM_ASSIGNMENTS
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.ps.tables import PRPS
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.types import RfcCall

PROMOTION = {"TPM_ID": "TPM-4711", "DESCRIPTION": "Summer promotion", "COMP_CODE": "1000",
             "SALES_ORG": "1000", "VALID_FROM": "20261201", "VALID_TO": "20261231"}
USAGE = {"FU_ID": "1791", "FUND_ID": "FUND-1", "FUND_TYPE": "TPM", "TPM_ID": "TPM-4711",
         "COMP_CODE": "1000", "SALES_ORG": "1000", "CURRENCY": "EUR", "EXPENSE_TYPE": "TPM1",
         "DESCRIPTION": "Display allowance"}
ITEMS = [{"ITEM_ID": "10", "AMOUNT": Decimal("1500.00")},
         {"ITEM_ID": "20", "AMOUNT": Decimal("250.00"), "EXPENSE_TYPE": "TPM2"}]


def rows(erp: ErpSystem, model: Any) -> list[dict[str, Any]]:
    table = model.__table__
    with erp.db.read() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def assignments(erp: ErpSystem) -> dict[str, dict[str, Any]]:
    return {r["EXT_OBJECT_ID"]: r for r in rows(erp, IAOM_ASSIGNMENTS)}


def replicate_promotion(conn: LocalConnection) -> None:
    conn.call("CRM_MKTPL_R3_IN", IS_MKTPL=PROMOTION)
    conn.call("BAPI_TRANSACTION_COMMIT")


def send(conn: LocalConnection, usage: dict[str, Any] | None = None,
         items: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    result = conn.call("CRM_FM_ACCOUNTING_R3_IN", IS_FUND_USAGE=usage or USAGE,
                       IT_ITEMS=ITEMS if items is None else items)
    conn.call("BAPI_TRANSACTION_COMMIT")
    return result["RETURN"]


def test_business_key_format() -> None:
    assert business_key("00000000000000001791", "0000000010") == "00000000000000001791/10"
    assert business_key("1791", "10") == "00000000000000001791/10"


def test_fund_usage_before_its_promotion_fails_and_creates_nothing(
        erp: ErpSystem, conn: LocalConnection) -> None:
    messages = send(conn)

    assert [(m["TYPE"], m["ID"], m["NUMBER"]) for m in messages] == [("E", "CRM_FM", "101")]
    assert messages[0]["MESSAGE_V1"] == "TPM-4711"
    assert "TPM-4711" in messages[0]["MESSAGE"]
    assert rows(erp, IAOM_ASSIGNMENTS) == []
    assert rows(erp, AUFK) == []


def test_fund_usage_before_its_promotion_fails_its_trfc_unit(erp: ErpSystem) -> None:
    call = RfcCall("CRM_FM_ACCOUNTING_R3_IN", {"IS_FUND_USAGE": USAGE, "IT_ITEMS": ITEMS})
    with pytest.raises(ABAPApplicationError) as failure:
        erp.execute_unit("0123456789ABCDEF01234567", [call])

    assert (failure.value.msg_class, failure.value.msg_number) == ("CRM_FM", "101")
    assert rows(erp, IAOM_ASSIGNMENTS) == []


def test_fund_usage_after_its_promotion_gets_order_and_wbs_element(
        erp: ErpSystem, conn: LocalConnection) -> None:
    replicate_promotion(conn)
    messages = send(conn)

    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["ROW"]) for m in messages] == [
        ("S", "IAOM", "011", 1), ("S", "IAOM", "011", 2)]
    found = assignments(erp)
    assert set(found) == {"00000000000000001791/10", "00000000000000001791/20"}
    by_order = found["00000000000000001791/10"]
    assert (by_order["BUS_SCENARIO_ID"], by_order["CONTROLLING_TYPE"]) == ("CRMFM", "S")
    assert by_order["ERDAT"] == "20261122"
    [order] = rows(erp, AUFK)
    assert by_order["OBJECT_NO"] == "OR" + order["AUFNR"]
    assert (order["AUART"], order["BUKRS"]) == ("SAPS", "1000")
    assert order["KTEXT"].startswith("Fund usage 1791/10")
    on_wbs = found["00000000000000001791/20"]  # expense type TPM2: rule -> controlling type T
    [wbs] = rows(erp, PRPS)
    assert (on_wbs["CONTROLLING_TYPE"], on_wbs["OBJECT_NO"]) == ("T", wbs["OBJNR"])


def test_resent_fund_usage_creates_nothing_new(erp: ErpSystem, conn: LocalConnection) -> None:
    replicate_promotion(conn)
    send(conn)
    before = assignments(erp)
    messages = send(conn)

    assert [(m["TYPE"], m["NUMBER"]) for m in messages] == [("S", "017"), ("S", "017")]
    assert assignments(erp) == before
    assert len(rows(erp, AUFK)) == 1


def test_new_item_of_a_known_fund_usage(erp: ErpSystem, conn: LocalConnection) -> None:
    replicate_promotion(conn)
    send(conn)
    messages = send(conn, items=[*ITEMS, {"ITEM_ID": "30", "AMOUNT": "10.00"}])

    assert [m["NUMBER"] for m in messages] == ["017", "017", "011"]
    assert "00000000000000001791/30" in assignments(erp)
    assert len(rows(erp, AUFK)) == 2


def test_rule_driven_order_type(erp: ErpSystem, conn: LocalConnection) -> None:
    ctx = CallContext(erp, Luw())  # IAOM1: a rule before the demo's, committed
    iaom.set_rules(ctx, "CRMFM", [iaom.Rule("TPM3", order_type="ZFM1"),
                                  *iaom.rules(ctx, "CRMFM")])
    ctx.commit()
    send(conn, usage={**USAGE, "TPM_ID": "", "EXPENSE_TYPE": "TPM3"}, items=ITEMS[:1])

    [order] = rows(erp, AUFK)
    assert order["AUART"] == "ZFM1"
    assert assignments(erp)["00000000000000001791/10"]["OBJECT_NO"] == "OR" + order["AUFNR"]


def test_fund_usage_without_promotion_gets_orders(erp: ErpSystem, conn: LocalConnection) -> None:
    messages = send(conn, usage={**USAGE, "TPM_ID": ""}, items=ITEMS[:1])

    assert [m["NUMBER"] for m in messages] == ["011"]
    assert len(rows(erp, AUFK)) == 1


def test_controlling_type_t_without_promotion_fails_whole_usage(
        erp: ErpSystem, conn: LocalConnection) -> None:
    messages = send(conn, usage={**USAGE, "TPM_ID": ""})

    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["ROW"]) for m in messages] == [
        ("E", "IAOM", "013", 2)]
    assert rows(erp, IAOM_ASSIGNMENTS) == []  # item 10 was fine, but the usage is one unit
    assert rows(erp, AUFK) == []


def test_unknown_order_type_is_reported(erp: ErpSystem, conn: LocalConnection) -> None:
    ctx = CallContext(erp, Luw())
    iaom.set_scenario(ctx, "CRMFM", controlling_type="S", order_type="ZZZZ")
    ctx.commit()
    messages = send(conn, usage={**USAGE, "TPM_ID": ""}, items=ITEMS[:1])

    assert [(m["TYPE"], m["NUMBER"], m["MESSAGE_V1"]) for m in messages] == [
        ("E", "012", "ZZZZ")]
    assert rows(erp, AUFK) == []


def test_unknown_company_code(erp: ErpSystem, conn: LocalConnection) -> None:
    messages = send(conn, usage={**USAGE, "COMP_CODE": "9999"})

    assert [(m["TYPE"], m["ID"], m["NUMBER"]) for m in messages] == [("E", "F5", "165")]
