"""Inbound IDocs over HTTP: posted (53), application error (51), not understood (56), BD87."""

from __future__ import annotations

import threading

import pytest

from sapgw.db import StorageUnavailable
from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.idoc import process_codes
from sapgw.gateway.idoc.store import PartnerProfile
from sapgw.gateway.idoc.xml_format import write_idoc_xml
from sapgw.gateway.runtime import Gateway
from tests.idoc.conftest import acc_document

JSON = {"Accept": "application/json", "Content-Type": "application/xml"}


def documents(gw: Gateway, reference: str) -> list[dict]:
    result = gw.destination("ERP").call("RFC_READ_TABLE", QUERY_TABLE="BKPF",
                                        FIELDS=[{"FIELDNAME": "BELNR"}],
                                        OPTIONS=[{"TEXT": f"XBLNR = '{reference}'"}])
    return result["DATA"]


def statuses(web, docnum: str) -> list[str]:
    return [s["STATUS"] for s in web.get(f"/api/idocs/{docnum}").json()["status"]]


def test_balanced_document_is_posted_and_ends_53(web, sapgw):
    answer = web.post("/sap/bc/idoc_xml", content=write_idoc_xml([acc_document("IDOC1")]),
                      headers=JSON)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["STATUS"] == "53" and len(result["DOCNUM"]) == 16
    assert (result["MESSAGES"][0]["ID"], result["MESSAGES"][0]["NUMBER"]) == ("RW", "605")
    assert len(documents(sapgw, "IDOC1")) == 1
    detail = web.get(f"/api/idocs/{result['DOCNUM']}").json()
    assert [s["STATUS"] for s in detail["status"]] == ["50", "64", "62", "53"]
    assert detail["control"]["DOCNUM"] == result["DOCNUM"]
    assert detail["control"]["STATUS"] == "53"
    assert detail["segments"][0] == {
        "SEGNAM": "E1BPACHE09", "SEGNUM": "000001", "PSGNUM": "000000", "HLEVEL": "01",
        "fields": {"BUS_ACT": "RFBU", "USERNAME": "IDOC", "HEADER_TXT": "IDoc posting",
                   "COMP_CODE": "1000", "DOC_DATE": "20261122", "PSTNG_DATE": "20261122",
                   "DOC_TYPE": "SA", "REF_DOC_NO": "IDOC1"}}
    assert "Document posted successfully" in detail["status"][-1]["TEXT"]


def test_unbalanced_document_ends_51_with_the_bapi_messages(web, sapgw):
    body = write_idoc_xml([acc_document("IDOC2", credit="90.00-")])
    result = web.post("/sap/bc/idoc_xml", content=body, headers=JSON).json()
    assert result["STATUS"] == "51"
    found = [(m["TYPE"], m["ID"], m["NUMBER"]) for m in result["MESSAGES"]]
    assert found[0] == ("E", "RW", "609") and ("E", "RW", "022") in found
    assert documents(sapgw, "IDOC2") == []
    last = web.get(f"/api/idocs/{result['DOCNUM']}").json()["status"][-1]
    assert last["STATUS"] == "51" and last["MESSAGES"] == result["MESSAGES"]
    assert "balance" in last["TEXT"].lower()


def test_unknown_type_and_missing_partner_profile_are_stored_with_56(web):
    unknown = acc_document("IDOC3")
    unknown.control.update(IDOCTYP="ZFOO01", MESTYP="ZFOO")
    stranger = acc_document("IDOC4", SNDPRN="STRANGER")
    results = web.post("/sap/bc/idoc_xml", content=write_idoc_xml([unknown, stranger]),
                       headers=JSON).json()
    assert [r["STATUS"] for r in results] == ["56", "56"]
    assert "ZFOO01 is not defined" in results[0]["MESSAGES"][0]["MESSAGE"]
    assert "No inbound partner profile for partner LS STRANGER" in (
        results[1]["MESSAGES"][0]["MESSAGE"])
    listed = web.get("/api/idocs", params={"status": "56"}).json()["idocs"]
    assert {i["DOCNUM"] for i in listed} == {r["DOCNUM"] for r in results}
    stored = web.get(f"/api/idocs/{results[0]['DOCNUM']}").json()
    assert stored["control"]["IDOCTYP"] == "ZFOO01" and len(stored["segments"]) == 5
    assert stored["status"][-1]["TEXT"].startswith("IDoc type ZFOO01 is not defined")


