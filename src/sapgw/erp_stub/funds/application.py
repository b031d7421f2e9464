"""The funds application's declaration: the ERP inbound of CRM Funds Management (seed 004)."""

from pathlib import Path

from sapgw.erp_stub.funds import accounting, accrual
from sapgw.erp_stub.funds.messages import MESSAGES
from sapgw.erp_stub.kernel.application import Application

FUNDS = Application(
    name="funds",
    text="CRM Funds Management inbound: fund usages (IAOM objects) and accruals (FI/CO)",
    groups=(accounting.group, accrual.group),
    data=(Path(__file__).with_name("demo.toml"),),
    messages=MESSAGES,
)
