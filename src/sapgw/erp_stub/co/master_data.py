"""Typed reads of CO customizing and master data, for CO itself and (through `co.api`) for the
other applications: controlling areas, order types, cost centers, cost elements, activity types.

All of them are buffered tables (SAP's table buffer, synchronised between processes by
DDLOG), so a read is a dict look-up or a scan of a small table in memory, never SQL: FI asks
for the cost element of every G/L line it posts. Each function answers None when the entry
does not exist (or is not valid on the date), so a BAPI can report every missing entry.
Master data with validity periods is looked up on a date (YYYYMMDD; None: today).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from sapgw.erp_stub.co.master_tables import CSKB, CSKS, CSLA, T003O, TKA01
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext

# Cost element categories (CSKB-KATYP) of primary cost elements, which are G/L accounts;
# the others are secondary (CO only). reference/controlling.md §2.6.
PRIMARY_CATEGORIES = frozenset({"01", "03", "04", "11", "12", "22", "90"})
SECONDARY_CATEGORIES = frozenset({"21", "31", "41", "42", "43", "50", "51", "52", "61", "66"})


def today(ctx: CallContext) -> str:
    return ctx.clock.today().strftime("%Y%m%d")


def controlling_area(ctx: CallContext, kokrs: str) -> Row[Any] | None:
    """TKA01 of the controlling area: BEZEI, WAERS (currency), KTOPL, LMONA."""
    return ctx.buffered(TKA01).get(kokrs)


def controlling_area_of(ctx: CallContext, bukrs: str) -> str:
    """The controlling area the company code is assigned to (TKA02, kept by FBAS), blank if
    none."""
    company = fbas.company_code(ctx, bukrs)
    return company.KOKRS if company is not None else ""


def company_codes_of(ctx: CallContext, kokrs: str) -> list[str]:
    """The company codes assigned to the controlling area, in key order."""
    return fbas.company_codes(ctx, kokrs)


def order_type(ctx: CallContext, auart: str) -> Row[Any] | None:
    """T003O of the order type: AUTYP (category), NUMKR (number range interval)."""
    return ctx.buffered(T003O).get(auart)


def cost_center(ctx: CallContext, kokrs: str, kostl: str, on_date: str | None = None
                ) -> Row[Any] | None:
    """CSKS of the cost center valid on the date (KOSTL with leading zeros)."""
    return _valid(ctx.buffered(CSKS).where(KOKRS=kokrs, KOSTL=kostl), on_date or today(ctx))


def cost_element(ctx: CallContext, kokrs: str, kstar: str, on_date: str | None = None
                 ) -> Row[Any] | None:
    """CSKB of the cost element valid on the date: KATYP is its category."""
    return _valid(ctx.buffered(CSKB).where(KOKRS=kokrs, KSTAR=kstar), on_date or today(ctx))


def activity_type(ctx: CallContext, kokrs: str, lstar: str, on_date: str | None = None
                  ) -> Row[Any] | None:
    """CSLA of the activity type valid on the date: LEINH unit, VKSTA allocation element."""
    return _valid(ctx.buffered(CSLA).where(KOKRS=kokrs, LSTAR=lstar), on_date or today(ctx))


def overlapping(rows: list[Row[Any]], datab: str, datbi: str) -> Row[Any] | None:
    """The first existing period of an entry that overlaps DATAB..DATBI."""
    return next((row for row in rows if row.DATAB <= datbi and datab <= row.DATBI), None)


def _valid(rows: list[Row[Any]], on_date: str) -> Row[Any] | None:
    return next((row for row in rows if row.DATAB <= on_date <= row.DATBI), None)
