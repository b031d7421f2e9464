"""Order items for revenue accounting from provider contracts (DFKKRA_RAI_MI/_CO, CAOI):
main item and conditions per changed item, estimated items for additional service types, the
change reason copied and a renewal's own reference, and event 8205 before the save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.fica import fulfilment
from sapgw.erp_stub.fica.customizing import TFK_RA_CONDTYP
from sapgw.erp_stub.fica.rai_tables import TFKFBC
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.rfc.errors import ABAPRuntimeError
from tests.erp_stub import fica_event_modules
from tests.erp_stub.fica_support import (
    DEVICE,
    SERVICE,
    bit,
    bits,
    contract,
    contract_item,
    contract_with_items,
    read,
    setup_partner,
)

MI = ["RAI_ID", "SRCDOC_TYPE", "SRCDOC_ID", "SERVICE_TYPE", "BETRW", "QUANTITY",
      "X_ESTIMATED_QUAN", "START_DATE", "END_DATE", "RA_REFTYPE", "RA_REFID", "CHRSN",
      "CHIND", "SENTTS"]
CO = ["RAI_ID", "UUID", "CONDITION_TYPE", "BETRW", "MAIN_COND_TYPE", "STATISTIC", "CHIND"]


@pytest.fixture
def parties(conn: LocalConnection) -> tuple[str, str]:
    return setup_partner(conn)


def save(conn: LocalConnection, gpart: str, vkont: str, service: dict[str, Any] | None = None,
         **params: Any) -> dict[str, Any]:
    return contract(conn, {"VTKEY": "PC-1", "GPART": gpart},
                    [contract_item("10", vkont, **DEVICE),
                     contract_item("20", vkont, **(service or SERVICE))],
                    VT_SERVICE_TYPES=[{"VTPOS": "20", "SERVICE_TYPE": "USAGE"}], **params)


def event_module(erp: ErpSystem, name: str) -> None:
    erp.seed_rows(TFKFBC, [{"FBEVE": "8205", "APPLK": "C",
                            "FUNCN": f"tests.erp_stub.fica_event_modules:{name}"}])


def test_each_item_gives_a_main_item_with_its_conditions(conn: LocalConnection,
                                                         parties: tuple[str, str]) -> None:
    result = save(conn, *parties)

    assert result["RETURN"][1]["MESSAGE"] == (
        "3 revenue accounting transfer records created (4 conditions)")
    rows = read(conn, "DFKKRA_RAI_MI", MI)
    assert [row[1:] for row in rows] == [
        ["CAOI", "PC-1/000010", "RECFEE", "90.00", "1.000000", "", "20261201", "20271130",
         "VT", "PC-1", "", "", "0"],
        ["CAOI", "PC-1/000020", "RECFEE", "30.00", "1.000000", "", "20261201", "20271130",
         "VT", "PC-1", "", "", "0"],
        ["CAOI", "PC-1/000020/USAGE", "USAGE", "0.00", "0.000000", "X", "20261201",
         "20271130", "VT", "PC-1", "", "", "0"]]
    ids = [row[0] for row in rows]
    assert read(conn, "DFKKRA_RAI_CO", CO) == [
        [ids[0], ids[0] + "0001", "CTPR", "90.00", "X", "", ""],
        [ids[0], ids[0] + "0002", "CSSP", "100.00", "", "X", ""],
        [ids[1], ids[1] + "0001", "CTPR", "30.00", "X", "", ""],
        [ids[2], ids[2] + "0001", "CTPR", "0.00", "X", "", ""]]


def test_a_renewal_sends_the_changed_item_with_its_reason_and_own_reference(
        conn: LocalConnection, parties: tuple[str, str]) -> None:
    save(conn, *parties)
    first = {row[0] for row in read(conn, "DFKKRA_RAI_MI", ["RAI_ID"])}
    save(conn, *parties, service={**SERVICE, "TRPRC_TOTAL": "36", "CHRSN": "RN",
                                  "VALTO": "20281130235959"})

    new = [row for row in read(conn, "DFKKRA_RAI_MI", [*MI, "EFFECTIVE_DATE", "TIMESTAMP_UTC"])
           if row[0] not in first]
    assert [(row[2], row[4], row[8], row[10], row[11], row[14]) for row in new] == [
        ("PC-1/000020", "36.00", "20281130", "PC-1-0002", "RN", "20261122"),
        ("PC-1/000020/USAGE", "0.00", "20281130", "PC-1-0002", "RN", "20261122")]
    assert new[0][15] == "20261122120001"  # saved in version 1's second: one later
    assert len(read(conn, "DFKKRA_RAI_MI", ["RAI_ID"])) == 5  # the first ones are kept


def test_items_not_relevant_for_revenue_accounting_give_none(
        conn: LocalConnection, parties: tuple[str, str]) -> None:
    gpart, vkont = parties
    result = contract(conn, {"VTKEY": "PC-2", "GPART": gpart}, [contract_item("10", vkont)])
    assert [m["NUMBER"] for m in result["RETURN"]] == ["010"]
    assert read(conn, "DFKKRA_RAI_MI", ["RAI_ID"]) == []


def test_event_8205_changes_and_adds_rows_after_a_simulation(
        erp: ErpSystem, conn: LocalConnection, parties: tuple[str, str]) -> None:
    erp.seed_rows(TFK_RA_CONDTYP, [{"CONDITION_TYPE": "CDSC", "COND_ROLE": "P",
                                    "STATISTIC": "", "TEXT": "Discount"}])
    event_module(erp, "enrich")
    fica_event_modules.CALLS.clear()
    save(conn, *parties)

    assert fica_event_modules.CALLS == [True, False]
    rows = read(conn, "DFKKRA_RAI_MI", ["RAI_ID", "SRCDOC_ID", "END_DATE", "CHIND"])
    assert [row[1:] for row in rows] == [["PC-1/000010", "20271031", "U"],
                                         ["PC-1/000020", "20271130", ""],
                                         ["PC-1/000020/USAGE", "20271130", ""]]
    service = rows[1][0]
    assert read(conn, "DFKKRA_RAI_CO", CO, f"RAI_ID = '{service}'") == [
        [service, service + "0001", "CTPR", "30.00", "X", "", ""],
        [service, service + "0002", "CDSC", "3.00-", "", "", "I"]]


@pytest.mark.parametrize(("module", "number", "text"), [
    ("failing", "050", "Event 8205 module tests.erp_stub.fica_event_modules:failing failed: "
                       "RuntimeError: enrichment service down"),
    ("forbidden", "052", "Event 8205 must not change field BETRW of DFKKRA_RAI_MI"),
    ("missing", "051", "Event 8205 module tests.erp_stub.fica_event_modules:missing cannot be "
                       "loaded: module 'tests.erp_stub.fica_event_modules' has no"),
])
def test_a_failing_event_module_stops_the_save(erp: ErpSystem, conn: LocalConnection,
                                               parties: tuple[str, str], module: str,
                                               number: str, text: str) -> None:
    event_module(erp, module)
    result = save(conn, *parties)
    assert [(m["TYPE"], m["NUMBER"], m["MESSAGE"]) for m in result["RETURN"]] == [
        ("E", number, text)]
    assert read(conn, "DFKK_VT_H", ["VTKEY"]) == []
    assert read(conn, "DFKKRA_RAI_MI", ["RAI_ID"]) == []


def test_billable_items_give_one_off_order_items_and_fulfilment_records(
        conn: LocalConnection) -> None:
    vkont = contract_with_items(conn)[1]
    before = {row[0] for row in read(conn, "DFKKRA_RAI_MI", ["RAI_ID"])}
    bits(conn, bit("CALL-1", vkont, "0.13", BIT_QUANTITY="3", BIT_QTY_UNIT="MIN"),
         bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10"),
         bit("RAW-1", vkont, "1", BITDATE="20280101"))

    records = read(conn, "DFKKBIXBIT_RAI", ["SRCTAID", "SRCDOC_TYPE", "RAI_ID", "SERVICE_TYPE",
                                            "BIT_AMOUNT", "ORIGDOC_TYPE", "ORIGDOC_ID",
                                            "RA_REFTYPE", "RA_REFID"])
    assert [row[:2] + row[3:] for row in records] == [
        ["CALL-1", "CAFI", "USAGE", "0.13", "CAOI", "PC-1/000020", "VT", "PC-1"],
        ["FEE-1", "CABO", "ONEOFF", "19.99", "CAOI", "PC-1/000010", "VT", "PC-1"]]
    assert records[0][2] == ""  # aggregated into a fulfilment item by FP_RAI_TRANSF
    [one_off] = [row for row in read(conn, "DFKKRA_RAI_MI", [*MI, "ORIGDOC_ID"])
                 if row[0] not in before]
    assert one_off[0] == records[1][2]
    assert one_off[1:5] + one_off[7:11] + one_off[-1:] == [
        "CABO", "FEE-1/00000000", "ONEOFF", "19.99", "20261215", "20261215", "VT", "PC-1",
        "PC-1/000010"]
    assert read(conn, "DFKKRA_RAI_CO", CO, f"RAI_ID = '{one_off[0]}'") == [
        [one_off[0], one_off[0] + "0001", "CTPR", "19.99", "X", "", ""]]


def test_fp_rai_mon_shows_the_records_not_yet_sent(conn: LocalConnection) -> None:
    vkont = contract_with_items(conn)[1]
    gpart = read(conn, "FKKVKP", ["GPART"])[0][0]
    bits(conn, bit("CALL-1", vkont, "0.13"), bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10"))

    everything = conn.call("FKK_RAI_MON")
    assert [(s["SRCDOC_TYPE"], s["STATUS"], s["RECORDS"]) for s in everything["ET_SUMMARY"]] == [
        ("CABO", "U", 1), ("CAFI", "A", 1), ("CAOI", "U", 2)]
    assert [(u["SRCDOC_TYPE"], u["SRCDOC_ID"], u["CONDITIONS"], u["STATUS"])
            for u in everything["ET_UNSENT"]] == [
        ("CAOI", "PC-1/000010", 2, "U"), ("CAOI", "PC-1/000020", 1, "U"),
        ("CABO", "FEE-1/00000000", 1, "U"), ("CAFI", "CALL-1/00000000", 0, "A")]

    one_off = conn.call("FKK_RAI_MON", IT_SRCDOC_TYPE=[{"LOW": "CABO"}],
                        IT_PARTNER=[{"LOW": gpart.lstrip("0")}], IT_BUKRS=[{"LOW": "1000"}])
    assert [u["SRCDOC_ID"] for u in one_off["ET_UNSENT"]] == ["FEE-1/00000000"]
    assert conn.call("FKK_RAI_MON", SEL_TO="20261121")["ET_SUMMARY"] == []
    assert conn.call("FKK_RAI_MON", IT_BUKRS=[{"LOW": "2000"}])["ET_UNSENT"] == []


def test_consumption_is_aggregated_into_fulfilment_items_once(erp: ErpSystem,
                                                              conn: LocalConnection) -> None:
    vkont = contract_with_items(conn)[1]
    bits(conn, bit("CALL-1", vkont, "0.13", BIT_QUANTITY="3", BIT_QTY_UNIT="MIN"),
         bit("CALL-2", vkont, "0.20", BIT_QUANTITY="5", BIT_QTY_UNIT="MIN"),
         bit("CALL-3", vkont, "0.40", BIT_QUANTITY="7", BIT_QTY_UNIT="MIN",
             BITDATE="20261216"),
         bit("FEE-1", vkont, "19.99", "ONCE", VTPOS="10"))

    result = conn.call("FKK_RAI_AGGREGATE", SEL_TO="20261231")
    assert result["RETURN"][0]["MESSAGE"] == (
        "2 fulfilment items aggregated from 3 billable item records")
    assert [(a["EVENT_DATE"], a["QUANTITY"], a["BETRW"], a["RECORDS"])
            for a in result["ET_AGGREGATES"]] == [
        ("20261215", Decimal("8"), Decimal("0.33"), 2),
        ("20261216", Decimal("7"), Decimal("0.40"), 1)]
    first = result["ET_AGGREGATES"][0]["RAI_ID"]
    assert read(conn, "DFKKRA_RAI_MI", ["SRCDOC_TYPE", "SRCDOC_ID", "ORIGDOC_ID", "EVENT_DATE",
                                        "QUANTITY", "BETRW"], f"RAI_ID = '{first}'") == [
        ["CAFI", first, "PC-1/000020", "20261215", "8.000000", "0.33"]]
    assert read(conn, "DFKKRA_RAI_CO", ["CONDITION_TYPE", "BETRW"], f"RAI_ID = '{first}'") == [
        ["CTPR", "0.33"]]
    assert [row[0] for row in read(conn, "DFKKBIXBIT_RAI", ["RAI_ID"],
                                   "SRCDOC_TYPE = 'CAFI'")] == [
        first, first, result["ET_AGGREGATES"][1]["RAI_ID"]]
    assert conn.call("FKK_RAI_AGGREGATE")["ET_AGGREGATES"] == []

    bits(conn, bit("CALL-4", vkont, "1.00"))
    runs = [CallContext(erp, Luw()), CallContext(erp, Luw())]
    for ctx in runs:
        fulfilment.aggregate(ctx, fulfilment.waiting(ctx, set(), set(), ""))
    runs[0].commit()
    with pytest.raises(ABAPRuntimeError) as twice:
        runs[1].commit()
    assert twice.value.msg_number == "059"
    assert len(read(conn, "DFKKRA_RAI_MI", ["RAI_ID"], "SRCDOC_TYPE = 'CAFI'")) == 3
