"""The cats application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.cats import api, insert_bapi, transfer
from sapgw.erp_stub.cats.approval import cats_group
from sapgw.erp_stub.cats.messages import MESSAGES
from sapgw.erp_stub.cats.seed import seed
from sapgw.erp_stub.cats.tables import CUSTOMIZING, TABLES
from sapgw.erp_stub.kernel.application import Application

# The transfer module registers CATS_TRANSFER_TO_CO in cats_group when imported.
_FUNCTIONS = (transfer,)

CATS = Application(
    name="cats",
    text="Cross-Application Time Sheet (CATS): HR organisational assignment, data entry "
         "profiles, time sheet records, approval, transfer to CO (CAT7)",
    groups=(insert_bapi.group, cats_group),
    tables=TABLES,
    customizing=CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed,
    messages=MESSAGES,
    api=api,
)
