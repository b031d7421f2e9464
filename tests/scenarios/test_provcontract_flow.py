"""Seed 002, first step: a CRM provider contract replicated to FI-CA over the middleware,
then changed with a change reason; the ERP keeps the earlier item versions."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway

from .conftest import read_table


def in_session(http: TestClient, function: str, **params: Any) -> dict[str, Any]:
    """One BAPI and BAPI_TRANSACTION_COMMIT over JSON RFC in one session (one LUW)."""
    opened = http.post(f"/sap/bc/rfc/{function}", headers={"sap-contextid-accept": "header"},
                       json=params)
    assert opened.status_code == 200, opened.text
    result = dict(opened.json())
    assert [row["TYPE"] for row in result["RETURN"]] == ["S"], result["RETURN"]
    http.post("/sap/bc/rfc/BAPI_TRANSACTION_COMMIT", json={}, headers={
        "sap-contextid": opened.headers["sap-contextid"], "sap-contextid-close": "X"})
    return result


def account(http: TestClient, gpart: str, number: str = "") -> str:
    return str(in_session(http, "BAPI_CTRACCONTRACTACCOUNT_CREATE", CONTRACTACCOUNT=number,
                          CTRACHEADERIN={"ACCT_CAT": "01"},
                          CTRACPARTNERDETAILIN={"BUSPARTNER": gpart,
                                                "STANDARD_COMP_CODE": "1000",
                                                "ACCT_DETERM_ID": "01"})["CONTRACTACCOUNTOUT"])


def master_data(http: TestClient) -> tuple[str, str]:
    """A business partner and its contract account, created over JSON RFC."""
    gpart = str(in_session(http, "BAPI_BUPA_CREATE_FROM_DATA", PARTNERCATEGORY="2",
                           CENTRALDATAORGANIZATION={"NAME1": "Telco Customer GmbH"}
                           )["BUSINESSPARTNER"])
    return gpart, account(http, gpart)


def provider_contract(gpart: str, vkont: str, service_total: str = "30.00",
                      reason: str = "", service_end: str = "2027-11-30") -> dict[str, Any]:
    return {"type": "CRM_PROVCONTRACT", "sender": "CRM", "data": {
        "HEADER": {"CONTRACT_ID": "PC-4711", "PARTNER": gpart, "DESCRIPTION": "Mobile bundle",
                   "COMP_CODE": "1000", "VALID_FROM": "2026-12-01"},
        "ITEMS": [
            {"ITEM_NO": "10", "PRODUCT": "DEVICE", "CONTRACT_ACCOUNT": vkont,
             "VALID_FROM": "2026-12-01", "VALID_TO": "2027-11-30", "QUANTITY": "2",
             "UNIT": "PC", "RA_RELEVANT": "X", "SERVICE_TYPE": "RECFEE",
             "TOTAL_PRICE": "90.00", "CURRENCY": "EUR", "TOTAL_SSP": "100.00"},
            {"ITEM_NO": "20", "PRODUCT": "SERVICE", "CONTRACT_ACCOUNT": vkont,
             "VALID_FROM": "2026-12-01", "VALID_TO": service_end, "RA_RELEVANT": "X",
             "SERVICE_TYPE": "RECFEE", "PRICE": "2.50", "TOTAL_PRICE": service_total,
             "CURRENCY": "EUR", "PERIOD_UNIT": "MON", "PERIOD_LENGTH": "1",
             "CHANGE_REASON": reason}],
        "SERVICE_TYPES": [{"ITEM_NO": "20", "SERVICE_TYPE": "USAGE"}]}}


def send(http: TestClient, payload: dict[str, Any]) -> str:
    response = http.post("/api/bdocs", json=payload)
    assert response.status_code == 201, response.text
    return str(response.json()["bdoc_id"])


def test_contract_and_its_renewal_reach_fica_with_item_versions(sapgw: Gateway,
                                                                http: TestClient) -> None:
    gpart, vkont = master_data(http)
    first = send(http, provider_contract(gpart, vkont))
    renewal = send(http, provider_contract(gpart, vkont, "36.00", "RN", "2028-11-30"))
    sapgw.run_until_idle()

    for bdoc_id in (first, renewal):
        detail = http.get(f"/api/bdocs/{bdoc_id}").json()
        assert detail["state"] == "F04", [e["message"] for e in detail["log"]]
        assert [r["queue"] for r in detail["receivers"]] == ["R3AUPRVCT" + "PC-4711"]
    assert read_table(http, "DFKK_VT_H", ["VTKEY", "GPART", "VTALT", "VTBEG", "VTVRS"]) == [
        {"VTKEY": "PC-4711", "GPART": gpart, "VTALT": "PC-4711", "VTBEG": "20261201000000",
         "VTVRS": "000002"}]
    assert read_table(http, "DFKK_VT_IV", ["VTPOS", "VERSN", "CHIND", "VALTO", "TRPRC_TOTAL",
                                           "CHRSN", "CHANGED_FIELDS"]) == [
        {"VTPOS": "000010", "VERSN": "0001", "CHIND": "I", "VALTO": "20271130235959",
         "TRPRC_TOTAL": "90.00", "CHRSN": "", "CHANGED_FIELDS": ""},
        {"VTPOS": "000020", "VERSN": "0001", "CHIND": "I", "VALTO": "20271130235959",
         "TRPRC_TOTAL": "30.00", "CHRSN": "", "CHANGED_FIELDS": ""},
        {"VTPOS": "000020", "VERSN": "0002", "CHIND": "U", "VALTO": "20281130235959",
         "TRPRC_TOTAL": "36.00", "CHRSN": "RN",
         "CHANGED_FIELDS": "VALTO,TRPRC_TOTAL,CHRSN,RA_REFID"}]
    assert read_table(http, "DFKK_VT_I", ["VTPOS", "SSPRC_TOTAL", "QUANTITY", "VERSN"]) == [
        {"VTPOS": "000010", "SSPRC_TOTAL": "100.00", "QUANTITY": "2.000", "VERSN": "0001"},
        {"VTPOS": "000020", "SSPRC_TOTAL": "0.00", "QUANTITY": "0.000", "VERSN": "0002"}]
    assert read_table(http, "DFKK_VT_ST", ["VTPOS", "SERVICE_TYPE"]) == [
        {"VTPOS": "000020", "SERVICE_TYPE": "USAGE"}]


def test_an_unknown_contract_account_fails_in_the_erp_until_it_exists(
        sapgw: Gateway, http: TestClient) -> None:
    gpart, _ = master_data(http)
    bdoc_id = send(http, provider_contract(gpart, "999999"))
    sapgw.run_until_idle()

    detail = http.get(f"/api/bdocs/{bdoc_id}").json()
    assert detail["state"] != "F04"
    assert detail["receivers"][0]["state"] == "ERROR"
    texts = [entry["message"] for entry in detail["log"]]
    assert "Contract account 000000999999 does not exist" in texts
    assert read_table(http, "DFKK_VT_H", ["VTKEY"]) == []

    account(http, gpart, "999999")
    assert http.post(f"/api/bdocs/{bdoc_id}/reprocess").status_code == 200
    sapgw.run_until_idle()
    assert http.get(f"/api/bdocs/{bdoc_id}").json()["state"] == "F04"
    assert read_table(http, "DFKK_VT_I", ["VTPOS", "VKONT"]) == [
        {"VTPOS": "000010", "VKONT": "000000999999"}, {"VTPOS": "000020", "VKONT": "000000999999"}]
