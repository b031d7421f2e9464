"""The fi application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.fi import api, ar_account
from sapgw.erp_stub.fi.document import group
from sapgw.erp_stub.fi.messages import MESSAGES
from sapgw.erp_stub.fi.tables import BKPF, BSEG
from sapgw.erp_stub.kernel.application import Application

FI = Application(
    name="fi",
    text="Financial Accounting (FI-GL, FI-AR/AP postings)",
    groups=(group, ar_account.group),
    tables=(BKPF, BSEG),
    data=(Path(__file__).with_name("demo.toml"),),
    messages=MESSAGES,
    api=api,
)
