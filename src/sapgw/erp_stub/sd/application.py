"""The sd application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.sd import api
from sapgw.erp_stub.sd.customizing import CUSTOMIZING
from sapgw.erp_stub.sd.delivery_functions import delivery_group
from sapgw.erp_stub.sd.functions import billing_group, group
from sapgw.erp_stub.sd.messages import MESSAGES
from sapgw.erp_stub.sd.seed import seed_sd
from sapgw.erp_stub.sd.tables import DOCUMENTS

SD = Application(
    name="sd",
    text="Sales and Distribution: sales documents, deliveries, order-related billing",
    groups=(group, billing_group, delivery_group),
    tables=(*DOCUMENTS, *CUSTOMIZING),
    customizing=CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed_sd,
    messages=MESSAGES,
    api=api,
)
