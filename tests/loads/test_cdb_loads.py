"""Initial loads fill the CDB: customers (CUSTOMER_MAIN -> BUPA_MAIN) and vendors
(VENDOR_MAIN -> VEND_MAIN) become business partners with their company code rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from sapgw.erp_stub.masterdata.tables import LFA1, LFB1
from sapgw.gateway.cdb.tables import BUT000, CRMM_BUT_BUKRS, CRMM_BUT_CUSTNO, CRMM_BUT_VENDNO
from sapgw.gateway.runtime import Gateway
from tests.loads.customers import FIRST, insert_customers

P, BUKRS = BUT000.__table__, CRMM_BUT_BUKRS.__table__  # type: ignore[attr-defined]
CUSTNO, VENDNO = CRMM_BUT_CUSTNO.__table__, CRMM_BUT_VENDNO.__table__  # type: ignore[attr-defined]
VENDOR_FIRST = 700_001


def insert_vendors(erp: Any, n: int) -> list[str]:
    """N vendors 0000700001.. straight into LFA1/LFB1 (test data), company codes 1000 and
    2000 each."""
    general, company = [], []
    for i in range(n):
        lifnr = f"{VENDOR_FIRST + i:010d}"
        general.append({"LIFNR": lifnr, "KTOKK": "0001", "NAME1": f"Lieferant {i}",
                        "SORTL": f"L{i}", "STRAS": "Hafenstr. 1", "PSTLZ": "28195",
                        "ORT01": "Bremen", "REGIO": "", "LAND1": "DE", "SPRAS": "D",
                        "TELF1": "", "BRSCH": "", "KUNNR": "", "LOEVM": "",
                        "ERDAT": "20261101", "ERNAM": "LOADER"})
        company += [{"LIFNR": lifnr, "BUKRS": bukrs, "AKONT": "0000160000", "ZTERM": "0001",
                     "ZUAWA": "", "SPERR": "", "LOEVM": "", "ERDAT": "20261101",
                     "ERNAM": "LOADER"} for bukrs in ("1000", "2000")]
    with erp.db.write() as conn:
        conn.execute(LFA1.__table__.insert(), general)  # type: ignore[attr-defined]
        conn.execute(LFB1.__table__.insert(), company)  # type: ignore[attr-defined]
    return [row["LIFNR"] for row in general]


def count(gw: Gateway, statement: Any) -> int:
    with gw.db.read() as conn:
        return int(conn.execute(statement).scalar() or 0)


def test_an_initial_load_of_vendors_fills_the_cdb(sapgw: Gateway) -> None:
    numbers = insert_vendors(sapgw.local_erp(), 25)
    status = sapgw.loads.run(sapgw.loads.start("VENDOR_MAIN", block_size=10, filters=[
        f"LIFNR={numbers[0]}..{numbers[-1]}"])["load_id"])

    assert (status["status"], status["blocks_sent"], status["blocks_processed"],
            status["objects_received"], status["queue"]) == (
        "DONE", 3, 3, 25, "R3AI_VENDOR_MAIN")
    partners = select(func.count()).select_from(VENDNO.join(
        P, P.c.PARTNER_GUID == VENDNO.c.PARTNER_GUID)).where(VENDNO.c.VENDOR_NO.in_(numbers))
    assert count(sapgw, partners) == 25
    assert count(sapgw, select(func.count()).select_from(BUKRS).where(
        BUKRS.c.KOART == "K", BUKRS.c.PARTNER.in_(numbers))) == 50
    with sapgw.db.read() as conn:
        row = conn.execute(select(P.c.NAME_ORG1).join(
            VENDNO, VENDNO.c.PARTNER_GUID == P.c.PARTNER_GUID).where(
            VENDNO.c.VENDOR_NO == numbers[3])).one()
    assert row.NAME_ORG1 == "Lieferant 3"


def test_an_initial_load_of_customers_fills_the_cdb(sapgw: Gateway) -> None:
    numbers = insert_customers(sapgw.local_erp(), 30)
    status = sapgw.loads.run(sapgw.loads.start("CUSTOMER_MAIN", block_size=7, filters=[
        f"KUNNR={FIRST}..{FIRST + 29}"])["load_id"])

    assert (status["status"], status["blocks_sent"], status["objects_received"]) == (
        "DONE", 5, 30)
    before = count(sapgw, select(func.count()).select_from(P))
    partners = select(func.count()).select_from(CUSTNO.join(
        P, P.c.PARTNER_GUID == CUSTNO.c.PARTNER_GUID)).where(CUSTNO.c.CUSTOMER_NO.in_(numbers))
    assert count(sapgw, partners) == 30 == before
    assert count(sapgw, select(func.count()).select_from(BUKRS).where(
        BUKRS.c.KOART == "D", BUKRS.c.BUKRS == "1000")) == 30
