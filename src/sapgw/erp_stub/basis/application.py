"""The basis application's declaration: connection tests, the LUW's commit and rollback,
RFC_READ_TABLE, units of measure."""

from pathlib import Path

from sapgw.erp_stub.basis import api, connection, qrfc_api, read_table, test_functions
from sapgw.erp_stub.basis.messages import MESSAGES
from sapgw.erp_stub.basis.units import T006, T006A, seed_units
from sapgw.erp_stub.kernel.application import Application

BASIS = Application(
    name="basis",
    text="Basis: RFC connection tests, SAP's test functions, BAPI commit/rollback, "
         "RFC_READ_TABLE, SMQ1 functions, units of measure",
    groups=(connection.group, read_table.group, qrfc_api.group, test_functions.group),
    tables=(T006, T006A),
    customizing=(T006, T006A),
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed_units,
    messages=MESSAGES,
    api=api,
)
