"""Event 8205 on one-off order items (billable items, CABO) and on invoice items (invoicing,
CAIN), with the rules it has for a contract's order items: simulation then for real, only
the allowed fields, CHIND U / I, and a failing module that refuses the save with FKK_CI
050-054, keeps the item correctable and writes nothing of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.fica.customizing import TFK_RA_CONDTYP
from sapgw.erp_stub.fica.rai_tables import TFKFBC
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub import fica_event_modules
from tests.erp_stub.fica_support import account, bit, bits, contract_with_items, partner, read

MI = ["RAI_ID", "SRCDOC_TYPE", "SRCDOC_ID", "EFFECTIVE_DATE", "BETRW", "CHIND"]
CO = ["RAI_ID", "CONDITION_TYPE", "BETRW", "MAIN_COND_TYPE", "CHIND"]


def event_module(erp: ErpSystem, name: str) -> None:
    erp.seed_rows(TFKFBC, [{"FBEVE": "8205", "APPLK": "C", "FUNCN":
                            f"tests.erp_stub.fica_event_modules:{name}" if name else ""}],
                  update_existing=True)


def run(conn: LocalConnection, function: str, **params: Any) -> dict[str, Any]:
    result = conn.call(function, **params)
    conn.call("BAPI_TRANSACTION_COMMIT")
    return result


def messages(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(m["TYPE"], m["NUMBER"]) for m in result["RETURN"]]


@pytest.fixture
def vkont(erp: ErpSystem, conn: LocalConnection) -> Iterator[str]:
    erp.seed_rows(TFK_RA_CONDTYP, [{"CONDITION_TYPE": "CDSC", "COND_ROLE": "P",
                                    "STATISTIC": "", "TEXT": "Discount"}])
    fica_event_modules.CALLS.clear()
    fica_event_modules.REFUSED_ACCOUNTS.clear()
    yield contract_with_items(conn)[1]
    fica_event_modules.REFUSED_ACCOUNTS.clear()


def one_off(vkont: str, srctaid: str = "FEE-1", **fields: Any) -> dict[str, Any]:
    return bit(srctaid, vkont, "19.99", "ONCE", VTPOS="10", **fields)


def cabo(conn: LocalConnection) -> list[list[Any]]:
    return [row for row in read(conn, "DFKKRA_RAI_MI", MI) if row[1] == "CABO"]


# -- one-off order items ---------------------------------------------------------------------
def test_a_one_off_order_item_is_enriched_after_a_simulation(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    event_module(erp, "by_type")
    result = bits(conn, one_off(vkont))

    assert [row["BITSTATUS"] for row in result["ET_BIT_RESULT"]] == ["2"]
    assert fica_event_modules.CALLS == [True, False]
    [item] = cabo(conn)
    assert item[1:] == ["CABO", "FEE-1/00000000", "20261216", "19.99", "U"]
    assert read(conn, "DFKKRA_RAI_CO", CO, f"RAI_ID = '{item[0]}'") == [
        [item[0], "CTPR", "19.99", "X", ""]]
    assert read(conn, "DFKKBIXBIT_RAI", ["SRCTAID", "RAI_ID"]) == [["FEE-1", item[0]]]


def test_a_test_run_only_simulates(erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    event_module(erp, "by_type")
    result = bits(conn, one_off(vkont), TESTRUN="X")
    assert fica_event_modules.CALLS == [True]
    assert [row["BITSTATUS"] for row in result["ET_BIT_RESULT"]] == ["2"]
    assert cabo(conn) == [] and read(conn, "/1FE/00SAP2IT", ["SRCTAID"]) == []


@pytest.mark.parametrize(("module", "number", "text"), [
    ("failing", "050", "Event 8205 module tests.erp_stub.fica_event_modules:failing failed: "
                       "RuntimeError: enrichment service down"),
    ("forbidden", "052", "Event 8205 must not change field BETRW of DFKKRA_RAI_MI"),
])
def test_a_failing_module_keeps_the_one_off_charge_raw_and_correctable(
        erp: ErpSystem, conn: LocalConnection, vkont: str, module: str, number: str,
        text: str) -> None:
    event_module(erp, module)
    result = bits(conn, one_off(vkont, BITPACKUUID="PKG-1", BITPACKCNO="1"),
                  bit("CALL-1", vkont, "0.13", BITPACKUUID="PKG-1", BITPACKCNO="2"),
                  bit("CALL-2", vkont, "0.20"))

    assert [(row["SRCTAID"], row["BITSTATUS"], row["MSGNO"], row["MESSAGE"])
            for row in result["ET_BIT_RESULT"]] == [
        ("FEE-1", "0", number, text),
        ("CALL-1", "0", "033", "Package PKG-1 is billed as a unit: its item 00000001 has "
                               "errors"),
        ("CALL-2", "2", "000", "")]
    assert read(conn, "/1FE/00SAP0IT", ["SRCTAID", "RAW_MSGID", "RAW_MSGNO"]) == [
        ["CALL-1", "FKK_CI", "033"], ["FEE-1", "FKK_CI", number]]
    assert cabo(conn) == []
    assert read(conn, "DFKKBIXBIT_RAI", ["SRCTAID"]) == [["CALL-2"]]

    still = run(conn, "FKK_BIX_BITRAW_CORRECT", BITCAT="0SAP",
                IT_BIT_IT=[{"SRCTATYPE": "01", "SRCTAID": "FEE-1", "BITPACKUUID": "PKG-1",
                            "BITPACKCNO": "1"}])
    assert messages(still) == [("E", number)]      # the module still refuses: nothing moves
    assert len(read(conn, "/1FE/00SAP0IT", ["SRCTAID"])) == 2

    event_module(erp, "by_type")                    # the module corrected: release
    released = run(conn, "FKK_BIX_BITRAW_CORRECT", BITCAT="0SAP",
                   IT_BIT_IT=[{"SRCTATYPE": "01", "SRCTAID": "FEE-1", "BITPACKUUID": "PKG-1",
                               "BITPACKCNO": "1"}])
    assert messages(released) == [("S", "039")]
    assert read(conn, "/1FE/00SAP0IT", ["SRCTAID"]) == []
    [item] = cabo(conn)
    assert item[3:] == ["20261216", "19.99", "U"]


# -- invoice items ---------------------------------------------------------------------------
def cain(conn: LocalConnection) -> list[list[Any]]:
    return [row for row in read(conn, "DFKKRA_RAI_MI", MI) if row[1] == "CAIN"]


def test_invoice_items_are_enriched_after_a_simulation(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    bits(conn, bit("CALL-1", vkont, "0.13"), one_off(vkont))
    run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    event_module(erp, "by_type")
    fica_event_modules.CALLS.clear()
    result = run(conn, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20261130")

    assert messages(result) == [("S", "045")]
    assert fica_event_modules.CALLS == [True, False]
    items = cain(conn)
    assert [row[2:] for row in items] == [["200000000000/000001", "", "0.13", ""],
                                          ["200000000000/000002", "", "19.99", ""]]
    for item in items:   # the price condition as built, the discount the module added
        assert read(conn, "DFKKRA_RAI_CO", CO, f"RAI_ID = '{item[0]}'") == [
            [item[0], "CTPR", item[4], "X", ""], [item[0], "CDSC", "1.00-", "", "I"]]


def test_a_failing_module_leaves_the_account_uninvoiced_and_the_others_invoiced(
        erp: ErpSystem, conn: LocalConnection, vkont: str) -> None:
    other = account(conn, partner(conn, "Other Telco AG"))
    bits(conn, bit("CALL-1", vkont, "0.13"),
         bit("CALL-9", other, "0.50", VTREF="", VTPOS="", SERVICE_TYPE="USAGE"))
    run(conn, "FKK_BIX_BILL_MASS", DATE_TO="20261231")
    event_module(erp, "refuse_invoice")
    fica_event_modules.REFUSED_ACCOUNTS.add(vkont)

    result = run(conn, "FKK_INV_INVOICE_MASS", BUDAT="20261130")
    assert [(m["TYPE"], m["NUMBER"], m["MESSAGE"]) for m in result["RETURN"]
            if m["TYPE"] == "E"] == [
        ("E", "050", "Event 8205 module tests.erp_stub.fica_event_modules:refuse_invoice "
                     "failed: " + f"ConnectionError: tax service refused {vkont}"[:50]),
        ("E", "071", f"Contract account {vkont} not invoiced: its orders stay "
                     "for a later run")]
    assert messages(result)[-1] == ("S", "048")
    assert [m["MESSAGE"] for m in result["RETURN"]][-1].startswith("1 invoicing documents "
                                                                   "created, 1 contract")
    assert read(conn, "DFKKINVDOC_H", ["VKONT"]) == [[other]]
    assert read(conn, "DFKKKO", ["OPBEL"]) == [[result["ET_INVDOCS"][0]["OPBEL"]]]
    assert [row[1] for row in read(conn, "DFKKINV_TRIG", ["BILLDOCNO", "VKONT"])] == [vkont]
    assert [row[1] for row in read(conn, "DFKKRA_RAI_MI", ["SRCDOC_TYPE", "VKONT"])
            if row[0] == "CAIN"] == [other]

    fica_event_modules.REFUSED_ACCOUNTS.clear()   # the module corrected: the next run
    again = run(conn, "FKK_INV_INVOICE_MASS", BUDAT="20261130")
    assert messages(again)[-1] == ("S", "048") and len(again["ET_INVDOCS"]) == 1
    assert read(conn, "DFKKINV_TRIG", ["BILLDOCNO"]) == []
    assert sorted(row[0] for row in read(conn, "DFKKINVDOC_H", ["VKONT"])) == sorted(
        [vkont, other])


def test_a_single_run_refused_whole_opens_no_key(erp: ErpSystem, conn: LocalConnection,
                                                 vkont: str) -> None:
    bits(conn, bit("CALL-1", vkont, "0.13"))
    run(conn, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO="20261231")
    event_module(erp, "failing")
    result = run(conn, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT="20261130")
    assert messages(result) == [("E", "050"), ("E", "071")]
    for table, key in (("DFKKINVDOC_H", "INVDOCNO"), ("DFKKINVDOC_I", "INVDOCNO"),
                       ("DFKKKO", "OPBEL"), ("DFKKOP", "OPBEL"), ("FKKFIKEY", "FIKEY")):
        assert read(conn, table, [key]) == [], table
    assert cain(conn) == []
    assert read(conn, "DFKKINVBILL_H", ["INVSTATUS"]) == [[""]]
