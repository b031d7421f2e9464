"""The fbas application's declaration: FI basis customizing and G/L accounts, below FI.

Its own application (SAP keeps these tables in the development package FBAS, Financial
Accounting Basis) because FI, CO, PS, MM and the partner master all read company codes and
G/L accounts, while FI itself calls CO, PS and the partner master: kept in FI, the reads
would be import cycles between applications.
"""

from pathlib import Path

from sapgw.erp_stub.fbas import api
from sapgw.erp_stub.fbas.messages import MESSAGES
from sapgw.erp_stub.fbas.periods import group
from sapgw.erp_stub.fbas.seed import seed_fbas
from sapgw.erp_stub.fbas.tables import CUSTOMIZING
from sapgw.erp_stub.kernel.application import Application

FBAS = Application(
    name="fbas",
    text="FI basis: company codes, fiscal year, posting periods, document types, G/L accounts",
    groups=(group,),
    tables=CUSTOMIZING,
    customizing=CUSTOMIZING,
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed_fbas,
    messages=MESSAGES,
    api=api,
)
