"""The fica application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.fica import (
    api,
    bit_exceptions,
    bits,
    buag,
    contract_functions,
    fulfilment,
    rai_monitor,
    run_functions,
    transfer_function,
)
from sapgw.erp_stub.fica.bit_tables import ALL_BIT_TABLES
from sapgw.erp_stub.fica.customizing import CUSTOMIZING
from sapgw.erp_stub.fica.invoicing_tables import DOCUMENTS
from sapgw.erp_stub.fica.master_data import group
from sapgw.erp_stub.fica.messages import MESSAGES
from sapgw.erp_stub.fica.rai_tables import RAI_RECORDS, TFKFBC
from sapgw.erp_stub.fica.seed import seed_fica
from sapgw.erp_stub.fica.tables import MASTER_DATA
from sapgw.erp_stub.kernel.application import Application

# The function modules register themselves in the group when imported.
_FUNCTIONS = (bit_exceptions, bits, buag, contract_functions, fulfilment, rai_monitor,
              run_functions, transfer_function)

FICA = Application(
    name="fica",
    text="Contract Accounts Receivable and Payable (FI-CA) with Convergent Invoicing: "
         "business partners, contract accounts, provider contracts, billable items, billing, "
         "invoicing and FI-CA postings, revenue accounting customizing",
    groups=(group,),
    tables=(*MASTER_DATA, *ALL_BIT_TABLES, *DOCUMENTS, *RAI_RECORDS, *CUSTOMIZING, TFKFBC),
    customizing=(*CUSTOMIZING, TFKFBC),
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed_fica,
    messages=MESSAGES,
    api=api,
)
