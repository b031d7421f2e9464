"""The ps application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.ps import api
from sapgw.erp_stub.ps.functions import group
from sapgw.erp_stub.ps.messages import MESSAGES
from sapgw.erp_stub.ps.tables import PROJ, PRPS

PS = Application(
    name="ps",
    text="Project System: projects and WBS elements",
    groups=(group,),
    tables=(PROJ, PRPS),
    data=(Path(__file__).with_name("demo.toml"),),
    messages=MESSAGES,
    api=api,
)
