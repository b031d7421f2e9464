"""What the CATS tests share: a record in BAPICATS1's fields, the insert and the reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.kernel.system import LocalConnection

SERVICE_CENTER = "0000004100"   # the demo technicians' cost center (co/demo.toml)
TECHNICIAN, SECOND_TECHNICIAN, SALES_CLERK = "00001001", "00001002", "00001003"


def record(hours: str = "7.25", **fields: Any) -> dict[str, Any]:
    """A record of the demo technician on a work day in an open period."""
    return {"WORKDATE": "20261120", "EMPLOYEENUMBER": TECHNICIAN.lstrip("0"),
            "CATSHOURS": Decimal(hours), "ACTTYPE": "SRVHR", "SHORTTEXT": "Repair",
            **fields}


def insert(conn: LocalConnection, records: list[dict[str, Any]], commit: bool = True,
           **params: Any) -> dict[str, Any]:
    result = conn.call("BAPI_CATIMESHEETMGR_INSERT", CATSRECORDS_IN=records, **params)
    if commit:
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def planned_price(conn: LocalConnection, kostl: str = SERVICE_CENTER, year: str = "2026",
                  period: str = "011") -> tuple[Decimal, Decimal]:
    """(price, price unit) of SRVHR at the cost center, as KP26 planned it (read over RFC)."""
    result = conn.call("BAPI_CTR_GETACTIVITYPRICES", COAREA="1000", FISCYEAR=year,
                       COSTCENTERFROM=kostl, COSTCENTERTO=kostl, ACTTYPEFROM="SRVHR",
                       ACTTYPETO="SRVHR", PERIODFROM=period, PERIODTO=period)
    [row] = result["ACTPRICES"]
    return row["PRICE_CCURR_FIX"] + row["PRICE_CCURR_VAR"], row["PRICE_UNIT"]
