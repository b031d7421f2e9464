"""What other applications (and test suites) may use of funds: its accrual account
determination, read and maintained."""

from sapgw.erp_stub.funds.accounts import (
    AccrualAccounts,
    accrual_accounts,
    delete_accrual_accounts,
    set_accrual_accounts,
)

__all__ = ["AccrualAccounts", "accrual_accounts", "delete_accrual_accounts",
           "set_accrual_accounts"]
