"""A profitability segment as account assignment (PAOBJNR): FI's G/L line and MM's goods
issue 201 post the segment's side as a CO-PA line item of record type B (value field from
the KEI2 structure DP), no CO line item (costing-based CO-PA: the segment is no CO object);
an unknown segment, a segment with another account assignment, a cost element outside the
structure are refused before anything is written."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.co.tables import COEP
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.copa.tables import CE1S001
from sapgw.erp_stub.fi.tables import BSEG
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.mm.tables import MARD, MSEG
from tests.erp_stub.test_fi_post import codes, expense, post, rows
from tests.erp_stub.test_goods_movements import errors_of, item, movement

CUSTOMER = {"KNDNR": "1000", "ARTNR": "SP-2000", "VKORG": "1000", "BUKRS": "1000",
            "KOKRS": "1000"}


@pytest.fixture
def paobjnr(erp: ErpSystem) -> str:
    return copa.segment(CallContext(erp, Luw()), CUSTOMER)


def test_fi_line_on_a_segment_posts_record_type_b(erp: ErpSystem, conn: LocalConnection,
                                                  paobjnr: str) -> None:
    result = post(conn, expense("123.45", {"PROFIT_SEGM_NO": paobjnr}))

    assert codes(result["RETURN"]) == [("S", "RW", "605")], result["RETURN"]
    belnr = result["OBJ_KEY"][:10]
    debit = next(b for b in rows(erp, BSEG, BELNR=belnr) if b["HKONT"] == "0000400000")
    assert (debit["PAOBJNR"], debit["KOSTL"], debit["KOKRS"]) == (paobjnr, "", "1000")
    [line] = rows(erp, CE1S001)
    assert (line["VRGAR"], line["PAOBJNR"], line["KNDNR"], line["ARTNR"], line["RBELN"],
            line["RPOSN"], line["PERIO"]) == (
        "B", paobjnr, "0000001000", "SP-2000", belnr, "000001", "2026011")
    assert (line["VV150"], line["VV170"]) == (Decimal("123.45"), Decimal(0)), \
        "0000400000 is in DP line 020 (material costs)"
    assert rows(erp, COEP) == [], "costing-based: no CO object for the segment"


@pytest.mark.parametrize(("assignment", "expected"), [
    ({"PROFIT_SEGM_NO": "4711"}, ("KE", "920", "PROFIT_SEGM_NO")),
    ({"PROFIT_SEGM_NO": "SEGMENT", "COSTCENTER": "0000001000"}, ("KI", "154", "")),
])
def test_fi_refuses_a_wrong_segment(erp: ErpSystem, conn: LocalConnection, paobjnr: str,
                                    assignment: dict[str, str],
                                    expected: tuple[str, str, str]) -> None:
    fields = {k: (paobjnr if v == "SEGMENT" else v) for k, v in assignment.items()}
    result = post(conn, expense("10.00", fields))
    [(kind, msg_class, number), *_] = codes(result["RETURN"][1:])
    assert (kind, msg_class, number) == ("E", expected[0], expected[1])
    assert rows(erp, BSEG) == [] and rows(erp, CE1S001) == []


def test_fi_refuses_a_cost_element_outside_kei2(erp: ErpSystem, conn: LocalConnection,
                                                paobjnr: str) -> None:
    with erp.db.write() as db:
        db.exec_driver_sql("DELETE FROM \"TKB9G\" WHERE \"ERSCH\" = 'DP' AND "
                           "\"ERZUO\" = '020'")
    erp.buffer.invalidate()
    result = post(conn, expense("10.00", {"PROFIT_SEGM_NO": paobjnr}))

    assert codes(result["RETURN"]) == [("E", "RW", "609"), ("E", "KE", "907")]
    assert (result["RETURN"][1]["ROW"], result["RETURN"][1]["MESSAGE_V1"]) == (1, "0000400000")
    assert rows(erp, BSEG) == [] and rows(erp, CE1S001) == []


def test_goods_issue_201_to_a_segment(erp: ErpSystem, conn: LocalConnection,
                                      paobjnr: str) -> None:
    movement(conn, "05", item("561", "10"))
    issued = movement(conn, "03", item("201", "3", PROFIT_SEGM_NO=paobjnr, ITEM_TEXT="Part"))

    assert issued["MATERIALDOCUMENT"], issued["RETURN"]
    [mseg] = rows(erp, MSEG, MBLNR=issued["MATERIALDOCUMENT"])
    value = (Decimal(3) * Decimal("12.00")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (mseg["BWART"], mseg["PAOBJNR"], mseg["KOSTL"], mseg["DMBTR"]) == (
        "201", paobjnr, "", value)
    assert rows(erp, MARD, MATNR="SP-2000")[0]["LABST"] == Decimal(7)
    last = max(b["BELNR"] for b in rows(erp, BSEG))
    fi = [(b["HKONT"], b["SHKZG"], b["DMBTR"], b["PAOBJNR"]) for b in rows(erp, BSEG)
          if b["BELNR"] == last]
    assert fi == [("0000300000", "H", value, "0000000000"),
                  ("0000400000", "S", value, paobjnr)]
    [line] = rows(erp, CE1S001)
    assert (line["VRGAR"], line["PAOBJNR"], line["VV150"]) == ("B", paobjnr, value)
    assert rows(erp, COEP) == []


def test_goods_issue_refuses_two_assignments_and_an_unknown_segment(
        erp: ErpSystem, conn: LocalConnection, paobjnr: str) -> None:
    movement(conn, "05", item("561", "10"))
    both = movement(conn, "03", item("201", "1", COSTCENTER="1000", PROFIT_SEGM_NO=paobjnr))
    unknown = movement(conn, "03", item("201", "1", PROFIT_SEGM_NO="4711"))
    neither = movement(conn, "03", item("201", "1"))

    assert errors_of(both) == [("M7", "917", 1, "PROFIT_SEGM_NO")]
    assert errors_of(unknown) == [("KE", "920", 1, "PROFIT_SEGM_NO")]
    assert errors_of(neither) == [("M7", "908", 1, "COSTCENTER")]
    assert neither["RETURN"][0]["MESSAGE_V1"] == "COSTCENTER/PROFIT_SEGM_NO"
    assert rows(erp, CE1S001) == [] and len(rows(erp, MSEG)) == 1
