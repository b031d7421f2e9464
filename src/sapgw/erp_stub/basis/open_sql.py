"""Open SQL WHERE conditions (RFC_READ_TABLE OPTIONS) parsed into SQLAlchemy expressions.

The caller's text never reaches the database as SQL: a tokenizer and a recursive-descent
parser turn it into SQLAlchemy column expressions whose values are bound parameters, and
every field name is checked against the table. Grammar (keywords in any case):

    condition  := or_cond
    or_cond    := and_cond { OR and_cond }
    and_cond   := not_cond { AND not_cond }
    not_cond   := NOT not_cond | '(' or_cond ')' | predicate
    predicate  := field ( compare operand
                        | IS [NOT] NULL
                        | [NOT] LIKE literal [ESCAPE literal]
                        | [NOT] IN '(' value { ',' value } ')'
                        | [NOT] BETWEEN value AND value )
    compare    := = | <> | >< | < | > | <= | =< | >= | => | EQ | NE | LT | GT | LE | GE
    operand    := value | field
    value      := 'text' ('' is a quote) | `text` | integer with optional sign

As in ABAP source, the end of an OPTIONS row separates tokens and a literal cannot continue on
the next row. Values are converted to the field's DDIC type before comparison, as Open SQL
does (NUMC '42' matches 00000042, CURR '-100.5' is a decimal). LIKE is case-sensitive on every
database, as in Open SQL (SQLite's own LIKE is not, so SQLite gets GLOB).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Table, and_, not_, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from sapgw.rfc.ddic import Elementary


class OpenSqlError(ValueError):
    """The condition is not valid Open SQL for this table; `token` is the offending text."""

    def __init__(self, message: str, token: str = "") -> None:
        super().__init__(message)
        self.token = token


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # name, string, number, op, punct, end
    text: str
    row: int
    column: int

    @property
    def word(self) -> str:
        return self.text.upper() if self.kind == "name" else ""

    @property
    def where(self) -> str:
        if self.kind == "end":
            return "at the end of the condition"
        return f"at OPTIONS row {self.row}, column {self.column}"


_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<string>'(?:[^']|'')*'|`(?:[^`]|``)*`)
  | (?P<number>[+-]?\d+)(?![\w.])
  | (?P<bad_number>[+-]?\d[\w.]*)
  | (?P<name>[A-Za-z_/][A-Za-z0-9_/]*)
  | (?P<op><>|><|<=|=<|>=|=>|[=<>])
  | (?P<punct>[(),])
""", re.VERBOSE)

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq, "EQ": operator.eq, "<>": operator.ne, "><": operator.ne,
    "NE": operator.ne, "<": operator.lt, "LT": operator.lt, ">": operator.gt,
    "GT": operator.gt, "<=": operator.le, "=<": operator.le, "LE": operator.le,
    ">=": operator.ge, "=>": operator.ge, "GE": operator.ge,
}
KEYWORDS = {"AND", "OR", "NOT", "LIKE", "IN", "BETWEEN", "IS", "NULL", "ESCAPE",
            "EQ", "NE", "LT", "GT", "LE", "GE"}
_PACKED = ("CURR", "DEC", "QUAN")
_CHAR_LIKE = ("CHAR", "NUMC", "DATS", "TIMS", "CUKY", "UNIT", "CLNT", "STRING")


def tokenize(rows: Iterable[str]) -> list[Token]:
    """Split OPTIONS rows into tokens; a row end separates tokens like whitespace."""
    tokens: list[Token] = []
    last_row = 0
    for row_number, text in enumerate(rows, start=1):
        last_row = row_number
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                where = f"at OPTIONS row {row_number}, column {position + 1}"
                if text[position] in "'`":
                    raise OpenSqlError(f"literal {where} is not closed on its row",
                                       text[position:])
                raise OpenSqlError(f"unexpected character {text[position]!r} {where}",
                                   text[position])
            kind = match.lastgroup or ""
            if kind == "bad_number":
                raise OpenSqlError(
                    f"{match.group()} at OPTIONS row {row_number}, column {position + 1} is not "
                    f"an integer; write other values as literals: '{match.group()}'",
                    match.group())
            if kind != "space":
                tokens.append(Token(kind, match.group(), row_number, position + 1))
            position = match.end()
    tokens.append(Token("end", "", last_row, 0))
    return tokens