def test_malformed_xml_is_refused_and_a_broken_idoc_in_a_packet_is_kept(web):
    refused = web.post("/sap/bc/idoc_xml", content=b"<ACC_DOCUMENT03>\n<IDOC>", headers=JSON)
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("request line 2:")
    text = web.post("/sap/bc/idoc_xml", content=b"<<", headers={"Accept": "text/plain"})
    assert text.status_code == 400 and text.text.startswith("IDoc refused: request line 1")
    assert web.get("/api/idocs").json()["idocs"] == []
    good = write_idoc_xml([acc_document("IDOC5")]).decode()
    packet = good.replace("</ACC_DOCUMENT03>", '  <IDOC BEGIN="1"><E1BPACHE09 SEGMENT="1">'
                          "<COMP_CODE>1000</COMP_CODE></E1BPACHE09></IDOC>\n</ACC_DOCUMENT03>")
    results = web.post("/sap/bc/idoc_xml", content=packet.encode(), headers=JSON).json()
    assert [r["STATUS"] for r in results] == ["53", "56"]
    assert "does not start with EDI_DC40" in results[1]["MESSAGES"][0]["MESSAGE"]


def test_reprocess_after_fixing_the_partner_profile(web, sapgw):
    body = write_idoc_xml([acc_document("IDOC6", SNDPRN="NEWPARTNER")])
    first = web.post("/sap/bc/idoc_xml", content=body, headers=JSON).json()
    assert first["STATUS"] == "56"
    docnum = first["DOCNUM"]
    sapgw.idocs.store.put_partner(
        PartnerProfile("LS", "NEWPARTNER", "ACC_DOCUMENT", "BAPI"))
    again = web.post(f"/api/idocs/{docnum}/reprocess")
    assert again.status_code == 200 and again.json()["STATUS"] == "53"
    assert statuses(web, docnum) == ["50", "56", "64", "62", "53"]
    assert len(documents(sapgw, "IDOC6")) == 1
    refused = web.post(f"/api/idocs/{docnum}/reprocess")
    assert refused.status_code == 409 and "status 53" in refused.json()["message"]
    assert web.get("/api/idocs/0000000000009999").status_code == 404


def test_flat_file_is_taken_in_too_and_plain_text_answers(web, sapgw):
    from sapgw.gateway.idoc.flat_format import write_flat

    flat = write_flat([acc_document("IDOC7")])
    answer = web.post("/sap/bc/idoc_xml", content=flat.encode(),
                      headers={"Content-Type": "text/plain"})
    assert answer.status_code == 200 and answer.text.endswith("status 53\n")
    assert len(documents(sapgw, "IDOC7")) == 1
    assert web.get("/api/idocs", params={"mestyp": "ACC_DOCUMENT", "partner": "EXTCLNT100",
                                         "limit": 1}).json()["idocs"][0]["STATUS"] == "53"


def test_an_over_long_control_field_is_stored_with_56(web, sapgw):
    """SNDPRN has 10 characters: a longer one is kept and named, never a failed request (on
    PostgreSQL the header column would refuse it)."""
    body = write_idoc_xml([acc_document("IDOC9", SNDPRN="EXTCLNT100-LONG")])
    answer = web.post("/sap/bc/idoc_xml", content=body, headers=JSON)

    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["STATUS"] == "56"
    assert result["MESSAGES"][0]["MESSAGE"] == "EDI_DC40: SNDPRN longer than 10 characters"
    stored = web.get(f"/api/idocs/{result['DOCNUM']}").json()
    assert stored["control"]["SNDPRN"] == "EXTCLNT100-LONG"  # as it came
    assert documents(sapgw, "IDOC9") == []


def test_an_unknown_destination_gives_51_and_bd87_posts_once_it_is_fixed(web, sapgw):
    sapgw.idocs.store.put_partner(PartnerProfile("LS", "EXTCLNT100", "ACC_DOCUMENT", "BAPI",
                                                 destination="NOWHERE"))
    body = write_idoc_xml([acc_document("IDOC10")])
    first = web.post("/sap/bc/idoc_xml", content=body, headers=JSON).json()

    assert first["STATUS"] == "51"
    assert first["MESSAGES"][0]["MESSAGE"].startswith(
        "UnknownDestination: destination NOWHERE is not defined in config.ini")
    sapgw.idocs.store.put_partner(PartnerProfile("LS", "EXTCLNT100", "ACC_DOCUMENT", "BAPI"))
    again = web.post(f"/api/idocs/{first['DOCNUM']}/reprocess").json()
    assert again["STATUS"] == "53"
    assert statuses(web, first["DOCNUM"]) == ["50", "64", "62", "51", "64", "62", "53"]


