"""The accrual account determination of fund postings: read, maintained and seeded.

A specific sales organisation's entry wins over the expense type's '*' entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sapgw.erp_stub.funds.tables import CRMFM_ACCR_ACCT
from sapgw.erp_stub.kernel.context import CallContext

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

ANY_SALES_ORG = "*"


@dataclass(frozen=True)
class AccrualAccounts:
    expense_account: str
    accrual_account: str
    document_type: str


def accrual_accounts(ctx: CallContext, expense_type: str, sales_org: str
                     ) -> AccrualAccounts | None:
    table = ctx.buffered(CRMFM_ACCR_ACCT)
    row = table.get(expense_type, sales_org) or table.get(expense_type, ANY_SALES_ORG)
    if row is None:
        return None
    return AccrualAccounts(row.EXP_ACCOUNT, row.ACCR_ACCOUNT, row.BLART or "SA")


def set_accrual_accounts(ctx: CallContext, expense_type: str, sales_org: str,
                         accounts: AccrualAccounts) -> None:
    """Create or change one entry in the caller's LUW (written at commit)."""
    values = {"EXP_ACCOUNT": accounts.expense_account, "ACCR_ACCOUNT": accounts.accrual_account,
              "BLART": accounts.document_type}
    key = {"EXPENSE_TYPE": expense_type, "SALES_ORG": sales_org}
    if ctx.buffered(CRMFM_ACCR_ACCT).get(expense_type, sales_org) is None:
        ctx.insert(CRMFM_ACCR_ACCT, {**key, **values})
    else:
        ctx.update(CRMFM_ACCR_ACCT, key=key, values=values)


def delete_accrual_accounts(ctx: CallContext, expense_type: str, sales_org: str) -> None:
    ctx.delete(CRMFM_ACCR_ACCT, key={"EXPENSE_TYPE": expense_type, "SALES_ORG": sales_org})


def seed_accrual_accounts(system: ErpSystem, data: DataSet) -> None:
    """The data set's `accrual_accounts` list (first entry per key wins) into the table."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for rule in data.data.get("accrual_accounts", []):
        key = (rule["expense_type"], rule.get("sales_org", ANY_SALES_ORG))
        rows.setdefault(key, {
            "EXPENSE_TYPE": key[0], "SALES_ORG": key[1],
            "EXP_ACCOUNT": rule["expense_account"], "ACCR_ACCOUNT": rule["accrual_account"],
            "BLART": rule.get("document_type", "SA")})
    system.seed_rows(CRMFM_ACCR_ACCT, list(rows.values()))
