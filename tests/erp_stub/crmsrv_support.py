"""CRM Service test data: planned prices, stock, and the documents CRM sends (seed 001).

The figures are the seed's, made by the mechanics: the activity price of service hours at the
technicians' cost center 4100 85.50 EUR (30.00 fixed + 55.50 variable, as cats/co demo data
plan it) and of tool hours at the tool pool 4300 35.50 EUR, the pump seal kit's standard
price 12.00 EUR (mm/demo.toml), travel expenses.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.sd_support import sales_data

PRICES = {("4100", "SRVHR"): (Decimal("30.00"), Decimal("55.50")),
          ("4300", "TOOLHR"): (Decimal("10.00"), Decimal("25.50"))}


def plan_prices(conn: LocalConnection, year: str = "2026",
                prices: dict[tuple[str, str], tuple[Decimal, Decimal]] | None = None) -> None:
    """KP26 for the service cost centers, all periods of the year, and the demo customer's
    sales data (VD01); committed."""
    sales_data(conn)
    for (kostl, lstar), (fix, var) in (prices or PRICES).items():
        result = conn.call(
            "BAPI_ACT_PRICE_CHECK_AND_POST",
            HEADER_INFO={"CO_AREA": "1000", "FISC_YEAR": year, "PERIOD_FROM": "001",
                         "PERIOD_TO": "012", "VERSION": "000", "PLAN_CURRTYPE": "C"},
            IDX_STRUCTURE=[{"OBJECT_INDEX": "000001", "VALUE_INDEX": "000001"}],
            OBJECT=[{"OBJECT_INDEX": "000001", "COSTCENTER": kostl, "ACTTYPE": lstar}],
            TOT_VALUE=[{"VALUE_INDEX": "000001", "PRICE_FIX": fix, "PRICE_VAR": var,
                        "PRICE_UNIT": Decimal(1), "CURRENCY": "EUR"}])
        assert [r for r in result["RETURN"] if r["TYPE"] in "EA"] == [], result["RETURN"]
        conn.call("BAPI_TRANSACTION_COMMIT")


def receive_stock(conn: LocalConnection, quantity: str, material: str = "SP-2000") -> None:
    """561: initial entry of stock in plant 1000, storage location 0001; committed."""
    result = conn.call(
        "BAPI_GOODSMVT_CREATE",
        GOODSMVT_HEADER={"PSTNG_DATE": "20261101", "PR_UNAME": "WAREHOUSE"},
        GOODSMVT_CODE={"GM_CODE": "05"},
        GOODSMVT_ITEM=[{"MATERIAL": material, "PLANT": "1000", "STGE_LOC": "0001",
                        "MOVE_TYPE": "561", "ENTRY_QNT": quantity}])
    assert result["MATERIALDOCUMENT"], result["RETURN"]
    conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")


def header(object_id: str, process_type: str, predecessor: str = "", **fields: Any
           ) -> dict[str, Any]:
    return {"OBJECT_ID": object_id, "PROCESS_TYPE": process_type,
            "DESCRIPTION": f"{process_type} {object_id}", "POSTING_DATE": "20261122",
            "SOLD_TO_PARTY": "1000", "SALES_ORG": "1000", "SERVICE_ORG": "S1000",
            "CURRENCY": "EUR", "PREDECESSOR": predecessor, **fields}


def item(number: int, itm_type: str, product: str, quantity: str, unit: str,
         net_value: str = "0", **fields: Any) -> dict[str, Any]:
    return {"NUMBER_INT": f"{number:010d}", "ITM_TYPE": itm_type, "PRODUCT_ID": product,
            "QUANTITY": Decimal(quantity), "UNIT": unit, "NET_VALUE": Decimal(net_value),
            **fields}


# Seed scenario 1: the service order's items (planned revenue 720.00 EUR).
ORDER_ITEMS = [item(10, "SRVP", "SRV-LABOUR", "6", "H", "540.00"),
               item(20, "SRVT", "TOOL-PRESS", "1.5", "H", "70.00"),
               item(30, "SRVM", "SP-2000", "2", "PC", "60.00"),
               item(40, "SRVE", "EXP-TRAVEL", "1", "PC", "50.00")]

# Seed scenario 2: the contract (planned cost 925.68 = 10 h x 85.50 + 5 x 12.00 + 10.68;
# planned revenue 12,155.00 EUR).
CONTRACT_ITEMS = [item(10, "SRVP", "SRV-LABOUR", "10", "H", "11584.32"),
                  item(20, "SRVM", "SP-2000", "5", "PC", "560.00"),
                  item(30, "SRVE", "EXP-TRAVEL", "1", "PC", "10.68")]


def document_in(conn: LocalConnection, head: dict[str, Any], items: list[dict[str, Any]],
                commit: bool = True) -> dict[str, Any]:
    result = conn.call("IAOM_CRMSRV_DOCUMENT_IN", IS_HEADER=head, IT_ITEMS=items)
    if commit and not [r for r in result["RETURN"] if r["TYPE"] in "EA"]:
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def confirm_in(conn: LocalConnection, head: dict[str, Any], items: list[dict[str, Any]],
               commit: bool = True) -> dict[str, Any]:
    result = conn.call("IAOM_CRMSRV_CONFIRM_IN", IS_HEADER=head, IT_ITEMS=items)
    if commit and not [r for r in result["RETURN"] if r["TYPE"] in "EA"]:
        conn.call("BAPI_TRANSACTION_COMMIT", WAIT="X")
    return result
