"""The farr application's declaration: Revenue Accounting and Reporting, the receiver of
FI-CA's revenue accounting items (run in its own system, `sapgw.erp_stub.rar_system`)."""

from pathlib import Path

from sapgw.erp_stub.farr import check, display, inbound, posting, processing
from sapgw.erp_stub.farr.customizing import seed
from sapgw.erp_stub.farr.messages import MESSAGES
from sapgw.erp_stub.farr.tables import CUSTOMIZING, DATA
from sapgw.erp_stub.kernel.application import Application

FARR = Application(
    name="farr",
    text="Revenue Accounting and Reporting (RAR): revenue accounting items, contracts, "
         "allocation, revenue schedule, posting, consistency check",
    groups=(inbound.group, processing.group, posting.group, check.group, display.group),
    tables=(*DATA, *CUSTOMIZING),
    customizing=CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed,
    messages=MESSAGES,
)
