"""The mm application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.mm import api
from sapgw.erp_stub.mm.customizing import CUSTOMIZING
from sapgw.erp_stub.mm.functions import group
from sapgw.erp_stub.mm.messages import MESSAGES
from sapgw.erp_stub.mm.seed import seed_mm
from sapgw.erp_stub.mm.tables import MAKT, MARA, MARC, MARD, MBEW, MKPF, MSEG

MM = Application(
    name="mm",
    text="Materials Management: material master, inventory management",
    groups=(group,),
    tables=(MARA, MAKT, MARC, MBEW, MARD, MKPF, MSEG, *CUSTOMIZING),
    customizing=CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed_mm,
    messages=MESSAGES,
    api=api,
)
