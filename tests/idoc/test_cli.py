"""`sapgw idoc …` in-process on a temporary config.ini: send, list, show, partner, reprocess."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sapgw.gateway.cli import main
from sapgw.gateway.idoc.flat_format import write_flat
from tests.idoc.conftest import acc_document

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, config: Path, *args: str) -> str:
    assert main(["--config", str(config), "idoc", *args]) == 0
    return capsys.readouterr().out


def test_send_list_show_fix_partner_and_reprocess(tmp_path, capsys):
    config = tmp_path / "config.ini"
    shutil.copy(ROOT / "config.ini", config)
    text = config.read_text().replace("sqlite:///var/", f"sqlite:///{tmp_path}/")
    config.write_text(text)
    file = tmp_path / "idoc.txt"
    file.write_text(write_flat([acc_document("CLI1", SNDPRN="CLIPARTNER")]))
    [sent] = json.loads(run(capsys, config, "--json", "send", str(file)))
    assert sent["STATUS"] == "56"
    assert sent["DOCNUM"] in run(capsys, config, "list", "--status", "56")
    assert "E1BPACHE09" in run(capsys, config, "show", sent["DOCNUM"])
    assert "CLIPARTNER" in run(capsys, config, "partner", "LS", "CLIPARTNER", "ACC_DOCUMENT",
                               "BAPI")
    assert run(capsys, config, "reprocess", sent["DOCNUM"]).startswith(
        f"IDoc {sent['DOCNUM']} status 53 Document posted successfully")


def test_ports_outbound_profiles_send_fi_dispatch_and_receive_dir(tmp_path, capsys):
    config = tmp_path / "config.ini"
    shutil.copy(ROOT / "config.ini", config)
    config.write_text(config.read_text().replace("sqlite:///var/", f"sqlite:///{tmp_path}/"))
    out, inbox = tmp_path / "out", tmp_path / "in"
    inbox.mkdir()
    (inbox / "posting.txt").write_text(write_flat([acc_document("CLI2")]))
    [taken] = json.loads(run(capsys, config, "--json", "receive-dir", str(inbox)))
    assert taken["moved_to"] == str(inbox / "processed" / "posting.txt")
    assert taken["idocs"][0]["STATUS"] == "53"  # posted an FI document in the ERP
    listed = run(capsys, config, "port", "FILEOUT", "--type", "FILE", "--directory", str(out),
                 "--retry-count", "2")
    assert "FILEOUT" in listed and str(out) in listed
    assert "EXTXML" in listed  # the default port of partners.toml
    assert "FILEPART" in run(capsys, config, "partner-out", "LS", "FILEPART", "ACC_DOCUMENT",
                             "FILEOUT", "--outmode", "4")
    sent = run(capsys, config, "send-fi", "--company-code", "1000", "--from-date",
               "2026-11-01", "--partner", "FILEPART")
    assert sent.startswith("1 documents, 1 IDocs, 0 already sent") and "status 30" in sent
    docnum = sent.split("IDoc ")[1].split()[0]
    assert run(capsys, config, "dispatch").startswith(f"IDoc {docnum} status 03")
    assert (out / f"ACC_DOCUMENT_{docnum}.xml").exists()
    assert "1 documents, 0 IDocs, 1 already sent" in run(
        capsys, config, "send-fi", "--company-code", "1000", "--from-date", "20261101",
        "--partner", "FILEPART")
    outbound = run(capsys, config, "list", "--direction", "out")
    assert docnum in outbound and "FILEPART" in outbound
    assert taken["idocs"][0]["DOCNUM"] not in outbound
    shown = run(capsys, config, "show", docnum)
    assert "Data passed to port OK (file" in shown and "dispatch: RCVPOR FILEOUT" in shown
