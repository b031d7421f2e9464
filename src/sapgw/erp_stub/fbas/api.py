"""What other applications may use of FI basis: company codes, G/L accounts, document types,
fiscal periods and OB52 (open and close posting periods)."""

from sapgw.erp_stub.fbas.lookups import (
    ALL_ACCOUNT_TYPES,
    CompanyCode,
    DocumentType,
    GLAccount,
    balance_sheet_account,
    company_code,
    company_codes,
    document_type,
    fiscal_period,
    gl_account,
    last_period,
    posting_period_open,
)
from sapgw.erp_stub.fbas.periods import (
    change_posting_period,
    close_posting_period,
    open_posting_period,
)

__all__ = [
    "ALL_ACCOUNT_TYPES", "CompanyCode", "DocumentType", "GLAccount", "balance_sheet_account",
    "change_posting_period",
    "close_posting_period", "company_code", "company_codes", "document_type", "fiscal_period",
    "gl_account", "last_period", "open_posting_period", "posting_period_open",
]
