"""FI customizing in SAP's tables: readable with RFC_READ_TABLE, maintained over RFC (OB52),
seen by every process, and seeded into the database of an older release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from sapgw.clock import Clock
from sapgw.erp_stub import ErpSystem, create_system
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.fbas.tables import SKB1
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.periods import close_period
from tests.erp_stub.test_fi_post import expense, post


def table(conn: LocalConnection, name: str, *where: str) -> list[dict[str, str]]:
    """RFC_READ_TABLE rows as field -> value (stripped), as a client reads them."""
    result = conn.call("RFC_READ_TABLE", QUERY_TABLE=name, DELIMITER="|",
                       OPTIONS=[{"TEXT": condition} for condition in where])
    names = [field["FIELDNAME"] for field in result["FIELDS"]]
    return [dict(zip(names, (v.strip() for v in row["WA"].split("|")), strict=True))
            for row in result["DATA"]]


def pick(row: dict[str, str], *fields: str) -> tuple[str, ...]:
    return tuple(row[field] for field in fields)


def test_company_code_and_its_settings_are_readable(conn: LocalConnection) -> None:
    [t001] = table(conn, "T001", "BUKRS = '1000'")
    assert pick(t001, "BUTXT", "ORT01", "LAND1", "WAERS", "KTOPL", "PERIV", "OPVAR") == (
        "Demo AG", "Walldorf", "DE", "EUR", "INT", "K4", "1000")
    assert [pick(r, "BUKRS", "KOKRS") for r in table(conn, "TKA02")] == [("1000", "1000")]
    k4 = table(conn, "T009", "PERIV = 'K4'")[0]
    assert pick(k4, "XKALE", "ANZBP", "ANZSP") == ("X", "012", "04")
    v3 = table(conn, "T009B", "PERIV = 'V3'")
    assert len(v3) == 12 and pick(v3[0], "BDATJ", "BUMON", "BUTAG", "POPER", "RELJR") == (
        "0000", "01", "31", "010", "-1")
    assert [r["OPVAR"] for r in table(conn, "T010O")] == ["1000"]


def test_open_periods_are_one_t001b_row(conn: LocalConnection) -> None:
    [row] = table(conn, "T001B")
    assert pick(row, "RRCTY", "BUKRS", "MKOAR", "FRYE1", "FRPE1", "TOYE1", "TOPE1",
                "FRYE2") == ("0", "1000", "+", "2026", "001", "2027", "016", "0000")


def test_document_types_and_gl_accounts_are_readable(conn: LocalConnection) -> None:
    assert pick(table(conn, "T003", "BLART = 'SA'")[0], "NUMKR") == ("01",)
    assert table(conn, "T003T", "BLART = 'KR'")[0]["LTEXT"] == "Vendor invoice"
    ska1 = {r["SAKNR"]: r for r in table(conn, "SKA1", "KTOPL = 'INT'")}
    assert pick(ska1["0000196000"], "XBILK", "GVTYP") == ("X", "")
    assert pick(ska1["0000477000"], "XBILK", "GVTYP") == ("", "X")
    [skat] = table(conn, "SKAT", "SAKNR = '0000113100'")
    assert pick(skat, "KTOPL", "TXT20") == ("INT", "Bank account")
    [skb1] = table(conn, "SKB1", "BUKRS = '1000' AND SAKNR = '0000140000'")
    assert pick(skb1, "WAERS", "MITKZ", "XSPEB", "XLOEB") == ("EUR", "D", "", "")


def test_number_ranges_are_readable(conn: LocalConnection) -> None:
    [tnro] = table(conn, "TNRO", "OBJECT = 'RF_BELEG'")
    assert pick(tnro, "DTELSOBJ", "YEARIND", "BUFFER", "NOIVBUFFER") == (
        "BUKRS", "X", "X", "00000100")
    [interval] = table(conn, "NRIV", "OBJECT = 'RF_BELEG'")
    assert pick(interval, "SUBOBJECT", "NRRANGENR", "TOYEAR", "FROMNUMBER", "TONUMBER") == (
        "", "01", "0000", "0100000000", "0199999999")

    post(conn, expense())

    rows = table(conn, "NRIV", "OBJECT = 'RF_BELEG'")
    assert [pick(r, "SUBOBJECT", "TOYEAR", "NRLEVEL") for r in rows] == [
        ("", "0000", "99999999"), ("1000", "2026", "100000099")]


def test_a_closed_period_is_refused_and_can_be_opened_again(conn: LocalConnection) -> None:
    close_period(conn, 2026, 11)
    [row] = table(conn, "T001B")
    assert pick(row, "FRYE1", "FRPE1", "TOYE1", "TOPE1", "FRYE2", "FRPE2", "TOYE2",
                "TOPE2") == ("2026", "001", "2026", "010", "2026", "012", "2027", "016")
    assert post(conn, expense())["RETURN"][1]["NUMBER"] == "201"

    result = conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="1000", FISC_YEAR="2026",
                       PERIOD="011", ACTION="O")
    conn.call("BAPI_TRANSACTION_COMMIT")

    assert [(m["TYPE"], m["NUMBER"]) for m in result["RETURN"]] == [("S", "714")]
    assert post(conn, expense())["RETURN"][0]["NUMBER"] == "605"
    assert pick(table(conn, "T001B")[0], "TOYE1", "TOPE1", "FRYE2") == ("2027", "016", "0000")


def test_maintenance_reports_every_problem(conn: LocalConnection) -> None:
    result = conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="1000", FISC_YEAR="2026",
                       PERIOD="017", ACTION="X", ACCOUNT_TYPE="D")
    assert [(m["TYPE"], m["ID"], m["NUMBER"], m["FIELD"]) for m in result["RETURN"]] == [
        ("E", "F5", "715", "ACTION"), ("E", "F5", "711", "PERIOD"),
        ("E", "F5", "710", "ACCOUNT_TYPE")]
    unknown = conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="9999", FISC_YEAR="2026",
                        PERIOD="001", ACTION="C")
    assert unknown["RETURN"][0]["MESSAGE"] == "Company code 9999 is not defined"


def test_testrun_and_a_third_interval_change_nothing(conn: LocalConnection) -> None:
    before = table(conn, "T001B")
    test = conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="1000", FISC_YEAR="2026",
                     PERIOD="005", ACTION="C", TESTRUN="X")
    conn.call("BAPI_TRANSACTION_COMMIT")
    assert test["RETURN"][0]["TYPE"] == "S" and table(conn, "T001B") == before

    close_period(conn, 2026, 5)
    third = conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE="1000", FISC_YEAR="2026",
                      PERIOD="009", ACTION="C")
    assert [(m["TYPE"], m["NUMBER"]) for m in third["RETURN"]] == [("E", "712")]
    assert third["RETURN"][0]["MESSAGE"] == (
        "Period 009 2026: open periods of variant 1000 would need three intervals")


def test_a_period_closed_in_one_process_is_refused_in_another(tmp_path: Path,
                                                              clock: Clock) -> None:
    url = f"sqlite:///{tmp_path / 'erp.db'}"
    first, second = create_system(url, clock=clock), create_system(url, clock=clock)
    try:
        other = second.connect()
        assert post(other, expense())["RETURN"][0]["NUMBER"] == "605"  # T001B now buffered

        close_period(first.connect(), 2026, 11)

        refused = post(other, expense())
        assert [(m["ID"], m["NUMBER"]) for m in refused["RETURN"]] == [("RW", "609"),
                                                                        ("F5", "201")]
    finally:
        first.db.dispose()
        second.db.dispose()


NEW_TABLES = ("T001", "TKA02", "T009", "T009T", "T009B", "T010O", "T001B", "T003", "T003T",
              "SKA1", "SKAT", "SKB1", "TNRO", "TNROT", "IAOM_BUS_SCEN", "IAOM_SCEN_RULES",
              "CRMFM_ACCR_ACCT")


def test_an_old_database_gets_the_tables_seeded_on_start(tmp_path: Path, clock: Clock) -> None:
    """The previous release had none of these tables, an NRIV without EXTERNIND and only the
    interval rows drawn from: they are created and filled, drawn levels are kept."""
    url = f"sqlite:///{tmp_path / 'erp.db'}"
    old = create_system(url, clock=clock)
    post(old.connect(), expense())
    with old.db.write() as db:
        for name in NEW_TABLES:
            db.execute(text(f'DROP TABLE "{name}"'))
        db.execute(text("DELETE FROM NRIV WHERE SUBOBJECT = '' AND TOYEAR = '0000'"))
        db.execute(text("ALTER TABLE NRIV DROP COLUMN EXTERNIND"))
    old.db.dispose()

    upgraded = create_system(url, clock=clock)
    try:
        conn = upgraded.connect()
        assert table(conn, "T001")[0]["BUTXT"] == "Demo AG"
        assert post(conn, expense())["OBJ_KEY"] == "0100000100" + "1000" + "2026"
        assert table(conn, "CRMFM_ACCR_ACCT", "EXPENSE_TYPE = 'TPM1'")[0]["EXP_ACCOUNT"] == (
            "0000477000")
        assert [r["BUS_SCENARIO_ID"] for r in table(conn, "IAOM_BUS_SCEN")] == ["CRMFM"]
    finally:
        upgraded.db.dispose()


def test_blocked_gl_account_is_refused_after_maintenance(erp: ErpSystem,
                                                          conn: LocalConnection) -> None:
    ctx = CallContext(erp, Luw())
    ctx.update(SKB1, key={"BUKRS": "1000", "SAKNR": "0000113100"}, values={"XSPEB": "X"})
    ctx.commit()

    result = post(conn, expense())

    assert [(m["ID"], m["NUMBER"], m["ROW"]) for m in result["RETURN"][1:]] == [
        ("F5", "708", 2)]


@pytest.mark.parametrize(("periv", "date", "expected"), [
    ("K4", "20261122", (2026, 11)), ("V3", "20260430", (2026, 1)),
    ("V3", "20270115", (2026, 10)), ("V3", "20280229", (2027, 11)),
    ("ZZ", "20261122", (2026, 11)),
])
def test_fiscal_period_of_a_date(erp: ErpSystem, periv: str, date: str,
                                 expected: tuple[int, int]) -> None:
    assert fbas.fiscal_period(CallContext(erp, Luw()), periv, date) == expected


def test_accessors_answer_none_for_what_does_not_exist(erp: ErpSystem) -> None:
    ctx: Any = CallContext(erp, Luw())
    assert fbas.company_code(ctx, "9999") is None
    assert fbas.gl_account(ctx, "0000999999", "1000") is None
    assert fbas.gl_account(ctx, "0000113100", "9999") is None
    assert fbas.document_type(ctx, "ZZ") is None
    assert fbas.company_code(ctx, "1000").KOKRS == "1000"
    assert fbas.company_codes(ctx, "1000") == ["1000"]


def test_preload_fills_the_table_buffer_with_the_buffered_tables(tmp_path: Path) -> None:
    """`sapgw serve` fills the buffer at start (issue 15), so its first call reads none."""
    from sapgw.erp_stub.fbas.tables import T001

    system = create_system(f"sqlite:///{tmp_path}/erp.db")
    try:
        assert system.buffer.loaded(T001) is None
        assert system.preload_buffer() > 10
        assert ("1000",) in {key[-1:] for key in system.buffer.loaded(T001)}
    finally:
        system.db.dispose()
