"""CO-PA's api: profitability segments created once per combination, line items in the
caller's LUW, the PA transfer structure (mapping, missing and double assignment, sign of
revenue), rounding at the operating concern currency's decimals, every refusal in KE terms."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.copa.customizing import TKB9G, TKEB
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw

CUSTOMER = {"KNDNR": "1000", "ARTNR": "SP-2000", "VKORG": "1000", "BUKRS": "1000"}


@pytest.fixture
def ctx(erp: ErpSystem) -> CallContext:
    return CallContext(erp, Luw())


def line_items(ctx: CallContext, **selection: Any) -> list[dict[str, Any]]:
    result = ctx.call("Z_COPA_LINE_ITEMS", **selection)
    return result["LINE_ITEMS"]


def test_a_segment_is_created_once_per_combination(ctx: CallContext) -> None:
    first = copa.segment(ctx, CUSTOMER)
    again = copa.segment(ctx, {**CUSTOMER, "KNDNR": "0000001000"})  # ALPHA: the same
    other = copa.segment(ctx, {**CUSTOMER, "ARTNR": "SP-3000"})

    assert first == again != other
    assert len({first, other}) == 2 and first.isdigit() and len(first) == 10
    segment = copa.characteristics_of(ctx, first)
    assert segment is not None
    assert (segment["KNDNR"], segment["ARTNR"], segment["KDPOS"], segment["AUFNR"]) == (
        "0000001000", "SP-2000", "000000", "")


def test_a_segment_refuses_an_unknown_characteristic(ctx: CallContext) -> None:
    with pytest.raises(copa.CopaError) as refused:
        copa.segment(ctx, {"KUNNR": "1000"})
    assert (refused.value.msg_class, refused.value.number, refused.value.field) == (
        "KE", "903", "KUNNR")
    assert str(refused.value) == "KUNNR is not a characteristic of operating concern S001"


def test_post_registers_one_line_item_in_the_callers_luw(ctx: CallContext) -> None:
    belnr = copa.post(ctx, kokrs="1000", record_type="B", budat="20261130",
                      characteristics=CUSTOMER,
                      values={"VV010": Decimal("100.005"), "VV170": Decimal("-0.004")},
                      reference={"RBELN": "4711", "RPOSN": "10"}, usnam="TESTER")
    assert line_items(ctx) == []
    ctx.commit()

    [item] = line_items(ctx)
    assert (item["BELNR"], item["VRGAR"], item["PERIO"], item["GJAHR"], item["PERDE"]) == (
        belnr, "B", "2026011", "2026", "011")
    assert (item["KNDNR"], item["KOKRS"], item["RBELN"], item["RPOSN"], item["REC_WAERS"]) == (
        "0000001000", "1000", "0000004711", "000010", "EUR")
    # half up at the currency's two decimals, each value on its own
    assert (item["VV010"], item["VV170"], item["VV140"]) == (
        Decimal("100.01"), Decimal("0.00"), Decimal("0.00"))
    assert item["PAOBJNR"] == copa.segment(ctx, {**CUSTOMER, "KOKRS": "1000"})


def test_values_round_at_the_operating_concern_currency(erp: ErpSystem,
                                                        ctx: CallContext) -> None:
    erp.seed_rows(TKEB, [{"ERKRS": "S001", "PERIV": "K4", "WAERS": "JPY"}],
                  update_existing=True)
    erp.sync_buffer()
    copa.post(ctx, kokrs="1000", record_type="B", budat="20261130",
              characteristics=CUSTOMER, values={"VV010": Decimal("1234.5")})
    ctx.commit()
    [item] = line_items(ctx)
    assert (item["VV010"], item["REC_WAERS"]) == (Decimal("1235.00"), "JPY")


@pytest.mark.parametrize(("call", "expected"), [
    ({"kokrs": "2000"}, ("901", "KOKRS")),
    ({"record_type": "Q"}, ("902", "RECORD_TYPE")),
    ({"budat": "20261131"}, ("912", "BUDAT")),
    ({"values": {"VV999": Decimal(1)}}, ("904", "VV999")),
    ({"values": {}}, ("905", "VALUES")),
    ({"reference": {"XBLNR": "1"}}, ("917", "XBLNR")),
    ({"characteristics": {"VKORG": "10000"}}, ("911", "VKORG")),
    ({"currency": "USD"}, ("910", "CURRENCY")),
])
def test_post_refuses_before_registering_anything(ctx: CallContext, call: dict[str, Any],
                                                  expected: tuple[str, str]) -> None:
    params: dict[str, Any] = {"kokrs": "1000", "record_type": "F", "budat": "20261130",
                              "characteristics": CUSTOMER, "values": {"VV010": Decimal(1)}}
    with pytest.raises(copa.CopaError) as refused:
        copa.post(ctx, **{**params, **call})
    assert (refused.value.number, refused.value.field) == expected
    row = refused.value.bapiret2(system="ERPCLNT100", parameter="X")
    assert (row["TYPE"], row["ID"], row["NUMBER"], row["FIELD"]) == ("E", "KE", *expected)
    assert ctx.luw.empty


def test_cost_elements_map_through_the_structure_with_revenue_inverted(
        ctx: CallContext) -> None:
    """Settlement's view: revenue is a credit on the order, costs are debits; CO-PA shows
    both positive, costs of several elements summed in cost of sales, per line rounded."""
    amounts = [("800100", Decimal("-720.00")), ("0000943000", Decimal("480.004")),
               ("0000400000", Decimal("124.655"))]
    copa.post_by_cost_element(ctx, kokrs="1000", record_type="C", budat="20261215",
                              characteristics={"KNDNR": "1000"}, amounts=amounts,
                              structure="SV", reference={"RKAUFNR": "100000"})
    ctx.commit()

    [item] = line_items(ctx, ORDERID="100000")
    cost = sum(Decimal(a).quantize(Decimal("0.01"), ROUND_HALF_UP)
               for _, a in amounts[1:])
    assert (item["VRGAR"], item["PERIO"], item["RKAUFNR"]) == (
        "C", "2026012", "000000100000")
    assert (item["VV010"], item["VV140"]) == (Decimal("720.00"), cost)
    assert cost == Decimal("604.66")


def test_direct_postings_use_their_own_structure(ctx: CallContext) -> None:
    copa.post_by_cost_element(ctx, kokrs="1000", record_type="B", budat="20261130",
                              characteristics=CUSTOMER, structure="DP",
                              amounts=[("0000943000", Decimal(80)),
                                       ("0000400000", Decimal(50)),
                                       ("0000477000", Decimal(7))])
    ctx.commit()
    [item] = line_items(ctx, RECORD_TYPE="B")
    assert (item["VV160"], item["VV150"], item["VV170"], item["VV140"]) == (
        Decimal("80.00"), Decimal("50.00"), Decimal("7.00"), Decimal("0.00"))


def test_a_cost_element_without_assignment_is_refused(erp: ErpSystem,
                                                      ctx: CallContext) -> None:
    conn = erp.connect()
    created = conn.call("BAPI_COSTELEM_CREATEMULTIPLE", COAREA="1000", COSTELEMENTLIST=[{
        "COST_ELEM": "0000931000", "VALID_FROM": "20260101", "VALID_TO": "99991231",
        "NAME": "WIP", "CELEM_CATEGORY": "31"}])
    assert [m["TYPE"] for m in created["RETURN"]] == ["S"], created["RETURN"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    erp.sync_buffer()
    with pytest.raises(copa.CopaError) as refused:
        copa.post_by_cost_element(ctx, kokrs="1000", record_type="C", budat="20261130",
                                  characteristics={}, structure="SV",
                                  amounts=[("0000943000", Decimal(1)),
                                           ("0000931000", Decimal(2))])
    assert (refused.value.number, str(refused.value)) == (
        "907", "Cost element 0000931000 has no assignment in PA transfer structure SV "
        "(area 1000)")
    assert ctx.luw.empty
    problems = copa.check_structure(ctx, "SV", "1000", "20261130")
    assert [(p.number, p.variables[0]) for p in problems] == [("907", "0000931000")]


def test_unknown_elements_structures_and_double_assignments_are_refused(
        erp: ErpSystem, ctx: CallContext) -> None:
    def refused(structure: str, kstar: str) -> str:
        with pytest.raises(copa.CopaError) as error:
            copa.post_by_cost_element(ctx, kokrs="1000", record_type="C", budat="20261130",
                                      characteristics={}, structure=structure,
                                      amounts=[(kstar, Decimal(1))])
        return error.value.number

    assert refused("XX", "0000943000") == "906"
    assert refused("SV", "0000123456") == "908"
    assert copa.check_structure(ctx, "SV", "1000", "20261130") == []
    erp.seed_rows(TKB9G, [{"ERSCH": "SV", "ERZUO": "010", "KOKRS": "1000",
                           "VALMIN": "0000943000", "VALMAX": "0000943000"}])
    erp.sync_buffer()
    assert refused("SV", "0000943000") == "909"
    assert [p.number for p in copa.check_structure(ctx, "SV", "1000", "20261130")] == ["909"]


def test_conditions_without_a_value_field_are_not_transferred(ctx: CallContext) -> None:
    assert copa.post_conditions(ctx, kokrs="1000", record_type="F", budat="20261130",
                                characteristics=CUSTOMER,
                                conditions=[("ZZ00", Decimal(5))]) is None
    belnr = copa.post_conditions(ctx, kokrs="1000", record_type="F", budat="20261130",
                                 characteristics=CUSTOMER,
                                 conditions=[("PR00", Decimal("9.99")), ("ZZ00", Decimal(5))])
    ctx.commit()
    [item] = line_items(ctx, RECORD_TYPE="F")
    assert (item["BELNR"], item["VV010"]) == (belnr, Decimal("9.99"))


def test_no_operating_concern_no_copa(ctx: CallContext) -> None:
    assert copa.concern_of(ctx, "9999") is None
    found = copa.concern_of(ctx, "1000")
    assert found is not None and (found.erkrs, found.waers, found.decimals) == (
        "S001", "EUR", 2)


def test_a_rolled_back_posting_leaves_its_segment_and_no_line_item(erp: ErpSystem,
                                                                   ctx: CallContext) -> None:
    copa.post(ctx, kokrs="1000", record_type="B", budat="20261130",
              characteristics=CUSTOMER, values={"VV010": Decimal(1)})
    ctx.rollback()
    ctx.commit()
    assert line_items(ctx) == []
    other = CallContext(erp, Luw())  # another session posting the same combination
    copa.post(other, kokrs="1000", record_type="B", budat="20261130",
              characteristics=CUSTOMER, values={"VV010": Decimal(2)})
    other.commit()
    [item] = line_items(other)
    assert item["PAOBJNR"] == copa.segment(ctx, {**CUSTOMER, "KOKRS": "1000"})
    rows = erp.connect().call("RFC_READ_TABLE", QUERY_TABLE="CE4S001",
                              FIELDS=[{"FIELDNAME": "PAOBJNR"}])["DATA"]
    assert len(rows) == 1
