"""The document flow of IDocs (inbound: the document it posted; outbound: the FI document it
carries) and of a customer the ERP sends to CRM (its queue and LUWs on both sides)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from sapgw.gateway.idoc.ports import Port
from sapgw.gateway.idoc.xml_format import write_idoc_xml
from sapgw.gateway.runtime import Gateway
from tests.docflow.test_funds_flow import flow, funds_end_to_end, of
from tests.idoc.conftest import acc_document
from tests.idoc.test_outbound import partner
from tests.scenarios.test_erp_to_crm import change_city, create_customer

XML = {"Accept": "application/json", "Content-Type": "application/xml"}


def test_an_inbound_idoc_shows_its_statuses_and_the_document_it_posted(sapgw: Gateway,
                                                                        http: TestClient):
    answer = http.post("/sap/bc/idoc_xml", content=write_idoc_xml([acc_document("IDOC7")]),
                       headers=XML).json()
    docnum = answer["DOCNUM"]
    for key in (docnum, docnum.lstrip("0")):  # with or without leading zeros
        body = flow(http, key)
        assert body["found_as"] == ["IDoc number"]
        [idoc, document] = body["entries"]
        assert (idoc["kind"], idoc["object_id"], idoc["status"]) == ("IDOC", docnum, "53")
        assert [s["STATUS"] for s in idoc["details"]["status"]] == ["50", "64", "62", "53"]
        assert idoc["text"].startswith("inbound IDoc ACC_DOCUMENT (ACC_DOCUMENT03) from "
                                       "EXTCLNT100 to ERPCLNT100")
        assert idoc["link"] == f"/api/idocs/{docnum}"
        # RW 605 names the document by AWTYP/AWKEY; BKPF has it with the IDoc's reference.
        assert (document["object_type"], document["parent"]) == ("BKPF", idoc["seq"])
        assert "reference IDOC7" in document["text"]


def test_a_fund_postings_flow_ends_in_the_idoc_its_document_went_out_in(
        sapgw: Gateway, http: TestClient, tmp_path: Path):
    funds_end_to_end(sapgw)
    partner(sapgw, Port("FILEOUT", "FILE", directory=str(tmp_path), file_format="FLAT",
                        file_name="{RCVPRN}_{DOCNUM}.idoc"))
    sent = sapgw.idocs.send_acc_documents("1000", "20261101", partner="PARTNER1")
    assert sent["documents"] == 2
    body = flow(http, "FPO1")
    [document] = of(body, "BKPF")
    [idoc] = [e for e in body["entries"] if e["kind"] == "IDOC"]
    assert idoc["parent"] == document["seq"]
    assert idoc["text"].startswith("outbound IDoc ACC_DOCUMENT (ACC_DOCUMENT03)")
    assert idoc["object_id"] in {r["DOCNUM"] for r in sent["idocs"]}
    # The outbound IDoc's TID (its tRFC unit) finds it again.
    by_tid = flow(http, idoc["tid"])
    assert by_tid["found_as"] == ["TID of an outbound IDoc"]
    assert by_tid["entries"][0]["object_id"] == idoc["object_id"]


def test_a_customer_shows_the_erps_queue_then_the_units_and_bdocs_in_crm(sapgw: Gateway,
                                                                        http: TestClient):
    kunnr = create_customer(sapgw)
    change_city(sapgw, kunnr, "Berlin")
    queue = f"R3AD_CUSTOME{kunnr}"

    waiting = flow(http, kunnr.lstrip("0"))  # still in the ERP: its SMQ1 and TRFCQOUT
    assert waiting["found_as"] == [f"customer (queue {queue})"]
    [smq1] = of(waiting, "SMQ1")
    assert (smq1["system"], smq1["kind"], smq1["link"]) == ("ERP", "ERP_QUEUE", "/erp/smq1")
    held = of(waiting, "TRFCQOUT")
    assert held and {e["status"] for e in held} == {"QUEUED"}
    erp_tids = [e["tid"] for e in held]

    sapgw.run_until_idle()
    done = flow(http, kunnr)
    assert done["found_as"] == ["customer (BUPA_MAIN HEADER.KUNNR)",
                                f"customer (queue {queue})"]
    assert not of(done, "TRFCQOUT") and not of(done, "SMQ1")  # delivered: gone from the ERP
    # The units the gateway received carry the ERP's TIDs, and come before the BDocs.
    units = of(done, "ARFCRSTATE")
    assert [u["tid"] for u in units] == erp_tids
    assert all(u["system"] == "CRM" for u in units)
    bdocs = [e for e in done["entries"] if e["kind"] == "BDOC"]
    assert {b["object_type"] for b in bdocs} == {"BUPA_MAIN"} and len(bdocs) == len(units)
    assert done["entries"].index(units[-1]) < done["entries"].index(bdocs[0])
    [customer] = of(done, "KNA1")
    assert customer["object_id"] == kunnr and "Berlin" in customer["text"]
    # A received unit's TID leads to the customer's BDocs too.
    by_tid = flow(http, erp_tids[0])
    assert "TID of a unit the gateway received" in by_tid["found_as"]
    assert {e["object_id"] for e in by_tid["entries"] if e["kind"] == "BDOC"} == {
        b["object_id"] for b in bdocs}
