"""Customers written straight into the ERP's KNA1/KNB1 (test and benchmark data, not the
thing under test): N customers 0000500001.., company code 1000, reconciliation 140000."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.masterdata.tables import KNA1, KNB1

FIRST = 500_001
CITIES = (("DE", "Köln", "50667"), ("DE", "Berlin", "10115"), ("AT", "Wien", "1010"))


def customer_rows(n: int, first: int = FIRST) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    general, company = [], []
    for i in range(n):
        kunnr = f"{first + i:010d}"
        land, city, postal = CITIES[i % len(CITIES)]
        general.append({"KUNNR": kunnr, "KTOKD": "0001", "ANRED": "Firma", "NAME1": f"Kunde {i}",
                        "NAME2": "", "NAME3": "", "NAME4": "", "SORTL": f"K{i}"[:10],
                        "STRAS": f"Straße {i}", "PSTLZ": postal, "ORT01": city, "REGIO": "",
                        "LAND1": land, "SPRAS": "D", "STCEG": "", "LIFNR": "", "LOEVM": "",
                        "ERDAT": "20261101", "ERNAM": "LOADER"})
        company.append({"KUNNR": kunnr, "BUKRS": "1000", "AKONT": "0000140000", "ZTERM": "0001",
                        "ZUAWA": "", "BUSAB": "", "SPERR": "", "LOEVM": "", "ERDAT": "20261101",
                        "ERNAM": "LOADER"})
    return general, company


def insert_customers(erp: Any, n: int, first: int = FIRST) -> list[str]:
    """Write N customers into the ERP system `erp` (its Database) in one transaction."""
    general, company = customer_rows(n, first)
    with erp.db.write() as conn:
        for start in range(0, n, 5000):
            conn.execute(KNA1.__table__.insert(), general[start:start + 5000])  # type: ignore[attr-defined]
            conn.execute(KNB1.__table__.insert(), company[start:start + 5000])  # type: ignore[attr-defined]
    return [row["KUNNR"] for row in general]
