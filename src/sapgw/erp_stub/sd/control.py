"""SD customizing as sales documents and billing read it: typed, from the table buffer, each
accessor answering None for an entry that does not exist so that the caller can report every
missing one."""

from __future__ import annotations

from dataclasses import dataclass

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.sd.customizing import C001, T184, TVAK, TVAKT, TVAP, TVFK

LANGUAGE = "E"
SALES_APPLICATION = "V"            # KAPPL of SD's conditions
REVENUE_KEY = "ERL"                # account key of the price condition (PR00 -> ERL)
WITH_CO = "KOFK"                   # account determination type with CO account assignment
WITHOUT_CO = "KOFI"                # ... and without one (procedure KOFI00)
ITEM_CATEGORY_GROUP = "NORM"       # MVKE-MTPOS is not emulated: every material is NORM


@dataclass(frozen=True)
class SalesDocumentType:
    auart: str
    vbtyp: str                     # C order
    numki: str                     # RV_BELEG interval
    fkara: str                     # order-related billing type
    text: str = ""


@dataclass(frozen=True)
class ItemCategory:
    pstyv: str
    fkrel: str                     # B order-related billing, A delivery-related, blank none
    pricing: bool


@dataclass(frozen=True)
class BillingType:
    fkart: str
    vbtyp: str                     # M invoice
    numki: str
    blart: str                     # FI document type
    kofis: str                     # account determination procedure


def sales_document_type(ctx: CallContext, auart: str) -> SalesDocumentType | None:
    row = ctx.buffered(TVAK).get(auart)
    if row is None:
        return None
    text = ctx.buffered(TVAKT).get(LANGUAGE, auart)
    return SalesDocumentType(row.AUART, row.VBTYP, row.NUMKI, row.FKARA,
                             text.BEZEI if text else auart)


def item_category(ctx: CallContext, pstyv: str) -> ItemCategory | None:
    row = ctx.buffered(TVAP).get(pstyv)
    return ItemCategory(row.PSTYV, row.FKREL, row.PRSFD == "X") if row is not None else None


def default_item_category(ctx: CallContext, auart: str) -> str | None:
    """T184: the item category of a sales document type for item category group NORM."""
    row = ctx.buffered(T184).get(auart, ITEM_CATEGORY_GROUP, "", "")
    return row.PSTYV if row is not None else None


def billing_type(ctx: CallContext, fkart: str) -> BillingType | None:
    row = ctx.buffered(TVFK).get(fkart)
    if row is None:
        return None
    return BillingType(row.FKART, row.VBTYP, row.NUMKI, row.BLART, row.KOFIS)


def revenue_account(ctx: CallContext, *, kschl: str, ktopl: str, vkorg: str, ktgrd: str,
                    ktgrm: str = "", kvsl: str = REVENUE_KEY) -> str | None:
    """VKOA: the G/L account for the account key, first by customer and material account
    assignment group (C001's access), then with both blank (C005's access); None if neither
    row exists."""
    table = ctx.buffered(C001)
    for groups in ((ktgrd, ktgrm), ("", "")):
        row = table.get(SALES_APPLICATION, kschl, ktopl, vkorg, *groups, kvsl)
        if row is not None:
            return row.SAKN1
    return None
