"""Sales organisations, sales areas, purchasing organisations and account groups as the
partner maintenance and other applications read them: typed, from the table buffer.

Each accessor answers None when the entry does not exist, so that a caller can report every
missing entry with its own message instead of stopping at the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.masterdata.customizing import (
    T024E,
    T077D,
    T077K,
    T077X,
    T077Y,
    TVKO,
    TVKOT,
    TVTA,
)

LANGUAGE = "E"


@dataclass(frozen=True)
class SalesOrganization:
    vkorg: str
    bukrs: str
    waers: str
    text: str = ""


@dataclass(frozen=True)
class SalesArea:
    vkorg: str
    vtweg: str
    spart: str


@dataclass(frozen=True)
class PurchasingOrganization:
    ekorg: str
    bukrs: str
    text: str = ""


@dataclass(frozen=True)
class AccountGroup:
    """A customer (koart D) or vendor (K) account group: where its numbers come from."""

    koart: str
    group: str
    numkr: str                 # interval of DEBITOR / KREDITOR (NRIV-EXTERNIND: external)
    text: str = ""


def sales_organization(ctx: CallContext, vkorg: str) -> SalesOrganization | None:
    row = ctx.buffered(TVKO).get(vkorg)
    if row is None:
        return None
    text = ctx.buffered(TVKOT).get(LANGUAGE, vkorg)
    return SalesOrganization(row.VKORG, row.BUKRS, row.WAERS, text.VTEXT if text else "")


def sales_area(ctx: CallContext, vkorg: str, vtweg: str, spart: str) -> SalesArea | None:
    """The sales area if TVTA defines it (sales organisation, channel, division)."""
    row = ctx.buffered(TVTA).get(vkorg, vtweg, spart)
    return SalesArea(row.VKORG, row.VTWEG, row.SPART) if row is not None else None


def purchasing_organization(ctx: CallContext, ekorg: str) -> PurchasingOrganization | None:
    row = ctx.buffered(T024E).get(ekorg)
    return PurchasingOrganization(row.EKORG, row.BUKRS, row.EKOTX) if row is not None else None


# koart -> account group table, its text table, its key field
_GROUPS = {"D": (T077D, T077X, "KTOKD"), "K": (T077K, T077Y, "KTOKK")}


def account_group(ctx: CallContext, koart: str, group: str) -> AccountGroup | None:
    """Customer (koart D) or vendor (K) account group `group`, or None."""
    table, texts, field = _GROUPS[koart]
    row = ctx.buffered(table).get(group)
    if row is None:
        return None
    text = ctx.buffered(texts).get(LANGUAGE, group)
    return AccountGroup(koart, getattr(row, field), row.NUMKR, text.TXT30 if text else "")
