"""Typed reads of FI customizing and G/L accounts, through the table buffer.

What other applications call (via `fi.api`) instead of reading T001, SKB1 … themselves. Each
answers None when the entry does not exist, so that a caller can report every missing entry
as a message. Every read is a dictionary look-up in the buffered tables: the posting path
calls these several times per document, so the records are NamedTuples (immutable and
cheap to build) and a T001B row's intervals are parsed once per row value.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sapgw.erp_stub.fbas.intervals import OpenPeriods
from sapgw.erp_stub.fbas.tables import (
    SKA1,
    SKB1,
    T001,
    T001B,
    T003,
    T009,
    T009B,
    TKA02,
)
from sapgw.erp_stub.fbas.views import Rows, View
from sapgw.erp_stub.kernel.context import CallContext

ALL_ACCOUNT_TYPES = "+"
ACTUAL = "0"  # T001B-RRCTY
_COMPANY_CODES = View(T001, TKA02)
_GL_ACCOUNTS = View(T001, SKB1, SKA1)
_FISCAL_PERIODS = View(T009, T009B)
_OPEN_PERIODS = View(T001, T001B)


class CompanyCode(NamedTuple):
    """T001 with the controlling area of TKA02 (blank when the company code has none)."""

    BUKRS: str
    BUTXT: str
    ORT01: str
    LAND1: str
    WAERS: str
    KTOPL: str
    PERIV: str
    OPVAR: str
    KOKRS: str


class GLAccount(NamedTuple):
    """SKA1 (chart of accounts data) joined with SKB1 (company code data)."""

    SAKNR: str
    BUKRS: str
    KTOPL: str
    XBILK: str
    GVTYP: str
    WAERS: str
    MITKZ: str
    XINTB: str
    XSPEB: str
    XLOEB: str

    @property
    def balance_sheet(self) -> bool:
        return self.XBILK == "X"

    @property
    def blocked(self) -> bool:
        return self.XSPEB == "X"

    @property
    def deleted(self) -> bool:
        return self.XLOEB == "X"


class DocumentType(NamedTuple):
    BLART: str
    NUMKR: str


def company_code(ctx: CallContext, bukrs: str) -> CompanyCode | None:
    def build(t001: Rows, tka02: Rows) -> CompanyCode | None:
        row, area = t001.get((bukrs,)), tka02.get((bukrs, ""))
        if row is None:
            return None
        return CompanyCode(row.BUKRS, row.BUTXT, row.ORT01, row.LAND1, row.WAERS, row.KTOPL,
                           row.PERIV, row.OPVAR, area.KOKRS if area is not None else "")

    return _COMPANY_CODES.get(ctx, bukrs, build)  # type: ignore[no-any-return]


def company_codes(ctx: CallContext, kokrs: str | None = None) -> list[str]:
    """Every company code in key order; with `kokrs`, those assigned to it (TKA02)."""
    if kokrs is None:
        return [row.BUKRS for row in ctx.buffered(T001).all()]
    return sorted({row.BUKRS for row in ctx.buffered(TKA02).where(KOKRS=kokrs)})


def gl_account(ctx: CallContext, saknr: str, bukrs: str) -> GLAccount | None:
    """The account if the chart of accounts has it and it is created in the company code."""
    def build(t001: Rows, skb1: Rows, ska1: Rows) -> GLAccount | None:
        company, local = t001.get((bukrs,)), skb1.get((bukrs, saknr))
        chart = ska1.get((company.KTOPL, saknr)) if company is not None else None
        if local is None or chart is None:
            return None
        blocked = "X" if "X" in (chart.XSPEB, local.XSPEB) else ""
        deleted = "X" if "X" in (chart.XLOEV, local.XLOEB) else ""
        return GLAccount(saknr, bukrs, company.KTOPL, chart.XBILK, chart.GVTYP, local.WAERS,
                         local.MITKZ, local.XINTB, blocked, deleted)

    return _GL_ACCOUNTS.get(ctx, (saknr, bukrs), build)  # type: ignore[no-any-return]


def balance_sheet_account(ctx: CallContext, ktopl: str, saknr: str) -> bool | None:
    """Whether SAKNR of chart KTOPL is a balance sheet account (SKA1-XBILK); None if the chart
    has no such account. CO asks it of a primary cost element (KA01)."""
    row = ctx.buffered(SKA1).get(ktopl, saknr)
    return None if row is None else row.XBILK == "X"


def document_type(ctx: CallContext, blart: str) -> DocumentType | None:
    row = ctx.buffered(T003).get(blart)
    return None if row is None else DocumentType(row.BLART, row.NUMKR)


def fiscal_period(ctx: CallContext, periv: str, date: str) -> tuple[int, int]:
    """Fiscal year and period of a date (YYYYMMDD) in a fiscal year variant.

    A calendar-year variant (T009-XKALE) or an unknown one: the date's year and month.
    Otherwise the year-independent periods of T009B (BDATJ 0000): the first row whose
    month/day is not before the date, its year shift RELJR applied. Worked out once per
    variant and date until the buffer next loads or drops a table (its generation; a change
    of T009/T009B drops them).
    """
    def build(t009: Rows, t009b: Rows) -> tuple[int, int]:
        year, month, day = int(date[:4]), int(date[4:6]), int(date[6:8])
        variant = t009.get((periv,))
        if variant is None or variant.XKALE == "X":
            return year, month
        for row in t009b.values():  # key order, as a buffered read by PERIV, BDATJ gives
            if (row.PERIV == periv and row.BDATJ == "0000"
                    and (int(row.BUMON), int(row.BUTAG)) >= (month, day)):
                return year + int(row.RELJR or 0), int(row.POPER)
        return year, month

    return _FISCAL_PERIODS.get(ctx, (periv, date), build)  # type: ignore[no-any-return]


def last_period(ctx: CallContext, periv: str) -> int:
    """Posting periods plus special periods of the variant (16 when it is unknown)."""
    variant = ctx.buffered(T009).get(periv)
    return 16 if variant is None else int(variant.ANZBP) + int(variant.ANZSP)


def posting_period_open(ctx: CallContext, bukrs: str, year: int, period: int,
                        account_type: str = ALL_ACCOUNT_TYPES, account: str = "") -> bool:
    """OB52: the period is open in the '+' row of the company code's variant and, when the
    variant has a row for `account_type` covering `account`, in that row too. Answered once
    per question until the buffer next loads or drops a table (OB52 changes drop T001B)."""
    def build(t001: Rows, t001b: Rows) -> bool:
        company = t001.get((bukrs,))
        if company is None:
            return False
        general = t001b.get((ACTUAL, company.OPVAR, ALL_ACCOUNT_TYPES, ""))
        if general is None or not _open_periods(general).is_open(year, period):
            return False
        if account_type == ALL_ACCOUNT_TYPES:
            return True
        return all(_open_periods(row).is_open(year, period)
                   for row in t001b.values()  # key order, as a buffered read by a prefix
                   if row.RRCTY == ACTUAL and row.BUKRS == company.OPVAR
                   and row.MKOAR == account_type
                   and row.VKONT <= account <= (row.BKONT or account))

    return _OPEN_PERIODS.get(  # type: ignore[no-any-return]
        ctx, (bukrs, year, period, account_type, account), build)


_PARSED: dict[Any, OpenPeriods] = {}


def _open_periods(row: Any) -> OpenPeriods:
    """The row's intervals, parsed once per row value (a changed row is a new key)."""
    found = _PARSED.get(row)
    if found is None:
        if len(_PARSED) > 1000:
            _PARSED.clear()
        found = _PARSED[row] = OpenPeriods.of_row(row)
    return found
