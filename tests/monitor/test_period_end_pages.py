"""The KKA3/KO88 page: an order's saved RA result and settlement documents, over RFC."""

from __future__ import annotations

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway
from tests.erp_stub.ra_support import confirm_hours, kka2, ko88, labour_price


def test_the_page_shows_the_result_and_the_settlement(sapgw: Gateway, web: TestClient) -> None:
    conn = sapgw.local_erp().connect()
    labour_price(conn)
    aufnr = conn.call("BAPI_INTERNALORDER_CREATE", I_MASTER_DATA={
        "ORDER_TYPE": "SAPS", "ORDER_NAME": "Page", "CO_AREA": "1000",
        "RES_ANAL_KEY": "CRMWIP"})["ORDERID"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    conn.call("ZKO_RULE_MAINTAIN", ORDERID=aufnr, PROFILE="CRMSRV", COSTCENTER="1000")
    conn.call("BAPI_TRANSACTION_COMMIT")
    confirm_hours(conn, aufnr, "2")
    kka2(conn, aufnr, "011")
    ko88(conn, aufnr, "011")

    page = web.get("/erp/kka3", params={"order": aufnr.lstrip("0"), "period": "2026/11"})
    assert page.status_code == 200
    assert f'href="/ko03?aufnr={aufnr}"' in page.text
    assert "WIPR" in page.text and "0000935000" in page.text and "170.00" in page.text
    assert "0000079000" in page.text and "0000000001" in page.text
    assert web.get("/erp/kka3", params={"order": "1", "period": "11"}).status_code == 400
    missing = web.get("/erp/kka3", params={"order": "999999", "period": "2026/11"})
    assert missing.status_code == 400 and "Order 999999 does not exist" in missing.text
