"""RFC_READ_TABLE through an RFC connection: layout, paging, conditions, errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from sapgw.erp_stub import ErpSystem
from sapgw.erp_stub.kernel.system import LocalConnection
from sapgw.erp_stub.kernel.tables import erp_tables
from sapgw.rfc.errors import ABAPApplicationError

# BELNR -> (WKGBTR, SGTXT, BUKRS); inserted out of key order on purpose.
COEP_ROWS = {
    "0000000003": (Decimal("-100.00"), "Reversal of accrual", "1000"),
    "0000000001": (Decimal("100.00"), "Accrual trade promotion", "1000"),
    "0000000005": (Decimal("1234567.89"), "O'Brien bonus 50%", "2000"),
    "0000000002": (Decimal("0.00"), "accrual lower case", "1000"),
    "0000000004": (Decimal("250.50"), "Fund usage_01", "2000"),
}


@pytest.fixture
def coep(erp: ErpSystem) -> None:
    table = erp_tables()["COEP"]
    with erp.db.write() as db:
        db.execute(table.insert(), [
            {"KOKRS": "1000", "BELNR": belnr, "BUZEI": "001", "GJAHR": "2026", "PERIO": "011",
             "OBJNR": "OR000000400001", "KSTAR": "0000400000", "WKGBTR": amount,
             "WTGBTR": Decimal("100.00"), "TWAER": "EUR", "BEKNZ": "S", "BUKRS": bukrs,
             "SGTXT": text}
            for belnr, (amount, text, bukrs) in COEP_ROWS.items()])


def read(conn: LocalConnection, *conditions: str, **params: Any) -> dict[str, Any]:
    params.setdefault("QUERY_TABLE", "COEP")
    if conditions:
        params["OPTIONS"] = [{"TEXT": text} for text in conditions]
    return conn.call("RFC_READ_TABLE", **params)


def belnrs(conn: LocalConnection, *conditions: str) -> list[str]:
    result = read(conn, *conditions, FIELDS=[{"FIELDNAME": "BELNR"}])
    return [row["WA"][-3:] for row in result["DATA"]]


def option_error(conn: LocalConnection, *conditions: str) -> ABAPApplicationError:
    with pytest.raises(ABAPApplicationError) as caught:
        read(conn, *conditions)
    assert caught.value.key == "OPTION_NOT_VALID"
    return caught.value


# -- table and fields -----------------------------------------------------------------------
def test_unknown_table_is_reported_as_sap_does(conn: LocalConnection) -> None:
    with pytest.raises(ABAPApplicationError) as caught:
        read(conn, QUERY_TABLE="T008X")
    error = caught.value
    assert (error.key, error.msg_class, error.msg_type, error.msg_number, error.msg_v1) == (
        "TABLE_NOT_AVAILABLE", "SV", "E", "029", "T008X")
    assert str(error) == ("5 (rc=5): key=TABLE_NOT_AVAILABLE, message=ID:SV Type:E Number:029 "
                          "T008X [MSG: class=SV, type=E, number=029, v1-4:=T008X;;;]")


def test_all_fields_in_table_order_without_delimiter(conn: LocalConnection, coep: None) -> None:
    result = read(conn, ROWCOUNT=1)
    fields = result["FIELDS"]
    assert [f["FIELDNAME"] for f in fields] == [c.name for c in erp_tables()["COEP"].columns]
    offsets = [int(f["OFFSET"]) for f in fields]
    lengths = [int(f["LENGTH"]) for f in fields]
    assert offsets == [sum(lengths[:i]) for i in range(len(fields))]
    assert fields[0] == {"FIELDNAME": "KOKRS", "OFFSET": "000000", "LENGTH": "000004",
                         "TYPE": "C", "FIELDTEXT": ""}
    line = result["DATA"][0]["WA"]
    assert line.startswith("10000000000001001202601")


def test_field_selection_and_delimiter_offsets(conn: LocalConnection, coep: None) -> None:
    result = read(conn, DELIMITER="|", FIELDS=[{"FIELDNAME": "BELNR"}, {"FIELDNAME": "WKGBTR"},
                                               {"FIELDNAME": "sgtxt"}, {"FIELDNAME": "PERIO"}])
    fields = result["FIELDS"]
    assert [(f["FIELDNAME"], f["OFFSET"], f["LENGTH"], f["TYPE"]) for f in fields] == [
        ("BELNR", "000000", "000010", "C"), ("WKGBTR", "000011", "000025", "P"),
        ("SGTXT", "000037", "000050", "C"), ("PERIO", "000088", "000003", "N")]
    line = result["DATA"][4]["WA"]
    assert line == ("0000000005|" + "1234567.89 ".rjust(25) + "|"
                    + "O'Brien bonus 50%".ljust(50) + "|011")
    values = [line[int(f["OFFSET"]):int(f["OFFSET"]) + int(f["LENGTH"])].strip() for f in fields]
    assert values == ["0000000005", "1234567.89", "O'Brien bonus 50%", "011"]


def test_curr_values_are_right_aligned_with_trailing_sign(conn: LocalConnection,
                                                          coep: None) -> None:
    result = read(conn, FIELDS=[{"FIELDNAME": "WKGBTR"}, {"FIELDNAME": "TWAER"}])
    amounts = [row["WA"][:25] for row in result["DATA"]]
    assert amounts[:3] == ["100.00 ".rjust(25), "0.00 ".rjust(25), "100.00-".rjust(25)]

    def parse(text: str) -> Decimal:
        text = text.strip()
        return -Decimal(text[:-1]) if text.endswith("-") else Decimal(text)

    assert [parse(a) for a in amounts] == [COEP_ROWS[b][0] for b in sorted(COEP_ROWS)]
    assert all(row["WA"][25:] == "EUR" for row in result["DATA"])


def test_unknown_field(conn: LocalConnection, coep: None) -> None:
    with pytest.raises(ABAPApplicationError) as caught:
        read(conn, FIELDS=[{"FIELDNAME": "BELNR"}, {"FIELDNAME": "DMBTR"}])
    assert caught.value.key == "FIELD_NOT_VALID"
    assert caught.value.msg_v1 == "DMBTR"
    assert "DMBTR" in str(caught.value.message)


def test_no_data_returns_fields_only(conn: LocalConnection, coep: None) -> None:
    result = read(conn, "this is not evaluated", NO_DATA="X", FIELDS=[{"FIELDNAME": "BELNR"}])
    assert result["DATA"] == []
    assert result["FIELDS"][0]["LENGTH"] == "000010"


def test_line_wider_than_512_characters(conn: LocalConnection, coep: None) -> None:
    eleven_texts = [{"FIELDNAME": "SGTXT"}] * 11  # 550 characters
    with pytest.raises(ABAPApplicationError) as caught:
        read(conn, FIELDS=eleven_texts)
    assert caught.value.key == "DATA_BUFFER_EXCEEDED"
    assert len(read(conn, FIELDS=eleven_texts, NO_DATA="X")["FIELDS"]) == 11
    ten = read(conn, FIELDS=eleven_texts[:10], DELIMITER=";")["DATA"][0]["WA"]
    assert ten.startswith("Accrual trade promotion".ljust(50) + ";Accrual")


def test_numc_and_dats_fields(erp: ErpSystem, conn: LocalConnection) -> None:
    with erp.db.write() as db:
        db.execute(erp_tables()["PROJ"].insert().values(
            PSPNR="00000042", PSPID="TP-2026-0001", POST1="Trade promotion", VBUKR="1000",
            VKOKR="1000", PLFAZ="20261101", OBJNR="PD00000042", ERDAT="20261122"))
    result = read(conn, "PSPNR = '42'", QUERY_TABLE="proj", DELIMITER=",",
                  FIELDS=[{"FIELDNAME": "PSPNR"}, {"FIELDNAME": "PLFAZ"}, {"FIELDNAME": "PLSEZ"},
                          {"FIELDNAME": "VBUKR"}])
    assert [f["TYPE"] for f in result["FIELDS"]] == ["N", "D", "D", "C"]
    assert result["DATA"] == [{"WA": "00000042,20261101,        ,1000"}]
    assert len(read(conn, "PSPNR = 42", QUERY_TABLE="PROJ")["DATA"]) == 1


# -- paging ---------------------------------------------------------------------------------
def test_rowskips_and_rowcount_page_in_key_order(conn: LocalConnection, coep: None) -> None:
    assert belnrs(conn) == ["001", "002", "003", "004", "005"]
    pages = [read(conn, FIELDS=[{"FIELDNAME": "BELNR"}], ROWSKIPS=skip, ROWCOUNT=2)["DATA"]
             for skip in (0, 2, 4)]
    assert [[row["WA"][-1] for row in page] for page in pages] == [["1", "2"], ["3", "4"], ["5"]]
    assert len(read(conn, ROWSKIPS=3)["DATA"]) == 2
    assert len(read(conn, ROWCOUNT=0)["DATA"]) == 5
    assert read(conn, ROWSKIPS=10)["DATA"] == []


# -- conditions -----------------------------------------------------------------------------
@pytest.mark.parametrize(("condition", "expected"), [
    ("BUKRS = '2000'", ["004", "005"]),
    ("BUKRS EQ '2000'", ["004", "005"]),
    ("BUKRS <> '2000'", ["001", "002", "003"]),
    ("BUKRS ne '2000'", ["001", "002", "003"]),
    ("WKGBTR < 0", ["003"]),
    ("WKGBTR LT '0.00'", ["003"]),
    ("WKGBTR > 100", ["004", "005"]),
    ("WKGBTR GT '100'", ["004", "005"]),
    ("WKGBTR <= 100", ["001", "002", "003"]),
    ("WKGBTR le '-100.00'", ["003"]),
    ("WKGBTR >= '250.5'", ["004", "005"]),
    ("WKGBTR GE -100", ["001", "002", "003", "004", "005"]),
    ("WKGBTR = WTGBTR", ["001"]),
    ("BELNR BETWEEN '0000000002' AND '0000000004'", ["002", "003", "004"]),
    ("BELNR NOT BETWEEN '0000000002' AND '0000000004'", ["001", "005"]),
    ("BELNR IN ( '0000000001', '0000000005', 'nothing' )", ["001", "005"]),
    ("BELNR NOT IN ('0000000001','0000000005')", ["002", "003", "004"]),
    ("SGTXT LIKE 'Accrual%'", ["001"]),
    ("SGTXT LIKE '%ccrual%'", ["001", "002", "003"]),
    ("SGTXT NOT LIKE '%ccrual%'", ["004", "005"]),
    ("SGTXT LIKE 'Fund usage_0_'", ["004"]),
    ("SGTXT LIKE '%#_01' ESCAPE '#'", ["004"]),
    ("SGTXT LIKE '%50#%' ESCAPE '#'", ["005"]),
    ("SGTXT LIKE '%[%'", []),
    ("SGTXT = 'O''Brien bonus 50%'", ["005"]),
    ("SGTXT = `O'Brien bonus 50%`", ["005"]),
    ("SGTXT = 'O''Brien'' OR ''1''=''1'", []),
    ("PERIO = 11 AND GJAHR = '2026'", ["001", "002", "003", "004", "005"]),
    ("SGTXT IS NOT NULL AND NOT SGTXT IS NULL", ["001", "002", "003", "004", "005"]),
    ("NOT BUKRS = '1000'", ["004", "005"]),
    ("bukrs = '1000' and not ( wkgbtr < 0 or sgtxt like 'a%' )", ["001"]),
    ("BUKRS = '2000' OR BUKRS = '1000' AND WKGBTR < 0", ["003", "004", "005"]),
    ("( BUKRS = '2000' OR BUKRS = '1000' ) AND WKGBTR < 0", ["003"]),
    ("BUKRS='1000'AND(WKGBTR>0 OR WKGBTR<0)", ["001", "003"]),
])
def test_condition(conn: LocalConnection, coep: None, condition: str,
                   expected: list[str]) -> None:
    assert belnrs(conn, condition) == expected


def test_condition_split_over_options_rows(conn: LocalConnection, coep: None) -> None:
    rows = ["BUKRS = '1000'", "AND", "( WKGBTR >", "0 OR SGTXT LIKE", "'accrual%' )", ""]
    assert belnrs(conn, *rows) == ["001", "002"]
    assert belnrs(conn, "", "  ") == ["001", "002", "003", "004", "005"]


def test_like_is_case_sensitive(conn: LocalConnection, coep: None) -> None:
    assert belnrs(conn, "SGTXT LIKE 'accrual%'") == ["002"]


@pytest.mark.parametrize("condition", [
    "BUKRS = '1' OR 1=1 --",
    "BUKRS = '1' OR 1 = 1",
    "BELNR = '1'; DROP TABLE COEP",
    "BELNR = '1' UNION SELECT * FROM NRIV",
    "BELNR = '1' /* comment */",
    "BELNR = (SELECT BELNR FROM COEP)",
    "BELNR = ''",
])
def test_injection_attempts_are_rejected_or_harmless(erp: ErpSystem, conn: LocalConnection,
                                                     coep: None, condition: str) -> None:
    try:
        assert belnrs(conn, condition) == []
    except ABAPApplicationError as error:
        assert error.key == "OPTION_NOT_VALID"
    with erp.db.read() as db:
        assert db.execute(select(func.count()).select_from(erp_tables()["COEP"])).scalar() == 5


def test_syntax_error_says_where(conn: LocalConnection, coep: None) -> None:
    error = option_error(conn, "BUKRS = '1000' AND", "WKGBTR = = 1")
    assert "row 2, column 10" in str(error.message)
    assert error.msg_v1 == "="
    error = option_error(conn, "BUKRS = '1000' AND")
    assert "at the end of the condition" in str(error.message)
    error = option_error(conn, "( BUKRS = '1000'")
    assert "')' expected" in str(error.message)
    error = option_error(conn, "BUKRS = '1000' BUKRS = '2000'")
    assert "column 16" in str(error.message)


def test_unknown_field_in_condition_is_named(conn: LocalConnection, coep: None) -> None:
    error = option_error(conn, "BUKRS = '1000' AND DMBTR > 0")
    assert "DMBTR" in str(error.message) and "COEP" in str(error.message)
    assert error.msg_v1 == "DMBTR"
    assert "FOO" in str(option_error(conn, "BUKRS = FOO").message)


def test_literal_must_end_on_its_row(conn: LocalConnection, coep: None) -> None:
    error = option_error(conn, "SGTXT = 'Accrual trade", "promotion'")
    assert "not closed" in str(error.message)


@pytest.mark.parametrize("condition", [
    "WKGBTR = 'abc'", "WKGBTR LIKE '1%'", "BELNR IN ()", "BELNR IN '1'", "SGTXT LIKE 'a' ESCAPE",
    "SGTXT LIKE 'a#' ESCAPE '#'", "BELNR BETWEEN '1'", "BELNR IS '1'", "AND BELNR = '1'",
    "BELNR", "BELNR LIKE", "'1' = BELNR", "BELNR = 1.5",
])
def test_invalid_conditions(conn: LocalConnection, coep: None, condition: str) -> None:
    option_error(conn, condition)
