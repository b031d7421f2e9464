"""IDoc-XML and flat files: exact round trips of the public samples and of generated IDocs."""

from __future__ import annotations

from pathlib import Path

import pytest

from sapgw.gateway.idoc.flat_format import parse_flat, write_flat
from sapgw.gateway.idoc.model import IdocFormatError, build, syntax_problems
from sapgw.gateway.idoc.xml_format import parse_idoc_xml, write_idoc_xml
from sapgw.idoc_schemas import idoc_type, known_types, record_layout
from sapgw.rfc.xml import XmlError
from tests.idoc.conftest import acc_document

SAMPLES = Path("/work/shared/samples/idoc")


def test_record_layouts_have_sap_widths():
    assert sum(f.length for f in record_layout("EDI_DC40")) == 524
    assert sum(f.length for f in record_layout("EDI_DD40")) == 1063
    assert {f.name: f.offset for f in record_layout("EDI_DC40")}["SERIAL"] == 504
    assert known_types() == ["ACC_DOCUMENT03", "CREMAS05", "DEBMAS07", "MBGMCR03"]
    acc = idoc_type("ACC_DOCUMENT03")
    assert acc is not None and acc.segment("E2BPACCR09001") is acc.segments["E1BPACCR09"]
    assert idoc_type("DEBMAS07").segments["E1KNB1M"].parent == "E1KNA1M"  # type: ignore[union-attr]


def test_flat_sample_round_trips_exactly_with_unknown_segments_kept_raw():
    text = (SAMPLES / "invoic02_flat.txt").read_text(encoding="utf-8")
    [idoc] = parse_flat(text)
    assert idoc.control["IDOCTYP"] == "INVOIC02" and idoc.control["DOCNUM"] == "0000002382843157"
    assert len(idoc.segments) == 143
    assert all(s.fields is None and s.sdata is not None for s in idoc.segments)
    child = idoc.segments[1]
    assert (child.segnam, child.segnum, child.psgnum, child.hlevel) == (
        "/RB04/YP3_E1EDK01_XML001", 2, 1, 2)
    assert write_flat([idoc]) == text


def test_xml_sample_round_trips_exactly_with_extension_and_escapes():
    content = (SAMPLES / "orders05_ext.xml").read_bytes()
    [idoc] = parse_idoc_xml(content)
    assert idoc.xml_root == "_-LUMBERL_-3PL_ORDERS05_EXT" and not idoc.problems
    window = [s for s in idoc.segments if s.segnam == "/LUMBERL/PO_SHIP_WINDOW"]
    assert len(window) == 3 and all(s.hlevel == 3 for s in window)
    assert any('9/16x5" Strand' in v for s in idoc.segments for v in (s.fields or {}).values())
    assert write_idoc_xml([idoc]) == content


def test_generated_acc_document_round_trips_in_both_formats():
    idoc = acc_document("RT1")
    idoc.control["DOCNUM"] = "0000000000000042"
    assert syntax_problems(idoc) == []
    xml = write_idoc_xml([idoc])
    assert b"<ACC_DOCUMENT03>" in xml and b"9/16&quot; &amp; more" in xml
    again = parse_idoc_xml(xml)
    assert write_idoc_xml(again) == xml
    flat = write_flat([idoc])
    assert [len(line) for line in flat.splitlines()] == [524] + [1063] * 5
    [from_flat] = parse_flat(flat)
    assert from_flat.segments[3].fields == {"ITEMNO_ACC": "0000000001", "CURRENCY": "EUR",
                                            "AMT_DOCCUR": "100.00"}
    assert write_flat([from_flat]) == flat
    assert write_idoc_xml([from_flat]).replace(b"ACC_DOCUMENT03", b"X") == xml.replace(
        b"ACC_DOCUMENT03", b"X")


def test_flat_hierarchy_is_rebuilt_when_left_blank():
    idoc = build({"TABNAM": "EDI_DC40", "IDOCTYP": "DEBMAS07", "MESTYP": "DEBMAS"}, [
        ("E1KNA1M", {"MSGFN": "009", "KUNNR": "0000001000", "NAME1": "Becker"}),
        ("E1KNB1M", {"BUKRS": "1000", "AKONT": "0000140000"}),
        ("E1KNVVM", {"VKORG": "1000", "VTWEG": "10", "SPART": "00"})])
    lines = write_flat([idoc]).splitlines()
    blanked = [lines[0]] + [line[:49] + " " * 14 + line[63:] for line in lines[1:]]
    [rebuilt] = parse_flat("\n".join(blanked))
    assert [(s.segnum, s.psgnum, s.hlevel) for s in rebuilt.segments] == [
        (1, 0, 1), (2, 1, 2), (3, 1, 2)]
    assert rebuilt.segments[2].fields == {"VKORG": "1000", "VTWEG": "10", "SPART": "00"}


def test_syntax_check_names_every_problem():
    idoc = acc_document("SY1")
    idoc.segments[1].fields["NO_SUCH"] = "X"  # type: ignore[index]
    idoc.segments[2].fields["GL_ACCOUNT"] = "0" * 11  # type: ignore[index]
    del idoc.segments[0]
    problems = syntax_problems(idoc)
    assert any("unknown field NO_SUCH" in p for p in problems)
    assert any("GL_ACCOUNT longer than 10" in p for p in problems)
    assert any("E1BPACHE09: 0 times" in p for p in problems)


def test_bad_input_is_refused_with_place():
    with pytest.raises(XmlError, match="line 2"):
        parse_idoc_xml(b"<ACC_DOCUMENT03>\n<IDOC></ACC_DOCUMENT03>")
    with pytest.raises(IdocFormatError, match="holds no <IDOC>"):
        parse_idoc_xml(b"<ACC_DOCUMENT03/>")
    with pytest.raises(IdocFormatError, match="line 1: data record before"):
        parse_flat("E1BPACHE09  x\n")
    with pytest.raises(IdocFormatError, match="longer than 10"):
        write_flat([build({"IDOCTYP": "ACC_DOCUMENT03"},
                          [("E1BPACGL09", {"GL_ACCOUNT": "1" * 11})])])


@pytest.mark.parametrize("name", known_types())
def test_shipped_xsd_is_generated_from_the_layout(name):
    from importlib import resources

    from sapgw.gateway.idoc.xsd import xsd

    shipped = resources.files("sapgw.idoc_schemas").joinpath(f"{name}.xsd").read_text("utf-8")
    assert shipped == xsd(idoc_type(name))  # type: ignore[arg-type]


def test_generated_acc_document_validates_against_its_xsd():
    from importlib import resources

    from lxml import etree

    path = resources.files("sapgw.idoc_schemas").joinpath("ACC_DOCUMENT03.xsd")
    schema = etree.XMLSchema(etree.fromstring(path.read_bytes()))
    idoc = acc_document("XSD1")
    assert schema.validate(etree.fromstring(write_idoc_xml([idoc]))), schema.error_log
    idoc.segments[1].fields["GL_ACCOUNT"] = "0" * 11  # type: ignore[index]
    assert not schema.validate(etree.fromstring(write_idoc_xml([idoc])))
