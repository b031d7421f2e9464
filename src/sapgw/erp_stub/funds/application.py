"""The funds application's declaration: the ERP inbound of CRM Funds Management (seed 004)."""

from pathlib import Path

from sapgw.erp_stub.funds import accounting, accrual, api
from sapgw.erp_stub.funds.accounts import seed_accrual_accounts
from sapgw.erp_stub.funds.messages import MESSAGES
from sapgw.erp_stub.funds.tables import CRMFM_ACCR_ACCT
from sapgw.erp_stub.kernel.application import Application

FUNDS = Application(
    name="funds",
    text="CRM Funds Management inbound: fund usages (IAOM objects) and accruals (FI/CO)",
    groups=(accounting.group, accrual.group),
    tables=(CRMFM_ACCR_ACCT,),
    customizing=(CRMFM_ACCR_ACCT,),
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed_accrual_accounts,
    messages=MESSAGES,
    api=api,
)
