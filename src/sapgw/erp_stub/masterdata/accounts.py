"""Customers and vendors as FI posts to them: what other applications call instead of
reading KNA1/KNB1 and LFA1/LFB1.

A partner may be posted to in a company code when it has company code data there: a KNB1/LFB1
row, created by a DEBMAS/CREMAS IDoc or, for the demo partners of the data set, by the seed.
The reconciliation account is KNB1/LFB1-AKONT.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, KNVV, LFA1, LFB1


@dataclass(frozen=True)
class PartnerAccount:
    """A customer or vendor in one company code."""

    number: str
    bukrs: str
    akont: str                     # reconciliation account
    deleted: bool = False          # deletion flag LOEVM, general or company code level
    blocked: bool = False          # posting block SPERR of the company code


# koart -> general table, company code table, number field
_TABLES = {"D": (KNA1, KNB1, "KUNNR"), "K": (LFA1, LFB1, "LIFNR")}


def partner_account(ctx: CallContext, koart: str, number: str, bukrs: str
                    ) -> PartnerAccount | None:
    """Customer (koart D) or vendor (K) `number` in company code `bukrs`, or None when it is
    not defined there."""
    general_model, company_model, field = _TABLES[koart]
    general = general_model.__table__  # type: ignore[attr-defined]
    company = company_model.__table__  # type: ignore[attr-defined]
    query = (select(company.c.AKONT, company.c.SPERR, company.c.LOEVM,
                    general.c.LOEVM.label("GENERAL_LOEVM"))
             .select_from(company.outerjoin(general, general.c[field] == company.c[field]))
             .where(company.c[field] == number, company.c.BUKRS == bukrs))
    with ctx.read() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return PartnerAccount(number, bukrs, row["AKONT"],
                          deleted=bool(row["LOEVM"] or row["GENERAL_LOEVM"]),
                          blocked=bool(row["SPERR"]))


@dataclass(frozen=True)
class CustomerSalesData:
    """A customer's sales data in one sales area (KNVV): what SD reads when it sells."""

    kunnr: str
    vkorg: str
    vtweg: str
    spart: str
    waers: str                     # currency
    ktgrd: str                     # account assignment group (revenue account determination)
    deleted: bool = False          # deletion flag LOEVM of the sales area or the general data


def customer_sales_data(ctx: CallContext, kunnr: str, vkorg: str, vtweg: str, spart: str
                        ) -> CustomerSalesData | None:
    """The customer's KNVV row in the sales area, or None when it is not maintained there."""
    sales = KNVV.__table__  # type: ignore[attr-defined]
    general = KNA1.__table__  # type: ignore[attr-defined]
    query = (select(sales.c.WAERS, sales.c.KTGRD, sales.c.LOEVM,
                    general.c.LOEVM.label("GENERAL_LOEVM"))
             .select_from(sales.outerjoin(general, general.c.KUNNR == sales.c.KUNNR))
             .where(sales.c.KUNNR == kunnr, sales.c.VKORG == vkorg, sales.c.VTWEG == vtweg,
                    sales.c.SPART == spart))
    with ctx.read() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return CustomerSalesData(kunnr, vkorg, vtweg, spart, row["WAERS"], row["KTGRD"],
                             deleted=bool(row["LOEVM"] or row["GENERAL_LOEVM"]))


@dataclass(frozen=True)
class Customer:
    """A customer's general data (KNA1) as other applications show it: name and place."""

    kunnr: str
    name: str
    city: str
    country: str
    deleted: bool = False


def customer(ctx: CallContext, kunnr: str) -> Customer | None:
    """The customer's KNA1 row, or None when the customer does not exist."""
    general = KNA1.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        row = conn.execute(select(general.c.NAME1, general.c.ORT01, general.c.LAND1,
                                  general.c.LOEVM).where(general.c.KUNNR == kunnr)
                           ).mappings().first()
    if row is None:
        return None
    return Customer(kunnr, row["NAME1"], row["ORT01"], row["LAND1"], bool(row["LOEVM"]))
