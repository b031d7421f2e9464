"""Inbound IDocs over HTTP: posted (53), application error (51), not understood (56), BD87."""

from __future__ import annotations

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
