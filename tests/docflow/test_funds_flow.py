"""The document flow of seed 004 (issue 13): the funds scenario end to end, then its flow.

Through public interfaces only: BDocs sent with `Gateway.send`, the queues run with
`run_until_idle`, the flow read with `GET /api/flow/{key}`, checked against what SMW01
(`GET /api/bdocs/{id}`) and the ERP over RFC (IAOM_ASSIGNMENT_GET, RFC_READ_TABLE) say.
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway
from tests.monitor.conftest import send
from tests.scenarios.conftest import fund_posting, fund_usage, read_table, trade_promotion


def funds_end_to_end(gw: Gateway) -> dict[str, str]:
    """Trade promotion, fund usage with items 10 and 20, two accruals; all F04."""
    usage = fund_usage()
    usage["data"]["ITEMS"].append({"ITEM_ID": "20", "AMOUNT": "500.00"})
    second = fund_posting("FPO2", "125.50")
    second["data"]["HEADER"]["FU_ITEM"] = "20"
    ids = {name: send(gw, payload) for name, payload in (
        ("TPM", trade_promotion()), ("FU", usage), ("FPO1", fund_posting("FPO1")),
        ("FPO2", second))}
    gw.run_until_idle()
    assert {gw.bdoc(b)["state"] for b in ids.values()} == {"F04"}
    return ids


def flow(http: TestClient, key: str) -> dict[str, Any]:
    answer = http.get(f"/api/flow/{key}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def of(body: dict[str, Any], object_type: str) -> list[dict[str, Any]]:
    return [e for e in body["entries"] if e["object_type"] == object_type]


def children(body: dict[str, Any], entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in body["entries"] if e["parent"] == entry["seq"]]


def test_the_fund_usage_id_shows_bdocs_luws_iaom_orders_and_fi_documents(sapgw: Gateway,
                                                                         http: TestClient):
    ids = funds_end_to_end(sapgw)
    body = flow(http, "1791")
    assert body["found_as"] == ["fund usage (CRM_FM_FU HEADER.FU_ID)",
                                "fund usage (CRM_FM_FPO HEADER.FU_ID)"]
    assert body["problems"] == []
    bdocs = [e for e in body["entries"] if e["kind"] == "BDOC"]
    # The fund usage and its postings, in the order they were sent; not the promotion.
    assert [e["object_id"] for e in bdocs] == [ids["FU"], ids["FPO1"], ids["FPO2"]]
    assert [(e["object_type"], e["status"], e["system"]) for e in bdocs] == [
        ("CRM_FM_FU", "F04", "CRM"), ("CRM_FM_FPO", "F04", "CRM"), ("CRM_FM_FPO", "F04", "CRM")]

    # Each BDoc's LUW carries the TID SMW01 shows, and the ERP's ARFCRSTATE ran that TID.
    for bdoc in bdocs:
        [receiver] = http.get(f"/api/bdocs/{bdoc['object_id']}").json()["receivers"]
        [luw] = children(body, bdoc)
        assert (luw["kind"], luw["object_type"], luw["tid"], luw["status"]) == (
            "LUW", "SMQ1", receiver["tid"], "CONFIRMED")
        assert receiver["queue"] in luw["text"]
        [ran] = [e for e in children(body, luw) if e["object_type"] == "ARFCRSTATE"]
        assert (ran["system"], ran["tid"]) == ("ERP", receiver["tid"])
        assert ran["status"] in ("EXECUTED", "CONFIRMD")

    # The IAOM assignment of each item and the internal order behind it, as IAOMC has them.
    assignments = of(body, "IAOM_ASSIGNMENTS")
    assert [a["object_id"] for a in assignments] == [
        "CRMFM 00000000000000001791/10", "CRMFM 00000000000000001791/20"]
    for assignment in assignments:
        key = assignment["object_id"].split()[1]
        expected = http.post("/sap/bc/rfc/IAOM_ASSIGNMENT_GET", json={
            "BUS_SCENARIO_ID": "CRMFM", "EXT_OBJECT_ID": key}).json()["ES_ASSIGNMENT"]
        [order] = children(body, assignment)
        assert order["object_type"] == "AUFK"
        assert order["object_id"] == expected["AUFNR"].lstrip("0")
        assert order["link"] == f"/ko03?aufnr={order['object_id']}"
        assert assignment["date_only"] and assignment["at"] == "2026-11-22"

    # The accrual documents, found in BKPF by their reference (XBLNR = fund posting id).
    documents = of(body, "BKPF")
    for fpo_id, document in zip(("FPO1", "FPO2"), documents, strict=True):
        [row] = read_table(http, "BKPF", ["BUKRS", "BELNR", "GJAHR"], f"XBLNR = '{fpo_id}'")
        assert document["object_id"] == f"{row['BUKRS']} {row['BELNR']} {row['GJAHR']}"
        assert f"reference {fpo_id}" in document["text"] and document["status"] == "posted"
    assert "250.00 EUR" in documents[0]["text"] and "125.50 EUR" in documents[1]["text"]


def test_the_flow_is_in_order_and_every_link_opens(sapgw: Gateway, http: TestClient):
    funds_end_to_end(sapgw)
    body = flow(http, "1791")
    seen: set[int] = set()
    stamps = [e["sort_at"] for e in body["entries"]]
    assert stamps == sorted(stamps)
    for entry in body["entries"]:
        assert entry["parent"] is None or entry["parent"] in seen  # the cause comes first
        seen.add(entry["seq"])
        if entry["link"]:
            assert http.get(entry["link"]).status_code == 200, entry["link"]


def test_a_fund_posting_id_shows_only_that_posting(sapgw: Gateway, http: TestClient):
    ids = funds_end_to_end(sapgw)
    body = flow(http, "FPO2")
    assert body["found_as"] == ["fund posting (CRM_FM_FPO HEADER.FPO_ID)"]
    assert [e["object_id"] for e in body["entries"] if e["kind"] == "BDOC"] == [ids["FPO2"]]
    [document] = of(body, "BKPF")
    assert "reference FPO2" in document["text"]
    assert [a["object_id"] for a in of(body, "IAOM_ASSIGNMENTS")] == [
        "CRMFM 00000000000000001791/20"]


def test_a_trade_promotion_shows_its_project(sapgw: Gateway, http: TestClient):
    ids = funds_end_to_end(sapgw)
    body = flow(http, "TPM1")
    assert [e["object_id"] for e in body["entries"] if e["kind"] == "BDOC"] == [ids["TPM"]]
    [project] = of(body, "PROJ")
    assert project["link"] == "/cj20n?project=TPM1" and "1 WBS element" in project["text"]


def test_a_tid_or_bdoc_id_shows_its_bdoc(sapgw: Gateway, http: TestClient):
    ids = funds_end_to_end(sapgw)
    [receiver] = sapgw.bdoc(ids["FPO1"])["receivers"]
    by_tid = flow(http, receiver["tid"])
    assert by_tid["found_as"] == ["TID of a BDoc's LUW"]
    assert [e["object_id"] for e in by_tid["entries"] if e["kind"] == "BDOC"] == [ids["FPO1"]]
    by_id = flow(http, ids["FPO1"].lower())
    assert by_id["found_as"] == ["BDoc id"]
    assert [e["object_type"] for e in by_id["entries"]] == [
        e["object_type"] for e in by_tid["entries"]]


def test_a_queued_bdoc_shows_its_waiting_flow_luw(sapgw: Gateway, http: TestClient):
    bdoc = send(sapgw, fund_usage("4711"))  # not run: the flow LUW waits in SMQ2
    body = flow(http, "4711")
    [entry, luw, missing] = body["entries"]
    assert (entry["object_id"], entry["status"]) == (bdoc, "I01")
    assert (luw["object_type"], luw["status"], luw["parent"]) == ("SMQ2", "QUEUED", 1)
    assert luw["link"] == "/smq2/CSAFMFU4711"
    # What the scenario links is looked for, and the flow says it is not in the ERP (yet).
    assert (missing["object_type"], missing["status"], missing["parent"]) == (
        "IAOMC", "not found", luw["seq"])
    assert missing["text"] == "IAOMC CRMFM 00000000000000004711/10: not in the ERP"


def test_nothing_found_is_404_and_a_key_that_cannot_be_one_400(sapgw: Gateway,
                                                              http: TestClient):
    answer = http.get("/api/flow/NOSUCHKEY")
    assert answer.status_code == 404
    assert answer.json()["message"].startswith("nothing found for key 'NOSUCHKEY'")
    assert answer.json()["entries"] == []
    assert http.get(f"/api/flow/{'X' * 41}").status_code == 400


def test_an_unreachable_erp_still_shows_the_gateway_half(sapgw: Gateway, http: TestClient,
                                                         monkeypatch):
    from sapgw.rfc.errors import CommunicationError

    funds_end_to_end(sapgw)

    def down(name: str) -> Any:
        raise CommunicationError("RFC_COMMUNICATION_FAILURE", "connection refused")

    monkeypatch.setattr(sapgw, "destination", down)
    body = flow(http, "1791")
    assert len([e for e in body["entries"] if e["kind"] == "BDOC"]) == 3
    assert not [e for e in body["entries"] if e["system"] == "ERP"]
    assert len(body["problems"]) == 1 and "connection refused" in body["problems"][0]
