"""The copa application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.copa import api
from sapgw.erp_stub.copa.customizing import CUSTOMIZING
from sapgw.erp_stub.copa.line_items import group
from sapgw.erp_stub.copa.messages import MESSAGES
from sapgw.erp_stub.copa.seed import seed_copa
from sapgw.erp_stub.copa.tables import CE1S001, CE4S001
from sapgw.erp_stub.kernel.application import Application

COPA = Application(
    name="copa",
    text="Profitability Analysis (CO-PA), costing-based: operating concern S001, segments, "
         "actual line items, PA transfer structures",
    groups=(group,),
    tables=(*CUSTOMIZING, CE4S001, CE1S001),
    customizing=CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed_copa,
    messages=MESSAGES,
    api=api,
)
