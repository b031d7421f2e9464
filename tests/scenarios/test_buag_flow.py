"""FI-CA master data over the middleware: a CRM business partner with its business agreement
(BDoc BUAG_MAIN, adapter object BUAG_MAIN) creates and changes the ERP's business partner
(BUT000) and contract account (FKKVK/FKKVKP), which a provider contract then uses; what the
ERP refuses ends the BDoc in error (E06, its queue in SYSFAIL) with the ERP's message and is
reprocessed once the cause is corrected."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway

from .conftest import read_table
from .test_provcontract_flow import in_session, provider_contract, send


def agreement(buag_id: str = "000000700001", partner: str = "0000700001",
              person: dict[str, Any] | None = None, **header: str) -> dict[str, Any]:
    data: dict[str, Any] = {"HEADER": {
        "BUAG_ID": buag_id, "PARTNER": partner, "DESCRIPTION": "Mobile", "ACCT_CAT": "01",
        "COMP_CODE": "1000", "ACCT_DETERM_ID": "01", "INV_CURRENCY": "EUR", **header}}
    if person is not None:
        data["PARTNER"] = person
    return {"type": "BUAG_MAIN", "sender": "CRM", "data": data}


TELCO = {"CATEGORY": "2", "NAME_ORG1": "Telco Customer GmbH"}


def state(gateway: Gateway, bdoc_id: str) -> tuple[str, list[str]]:
    detail = gateway.bdoc(bdoc_id)
    return detail["state"], [entry["message"] for entry in detail["log"]]


def test_partner_and_account_are_created_changed_and_used(sapgw: Gateway,
                                                          http: TestClient) -> None:
    created = send(http, agreement(person=TELCO))
    sapgw.run_until_idle()
    assert state(sapgw, created)[0] == "F04", state(sapgw, created)
    assert [r["queue"] for r in sapgw.bdoc(created)["receivers"]] == ["R3AUBUAG700001"]
    assert read_table(http, "BUT000", ["PARTNER", "TYPE", "NAME_ORG1", "BU_SORT1"]) == [
        {"PARTNER": "0000700001", "TYPE": "2", "NAME_ORG1": "Telco Customer GmbH",
         "BU_SORT1": "TELCO CUSTOMER GMBH"}]
    assert read_table(http, "FKKVK", ["VKONT", "VKTYP", "APPLK", "VKBEZ"]) == [
        {"VKONT": "000000700001", "VKTYP": "01", "APPLK": "C", "VKBEZ": "Mobile"}]

    changed = send(http, agreement(person={**TELCO, "NAME_ORG1": "Telco Kunde AG"},
                                   DESCRIPTION="Mobile and TV", ACCT_DETERM_ID="02"))
    sapgw.run_until_idle()
    assert state(sapgw, changed)[0] == "F04", state(sapgw, changed)
    assert read_table(http, "BUT000", ["NAME_ORG1"]) == [{"NAME_ORG1": "Telco Kunde AG"}]
    assert read_table(http, "FKKVK", ["VKBEZ"]) == [{"VKBEZ": "Mobile and TV"}]
    assert read_table(http, "FKKVKP", ["VKONT", "GPART", "STDBK", "OPBUK", "KOFIZ",
                                       "INV_CURR"]) == [
        {"VKONT": "000000700001", "GPART": "0000700001", "STDBK": "1000", "OPBUK": "1000",
         "KOFIZ": "02", "INV_CURR": "EUR"}]

    contract = send(http, provider_contract("0000700001", "000000700001"))
    sapgw.run_until_idle()
    assert state(sapgw, contract)[0] == "F04", state(sapgw, contract)


def test_an_unknown_partner_fails_and_is_reprocessed_once_it_exists(
        sapgw: Gateway, http: TestClient) -> None:
    bdoc = send(http, agreement())                  # no PARTNER segment: it must exist
    sapgw.run_until_idle()
    current, log = state(sapgw, bdoc)
    assert current == "E06", log      # outbound processing failed: the ERP refused it
    assert ("Site ERP: queue R3AUBUAG700001 in SYSFAIL: R11 901 Business partner 0000700001 "
            "does not exist") in log
    assert read_table(http, "FKKVK", ["VKONT"]) == []

    in_session(http, "BAPI_BUPA_CREATE_FROM_DATA", BUSINESSPARTNEREXTERN="0000700001",
               PARTNERCATEGORY="1", CENTRALDATAPERSON={"LASTNAME": "Muster"})
    assert http.post(f"/api/bdocs/{bdoc}/reprocess").status_code == 200
    sapgw.run_until_idle()
    assert state(sapgw, bdoc)[0] == "F04"
    assert read_table(http, "FKKVKP", ["VKONT", "GPART"]) == [
        {"VKONT": "000000700001", "GPART": "0000700001"}]


def test_an_unknown_company_code_saves_nothing(sapgw: Gateway, http: TestClient) -> None:
    bdoc = send(http, agreement(person=TELCO, COMP_CODE="9999"))
    sapgw.run_until_idle()
    current, log = state(sapgw, bdoc)
    assert current == "E06", log
    assert ("Site ERP: queue R3AUBUAG700001 in SYSFAIL: FKK_CI 004 Company code 9999 is not "
            "defined") in log
    assert read_table(http, "BUT000", ["PARTNER"]) == []
    assert read_table(http, "FKKVK", ["VKONT"]) == []
