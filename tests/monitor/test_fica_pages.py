"""The FP_RAI_MON page: revenue accounting transfer records per type and status and those not
yet sent, read from the ERP over RFC with FP_RAI_TRANSF's selections."""

from __future__ import annotations

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway
from tests.erp_stub.fica_support import bit, bits, contract_with_items
from tests.monitor.conftest import row_of


def test_the_page_lists_unsent_records_and_filters_them(sapgw: Gateway,
                                                        web: TestClient) -> None:
    conn = sapgw.local_erp().connect()
    vkont = contract_with_items(conn)[1]
    bits(conn, bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10"))

    page = web.get("/erp/fp_rai_mon")
    assert page.status_code == 200
    assert "<td>CAOI</td><td>U</td><td>not yet sent</td><td>2</td>" in page.text
    row = row_of(page.text, "FEE-1/00000000")
    assert "CABO" in row and "ONEOFF" in row and "19.99" in row

    filtered = web.get("/erp/fp_rai_mon", params={"type": "caoi", "bukrs": "1000"})
    assert "FEE-1/00000000" not in filtered.text and "PC-1/000010" in filtered.text
    assert "no transfer records" in web.get("/erp/fp_rai_mon", params={"to": "20260101"}).text
