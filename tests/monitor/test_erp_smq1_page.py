"""The ERP's SMQ1 page: its outbound queues read and restarted over RFC, as basis staff do."""

from __future__ import annotations

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway
from tests.monitor.conftest import row_of
from tests.scenarios.test_erp_to_crm import Unreachable, bupa_bdocs, create_customer


def test_a_blocked_erp_queue_shows_its_error_and_is_restarted_from_the_page(
        sapgw: Gateway, web: TestClient) -> None:
    crm = Unreachable(sapgw)
    sapgw.local_erp().outbound.set_destination("CRM", crm.connect)
    kunnr = create_customer(sapgw)
    sapgw.run_until_idle()
    queue = f"R3AD_CUSTOME{kunnr}"

    page = web.get("/erp/smq1")
    assert page.status_code == 200 and '<a href="/erp/smq1">ERP SMQ1</a>' in page.text
    row = row_of(page.text, queue)
    assert "CPICERR" in row and "connection to the gateway refused" in row
    assert 'class="error"' in row

    locked = web.post(f"/erp/smq1/{queue}/lock")
    assert locked.status_code == 303 and "lock+done" in locked.headers["location"]
    assert "STOP" in row_of(web.get("/erp/smq1").text, queue)
    refused = web.post(f"/erp/smq1/{queue}/activate")  # a stopped queue: unlock first
    assert refused.status_code == 303 and "error=" in refused.headers["location"]
    web.post(f"/erp/smq1/{queue}/unlock")
    crm.down = False
    assert web.post(f"/erp/smq1/{queue}/activate").status_code == 303
    sapgw.run_until_idle()

    assert "no queues" in web.get("/erp/smq1").text
    assert [b["state"] for b in bupa_bdocs(sapgw)] == ["F04"]
    audit = [(e["action"], e["object_type"]) for e in sapgw_audit(web)]
    assert ("lock", "ERP_QUEUE") in audit and ("activate", "ERP_QUEUE") in audit


def test_an_unknown_erp_queue_is_not_found(web: TestClient) -> None:
    answer = web.post("/erp/smq1/R3AD_NOSUCH/activate")
    assert answer.status_code == 404 and "R3AD_NOSUCH" in answer.text
    assert web.post("/erp/smq1/R3AD_NOSUCH/explode").status_code == 404


def sapgw_audit(web: TestClient) -> list[dict[str, object]]:
    return web.app.state.audit.entries()  # type: ignore[attr-defined,no-any-return]