def test_an_application_call_that_breaks_gives_51_not_a_stuck_62(web, sapgw, monkeypatch):
    def broken(idoc, erp):
        raise RuntimeError("mapping table missing")

    monkeypatch.setitem(process_codes.BAPI_HANDLERS, "ACC_DOCUMENT", broken)
    body = write_idoc_xml([acc_document("IDOC11")])
    answer = web.post("/sap/bc/idoc_xml", content=body, headers=JSON)

    assert answer.status_code == 200
    result = answer.json()
    assert result["STATUS"] == "51"
    assert result["MESSAGES"][0]["MESSAGE"] == "RuntimeError: mapping table missing"
    monkeypatch.undo()
    assert web.post(f"/api/idocs/{result['DOCNUM']}/reprocess").json()["STATUS"] == "53"


def test_a_reprocess_waits_for_another_claim_and_is_then_refused(web, sapgw):
    """Writing 64/62 under the EDIDC row lock is the claim: a second BD87 of the same IDoc
    waits for it and finds 62 (on PostgreSQL too, where reads do not wait by themselves)."""
    body = write_idoc_xml([acc_document("IDOC12", SNDPRN="LATER")])
    docnum = web.post("/sap/bc/idoc_xml", content=body, headers=JSON).json()["DOCNUM"]
    sapgw.idocs.store.put_partner(PartnerProfile("LS", "LATER", "ACC_DOCUMENT", "BAPI"))
    store = sapgw.idocs.store
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            outcome["result"] = sapgw.idocs.reprocess(docnum)
        except ActionRefused as refused:
            outcome["refused"] = str(refused)

    with sapgw.db.write() as conn:
        assert store.status(conn, docnum, lock=True) == "56"
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # it waits for this claim
        store.set_status(conn, docnum, "64", "IDoc ready to be transferred to application")
        store.set_status(conn, docnum, "62", "IDoc passed to application")
    thread.join(30)

    assert outcome == {"refused": f"IDoc {docnum} has status 62; only 50, 51, 56, 60, 63, "
                                  "64, 65, 66 can be processed"}
    assert documents(sapgw, "IDOC12") == []


def test_bad_list_and_profile_input_is_a_400(web):
    assert web.get("/api/idocs", params={"limit": 0}).status_code == 400
    long_partner = web.put("/api/idocs/partners/outbound/LS/PARTNER-TOO-LONG/ACC_DOCUMENT",
                           json={"RCVPOR": "EXTXML", "IDOCTYP": "ACC_DOCUMENT03"})
    assert long_partner.status_code == 400
    assert "RCVPRN 'PARTNER-TOO-LONG': at most 10 characters" in long_partner.json()["message"]


def test_an_idoc_the_database_failed_on_stays_in_50_for_bd87(web, sapgw, monkeypatch):
    store = sapgw.idocs.store
    set_statuses = store.set_statuses

    def failing_once(conn, docnum, steps):  # 64 and 62 are written together
        if steps[0][0] == "64" and docnum == "0000000000000001":
            raise StorageUnavailable("storage error after 5 tries: database is locked")
        set_statuses(conn, docnum, steps)

    monkeypatch.setattr(store, "set_statuses", failing_once)
    body = write_idoc_xml([acc_document("IDOC13"), acc_document("IDOC14")])
    first, second = web.post("/sap/bc/idoc_xml", content=body, headers=JSON).json()

    assert (first["STATUS"], second["STATUS"]) == ("50", "53")  # the other one went on
    assert first["MESSAGES"][0]["MESSAGE"] == (
        "not processed, stays for BD87: StorageUnavailable: storage error after 5 tries: "
        "database is locked")
    monkeypatch.undo()
    assert web.post(f"/api/idocs/{first['DOCNUM']}/reprocess").json()["STATUS"] == "53"
    assert len(documents(sapgw, "IDOC13")) == 1


def test_one_idoc_is_stored_and_checked_in_one_commit_or_not_at_all(sapgw, monkeypatch):
    """Issue 15: 50, 64 and 62 of a single IDoc commit together; a failure before that
    commit leaves no IDoc behind (the sender, unanswered, sends it again), never a 50 alone."""
    inbound, store = sapgw.idocs.inbound, sapgw.idocs.store

    def broken(conn, idocs, histories=None):  # the IDoc with its 50, 64 and 62
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "write", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        inbound.receive_xml(write_idoc_xml([acc_document("IDOC20")]))
    assert store.count() == 0
    monkeypatch.undo()
    result = inbound.receive_xml(write_idoc_xml([acc_document("IDOC20")]))[0]
    assert result["STATUS"] == "53" and result["DOCNUM"] == "0000000000000001"
    assert [s["STATUS"] for s in store.detail(result["DOCNUM"])["status"]] == [
        "50", "64", "62", "53"]
    assert len(documents(sapgw, "IDOC20")) == 1
