"""ERP tables as SQLModel classes with SAP's table and field names.

Each column carries its DDIC type in `info["ddic"]`, so RFC_READ_TABLE can describe and
format any table from the model alone. Dates are DATS strings (YYYYMMDD), as SAP stores them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect, Numeric, Table, TypeDecorator
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, DEC, INT4, NUMC, TIMS, Elementary


class ErpTable(SQLModel, registry=registry()):
    """Base of every ERP table; its metadata is the ERP database, apart from the gateway's."""


class Packed(TypeDecorator[Decimal]):
    """A packed number (CURR, DEC) that stays exact on every database.

    PostgreSQL stores NUMERIC(p, d). SQLite has no exact decimal type (its NUMERIC is a
    float), so there the value is stored as a scaled integer: comparisons and sums in SQL stay
    correct and nothing is rounded through binary floating point.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision, scale, asdecimal=True)
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.impl.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = Decimal(str(value))
        if dialect.name == "sqlite":
            return int(number.scaleb(self.scale).to_integral_value())
        return number

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale)
        return Decimal(value)


def _field(ddic: Elementary, default: Any, key: bool, index: bool = False) -> Any:
    kwargs: dict[str, Any] = {"default": default, "primary_key": key,
                              "sa_column_kwargs": {"info": {"ddic": ddic}}}
    if index:
        kwargs["index"] = True
    if ddic.kind in ("CHAR", "NUMC", "DATS", "TIMS", "CUKY"):
        kwargs["max_length"] = ddic.length
    if ddic.kind in ("CURR", "DEC", "QUAN"):
        kwargs["sa_type"] = Packed(ddic.length, ddic.decimals)
    return Field(**kwargs)


def char(n: int, key: bool = False, index: bool = False) -> Any:
    return _field(CHAR(n), "", key, index)


def numc(n: int, key: bool = False, index: bool = False) -> Any:
    return _field(NUMC(n), "0" * n, key, index)


def dats(key: bool = False) -> Any:
    return _field(DATS, "", key)


def tims() -> Any:
    return _field(TIMS, "000000", False)


def cuky() -> Any:
    return _field(CUKY, "", False)


def curr(p: int = 23, d: int = 2) -> Any:
    return _field(CURR(p, d), Decimal(0), False)


def dec(p: int, d: int = 0, key: bool = False) -> Any:
    return _field(DEC(p, d), Decimal(0), key)


def quan(p: int = 13, d: int = 3) -> Any:
    """A quantity (QUAN p.d), exact like CURR; its unit is a separate field, as in SAP."""
    return _field(Elementary("QUAN", p, d), Decimal(0), False)


def int4() -> Any:
    return _field(INT4, 0, False)


def erp_tables() -> dict[str, Table]:
    """Every ERP table by SAP name (BKPF, BSEG, …)."""
    return dict(ErpTable.metadata.tables)


def ddic_columns(table: Table) -> list[tuple[str, Elementary]]:
    return [(column.name, column.info["ddic"]) for column in table.columns]
