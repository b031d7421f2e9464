"""SD test helpers: the demo customer's sales data, internal orders, sales orders, billing and
table reads, all through RFC as any client would."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.test_master_data import debmas

CUSTOMER = "0000001000"
HEADER = {"DOC_TYPE": "SO", "SALES_ORG": "1000", "DISTR_CHAN": "10", "DIVISION": "00",
          "PURCH_NO_C": "PO-77"}


def sales_data(conn: LocalConnection, ktgrd: str = "01") -> None:
    """VD01 by DEBMAS: the demo customer's sales data in 1000/10/00."""
    result = debmas(conn, ("E1KNVVM", {"MSGFN": "009", "VKORG": "1000", "VTWEG": "10",
                                       "SPART": "00", "WAERS": "EUR", "KTGRD": ktgrd}),
                    MSGFN="004", KUNNR=CUSTOMER)
    assert [row["TYPE"] for row in result["RETURN"]] == ["S"], result["RETURN"]


def internal_order(conn: LocalConnection, name: str = "Service order 8000001",
                   settlement_rule: bool = True) -> str:
    """An internal order, by default with a settlement rule to cost center 1000 (revenue is
    billed only to orders that can settle it: KO 914)."""
    result = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
        "ORDER_TYPE": "SAPS", "ORDER_NAME": name, "CO_AREA": "1000"})
    conn.call("BAPI_TRANSACTION_COMMIT")
    if settlement_rule:
        rule = conn.call("ZKO_RULE_MAINTAIN", ORDERID=result["ORDERID"], PROFILE="CRMSRV",
                         COSTCENTER="1000")
        assert [m["TYPE"] for m in rule["RETURN"]] == ["S"], rule["RETURN"]
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result["ORDERID"]


def item(number: str, material: str, quantity: str = "", **fields: Any) -> dict[str, Any]:
    return {"ITM_NUMBER": number, "MATERIAL": material, "TARGET_QTY": quantity, **fields}


def price(number: str, rate: str, unit: str = "", **fields: Any) -> dict[str, Any]:
    return {"ITM_NUMBER": number, "COND_TYPE": "PR00", "COND_VALUE": rate,
            "COND_P_UNT": unit, **fields}


def create_order(conn: LocalConnection, items: list[dict[str, Any]],
                 conditions: list[dict[str, Any]], commit: bool = True,
                 **params: Any) -> dict[str, Any]:
    params.setdefault("ORDER_PARTNERS", [{"PARTN_ROLE": "AG", "PARTN_NUMB": "1000"}])
    result = conn.call("BAPI_SALESORDER_CREATEFROMDAT2",
                       ORDER_HEADER_IN={**HEADER, **params.pop("header", {})},
                       ORDER_ITEMS_IN=items, ORDER_CONDITIONS_IN=conditions, **params)
    if commit and result["SALESDOCUMENT"]:
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def bill(conn: LocalConnection, *rows: dict[str, Any], commit: bool = True,
         **params: Any) -> dict[str, Any]:
    result = conn.call("BAPI_BILLINGDOC_CREATEMULTIPLE", BILLINGDATAIN=list(rows), **params)
    if commit and result["SUCCESS"]:
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def read(conn: LocalConnection, table: str, fields: list[str], where: str = ""
         ) -> list[list[str]]:
    """RFC_READ_TABLE rows as lists of stripped values."""
    result = conn.call("RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="|",
                       FIELDS=[{"FIELDNAME": name} for name in fields],
                       OPTIONS=[{"TEXT": where}] if where else [])
    return [[value.strip() for value in row["WA"].split("|")] for row in result["DATA"]]


def amount(text: str) -> Decimal:
    """An RFC_READ_TABLE amount ("100.01-" is a credit)."""
    return -Decimal(text[:-1]) if text.endswith("-") else Decimal(text)


def value(quantity: str, rate: str, unit: str = "1") -> Decimal:
    """The formula: quantity x rate / price unit, half up at two decimals (EUR)."""
    return (Decimal(quantity) * Decimal(rate) / Decimal(unit)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


def codes(result: dict[str, Any]) -> list[tuple[str, str, str, str, int, str]]:
    return [(m["TYPE"], m["ID"], m["NUMBER"], m["PARAMETER"], m["ROW"], m["FIELD"])
            for m in result["RETURN"]]
