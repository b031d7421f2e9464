"""Inbound file port: files read, stored, processed and moved; nothing a partner sends is lost."""

from __future__ import annotations

from sapgw.db import StorageUnavailable
from sapgw.gateway.idoc.flat_format import write_flat
from sapgw.gateway.idoc.ports import Port
from sapgw.gateway.idoc.xml_format import write_idoc_xml
from tests.idoc.conftest import acc_document
from tests.idoc.test_inbound import documents


def test_directory_files_are_taken_in_and_moved(sapgw, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a_good.xml").write_bytes(write_idoc_xml([acc_document("FILE1")]))
    (inbox / "b_good.txt").write_text(write_flat([acc_document("FILE2")]), encoding="utf-8")
    (inbox / "c_garbage.xml").write_bytes(b"<ACC_DOCUMENT03>\n<IDOC>")
    lines = write_flat([acc_document("FILE3")]).splitlines()
    lines[1] += "overflow"
    (inbox / "d_partly.txt").write_text("\n".join(lines), encoding="utf-8")
    (inbox / ".hidden.xml").write_text("not yet")
    (inbox / "e_still_writing.xml.part").write_text("not yet")

    results = {r.file.rsplit("/", 1)[-1]: r for r in sapgw.idocs.receive_directory(inbox)}
    assert sorted(results) == ["a_good.xml", "b_good.txt", "c_garbage.xml", "d_partly.txt"]
    assert [i["STATUS"] for i in results["a_good.xml"].idocs] == ["53"]
    assert [i["STATUS"] for i in results["b_good.txt"].idocs] == ["53"]
    assert len(documents(sapgw, "FILE1")) == 1 and len(documents(sapgw, "FILE2")) == 1
    assert results["c_garbage.xml"].idocs == []
    assert results["c_garbage.xml"].error.startswith("XmlError: c_garbage.xml line 2")
    [partly] = results["d_partly.txt"].idocs
    assert partly["STATUS"] == "56"
    assert "d_partly.txt line 2: data record longer than 1063" in partly["MESSAGES"][0][
        "MESSAGE"]
    assert documents(sapgw, "FILE3") == []

    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["a_good.xml",
                                                                       "b_good.txt"]
    assert sorted(p.name for p in (inbox / "error").iterdir()) == [
        "c_garbage.xml", "c_garbage.xml.reason.txt", "d_partly.txt"]
    reason = (inbox / "error" / "c_garbage.xml.reason.txt").read_text()
    assert reason.startswith("XmlError: c_garbage.xml line 2")
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == [
        ".hidden.xml", "e_still_writing.xml.part"]
    assert list((inbox / "work").iterdir()) == []

    (inbox / "a_good.xml").write_bytes(write_idoc_xml([acc_document("FILE4")]))
    sapgw.idocs.receive_directory(inbox)  # the same name again: the first is not overwritten
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == [
        "a_good.1.xml", "a_good.xml", "b_good.txt"]


def test_the_job_polls_file_ports(sapgw, tmp_path):
    inbox = tmp_path / "partner-in"
    sapgw.idocs.ports.put(Port("FILEIN", "FILE", inbound_directory=str(inbox)))
    assert sapgw.idocs.run_jobs() == {"files": 0, "retried": 0}  # no directory yet: logged
    inbox.mkdir()
    (inbox / "1.xml").write_bytes(write_idoc_xml([acc_document("JOB1")]))
    assert sapgw.idocs.run_jobs() == {"files": 1, "retried": 0}
    assert len(documents(sapgw, "JOB1")) == 1
    assert (inbox / "processed" / "1.xml").exists()


def test_a_file_whose_idocs_cannot_be_stored_waits_for_the_next_poll(sapgw, tmp_path,
                                                                     monkeypatch):
    inbox = tmp_path / "partner-in"
    inbox.mkdir()
    sapgw.idocs.ports.put(Port("FILEIN", "FILE", inbound_directory=str(inbox)))
    (inbox / "1.xml").write_bytes(write_idoc_xml([acc_document("JOB2")]))

    def unavailable(idocs):
        raise StorageUnavailable("storage error after 5 tries: database is locked")

    monkeypatch.setattr(sapgw.idocs.inbound, "store_all", unavailable)
    assert sapgw.idocs.run_jobs() == {"files": 0, "retried": 0}  # logged, the job goes on
    assert [p.name for p in inbox.iterdir() if p.is_file()] == ["1.xml"]
    assert sapgw.idocs.store.count() == 0

    monkeypatch.undo()
    assert sapgw.idocs.run_jobs() == {"files": 1, "retried": 0}
    assert len(documents(sapgw, "JOB2")) == 1
    assert [p.name for p in (inbox / "processed").iterdir()] == ["1.xml"]