def where_condition(rows: Iterable[str], table: Table) -> ColumnElement[bool] | None:
    """The OPTIONS rows as a SQLAlchemy condition on `table`; None if they are blank."""
    tokens = tokenize(rows)
    if tokens[0].kind == "end":
        return None
    return _Parser(tokens, table).parse()


class _Parser:
    def __init__(self, tokens: list[Token], table: Table) -> None:
        self.tokens = tokens
        self.table = table
        self.position = 0

    # -- token helpers -------------------------------------------------------------------
    @property
    def current(self) -> Token:
        return self.tokens[self.position]

    def advance(self) -> Token:
        token = self.current
        if token.kind != "end":
            self.position += 1
        return token

    def accept(self, *words: str) -> Token | None:
        token = self.current
        if token.word in words or (token.kind in ("op", "punct") and token.text in words):
            return self.advance()
        return None

    def expect(self, word: str, what: str) -> Token:
        token = self.accept(word)
        if token is None:
            raise self.error(what)
        return token

    def error(self, expected: str) -> OpenSqlError:
        token = self.current
        found = "nothing" if token.kind == "end" else repr(token.text)
        return OpenSqlError(f"{expected} expected {token.where}, found {found}", token.text)

    # -- grammar -------------------------------------------------------------------------
    def parse(self) -> ColumnElement[bool]:
        condition = self.or_condition()
        if self.current.kind != "end":
            raise self.error("AND, OR or the end of the condition")
        return condition

    def or_condition(self) -> ColumnElement[bool]:
        terms = [self.and_condition()]
        while self.accept("OR"):
            terms.append(self.and_condition())
        return terms[0] if len(terms) == 1 else or_(*terms)

    def and_condition(self) -> ColumnElement[bool]:
        terms = [self.not_condition()]
        while self.accept("AND"):
            terms.append(self.not_condition())
        return terms[0] if len(terms) == 1 else and_(*terms)

    def not_condition(self) -> ColumnElement[bool]:
        if self.accept("NOT"):
            return not_(self.not_condition())
        if self.accept("("):
            condition = self.or_condition()
            self.expect(")", "')'")
            return condition
        return self.predicate()

    def predicate(self) -> ColumnElement[bool]:
        column, ddic = self.field()
        compare = self.current.word or (self.current.text if self.current.kind == "op" else "")
        if compare in COMPARE:
            self.advance()
            return COMPARE[compare](column, self.operand(ddic))
        if self.accept("IS"):
            negate = self.accept("NOT") is not None
            self.expect("NULL", "NULL")
            return column.is_not(None) if negate else column.is_(None)
        negate = self.accept("NOT") is not None
        if self.accept("LIKE"):
            condition = self.like(column, ddic)
        elif self.accept("IN"):
            condition = self.in_list(column, ddic)
        elif self.accept("BETWEEN"):
            low = self.value(ddic)
            self.expect("AND", "AND of BETWEEN")
            condition = column.between(low, self.value(ddic))
        else:
            raise self.error("a comparison operator, LIKE, IN, BETWEEN or IS")
        return not_(condition) if negate else condition

    def field(self) -> tuple[Any, Elementary]:
        token = self.current
        if token.kind != "name" or token.word in KEYWORDS:
            raise self.error("a field name")
        column = self.table.columns.get(token.word)
        if column is None:
            raise OpenSqlError(f"field {token.text} {token.where} is not a field of table "
                               f"{self.table.name}", token.text)
        self.advance()
        return column, column.info["ddic"]

    def operand(self, ddic: Elementary) -> Any:
        if self.current.kind == "name" and self.current.word not in KEYWORDS:
            return self.field()[0]
        return self.value(ddic)

    def value(self, ddic: Elementary) -> Any:
        token = self.current
        if token.kind == "string":
            self.advance()
            return convert(_unquote(token.text), ddic, token)
        if token.kind == "number":
            self.advance()
            return convert(int(token.text), ddic, token)
        raise self.error("a literal ('text' or a number)")

    def in_list(self, column: Any, ddic: Elementary) -> ColumnElement[bool]:
        self.expect("(", "'(' after IN")
        values = [self.value(ddic)]
        while self.accept(","):
            values.append(self.value(ddic))
        self.expect(")", "',' or ')'")
        return column.in_(values)

    def like(self, column: Any, ddic: Elementary) -> ColumnElement[bool]:
        token = self.current
        if token.kind != "string":
            raise self.error("a pattern literal after LIKE")
        if ddic.kind not in _CHAR_LIKE:
            raise OpenSqlError(f"LIKE {token.where} needs a character-like field, "
                               f"{column.name} is {ddic.name}", column.name)
        self.advance()
        escape = ""
        if self.accept("ESCAPE"):
            escape_token = self.current
            if escape_token.kind != "string" or len(_unquote(escape_token.text)) != 1:
                raise self.error("a one-character literal after ESCAPE")
            escape = _unquote(self.advance().text)
        return like(column, _unquote(token.text), escape, token)


