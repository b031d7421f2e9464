"""The vms application's declaration: vehicles of the Vehicle Management System and their
transfer to CRM (seed 003)."""

from pathlib import Path

from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.vms import api
from sapgw.erp_stub.vms.functions import group
from sapgw.erp_stub.vms.messages import MESSAGES
from sapgw.erp_stub.vms.seed import seed
from sapgw.erp_stub.vms.tables import (
    CVLC01,
    CVLC02,
    CVLC04,
    VLC_BADI,
    VLCCONFIG,
    VLCHISTORY,
    VLCVEHICLE,
)

_CUSTOMIZING = (CVLC01, CVLC02, CVLC04, VLC_BADI)

VMS = Application(
    name="vms",
    text="Vehicle Management System (IS-A-VMS): vehicles, actions, history, CRMV/CRMS to CRM",
    groups=(group,),
    tables=(*_CUSTOMIZING, VLCVEHICLE, VLCCONFIG, VLCHISTORY),
    customizing=_CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed,
    messages=MESSAGES,
    api=api,
)
