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
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, LFA1, LFB1


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
