"""RFC_READ_TABLE (function group SDTX): read any ERP table as fixed-width text lines.

Works as SAP's function module does:
- QUERY_TABLE is any table of this system (the kernel's or its applications'); another raises
  TABLE_NOT_AVAILABLE with message SV 029, exactly as pyrfc reports it from a real system.
- FIELDS names the fields to read (none: all, in table order; a name may repeat). Each field
  answers with OFFSET and LENGTH in the DATA line and TYPE, the ABAP type letter. A DELIMITER
  other than space is written between fields and counted in the offsets. A line wider than
  512 characters raises DATA_BUFFER_EXCEEDED, unless NO_DATA = 'X' asks for FIELDS only.
- DATA-WA holds each value at its offset: character-like values (CHAR, NUMC, DATS, TIMS,
  CUKY) left-aligned; packed numbers (CURR, DEC) and INT4 right-aligned with the sign in the
  last position, as ABAP's MOVE to a character field writes them: `    100.00 `,
  `    100.00-`. To read one back: strip, move a trailing '-' to the front, Decimal().
- OPTIONS rows (72 characters each) form an Open SQL WHERE condition, parsed safely by
  `open_sql.where_condition`; a bad condition raises OPTION_NOT_VALID saying where.
- ROWSKIPS skips rows, ROWCOUNT (0 = all) limits them; rows come in primary-key order.

Ours, not SAP's: the width of a field is its DDIC output length (SAP uses the internal length
and truncates long packed numbers with '*'); FIELDNAME and QUERY_TABLE are case-insensitive;
DATA lines come right-trimmed, as pyrfc delivers CHAR values by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Table, select

from sapgw.erp_stub.basis.open_sql import OpenSqlError, where_condition
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.kernel.tables import erp_tables
from sapgw.rfc.ddic import ABAP_TYPE, CHAR, INT4, NUMC, Elementary, structure
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.interface import importing, interface, tables

group = FunctionGroup("SDTX")

LINE_LENGTH = 512
_NUMERIC = ("CURR", "DEC", "QUAN", "INT4")

RFC_DB_OPT = structure("RFC_DB_OPT", ("TEXT", CHAR(72), "Selection option (WHERE clause)"))
RFC_DB_FLD = structure(
    "RFC_DB_FLD",
    ("FIELDNAME", CHAR(30), "Field name"), ("OFFSET", NUMC(6), "Offset in the DATA line"),
    ("LENGTH", NUMC(6), "Length in the DATA line"), ("TYPE", CHAR(1), "ABAP data type"),
    ("FIELDTEXT", CHAR(60), "Short description"),
)
TAB512 = structure("TAB512", ("WA", CHAR(LINE_LENGTH), "Data line"))


@dataclass(frozen=True, slots=True)
class OutputField:
    """One field's place in the DATA line."""

    column: Column[Any]
    ddic: Elementary
    offset: int

    @property
    def length(self) -> int:
        return self.ddic.output_length

    def describe(self) -> dict[str, Any]:
        return {"FIELDNAME": self.column.name, "OFFSET": f"{self.offset:06d}",
                "LENGTH": f"{self.length:06d}", "TYPE": ABAP_TYPE[self.ddic.kind],
                "FIELDTEXT": (self.column.comment or "")[:60]}

    def format(self, value: Any) -> str:
        return format_value(value, self.ddic, self.length)


@group.function(interface("RFC_READ_TABLE", [
    importing("QUERY_TABLE", CHAR(30), optional=False, text="Table read"),
    importing("DELIMITER", CHAR(1), default=" ", text="Sign for indicating field limits in DATA"),
    importing("NO_DATA", CHAR(1), text="If <> SPACE, only FIELDS is filled"),
    importing("ROWSKIPS", INT4, text="Rows to skip"),
    importing("ROWCOUNT", INT4, text="Rows to read (0: all)"),
    tables("OPTIONS", RFC_DB_OPT, text="Selection entries, WHERE clause"),
    tables("FIELDS", RFC_DB_FLD, text="Names (in) and structure (out) of fields read"),
    tables("DATA", TAB512, text="Data read (out)"),
], exceptions=("TABLE_NOT_AVAILABLE", "TABLE_WITHOUT_DATA", "OPTION_NOT_VALID",
               "FIELD_NOT_VALID", "NOT_AUTHORIZED", "DATA_BUFFER_EXCEEDED"),
   text="External access to R/3 tables via RFC"))
