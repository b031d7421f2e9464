"""Billable items in the tables SAP generates per billable item class: main items of class
<class> in status <s> in /1FE/0<class><s>IT (0 raw, 1 raw-excepted, 2 billable,
3 billable-excepted, 4 billed). SAP confirms the pattern for status 2 (/1FE/0Z0202IT "Items
for Class Z020 - Billable"); the other digits follow it (docs/ERP_STUB.md, "FI-CA").

The key is SAP's: contract account, source transaction type and ID, package (BITPACKUUID,
here CHAR 32 instead of RAW 16) and item number in the package. Items that failed a check
stay raw and carry the first reason (RAW_MSGID/RAW_MSGNO/RAW_TEXT, ours: SAP keeps it in
the application log); excepted items carry the exception reason EXCREASON.
"""

from __future__ import annotations

import types
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, numc, quan, tims

RAW, RAW_EXCEPTED, BILLABLE, BILLABLE_EXCEPTED, BILLED = "0", "1", "2", "3", "4"
STATUSES = (RAW, RAW_EXCEPTED, BILLABLE, BILLABLE_EXCEPTED, BILLED)
STATUS_TEXT = {RAW: "Raw", RAW_EXCEPTED: "Raw - Excepted", BILLABLE: "Billable",
               BILLABLE_EXCEPTED: "Billable - Excepted", BILLED: "Billed"}
KEY = ("VKONT", "SRCTATYPE", "SRCTAID", "BITPACKUUID", "BITPACKCNO")


class BitFields(ErpTable):
    """The main item of a billable item, the same in every status table."""

    VKONT: str = char(12, key=True)         # contract account
    SRCTATYPE: str = char(5, key=True)      # source transaction type
    SRCTAID: str = char(22, key=True)       # source transaction ID
    BITPACKUUID: str = char(32, key=True)   # package (items billed as a unit)
    BITPACKCNO: str = numc(8, key=True)     # item in the package
    BITCAT: str = char(4)                   # billable item class
    BITSTATUS: str = char(1)
    SUBPROCESS: str = char(4)               # billing subprocess
    BITTYPE: str = char(4)                  # billable item type
    GPART: str = char(10)
    VTREF: str = char(20)                   # provider contract
    VTPOS: str = numc(6)                    # its item
    BUKRS: str = char(4)
    PRDNR: str = char(40)                   # product (of the contract item)
    BIT_AMOUNT: Decimal = curr(15, 2)
    BIT_CURR: str = cuky()
    BIT_QUANTITY: Decimal = quan(15, 3)
    BIT_QTY_UNIT: str = char(3)
    BITDATE: str = dats()                   # date of the transaction
    BITTIME: str = tims()
    BITDATE_FROM: str = dats()              # usage period
    BITDATE_TO: str = dats()
    BITCRDATE: str = dats()                 # created
    BITCRTIME: str = tims()
    HVORG: str = char(4)                    # main transaction
    TVORG: str = char(4)                    # subtransaction
    RAREL: str = char(1)                    # X: relevant for revenue accounting
    SERVICE_TYPE: str = char(6)
    EXCREASON: str = char(4)                # exception reason (status 1 and 3)
    RAW_MSGID: str = char(20)               # ours: why the item stays raw
    RAW_MSGNO: str = numc(3)
    RAW_TEXT: str = char(220)
    BILLDOCNO: str = char(12)               # billing document (status 4)


def table_name(bitcat: str, status: str) -> str:
    return f"/1FE/0{bitcat}{status}IT"


def _status_table(bitcat: str, status: str) -> type[BitFields]:
    name = f"BIT_{bitcat}_{status}"

    def body(namespace: dict[str, Any]) -> None:
        namespace["__tablename__"] = table_name(bitcat, status)
        namespace["__doc__"] = f"Main items of class {bitcat}: {STATUS_TEXT[status]}."
        namespace["__module__"] = __name__

    return types.new_class(name, (BitFields,), {"table": True}, body)


def class_tables(bitcat: str) -> dict[str, type[BitFields]]:
    """The five status tables of one billable item class, by status."""
    return {status: _status_table(bitcat, status) for status in STATUSES}


DEMO_CLASS = "0SAP"
BIT_TABLES: dict[str, dict[str, type[BitFields]]] = {DEMO_CLASS: class_tables(DEMO_CLASS)}
ALL_BIT_TABLES = tuple(table for tables in BIT_TABLES.values() for table in tables.values())
