"""ERP tables as SQLModel classes with SAP's table and field names.

Each column carries its DDIC type in `info["ddic"]`, so RFC_READ_TABLE can describe and
format any table from the model alone. Dates are DATS strings (YYYYMMDD), as SAP stores them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, DEC, INT4, NUMC, TIMS, Elementary


class ErpTable(SQLModel, registry=registry()):
    """Base of every ERP table; its metadata is the ERP database, apart from the gateway's."""


def _field(ddic: Elementary, default: Any, key: bool, index: bool = False) -> Any:
    kwargs: dict[str, Any] = {"default": default, "primary_key": key,
                              "sa_column_kwargs": {"info": {"ddic": ddic}}}
    if index:
        kwargs["index"] = True
    if ddic.kind in ("CHAR", "NUMC", "DATS", "TIMS", "CUKY"):
        kwargs["max_length"] = ddic.length
    if ddic.kind in ("CURR", "DEC"):
        kwargs["max_digits"] = ddic.length
        kwargs["decimal_places"] = ddic.decimals
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


def dec(p: int, d: int = 0) -> Any:
    return _field(DEC(p, d), Decimal(0), False)


def int4() -> Any:
    return _field(INT4, 0, False)


def erp_tables() -> dict[str, Table]:
    """Every ERP table by SAP name (BKPF, BSEG, …)."""
    return dict(ErpTable.metadata.tables)


def ddic_columns(table: Table) -> list[tuple[str, Elementary]]:
    return [(column.name, column.info["ddic"]) for column in table.columns]