def _unquote(text: str) -> str:
    quote = text[0]
    return text[1:-1].replace(quote * 2, quote)


def convert(value: str | int, ddic: Elementary, token: Token) -> Any:
    """A literal in the field's type, as Open SQL converts it before comparing."""
    kind = ddic.kind
    if kind in _PACKED or kind == "INT4":
        try:
            number = Decimal(str(value).strip() or "0")
        except InvalidOperation:
            raise OpenSqlError(f"{token.text} {token.where} is not a number", token.text) from None
        if not number.is_finite():
            raise OpenSqlError(f"{token.text} {token.where} is not a number", token.text)
        if kind == "INT4":
            if number != number.to_integral_value():
                raise OpenSqlError(f"{token.text} {token.where} is not an integer", token.text)
            return int(number)
        return number
    text = str(value)
    if kind == "NUMC" and text.strip().isdigit() and len(text.strip()) <= ddic.length:
        return text.strip().zfill(ddic.length)
    return text.rstrip()  # trailing blanks do not count in character comparisons


# -- LIKE, case-sensitive everywhere -----------------------------------------------------
def like(column: Any, pattern: str, escape: str, token: Token) -> ColumnElement[bool]:
    """Open SQL LIKE (`%` any text, `_` one character, optional ESCAPE character)."""
    parts: list[tuple[bool, str]] = []  # (is_wildcard, character)
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            escaped = next(chars, None)
            if escaped is None:
                raise OpenSqlError(f"pattern {token.text} {token.where} ends with its escape "
                                   "character", token.text)
            parts.append((False, escaped))
        else:
            parts.append((char in "%_", char))
    like_pattern = "".join(char if wild else ("\\" + char if char in "%_\\" else char)
                           for wild, char in parts)
    glob_pattern = "".join(("*" if char == "%" else "?") if wild else
                           (f"[{char}]" if char in "*?[" else char) for wild, char in parts)
    return _OpenSqlLike(column, like_pattern, glob_pattern)


class _OpenSqlLike(FunctionElement[bool]):
    """column LIKE pattern ESCAPE '\\'; on SQLite column GLOB pattern (case-sensitive)."""

    name = "open_sql_like"
    type = Boolean()
    inherit_cache = True


@compiles(_OpenSqlLike)
def _compile_like(element: _OpenSqlLike, compiler: SQLCompiler, **kw: Any) -> str:
    column, pattern, _glob = element.clauses.clauses
    return (f"({compiler.process(column, **kw)} LIKE {compiler.process(pattern, **kw)} "
            f"ESCAPE '\\')")


@compiles(_OpenSqlLike, "sqlite")
def _compile_glob(element: _OpenSqlLike, compiler: SQLCompiler, **kw: Any) -> str:
    column, _like, pattern = element.clauses.clauses
    return f"({compiler.process(column, **kw)} GLOB {compiler.process(pattern, **kw)})"