def rfc_read_table(ctx: CallContext, QUERY_TABLE: str, DELIMITER: str, NO_DATA: str,
                   ROWSKIPS: int, ROWCOUNT: int, OPTIONS: list[dict[str, Any]],
                   FIELDS: list[dict[str, Any]], DATA: list[dict[str, Any]]) -> dict[str, Any]:
    table = readable_table(QUERY_TABLE, {app.name for app in ctx.system.applications})
    with_data = NO_DATA == ""
    layout = field_layout(table, [row["FIELDNAME"] for row in FIELDS], DELIMITER, with_data)
    result = {"OPTIONS": OPTIONS, "FIELDS": [field.describe() for field in layout], "DATA": []}
    if with_data:
        rows = [option["TEXT"] for option in OPTIONS]
        lines = read_lines(ctx, table, layout, rows, DELIMITER, ROWSKIPS, ROWCOUNT)
        result["DATA"] = [{"WA": line} for line in lines]
    return result


def readable_table(name: str, applications: set[str] | None = None) -> Table:
    """The table, if this system has it: the kernel's, or one of its applications' (the
    Revenue Accounting system, a second system, has other tables than the ERP)."""
    table = erp_tables().get(name.upper())
    owner = None if table is None else table.info.get("application")
    if table is None or (applications is not None and owner and owner not in applications):
        raise ABAPApplicationError(f"ID:SV Type:E Number:029 {name}", 5, "TABLE_NOT_AVAILABLE",
                                   "SV", "E", "029", name)
    return table


def field_layout(table: Table, names: list[str], delimiter: str, check_width: bool = True
                 ) -> list[OutputField]:
    """Fields with their offsets in the DATA line; no names means all fields in table order."""
    layout: list[OutputField] = []
    cursor = 0
    for name in names or [column.name for column in table.columns]:
        column = table.columns.get(name.upper())
        if column is None:
            raise ABAPApplicationError(
                f"Field {name} is not a field of table {table.name}", 5, "FIELD_NOT_VALID",
                msg_type="E", msg_v1=name, msg_v2=table.name)
        if layout:
            cursor += len(delimiter)
        field = OutputField(column, column.info["ddic"], cursor)
        cursor += field.length
        if check_width and cursor > LINE_LENGTH:
            raise ABAPApplicationError(
                f"Fields of table {table.name} up to {column.name} need {cursor} characters, "
                f"more than the {LINE_LENGTH} of a DATA line", 5, "DATA_BUFFER_EXCEEDED",
                msg_type="E", msg_v1=table.name, msg_v2=column.name)
        layout.append(field)
    return layout


def read_lines(ctx: CallContext, table: Table, layout: list[OutputField], options: list[str],
               delimiter: str, skip: int, count: int) -> list[str]:
    """One SELECT of the needed columns, paged at the database, formatted as DATA lines."""
    try:
        condition = where_condition(options, table)
    except OpenSqlError as error:
        raise ABAPApplicationError(str(error), 5, "OPTION_NOT_VALID", msg_type="E",
                                   msg_v1=error.token[:50]) from None
    columns = list({field.column.name: field.column for field in layout}.values())
    query = select(*columns).order_by(*(table.primary_key.columns or table.columns))
    if condition is not None:
        query = query.where(condition)
    if skip > 0:
        query = query.offset(skip)
    if count > 0:
        query = query.limit(count)
    with ctx.read() as conn:
        rows = conn.execute(query).mappings().all()
    return [delimiter.join(field.format(row[field.column.name]) for field in layout).rstrip()
            for row in rows]


def format_value(value: Any, ddic: Elementary, width: int) -> str:
    """A value as ABAP's MOVE writes it into a character field of `width`."""
    if ddic.kind not in _NUMERIC:
        return str(value if value is not None else "")[:width].ljust(width)
    number = Decimal(value or 0)
    if ddic.kind != "INT4":
        number = number.quantize(Decimal(1).scaleb(-ddic.decimals))
    text = f"{abs(number):f}" + ("-" if number < 0 else " ")
    if len(text) > width:  # ABAP marks a cut-off number with '*' in the first position
        text = "*" + text[len(text) - width + 1:]
    return text.rjust(width)
