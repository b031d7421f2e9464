"""The masterdata application's declaration: what the kernel and other applications know."""

from pathlib import Path

from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.masterdata import api, crm_delta, customer_bapi, functions
from sapgw.erp_stub.masterdata.messages import MESSAGES
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, KNVV, LFA1, LFB1, LFM1

MASTERDATA = Application(
    name="masterdata",
    text="Customer and vendor master (SD/FI-AR, MM/FI-AP general and company code data)",
    groups=(functions.group, customer_bapi.group),
    tables=(KNA1, KNB1, KNVV, LFA1, LFB1, LFM1, crm_delta.CRMRFCPAR, crm_delta.CRMQNAMES),
    data=(Path(__file__).with_name("demo.toml"),),
    messages=MESSAGES,
    api=api,
    seed=crm_delta.seed,
)
