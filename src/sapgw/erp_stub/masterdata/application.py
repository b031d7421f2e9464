"""The masterdata application's declaration: what the kernel and other applications know."""

from pathlib import Path

from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.masterdata import (
    api,
    change_documents,
    crm_delta,
    crm_load,
    crm_upload,
    customer_bapi,
    dunning,
    functions,
)
from sapgw.erp_stub.masterdata.customizing import CUSTOMIZING
from sapgw.erp_stub.masterdata.messages import MESSAGES
from sapgw.erp_stub.masterdata.seed import seed_masterdata
from sapgw.erp_stub.masterdata.tables import KNA1, KNB1, KNVV, LFA1, LFB1, LFM1

MASTERDATA = Application(
    name="masterdata",
    text="Customer and vendor master (SD/FI-AR, MM/FI-AP general and company code data)",
    groups=(functions.group, change_documents.group, customer_bapi.group, crm_upload.group,
            crm_load.group),
    tables=(KNA1, KNB1, KNVV, LFA1, LFB1, LFM1, *CUSTOMIZING, crm_delta.CRMRFCPAR,
            crm_delta.CRMQNAMES, dunning.KNB5, dunning.LFB5, dunning.T047A, crm_load.CRMLOADST,
            change_documents.CDHDR, change_documents.CDPOS, change_documents.BDCP2),
    customizing=(*CUSTOMIZING, dunning.T047A),
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed_masterdata,
    messages=MESSAGES,
    api=api,
)
