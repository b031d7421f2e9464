"""EDI_DC40/EDI_DD40 rows (IDOC_INBOUND_ASYNCHRONOUS) and flat lines share one record parser."""

from __future__ import annotations

import pytest

from sapgw.gateway.idoc.flat_format import parse_flat, parse_records, write_flat, write_records
from sapgw.gateway.idoc.model import IdocFormatError
from tests.idoc.conftest import acc_document


def test_rows_round_trip_and_match_the_flat_file():
    idoc = acc_document("REC1", DOCNUM="0000000000004711", MANDT="100")
    controls, data = write_records([idoc])
    assert controls[0]["DOCNUM"] == "0000000000004711" and "STATUS" not in controls[0]
    assert data[1] == {"SEGNAM": "E1BPACGL09", "MANDT": "100", "DOCNUM": "0000000000004711",
                       "SEGNUM": "000002", "PSGNUM": "000000", "HLEVEL": "01",
                       "SDATA": "00000000010000113100Bamboo 9/16\" & more"}
    [back] = parse_records(controls, data)
    assert back.control == idoc.control and back.problems == []
    assert [s.as_dict() for s in back.segments] == [s.as_dict() for s in idoc.segments]
    assert parse_flat(write_flat([idoc]))[0].segments == back.segments


def test_rows_are_matched_by_docnum_and_hierarchy_is_rebuilt():
    first = acc_document("REC2", DOCNUM="1")
    second = acc_document("REC3", DOCNUM="2")
    c1, d1 = write_records([first])
    c2, d2 = write_records([second])
    data = [{k: v for k, v in row.items() if k not in ("SEGNUM", "PSGNUM", "HLEVEL")}
            for row in d2 + d1]  # interleaved order, no hierarchy: as an old sender may do
    one, two = parse_records(c1 + c2, data)
    assert [s.fields for s in one.segments] == [s.fields for s in first.segments]
    assert [s.fields for s in two.segments] == [s.fields for s in second.segments]
    assert [(s.segnum, s.hlevel) for s in one.segments] == [(i, 1) for i in range(1, 6)]


def test_what_does_not_fit_is_kept_with_a_problem():
    controls, data = write_records([acc_document("REC4", DOCNUM="7")])
    data.append({"SEGNAM": "E1BPACGL09", "DOCNUM": "8", "SEGNUM": "x", "NOPE": "1"})
    data.append({"SEGNAM": "E1BPACGL09", "DOCNUM": "7", "SDATA": "9" * 1001})
    [idoc] = parse_records(controls, data, "test")
    assert len(idoc.segments) == 7
    assert idoc.problems == [
        "test data record 6: no field NOPE", "test data record 6: DOCNUM 8 has no control record",
        "test data record 6: SEGNUM 'x' is not a number",
        "test data record 7: SDATA longer than 1000 characters"]
    assert idoc.segments[-1].fields is None  # too long for its layout: kept as raw SDATA
    [orphan] = parse_records([], data[:1], "test")
    assert orphan.control == {} and "no control record" in orphan.problems[0]
    with pytest.raises(IdocFormatError, match="are empty"):
        parse_records([], [])


def test_a_broken_flat_line_is_kept_on_its_idoc():
    text = write_flat([acc_document("REC5")])
    lines = text.splitlines()
    lines[2] = lines[2] + "x" * 5
    [idoc] = parse_flat("\n".join(lines), "f.txt")
    assert idoc.problems == ["f.txt line 3: data record longer than 1063"]
    assert len(idoc.segments) == 5
