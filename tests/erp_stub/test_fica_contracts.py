"""Provider contracts over FKK_VT_MAINTAIN: DFKK_VT_H/DFKK_VT_I with the revenue accounting
fields, every change kept as an item version saying what changed, every error at once."""

from __future__ import annotations

from typing import Any

import pytest

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.fica_support import contract, contract_item, read, setup_partner

DEVICE = {"PRDNR": "DEVICE", "RAREL": "X", "RECURR_SERVICE_TYPE": "RECFEE",
          "TRPRC_TOTAL": "90", "TRPRC_CURR": "EUR", "SSPRC_TOTAL": "100"}
SERVICE = {"PRDNR": "SERVICE", "RAREL": "X", "RECURR_SERVICE_TYPE": "RECFEE",
           "TRPRC": "2.5", "TRPRC_TOTAL": "30", "TRPRC_CURR": "EUR",
           "TRPRC_FREQ_UNIT": "MON", "TRPRC_FREQ_DURATION": "1"}


@pytest.fixture
def parties(conn: LocalConnection) -> tuple[str, str]:
    return setup_partner(conn)


def _codes(result: dict[str, Any]) -> list[tuple[str, str, str, str, int]]:
    return [(m["TYPE"], m["ID"], m["NUMBER"], m["FIELD"], m["ROW"]) for m in result["RETURN"]]


def test_contract_with_two_items_is_saved_with_its_first_versions(
        conn: LocalConnection, parties: tuple[str, str]) -> None:
    gpart, vkont = parties
    result = contract(conn, {"VTKEY": "PC-1", "GPART": gpart, "VTBEZ": "Mobile bundle",
                             "VTBEG": "20261201000000"},
                      [contract_item("10", vkont, **DEVICE), contract_item("20", vkont, **SERVICE)],
                      VT_SERVICE_TYPES=[{"VTPOS": "20", "SERVICE_TYPE": "USAGE"}])

    assert _codes(result) == [("S", "FKK_CI", "010", "", 0), ("S", "FKK_CI", "055", "", 0)]
    assert result["RETURN"][0]["MESSAGE"] == (
        "Provider contract PC-1 has been saved (version 000001)")
    assert [(c["VTPOS"], c["VERSN"], c["CHIND"]) for c in result["VT_CHANGES"]] == [
        ("000010", "0001", "I"), ("000020", "0001", "I")]
    assert read(conn, "DFKK_VT_H", ["VTKEY", "GPART", "VTVRS", "VTEND"]) == [
        ["PC-1", gpart, "000001", "99991231235959"]]
    assert read(conn, "DFKK_VT_I", ["VTPOS", "RAREL", "TRPRC_TOTAL", "SSPRC_TOTAL",
                                    "SSPRC_CURR", "VERSN"]) == [
        ["000010", "X", "90.00", "100.00", "EUR", "0001"],
        ["000020", "X", "30.00", "0.00", "EUR", "0001"]]
    assert read(conn, "DFKK_VT_ST", ["VTPOS", "SERVICE_TYPE"]) == [["000020", "USAGE"]]


def test_a_change_keeps_the_earlier_version_and_names_what_changed(
        conn: LocalConnection, parties: tuple[str, str]) -> None:
    gpart, vkont = parties
    contract(conn, {"VTKEY": "PC-2", "GPART": gpart},
             [contract_item("10", vkont, **DEVICE), contract_item("20", vkont, **SERVICE)])

    changed = contract(conn, {"VTKEY": "PC-2"}, [
        contract_item("10", vkont, **DEVICE),
        contract_item("20", vkont, **{**SERVICE, "TRPRC_TOTAL": "36", "CHRSN": "RN",
                                       "VALTO": "20281130235959"})])

    assert changed["RETURN"][0]["MESSAGE"] == (
        "Provider contract PC-2 has been saved (version 000002)")
    assert [(c["VTPOS"], c["VERSN"], c["CHIND"], c["CHANGED_FIELDS"])
            for c in changed["VT_CHANGES"]] == [
        ("000020", "0002", "U", "VALTO,TRPRC_TOTAL,CHRSN,RA_REFID")]
    # RN (renewal) opens a new revenue contract: the item gets its own reference ID.
    assert read(conn, "DFKK_VT_IV", ["VTPOS", "VERSN", "CHIND", "TRPRC_TOTAL", "CHRSN",
                                     "RA_REFID", "CHANGED_FIELDS"]) == [
        ["000010", "0001", "I", "90.00", "", "", ""],
        ["000020", "0001", "I", "30.00", "", "", ""],
        ["000020", "0002", "U", "36.00", "RN", "PC-2-0002", "VALTO,TRPRC_TOTAL,CHRSN,RA_REFID"]]
    assert read(conn, "DFKK_VT_I", ["VTPOS", "TRPRC_TOTAL", "VERSN"]) == [
        ["000010", "90.00", "0001"], ["000020", "36.00", "0002"]]

    same = contract(conn, {"VTKEY": "PC-2"}, [contract_item("10", vkont, **DEVICE)])
    assert _codes(same) == [("S", "FKK_CI", "011", "", 0)]
    assert same["VT_CHANGES"] == []
    assert read(conn, "DFKK_VT_H", ["VTVRS"]) == [["000002"]]


