"""The ra application's declaration: results analysis of internal orders."""

from pathlib import Path

from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.ra import api
from sapgw.erp_stub.ra.functions import group
from sapgw.erp_stub.ra.messages import MESSAGES
from sapgw.erp_stub.ra.seed import seed
from sapgw.erp_stub.ra.tables import COEPB, COSB, TKKAA, TKKAP, TKKAS, TKKAZ, ZRA_UPDATE

RA = Application(
    name="ra",
    text="Results analysis: RA keys and versions, valuation methods 01/03/13, WIP, reserves, "
         "POC revenue; COSB/COEPB; KKA2/KKAI-like runs",
    groups=(group,),
    tables=(TKKAA, TKKAP, TKKAS, TKKAZ, ZRA_UPDATE, COSB, COEPB),
    customizing=(TKKAA, TKKAP, TKKAS, TKKAZ, ZRA_UPDATE),
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed,
    messages=MESSAGES,
    api=api,
)
