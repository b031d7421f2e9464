"""The accounting lines of a fund posting, as BAPI_ACC_DOCUMENT_POST tables.

Kept apart from the RFC handlers so that the bookkeeping rule reads in one place:
accrual = Dr expense (with the IAOM key) / Cr accrued liability; reversal = the mirror.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.kernel.messages import bapiret2

XBLNR_LENGTH = 16  # BKPF-XBLNR, DOCUMENTHEADER-REF_DOC_NO


@dataclass(frozen=True)
class Line:
    """One fund posting item with its determined accounts: two G/L lines of the document."""

    expense_account: str
    accrual_account: str
    document_type: str
    amount: Decimal
    currency: str
    scenario: str
    ext_object_id: str
    expense_type: str
    sales_org: str
    text: str


def reference(fpo_id: str, field: str) -> tuple[str, dict[str, Any] | None]:
    """The fund posting ID as BKPF-XBLNR: a numeric ID loses its leading zeros (ALPHA-like)."""
    if not fpo_id:
        return "", bapiret2("E", "CRM_FM", "109", parameter="IS_HEADER", field=field)
    xblnr = (fpo_id.lstrip("0") or "0") if fpo_id.isdigit() else fpo_id
    if len(xblnr) > XBLNR_LENGTH:
        return xblnr, bapiret2("E", "CRM_FM", "108", fpo_id, XBLNR_LENGTH,
                               parameter="IS_HEADER", field=field)
    return xblnr, None


def document_lines(lines: list[Line], reverse: bool
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """ACCOUNTGL and CURRENCYAMOUNT rows: per item the expense line, then the liability line."""
    accountgl: list[dict[str, Any]] = []
    currencyamount: list[dict[str, Any]] = []
    sign = -1 if reverse else 1
    for line in lines:
        expense_no = len(accountgl) + 1
        accountgl.append({
            "ITEMNO_ACC": expense_no, "GL_ACCOUNT": line.expense_account, "ITEM_TEXT": line.text,
            "BUS_SCENARIO": line.scenario, "EXT_OBJECT_ID": line.ext_object_id,
            "EXPENSE_TYPE": line.expense_type, "SALESORG": line.sales_org,
        })
        accountgl.append({"ITEMNO_ACC": expense_no + 1, "GL_ACCOUNT": line.accrual_account,
                          "ITEM_TEXT": line.text, "SALESORG": line.sales_org})
        currencyamount.append({"ITEMNO_ACC": expense_no, "CURRENCY": line.currency,
                               "AMT_DOCCUR": sign * line.amount})
        currencyamount.append({"ITEMNO_ACC": expense_no + 1, "CURRENCY": line.currency,
                               "AMT_DOCCUR": -sign * line.amount})
    return accountgl, currencyamount