def test_a_change_of_service_types_is_a_new_version(
        conn: LocalConnection, parties: tuple[str, str]) -> None:
    gpart, vkont = parties
    contract(conn, {"VTKEY": "PC-3", "GPART": gpart}, [contract_item("20", vkont, **SERVICE)])
    result = contract(conn, {"VTKEY": "PC-3"}, [contract_item("20", vkont, **SERVICE)],
                      VT_SERVICE_TYPES=[{"VTPOS": "20", "SERVICE_TYPE": "USAGE"}])
    assert [c["CHANGED_FIELDS"] for c in result["VT_CHANGES"]] == ["DFKK_VT_ST"]
    assert read(conn, "DFKK_VT_ST", ["SERVICE_TYPE"]) == [["USAGE"]]


def test_every_error_is_answered_and_nothing_is_saved(
        conn: LocalConnection, parties: tuple[str, str]) -> None:
    gpart, vkont = parties
    result = contract(conn, {"VTKEY": "PC-X", "GPART": gpart}, [
        contract_item("10", "999999", VALFR="20270101000000", VALTO="20261231000000"),
        contract_item("20", vkont, RAREL="X", TRPRC_TOTAL="-5", TRPRC_CURR="EUR"),
        contract_item("30", vkont, RECURR_SERVICE_TYPE="USAGE", CHRSN="ZZ"),
        contract_item("30", vkont, RECURR_SERVICE_TYPE="NOSUCH"),
    ], VT_SERVICE_TYPES=[{"VTPOS": "40", "SERVICE_TYPE": "USAGE"}])

    assert _codes(result) == [
        ("E", "FKK_CI", "013", "VALFR", 1), ("E", "FKK_CI", "002", "VKONT", 1),
        ("E", "FKK_CI", "018", "TRPRC_TOTAL", 2), ("E", "FKK_CI", "017",
                                                    "RECURR_SERVICE_TYPE", 2),
        ("E", "FKK_CI", "016", "CHRSN", 3), ("E", "FKK_CI", "019", "RECURR_SERVICE_TYPE", 3),
        ("E", "FKK_CI", "015", "RECURR_SERVICE_TYPE", 4), ("E", "FKK_CI", "014", "VTPOS", 4),
        ("E", "FKK_CI", "022", "VTPOS", 1)]
    assert result["VTKEY"] == ""
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert read(conn, "DFKK_VT_H", ["VTKEY"]) == []
    assert read(conn, "DFKK_VT_IV", ["VTKEY"]) == []


def test_a_contract_account_of_another_partner_is_refused(
        conn: LocalConnection, parties: tuple[str, str]) -> None:
    _, vkont = parties
    other, _ = setup_partner(conn)
    result = contract(conn, {"GPART": other}, [contract_item("10", vkont)])
    assert _codes(result) == [("E", "FKK_CI", "003", "VKONT", 1)]
    assert result["RETURN"][0]["MESSAGE"] == (
        f"Contract account {vkont} is not assigned to business partner {other}")


def test_internal_number_and_test_run(conn: LocalConnection, parties: tuple[str, str]) -> None:
    gpart, vkont = parties
    probe = contract(conn, {"GPART": gpart}, [contract_item("10", vkont)], TESTRUN="X")
    assert _codes(probe) == [("S", "FKK_CI", "008", "", 0)]
    saved = contract(conn, {"GPART": gpart}, [contract_item("10", vkont)])
    assert saved["VTKEY"] == "000000400000"
    assert read(conn, "DFKK_VT_H", ["VTKEY"]) == [["000000400000"]]
