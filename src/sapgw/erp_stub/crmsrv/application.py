"""The crmsrv application's declaration: the ERP side of CRM Service controlling (seed 001)."""

from pathlib import Path

from sapgw.erp_stub.crmsrv import api
from sapgw.erp_stub.crmsrv.functions import group
from sapgw.erp_stub.crmsrv.messages import MESSAGES
from sapgw.erp_stub.crmsrv.seed import seed
from sapgw.erp_stub.crmsrv.tables import (
    CRMC_CATS_CO,
    CRMSRV_BADI,
    CRMSRV_DOCS,
    CRMSRV_ITMCAT,
    CRMSRV_KALV,
    CRMSRV_TOOL,
    IAOM_CRMSRV_CSC,
    IAOM_CRMSRV_CTP,
)
from sapgw.erp_stub.kernel.application import Application

_CUSTOMIZING = (IAOM_CRMSRV_CTP, IAOM_CRMSRV_CSC, CRMC_CATS_CO, CRMSRV_ITMCAT, CRMSRV_TOOL,
                CRMSRV_KALV, CRMSRV_BADI)

CRMSRV = Application(
    name="crmsrv",
    text="CRM Service integration with Controlling (IAOM_CRMSERVICE): service orders, "
         "contracts and confirmations on internal orders",
    groups=(group,),
    tables=(*_CUSTOMIZING, CRMSRV_DOCS),
    customizing=_CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed,
    messages=MESSAGES,
    api=api,
)
