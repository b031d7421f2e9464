"""The Open SQL condition parser on its own: tokens, bound parameters, LIKE per dialect."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from sapgw.erp_stub.basis.open_sql import OpenSqlError, tokenize, where_condition
from sapgw.erp_stub.co.tables import COEP

COEP_TABLE: Table = COEP.__table__  # type: ignore[attr-defined]


def compiled(condition: ColumnElement[bool] | None, dialect: object) -> tuple[str, dict]:
    statement = select(COEP_TABLE.c.BELNR).where(condition).compile(dialect=dialect)
    return str(statement), statement.params


def test_tokens_carry_row_and_column() -> None:
    tokens = tokenize(["BUKRS EQ 'a''b'", "  AND WKGBTR>=-5"])
    assert [(t.kind, t.text, t.row, t.column) for t in tokens] == [
        ("name", "BUKRS", 1, 1), ("name", "EQ", 1, 7), ("string", "'a''b'", 1, 10),
        ("name", "AND", 2, 3), ("name", "WKGBTR", 2, 7), ("op", ">=", 2, 13),
        ("number", "-5", 2, 15), ("end", "", 2, 0)]


@pytest.mark.parametrize(("rows", "message"), [
    (["BUKRS = 'open"], "literal at OPTIONS row 1, column 9 is not closed on its row"),
    (["BUKRS = '1';"], "unexpected character ';' at OPTIONS row 1, column 12"),
    (["", "BUKRS = \"1\""], "unexpected character '\"' at OPTIONS row 2, column 9"),
    (["BUKRS = 1.5"], "1.5 at OPTIONS row 1, column 9 is not an integer; write other values "
     "as literals: '1.5'"),
    (["BUKRS = 1A"], "1A at OPTIONS row 1, column 9 is not an integer"),
])
def test_tokenizer_errors(rows: list[str], message: str) -> None:
    with pytest.raises(OpenSqlError, match=re.escape(message)):
        tokenize(rows)


def test_blank_options_mean_no_condition() -> None:
    assert where_condition(["", "   "], COEP_TABLE) is None


def test_caller_text_only_reaches_bound_parameters() -> None:
    hostile = "x' OR '1'='1'; DROP TABLE COEP; --"
    condition = where_condition([f"SGTXT = '{hostile.replace(chr(39), chr(39) * 2)}'"],
                                COEP_TABLE)
    sql, params = compiled(condition, sqlite.dialect())
    assert "DROP" not in sql and "'1'" not in sql
    assert list(params.values()) == [hostile]


def test_values_take_the_fields_type() -> None:
    condition = where_condition(
        ["WKGBTR BETWEEN '-100.5' AND 200 AND PERIO IN (11, '012', 'X') AND KSTAR = 42"],
        COEP_TABLE)
    _, params = compiled(condition, sqlite.dialect())
    assert list(params.values()) == [Decimal("-100.5"), Decimal(200), ["011", "012", "X"], "42"]


def test_like_compiles_to_glob_on_sqlite_and_like_elsewhere() -> None:
    condition = where_condition(["SGTXT NOT LIKE 'a*b_%#%\\' ESCAPE '#'"], COEP_TABLE)
    sql, params = compiled(condition, sqlite.dialect())
    assert "GLOB" in sql and list(params.values()) == ["a[*]b?*%\\"]
    sql, params = compiled(condition, postgresql.dialect())
    assert "NOT (" in sql and "LIKE" in sql and "ESCAPE '\\'" in sql
    assert list(params.values()) == ["a*b_%\\%\\\\"]


def test_precedence_of_not_and_or() -> None:
    condition = where_condition(["NOT BUKRS = '1' AND BEKNZ = 'S' OR BEKNZ = 'H'"], COEP_TABLE)
    sql, _ = compiled(condition, postgresql.dialect())
    where = sql.split("WHERE ", 1)[1]
    assert where == ('"COEP"."BUKRS" != %(BUKRS_1)s::VARCHAR AND "COEP"."BEKNZ" = '
                     '%(BEKNZ_1)s::VARCHAR OR "COEP"."BEKNZ" = %(BEKNZ_2)s::VARCHAR')


@pytest.mark.parametrize(("rows", "message", "token"), [
    (["NRLEVEL = '1'"], "field NRLEVEL at OPTIONS row 1, column 1 is not a field of table COEP",
     "NRLEVEL"),
    (["BUKRS = '1' OR", "1 = 1"], "a field name expected at OPTIONS row 2, column 1, found '1'",
     "1"),
    (["BUKRS ="], "a literal ('text' or a number) expected at the end of the condition, "
     "found nothing", ""),
    (["WKGBTR LIKE '1%'"], "LIKE at OPTIONS row 1, column 13 needs a character-like field, "
     "WKGBTR is CURR 23.2", "WKGBTR"),
    (["BELNR IN ( '1' '2' )"], "',' or ')' expected at OPTIONS row 1, column 16", "'2'"),
])
def test_parser_errors(rows: list[str], message: str, token: str) -> None:
    with pytest.raises(OpenSqlError, match=re.escape(message)) as caught:
        where_condition(rows, COEP_TABLE)
    assert caught.value.token == token
