"""The co application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.co import api
from sapgw.erp_stub.co.functions import group
from sapgw.erp_stub.co.messages import MESSAGES
from sapgw.erp_stub.co.tables import AUFK, COBK, COEP
from sapgw.erp_stub.kernel.application import Application

CO = Application(
    name="co",
    text="Controlling: internal orders and CO line items",
    groups=(group,),
    tables=(AUFK, COBK, COEP),
    data=(Path(__file__).with_name("demo.toml"),),
    messages=MESSAGES,
    api=api,
)
