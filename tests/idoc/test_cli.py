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
