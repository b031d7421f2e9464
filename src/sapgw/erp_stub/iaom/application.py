"""The iaom application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.iaom import api
from sapgw.erp_stub.iaom.functions import group
from sapgw.erp_stub.iaom.messages import MESSAGES
from sapgw.erp_stub.iaom.scenarios import seed_scenarios
from sapgw.erp_stub.iaom.tables import IAOM_ASSIGNMENTS, IAOM_BUS_SCEN, IAOM_SCEN_RULES
from sapgw.erp_stub.kernel.application import Application

IAOM = Application(
    name="iaom",
    text="Integration with Accounting Objects Management (IAOM)",
    groups=(group,),
    tables=(IAOM_ASSIGNMENTS, IAOM_BUS_SCEN, IAOM_SCEN_RULES),
    customizing=(IAOM_BUS_SCEN, IAOM_SCEN_RULES),
    seed=seed_scenarios,
    data=(Path(__file__).with_name("demo.toml"),),
    messages=MESSAGES,
    api=api,
)
