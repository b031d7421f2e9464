"""The settlement application's declaration: settlement of internal orders."""

from pathlib import Path

from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.settlement import api
from sapgw.erp_stub.settlement.functions import group
from sapgw.erp_stub.settlement.messages import MESSAGES
from sapgw.erp_stub.settlement.seed import seed
from sapgw.erp_stub.settlement.tables import (
    AUAA,
    AUAK,
    COBRA,
    COBRB,
    COSBD,
    TKB1A,
    ZAUA_RA,
    ZKB1_RECEIVERS,
    ZKB5_ASSIGN,
    ZKB_STRATEGY,
    ZKKA_POSTING,
)

CUSTOMIZING = (TKB1A, ZKB1_RECEIVERS, ZKB5_ASSIGN, ZKKA_POSTING, ZKB_STRATEGY)

SETTLEMENT = Application(
    name="settlement",
    text="Settlement of internal orders: profiles, allocation structures, RA posting rules, "
         "settlement rules COBRA/COBRB, KO88/KO8G-like runs and reversal, documents AUAK/AUAA, "
         "COSBD",
    groups=(group,),
    tables=(*CUSTOMIZING, COBRA, COBRB, AUAK, AUAA, COSBD, ZAUA_RA),
    customizing=CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed,
    messages=MESSAGES,
    api=api,
)
