"""Outbound ACC_DOCUMENT IDocs: FI documents to XML-HTTP and file ports, 01/30/03/12, 02 and retry.

`responses` stands in for the partner's IDoc-XML endpoint; nothing leaves the process.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import requests
import responses
from sqlalchemy import select, update

from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.idoc.flat_format import parse_flat
from sapgw.gateway.idoc.outbound import X
from sapgw.gateway.idoc.ports import InvalidPort, Port
from sapgw.gateway.idoc.store import OutboundProfile
from sapgw.gateway.idoc.xml_format import parse_idoc_xml, write_idoc_xml
from sapgw.gateway.runtime import Gateway
from tests.idoc.conftest import acc_document, post_fi

URL = "http://partner.example/sap/bc/idoc_xml?sap-client=200"


def partner(gw: Gateway, port: Port, rcvprn: str = "PARTNER1", outmode: str = "2") -> None:
    gw.idocs.ports.put(port)
    gw.idocs.put_outbound_profile(OutboundProfile("LS", rcvprn, "ACC_DOCUMENT", port.PORT,
                                                  "ACC_DOCUMENT03", outmode))


def statuses(gw: Gateway, docnum: str) -> list[str]:
    return [s["STATUS"] for s in gw.idocs.detail(docnum)["status"]]


def send(gw: Gateway, rcvprn: str = "PARTNER1") -> dict:
    return gw.idocs.send_acc_documents("1000", "20261101", partner=rcvprn)


def test_document_goes_to_the_xml_http_port_once_and_ends_12(sapgw):
    belnr = post_fi(sapgw, "OUT1")
    partner(sapgw, Port("PARTNER", "XML-HTTP", url=URL))
    with responses.RequestsMock() as port:
        port.post(URL, body="IDoc 0000000000000009 status 53\n")
        sent = send(sapgw)
        assert sent["documents"] == 1 and sent["already_sent"] == 0
        [result] = sent["idocs"]
        assert result["STATUS"] == "12"
        assert port.calls[0].request.headers["Content-Type"].startswith("application/xml")
        [idoc] = parse_idoc_xml(port.calls[0].request.body)
        again = send(sapgw)  # BD10 remembers: nothing is sent twice
        assert again == {"documents": 1, "idocs": [], "already_sent": 1}
        assert len(port.calls) == 1
    c = idoc.control
    assert (c["DIRECT"], c["RCVPRN"], c["RCVPOR"], c["SNDPRN"], c["STATUS"]) == (
        "1", "PARTNER1", "PARTNER", "CRMCLNT100", "30")
    assert c["DOCNUM"] == result["DOCNUM"]
    header, gl1, gl2, cr1, cr2 = idoc.segments
    assert header.fields["OBJ_KEY"] == f"{belnr}10002026"  # type: ignore[index]
    assert header.fields["REF_DOC_NO"] == "OUT1"  # type: ignore[index]
    assert gl1.fields == {"ITEMNO_ACC": "0000000001", "GL_ACCOUNT": "0000113100",
                          "ITEM_TEXT": "Bank & more"}
    assert gl2.segnam == "E1BPACGL09"
    assert (cr1.fields["AMT_DOCCUR"], cr2.fields["AMT_DOCCUR"]) == (  # type: ignore[index]
        "100.00", "100.00-")
    assert statuses(sapgw, result["DOCNUM"]) == ["01", "30", "03", "12"]
    detail = sapgw.idocs.detail(result["DOCNUM"])
    assert detail["status"][-1]["TEXT"] == "Dispatch OK (HTTP 200 OK)"
    assert detail["status"][2]["TEXT"].startswith(
        "Data passed to port OK (POST http://partner.example/sap/bc/idoc_xml")
    assert detail["dispatch"]["attempts"] == 0 and detail["dispatch"]["next_try"] is None


def test_http_500_gives_02_and_the_retry_job_sends_it_again(sapgw, sapgw_clock):
    post_fi(sapgw, "OUT2")
    partner(sapgw, Port("PARTNER", "XML-HTTP", url=URL, retry_interval=60))
    with responses.RequestsMock() as port:
        port.post(URL, status=500, body="<html>database down</html>")
        port.post(URL, status=200, body="ok")
        [failed] = send(sapgw)["idocs"]
        docnum = failed["DOCNUM"]
        assert failed["STATUS"] == "02"
        assert failed["MESSAGES"][0]["MESSAGE"].startswith(
            "HTTP 500 Internal Server Error from http://partner.example")
        last = sapgw.idocs.detail(docnum)["status"][-1]
        assert last["TEXT"].startswith("Error passing data to port: HTTP 500")
        assert "<html>database down</html> (try 1 of 6; next at 12:01:00 UTC)" in last["TEXT"]
        assert sapgw.idocs.run_jobs() == {"files": 0, "retried": 0}  # not due yet
        sapgw_clock.advance(timedelta(seconds=60))
        assert sapgw.idocs.run_jobs() == {"files": 0, "retried": 1}
        assert len(port.calls) == 2
    assert statuses(sapgw, docnum) == ["01", "30", "02", "03", "12"]
    assert sapgw.idocs.detail(docnum)["dispatch"]["attempts"] == 1


def test_back_off_ends_and_bd87_resends(sapgw, sapgw_clock, web):
    post_fi(sapgw, "OUT3")
    partner(sapgw, Port("PARTNER", "XML-HTTP", url=URL, retry_count=1, retry_interval=10,
                        retry_backoff=3))
    with responses.RequestsMock() as port:
        port.post(URL, body=requests.ConnectionError("connection refused"))
        [first] = send(sapgw)["idocs"]
        docnum = first["DOCNUM"]
        assert "ConnectionError: connection refused" in first["MESSAGES"][0]["MESSAGE"]
        sapgw_clock.advance(timedelta(seconds=10))
        assert [r["STATUS"] for r in sapgw.idocs.outbound.retry_due()] == ["02"]
        assert "no automatic retry left, resend (BD87)" in (
            sapgw.idocs.detail(docnum)["status"][-1]["TEXT"])
        sapgw_clock.advance(timedelta(hours=1))
        assert sapgw.idocs.outbound.retry_due() == []
        port.replace(responses.POST, URL, body="ok")
        answer = web.post(f"/api/idocs/{docnum}/reprocess")
        assert answer.status_code == 200 and answer.json()["STATUS"] == "12"
    assert statuses(sapgw, docnum) == ["01", "30", "02", "02", "03", "12"]
    refused = web.post(f"/api/idocs/{docnum}/reprocess")
    assert refused.status_code == 409 and "status 12" in refused.json()["message"]


def test_file_port_collects_then_writes_flat_files(sapgw, tmp_path, web):
    post_fi(sapgw, "OUT4")
    post_fi(sapgw, "OUT5", amount="7.50")
    partner(sapgw, Port("FILEOUT", "FILE", directory=str(tmp_path / "out"), file_format="FLAT",
                        file_name="{RCVPRN}_{DOCNUM}.idoc"), outmode="4")
    collected = send(sapgw)["idocs"]
    assert [r["STATUS"] for r in collected] == ["30", "30"]
    assert not (tmp_path / "out").exists()
    dispatched = web.post("/api/idocs/outbound/dispatch").json()["idocs"]
    assert [r["STATUS"] for r in dispatched] == ["03", "03"]  # a file confirms nothing: no 12
    files = sorted((tmp_path / "out").iterdir())
    assert [f.name for f in files] == [f"PARTNER1_{r['DOCNUM']}.idoc" for r in collected]
    [idoc] = parse_flat(files[1].read_text(encoding="utf-8"))
    assert idoc.segments[-1].fields["AMT_DOCCUR"] == "7.50-"  # type: ignore[index]
    detail = sapgw.idocs.detail(collected[0]["DOCNUM"])
    assert [s["STATUS"] for s in detail["status"]] == ["01", "30", "03"]
    assert detail["status"][1]["TEXT"].endswith("port FILEOUT, collect IDocs")
    assert detail["status"][2]["TEXT"] == f"Data passed to port OK (file {files[0]})"


def test_unwritable_file_port_gives_02(sapgw, tmp_path):
    post_fi(sapgw, "OUT6")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    partner(sapgw, Port("FILEOUT", "FILE", directory=str(blocker)))
    [result] = send(sapgw)["idocs"]
    assert result["STATUS"] == "02"
    assert result["MESSAGES"][0]["MESSAGE"].startswith("file ")
    assert "not written" in result["MESSAGES"][0]["MESSAGE"]


def test_ports_and_profiles_are_checked(sapgw):
    with pytest.raises(InvalidPort) as bad:
        sapgw.idocs.ports.put(Port("toolongportname", "FTP", file_name="../x"))
    assert "1-10 characters" in str(bad.value) and "FTP" in str(bad.value)
    with pytest.raises(InvalidPort, match=r"unknown placeholder \{BELNR\}"):
        sapgw.idocs.ports.put(Port("F", "FILE", directory="/tmp", file_name="{BELNR}.xml"))
    with pytest.raises(InvalidPort, match="needs a url"):
        sapgw.idocs.ports.put(Port("H", "XML-HTTP"))
    with pytest.raises(ValueError, match="port NOPORT is not defined"):
        sapgw.idocs.put_outbound_profile(
            OutboundProfile("LS", "X", "ACC_DOCUMENT", "NOPORT", "ACC_DOCUMENT03"))
    with pytest.raises(ValueError, match="carries message type DEBMAS"):
        sapgw.idocs.put_outbound_profile(
            OutboundProfile("LS", "X", "ACC_DOCUMENT", "EXTXML", "DEBMAS07", "9"))
    # the defaults of partners.toml
    assert [p.PORT for p in sapgw.idocs.ports.all()] == ["EXTXML"]
    assert [(p.RCVPRN, p.RCVPOR) for p in sapgw.idocs.store.outbound_profiles()] == [
        ("EXTCLNT100", "EXTXML")]


def test_rest_send_list_by_direction_ports_and_partners(sapgw, web):
    post_fi(sapgw, "OUT7")
    web.post("/sap/bc/idoc_xml", content=write_idoc_xml([acc_document("IN7")]))
    put = web.put("/api/idocs/ports/PARTNER", json={"type": "XML-HTTP", "url": URL})
    assert put.status_code == 200 and put.json()["retry_count"] == 5
    assert web.put("/api/idocs/ports/BAD", json={"type": "XML-HTTP"}).status_code == 400
    assert web.put("/api/idocs/ports/BAD", json={"colour": "red"}).status_code == 400
    profile = web.put("/api/idocs/partners/outbound/LS/PARTNER1/ACC_DOCUMENT",
                      json={"RCVPOR": "PARTNER", "IDOCTYP": "ACC_DOCUMENT03"})
    assert profile.status_code == 200, profile.text
    with responses.RequestsMock() as port:
        port.post(URL)
        answer = web.post("/api/idocs/outbound/acc_document",
                          json={"company_code": "1000", "from_date": "20261101",
                                "partner": "PARTNER1"})
    assert answer.status_code == 200, answer.text
    sent = answer.json()["idocs"]  # OUT7 and the document the inbound IN7 posted
    assert answer.json()["documents"] == 2 and [r["STATUS"] for r in sent] == ["12", "12"]
    outbound = web.get("/api/idocs", params={"direction": "1"}).json()["idocs"]
    inbound = web.get("/api/idocs", params={"direction": "2"}).json()["idocs"]
    assert [i["DOCNUM"] for i in outbound] == [r["DOCNUM"] for r in reversed(sent)]
    assert [i["STATUS"] for i in inbound] == ["53"]
    assert web.get("/api/idocs", params={"partner": "PARTNER1"}).json()["idocs"] == outbound
    assert web.get("/api/idocs", params={"direction": "3"}).status_code == 400
    detail = web.get(f"/api/idocs/{sent[0]['DOCNUM']}").json()
    assert detail["dispatch"]["RCVPOR"] == "PARTNER" and len(detail["dispatch"]["TID"]) == 24
    assert inbound[0]["DOCNUM"] not in {p["DOCNUM"] for p in outbound}
    assert "dispatch" not in web.get(f"/api/idocs/{inbound[0]['DOCNUM']}").json()
    assert {p["PORT"] for p in web.get("/api/idocs/ports").json()} == {"EXTXML", "PARTNER"}
    partners = web.get("/api/idocs/partners").json()
    assert {p["RCVPRN"] for p in partners["outbound"]} == {"EXTCLNT100", "PARTNER1"}
    refused = web.post("/api/idocs/outbound/acc_document",
                       json={"company_code": "1000", "from_date": "20261101",
                             "partner": "NOBODY"})
    assert refused.status_code == 409 and "(WE20)" in refused.json()["message"]
    assert web.post("/api/idocs/outbound/acc_document",
                    json={"company_code": "1000", "from_date": "2026-11-01"}).status_code == 400


def test_a_new_partner_gets_what_others_had_before(sapgw, tmp_path):
    post_fi(sapgw, "OUT8")
    partner(sapgw, Port("FILEA", "FILE", directory=str(tmp_path / "a")), rcvprn="PARTNERA")
    assert len(send(sapgw, "PARTNERA")["idocs"]) == 1
    partner(sapgw, Port("FILEB", "FILE", directory=str(tmp_path / "b")), rcvprn="PARTNERB")
    with responses.RequestsMock() as port:  # the default partner EXTCLNT100 of partners.toml
        port.post("http://127.0.0.1:8090/sap/bc/idoc_xml?sap-client=100")
        result = sapgw.idocs.send_acc_documents("1000", "20261101")
    assert result["already_sent"] == 1
    assert sorted(r["STATUS"] for r in result["idocs"]) == ["03", "12"]
    assert len(list((tmp_path / "b").iterdir())) == 1


def test_an_idoc_that_does_not_fit_its_type_stays_in_26_and_a_lost_port_gives_02(sapgw):
    from sapgw.gateway.actions import ActionRefused

    service = sapgw.idocs
    profile = OutboundProfile("LS", "EXTCLNT100", "ACC_DOCUMENT", "GONE", "ACC_DOCUMENT03")
    bad = acc_document("OUT9", account="0" * 11)
    with sapgw.db.write() as conn:
        docnum = service.outbound.create(conn, bad, profile)
        good = service.outbound.create(conn, acc_document("OUT10"), profile)
    assert statuses(sapgw, docnum) == ["01", "26"]
    assert "GL_ACCOUNT longer than 10" in service.detail(docnum)["status"][-1]["TEXT"]
    with pytest.raises(ActionRefused, match="status 26"):
        service.reprocess(docnum)
    result = service.reprocess(good)
    assert result["STATUS"] == "02"
    assert result["MESSAGES"][0]["MESSAGE"] == "port GONE is not defined (WE21)"
    assert service.detail(good)["dispatch"]["next_try"] is None  # no retry policy to follow


def test_a_sender_waits_for_another_and_does_not_send_again(sapgw):
    """The dispatch row is locked before the status is read: a second sender that came while
    the first one finished (12, lease released) sees 12 and sends nothing (PostgreSQL)."""
    post_fi(sapgw, "OUT11")
    partner(sapgw, Port("PARTNER", "XML-HTTP", url=URL))
    outbound = sapgw.idocs.outbound
    outcome: dict[str, object] = {}
    with responses.RequestsMock() as port:
        port.post(URL, status=503, body="busy")
        [failed] = send(sapgw)["idocs"]
        docnum = failed["DOCNUM"]
        assert failed["STATUS"] == "02"

        def second() -> None:
            try:
                outcome["result"] = outbound.dispatch(docnum)
            except ActionRefused as refused:
                outcome["refused"] = str(refused)

        with sapgw.db.write() as conn:  # the first sender, finishing
            conn.execute(select(X).where(X.c.DOCNUM == docnum).with_for_update())
            thread = threading.Thread(target=second)
            thread.start()
            thread.join(0.5)
            sapgw.idocs.store.set_status(conn, docnum, "03", "Data passed to port OK")
            sapgw.idocs.store.set_status(conn, docnum, "12", "Dispatch OK")
            conn.execute(update(X).where(X.c.DOCNUM == docnum).values(lease_until=None,
                                                                      next_try=None))
        thread.join(30)
        assert len(port.calls) == 1
    assert outcome == {"refused": f"IDoc {docnum} has status 12; only 02, 30 can be sent"}


def test_an_unexpected_failure_while_sending_gives_02_and_frees_the_idoc(sapgw, monkeypatch):
    post_fi(sapgw, "OUT12")
    partner(sapgw, Port("PARTNER", "XML-HTTP", url=URL))

    def broken(*args, **kwargs):
        raise RuntimeError("codepage table missing")

    monkeypatch.setattr("sapgw.gateway.idoc.outbound.transfer", broken)
    [result] = send(sapgw)["idocs"]
    assert result["STATUS"] == "02"
    assert result["MESSAGES"][0]["MESSAGE"] == "RuntimeError: codepage table missing"
    monkeypatch.undo()
    with responses.RequestsMock() as port:
        port.post(URL)
        assert sapgw.idocs.reprocess(result["DOCNUM"])["STATUS"] == "12"  # not leased


def test_a_file_name_that_cannot_be_filled_in_is_refused_when_saved(sapgw):
    with pytest.raises(InvalidPort, match="Unknown format code"):
        sapgw.idocs.ports.put(Port("F", "FILE", directory="/tmp", file_name="{DOCNUM:d}.xml"))
    with pytest.raises(InvalidPort, match=re.escape("file_name '{}.xml'")):
        sapgw.idocs.ports.put(Port("F", "FILE", directory="/tmp", file_name="{}.xml"))
    port = Port("F", "FILE", directory="/tmp", file_name="{RCVPRN}.xml")
    assert port.output_file_name({"RCVPRN": "../etc"}) == ".._etc.xml"
