"""Helpers of the results analysis and settlement tests: an internal order with an RA key and
a settlement rule, its costs and revenue posted through the BAPIs a user calls (activity
allocation at the planned price, goods issue 261 at the standard price, reposting of an
expense, SD billing), its plan, KKA2/KO88 over RFC, and the order's CO balance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.sd_support import bill, create_order, item, price, read
from tests.erp_stub.test_co_allocation import allocate, plan_price
from tests.erp_stub.test_co_allocation import item as hours
from tests.erp_stub.test_co_reposting import repost
from tests.erp_stub.test_fi_post import expense, post
from tests.erp_stub.test_goods_movements import item as goods
from tests.erp_stub.test_goods_movements import movement

PART, PART_PRICE = "SP-2000", Decimal("12.00")       # standard price of the demo part
LABOUR_FIX, LABOUR_VAR = Decimal("40.00"), Decimal("45.00")   # planned price SRVHR: 85/h
LABOUR_ELEMENT, PART_ELEMENT, EXPENSE_ELEMENT = "0000943000", "0000400000", "0000400000"
REVENUE_ELEMENT = "0000800100"
SENDER = "KL10000000001000SRVHR"
CHARACTERISTICS = [{"FIELDNAME": "KNDNR", "VALUE": "1000"},
                   {"FIELDNAME": "VKORG", "VALUE": "1000"}]


def ra_order(conn: LocalConnection, ra_key: str, name: str = "Service order") -> str:
    """An internal order with the RA key and a settlement rule to a profitability segment
    (strategy sequence SAPCRM, settlement profile CRMSRV), committed."""
    result = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
        "ORDER_TYPE": "SAPS", "ORDER_NAME": name, "CO_AREA": "1000",
        "RES_ANAL_KEY": ra_key})
    aufnr = str(result["ORDERID"])
    conn.call("BAPI_TRANSACTION_COMMIT")
    rule = conn.call("ZKO_RULE_MAINTAIN", ORDERID=aufnr, PROFILE="CRMSRV",
                     CHARACTERISTICS=CHARACTERISTICS)
    assert [m["TYPE"] for m in rule["RETURN"]] == ["S"], rule["RETURN"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    return aufnr


def labour_price(conn: LocalConnection, fix: Decimal = LABOUR_FIX,
                 var: Decimal = LABOUR_VAR) -> Decimal:
    """Plan the price of SRVHR at cost center 1000 (KP26); returns it."""
    plan_price(conn, fix=fix, var=var)
    return fix + var


def post_plan(erp: ErpSystem, aufnr: str, *, hours_planned: str, parts: str, expenses: str,
              revenue: Decimal, rate: Decimal = LABOUR_FIX + LABOUR_VAR) -> Decimal:
    """The order's plan as a unit cost estimate values it: hours at the planned price, parts
    at the standard price, expenses; planned revenue from the items. Returns C(p)."""
    labour = Decimal(hours_planned) * rate
    material = Decimal(parts) * PART_PRICE
    ctx = CallContext(erp, Luw())
    co.post_plan(ctx, kokrs="1000", objnr=f"OR{aufnr}", lines=[
        co.PlanLine(LABOUR_ELEMENT, labour, Decimal(hours_planned), "H", parob=SENDER),
        co.PlanLine(PART_ELEMENT, material + Decimal(expenses)),
        co.PlanLine(REVENUE_ELEMENT, -revenue)])
    ctx.commit()
    return labour + material + Decimal(expenses)


def confirm_hours(conn: LocalConnection, aufnr: str, quantity: str) -> None:
    result = allocate(conn, [hours(quantity, REC_ORDER=aufnr)])
    assert [m["TYPE"] for m in result["RETURN"]] == ["S"], result["RETURN"]


def issue_parts(conn: LocalConnection, aufnr: str, quantity: str) -> None:
    """Goods receipt without PO (501) to have stock, then goods issue 261 to the order."""
    movement(conn, "05", goods("501", quantity, PART))
    result = movement(conn, "03", goods("261", quantity, PART, ORDERID=aufnr))
    assert result["RETURN"] == [], result["RETURN"]


def charge_expense(conn: LocalConnection, aufnr: str, value: str) -> None:
    """An expense arrives on the employee's cost center and is reposted to the order."""
    post(conn, expense(value))
    result = repost(conn, [{"SEND_CCTR": "1000", "REC_ORDER": aufnr,
                            "COST_ELEM": EXPENSE_ELEMENT, "VALUE_TCUR": Decimal(value)}])
    assert [m["TYPE"] for m in result["RETURN"]] == ["S"], result["RETURN"]


def bill_service(conn: LocalConnection, aufnr: str, quantity: str, rate: str,
                 bill_date: str) -> dict[str, Any]:
    """An SD order whose item carries the internal order, billed in full."""
    order = create_order(conn, [item("10", PART, quantity, ORDERID=aufnr)],
                         [price("10", rate)])
    return bill(conn, {"REF_DOC_CA": "C", "REF_DOC": order["SALESDOCUMENT"],
                       "BILL_DATE": bill_date})


def kka2(conn: LocalConnection, aufnr: str, period: str, year: str = "2026",
         **params: Any) -> dict[str, Any]:
    return conn.call("ZKKA_RA_ORDER", ORDERID=aufnr, FISC_YEAR=year, PERIOD=period, **params)


def ko88(conn: LocalConnection, aufnr: str, period: str, year: str = "2026",
         **params: Any) -> dict[str, Any]:
    return conn.call("ZKO_SETTLE_ORDER", ORDERID=aufnr, FISC_YEAR=year, PERIOD=period,
                     **params)


def results(result: dict[str, Any]) -> dict[str, Decimal]:
    """{RA category code: cumulative value} of a KKA2 answer."""
    return {row["CATEGORY"]: row["CUMULATIVE"] for row in result["RESULTS"]}


def balance(conn: LocalConnection, aufnr: str) -> Decimal:
    """The order's CO balance: the sum of its actual line items (COEP, value type 04)."""
    rows = read(conn, "COEP", ["WKGBTR"], f"OBJNR = 'OR{aufnr}' AND WRTTP = '04'")
    return sum((_amount(row[0]) for row in rows), Decimal(0))


def _amount(text: str) -> Decimal:
    return -Decimal(text[:-1]) if text.endswith("-") else Decimal(text)


def types(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(m["TYPE"], m["ID"], m["NUMBER"]) for m in result["RETURN"]]
