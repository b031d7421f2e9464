"""Funds Management customizing: the accrual account determination (ours, buffered)."""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char


class CRMFM_ACCR_ACCT(ErpTable, table=True):
    """Accounts of a fund posting by expense type and sales organisation (SALES_ORG '*': any).

    Ours: SAP keeps this in the CRM Funds Management / ERP integration customizing (SPRO >
    CRM > Funds Management > Accruals), whose tables are not public.
    """

    __tablename__ = "CRMFM_ACCR_ACCT"
    EXPENSE_TYPE: str = char(10, key=True)
    SALES_ORG: str = char(4, key=True)
    EXP_ACCOUNT: str = char(10)                 # expense account (P&L, with the IAOM key)
    ACCR_ACCOUNT: str = char(10)                # accrued liability (balance sheet)
    BLART: str = char(2)                        # document type
