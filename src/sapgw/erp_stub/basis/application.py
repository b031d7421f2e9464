"""The basis application's declaration: connection tests, the LUW's commit and rollback,
RFC_READ_TABLE, units of measure."""

from pathlib import Path

from sapgw.erp_stub.basis import api, connection, read_table, test_functions
from sapgw.erp_stub.basis.messages import MESSAGES
from sapgw.erp_stub.kernel.application import Application

BASIS = Application(
    name="basis",
    text="Basis: RFC connection tests, BAPI commit/rollback, RFC_READ_TABLE, units of measure",
    groups=(connection.group, read_table.group, test_functions.group),
    data=(Path(__file__).with_name("demo.toml"),),
    messages=MESSAGES,
    api=api,
)
