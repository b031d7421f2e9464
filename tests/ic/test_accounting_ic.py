"""The Accounting IC over HTTP (REST and pages, in-process TestClient) and the ERP's customer
account BAPIs it reads: search by company code, the facts from FI postings, the launcher
with its service request, and the refusals (unknown target, partner not in the company code,
a customer not in the company code at the ERP)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from sapgw.gateway.api.app import create_app
from sapgw.gateway.runtime import Gateway
from tests.ic.support import NUMBER, customer, invoice


@pytest.fixture
def gw(sapgw: Gateway) -> Gateway:
    """`sapgw` with the customer in the CDB and the ERP, an invoice and a credit memo."""
    sapgw.send("BUPA_MAIN", customer())
    sapgw.run_until_idle()
    invoice(sapgw, NUMBER, "119.00", "20261110", "INV-1")
    invoice(sapgw, NUMBER, "-19.00", "20261115", "CRED-1")  # a credit memo
    return sapgw


@pytest.fixture
def web(gw: Gateway) -> TestClient:
    return TestClient(create_app(gw, run_schedulers=False))


def test_the_ar_bapis_sum_the_postings_to_the_customer(gw: Gateway):
    with gw.served_rfc.connect() as erp:
        items = erp.call("BAPI_AR_ACC_GETOPENITEMS", COMPANYCODE="1000", CUSTOMER="900100",
                         KEYDATE="20261122")
        balance = erp.call("BAPI_AR_ACC_GETKEYDATEBALANCE", COMPANYCODE="1000",
                           CUSTOMER=NUMBER, KEYDATE="20261112")
        statement = erp.call("BAPI_AR_ACC_GETSTATEMENT", COMPANYCODE="1000", CUSTOMER=NUMBER,
                             DATE_FROM="20261112", DATE_TO="20261130")
        unknown = erp.call("BAPI_AR_ACC_GETOPENITEMS", COMPANYCODE="1000",
                           CUSTOMER="0000999999")
    assert [(i["REF_DOC_NO"], i["LC_AMOUNT"], i["DB_CR_IND"]) for i in items["LINEITEMS"]] == [
        ("INV-1", Decimal("119.00"), "S"), ("CRED-1", Decimal("-19.00"), "H")]
    assert [(b["LC_BAL"], b["LOC_CURRCY"]) for b in balance["KEYBALANCE"]] == [
        (Decimal("119.00"), "EUR")]  # the key date is before the credit memo
    assert [i["REF_DOC_NO"] for i in statement["LINEITEMS"]] == ["CRED-1"]
    assert unknown["RETURN"]["CODE"] == "F5102"
    assert unknown["RETURN"]["MESSAGE"] == (
        "Customer 0000999999 is not defined in company code 1000")


def test_search_facts_launch_and_service_requests_over_rest(web: TestClient):
    found = web.get("/api/ic/accounting/partners", params={"bukrs": "1000", "city": "ham"})
    assert [p["partner"] for p in found.json()["items"]] == [NUMBER]
    facts = web.get(f"/api/ic/accounting/partners/{NUMBER}", params={"bukrs": "1000"}).json()
    assert [b["LC_BAL"] for b in facts["balances"]] == ["100.00"]
    assert len(facts["open_items"]) == 2 and len(facts["documents"]) == 2
    document = facts["documents"][0]

    launched = web.post("/api/ic/accounting/launch", json={
        "transaction": "FB03", "partner": "900100", "bukrs": "1000",
        "fields": {"BELNR": document["DOC_NO"], "GJAHR": document["FISC_YEAR"]}})
    assert launched.status_code == 201, launched.text
    answer = launched.json()
    assert answer["url"] == (f"/fb03?bukrs=1000&belnr={document['DOC_NO']}"
                             f"&gjahr={document['FISC_YEAR']}")
    request = answer["service_request"]
    assert (request["object_id"], request["process_type"], request["transaction"],
            request["customer"], request["bukrs"]) == ("0000000001", "SRVR", "FB03", NUMBER,
                                                        "1000")
    assert request["erp_user"]  # the user who launched it
    assert web.get(answer["url"]).status_code == 200  # the FB03 page opens
    listed = web.get("/api/ic/accounting/service-requests", params={"partner": NUMBER})
    assert [r["object_id"] for r in listed.json()["items"]] == ["0000000001"]


def test_the_launcher_refuses_what_is_not_configured_and_writes_nothing(web: TestClient):
    def launch(**body: Any) -> Any:
        return web.post("/api/ic/accounting/launch", json={
            "partner": NUMBER, "bukrs": "1000", **body})

    unknown = launch(transaction="F-28")
    assert unknown.status_code == 400
    assert unknown.json()["message"] == (
        "Transaction launcher: F-28 is not configured as a launch transaction; configured: "
        "FB03, FBL5N, FD10N")
    assert "needs BELNR, GJAHR" in launch(transaction="FB03").json()["message"]
    other = launch(transaction="FBL5N", bukrs="2000")
    assert other.json()["message"] == (
        f"Business partner {NUMBER} has no company code data for company code 2000 in the CDB")
    assert web.get("/api/ic/accounting/service-requests").json()["items"] == []
    assert "Company code (bukrs) is required" in web.get(
        "/api/ic/accounting/partners").json()["message"]


def test_the_pages_search_show_the_partner_and_launch_into_fbl5n(web: TestClient):
    page = web.get("/ic/accounting", params={"bukrs": "1000", "name": "aurora"})
    assert page.status_code == 200 and "Aurora Tools" in page.text
    assert 'href="/ic/accounting"' in page.text  # the navigation reaches the page
    partner = web.get("/ic/accounting/partner", params={"partner": NUMBER, "bukrs": "1000"})
    assert partner.status_code == 200
    assert "100.00" in partner.text and "INV-1" in partner.text
    token = partner.text.split('name="csrf_token" value="')[1].split('"')[0]
    opened = web.post("/ic/accounting/launch", data={
        "transaction": "FBL5N", "partner": NUMBER, "bukrs": "1000", "csrf_token": token},
        follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/erp/fbl5n?bukrs=1000&customer={NUMBER}"
    lines = web.get(opened.headers["location"])
    assert lines.status_code == 200 and "CRED-1" in lines.text
    fd10n = web.get("/erp/fd10n", params={"bukrs": "1000", "customer": NUMBER})
    assert "100.00" in fd10n.text
    refused = web.get("/erp/fd10n", params={"bukrs": "1000", "customer": "999999"})
    assert refused.status_code == 400 and "is not defined in company code" in refused.text
