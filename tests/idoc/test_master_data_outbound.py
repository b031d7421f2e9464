"""DEBMAS07 / CREMAS05 out (BD21-like change pointer run): customers and vendors saved in the
ERP (DEBMAS/CREMAS inbound, BAPI) go to every partner with an outbound profile for the
message type, never back to the partner whose IDoc made the change; file port and XML-HTTP
(`responses` stands in for the partner); the layout is checked against the type and the
shape of a real DEBMAS07/CREMAS05 (reference/wire.md §3.3, §3.5: root element = basic type,
company code and area segments nested in the general segment)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import responses

from sapgw.gateway.actions import ActionRefused
from sapgw.gateway.cli import main
from sapgw.gateway.idoc.flat_format import write_flat
from sapgw.gateway.idoc.model import Idoc, syntax_problems
from sapgw.gateway.idoc.ports import Port
from sapgw.gateway.idoc.store import OutboundProfile
from sapgw.gateway.idoc.xml_format import parse_idoc_xml
from sapgw.gateway.runtime import Gateway
from tests.idoc.test_master_data_inbound import customer, idoc, send

ROOT = Path(__file__).resolve().parents[2]
URL = "http://partner.example/sap/bc/idoc_xml?sap-client=200"
KUNNR = "0000900001"


def file_partner(gw: Gateway, rcvprn: str, directory: Path, mestyp: str = "DEBMAS",
                 idoctyp: str = "DEBMAS07") -> None:
    port = f"F{rcvprn[:9]}"
    gw.idocs.ports.put(Port(port, "FILE", directory=str(directory)))
    gw.idocs.put_outbound_profile(OutboundProfile("LS", rcvprn, mestyp, port, idoctyp, "2"))


def statuses(gw: Gateway, docnum: str) -> list[str]:
    return [s["STATUS"] for s in gw.idocs.detail(docnum)["status"]]


def vendor() -> Idoc:
    return idoc("CREMAS05", "CREMAS", [
        ("E1LFA1M", {"MSGFN": "005", "LIFNR": "0000800003", "KTOKK": "0002",
                     "NAME1": "C.E.B. Asunción", "LAND1": "PY", "SPRAS": "E"}),
        ("E1LFB1M", {"MSGFN": "005", "BUKRS": "1000", "AKONT": "160000"}),
        ("E1LFM1M", {"MSGFN": "005", "EKORG": "1000", "WAERS": "USD"})])


def new_customer(web) -> None:  # from partner EXTCLNT100 (conftest SENDER)
    posted, = [send(web, customer(("E1KNVVM", {"VKORG": "1000", "VTWEG": "10", "SPART": "00",
                                               "WAERS": "EUR"}),
                                  ("E1KNB1M", {"BUKRS": "1000", "AKONT": "140000",
                                               "ZTERM": "0001"})))]
    assert posted["STATUS"] == "53", posted


def test_a_customer_from_one_partner_goes_to_the_others_and_not_back(web, sapgw, tmp_path):
    file_partner(sapgw, "EXTCLNT100", tmp_path / "sender")   # the partner it came from
    file_partner(sapgw, "PARTNER2", tmp_path / "other")
    new_customer(web)

    run = sapgw.idocs.send_master_data("DEBMAS")

    assert (run["objects"], run["not_to_sender"], len(run["idocs"])) == (1, 1, 1)
    docnum = run["idocs"][0]["DOCNUM"]
    assert statuses(sapgw, docnum) == ["01", "30", "03"]      # a file port ends at 03
    assert not (tmp_path / "sender").exists()
    written, = (tmp_path / "other").iterdir()
    root = ET.fromstring(written.read_bytes())
    assert root.tag == "DEBMAS07"                              # root = basic type
    general = root.find("IDOC/E1KNA1M")
    assert general is not None and general.findtext("KUNNR") == KUNNR
    assert general.findtext("MSGFN") == "005" and general.findtext("NAME1") == "Becker Hamburg"
    assert general.findtext("E1KNB1M/AKONT") == "0000140000"  # nested, as in the sample
    assert general.findtext("E1KNB1M/BUKRS") == "1000"
    assert general.findtext("E1KNVVM/VKORG") == "1000"
    sent, = parse_idoc_xml(written.read_bytes())
    assert syntax_problems(sent) == []
    assert (sent.control["MESTYP"], sent.control["RCVPRN"], sent.control["SNDPRN"]) == (
        "DEBMAS", "PARTNER2", "CRMCLNT100")
    # The pointers are processed: a second run sends nothing.
    assert sapgw.idocs.send_master_data("DEBMAS") == {
        "objects": 0, "idocs": [], "not_to_sender": 0, "pointers": 0}


def test_a_change_made_in_the_erp_goes_to_every_partner(web, sapgw, tmp_path):
    file_partner(sapgw, "EXTCLNT100", tmp_path / "sender")
    file_partner(sapgw, "PARTNER2", tmp_path / "other")
    new_customer(web)
    sapgw.idocs.send_master_data()
    with sapgw.destination("ERP") as erp:
        erp.call("BAPI_CUSTOMER_CHANGEFROMDATA1", CUSTOMERNO=KUNNR, PI_SALESORG="1000",
                 PI_COMPANYDATA={"CITY": "Bremen"}, PI_COMPANYDATAX={"CITY": "X"})
        erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X")

    run = sapgw.idocs.send_master_data()

    assert (run["objects"], run["not_to_sender"], len(run["idocs"])) == (1, 0, 2)
    for directory in ("sender", "other"):
        newest = max((tmp_path / directory).iterdir(), key=lambda p: p.stat().st_mtime_ns)
        sent, = parse_idoc_xml(newest.read_bytes())
        assert sent.segments[0].fields["ORT01"] == "Bremen"  # type: ignore[index]


def test_a_vendor_goes_out_as_cremas05_over_xml_http(web, sapgw):
    sapgw.idocs.ports.put(Port("PARTNER", "XML-HTTP", url=URL))
    sapgw.idocs.put_outbound_profile(OutboundProfile("LS", "PARTNER1", "CREMAS", "PARTNER",
                                                     "CREMAS05", "2"))
    created, = [send(web, vendor())]
    assert created["STATUS"] == "53", created

    with responses.RequestsMock() as port:
        port.post(URL, body="IDoc 0000000000000009 status 53\n")
        run = sapgw.idocs.send_master_data("CREMAS")
        body = port.calls[0].request.body

    result, = run["idocs"]
    assert result["STATUS"] == "12"
    assert statuses(sapgw, result["DOCNUM"]) == ["01", "30", "03", "12"]
    root = ET.fromstring(body)
    assert root.tag == "CREMAS05"
    general = root.find("IDOC/E1LFA1M")
    assert general is not None and general.findtext("LIFNR") == "0000800003"
    assert general.findtext("E1LFB1M/AKONT") == "0000160000"
    assert general.findtext("E1LFM1M/WAERS") == "USD"
    sent, = parse_idoc_xml(body)
    assert syntax_problems(sent) == []


def test_an_unknown_message_type_is_refused(sapgw, web):
    with pytest.raises(ActionRefused, match="message type MATMAS has no change pointer run"):
        sapgw.idocs.send_master_data("MATMAS")
    answer = web.post("/api/idocs/outbound/master_data", json={"mestyp": "MATMAS"})
    assert answer.status_code in (400, 422) and "mestyp" in answer.text


def test_rest_runs_the_change_pointers(web, sapgw, tmp_path):
    file_partner(sapgw, "PARTNER2", tmp_path / "other")
    new_customer(web)
    answer = web.post("/api/idocs/outbound/master_data", json={"mestyp": "DEBMAS"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["objects"] == 1 and answer.json()["idocs"][0]["STATUS"] == "03"


def test_cli_send_changes(tmp_path, capsys):
    config = tmp_path / "config.ini"
    shutil.copy(ROOT / "config.ini", config)
    config.write_text(config.read_text().replace("sqlite:///var/", f"sqlite:///{tmp_path}/"))
    assert main(["--config", str(config), "idoc", "port", "FOUT", "--type", "FILE",
                 "--directory", str(tmp_path / "out")]) == 0
    assert main(["--config", str(config), "idoc", "partner-out", "LS", "PARTNER2", "CREMAS",
                 "FOUT", "--idoctyp", "CREMAS05"]) == 0
    file = tmp_path / "vendor.txt"
    file.write_text(write_flat([vendor()]))
    assert main(["--config", str(config), "idoc", "send", str(file)]) == 0
    capsys.readouterr()
    assert main(["--config", str(config), "idoc", "send-changes", "--mestyp", "cremas"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 changed objects (1 change pointers), 1 IDocs, 0 not sent back")
    assert "status 03" in out
    written, = (tmp_path / "out").iterdir()
    assert parse_idoc_xml(written.read_bytes())[0].control["RCVPRN"] == "PARTNER2"
