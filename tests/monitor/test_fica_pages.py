"""The FP_RAI_MON page: revenue accounting transfer records per type and status and those not
yet sent, read from the ERP over RFC with FP_RAI_TRANSF's selections."""

from __future__ import annotations

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway
from tests.erp_stub.fica_support import bit, bits, contract_with_items, read
from tests.gateway.test_fica_transfer_cli_job import data
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


def test_the_fp_rai_mon_page_starts_the_transfer(sapgw: Gateway, web: TestClient) -> None:
    data(sapgw)
    page = web.get("/erp/fp_rai_mon", params={"type": "CABO"})
    assert 'action="/erp/fp_rai_transf?type=CABO"' in page.text
    assert 'action="/erp/fp_rai_transf?type=CABO&amp;test=X"' in page.text

    test = web.post("/erp/fp_rai_transf?type=CABO&test=X")
    assert test.status_code == 303 and "test" not in test.headers["location"].split("?")[0]
    assert "Test+run" in test.headers["location"]

    done = web.post("/erp/fp_rai_transf?type=CABO")
    assert done.status_code == 303
    shown = web.get(done.headers["location"])
    assert "One-off order items (CABO): 1 items queued for RAR in 1 units" in shown.text
    assert "<td>CABO</td><td>S</td><td>sent</td><td>1</td>" in shown.text
    conn = sapgw.local_erp().connect()
    assert [r[0] for r in read(conn, "DFKKRA_RAI_MI", ["SRCDOC_TYPE"], "SENTTS <> 0")] == [
        "CABO"]
    entry = sapgw_audit(web)[0]
    assert (entry["action"], entry["object_id"], entry["outcome"]) == (
        "fp_rai_transf", "FP_RAI_TRANSF", "")

    refused = web.post("/erp/fp_rai_transf", data={})   # no CSRF token
    assert refused.status_code == 403


def sapgw_audit(web: TestClient) -> list[dict[str, str]]:
    return web.app.state.audit.entries()  # type: ignore[attr-defined]
