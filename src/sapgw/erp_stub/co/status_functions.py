"""ZCO_ORDER_SET_STATUS (ours): set TECO, FNBL, CLSD or REL on an internal order over RFC.

SAP sets these statuses in KO02 (menu Order › Functions) and SD/RA set FNBL themselves; no
public RFC function of SAP does it for internal orders, so this one is ours. Testers use it to
bring an order to the status at which results analysis cancels WIP and reserves. SETC is not
offered: the settlement rule sets it. The status is written at BAPI_TRANSACTION_COMMIT.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.co.functions import group
from sapgw.erp_stub.co.orders import order
from sapgw.erp_stub.co.status import set_status
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

SETTABLE = ("REL", "TECO", "FNBL", "CLSD")


@group.function(interface("ZCO_ORDER_SET_STATUS", [
    importing("ORDERID", CHAR(12), optional=False, text="Order number"),
    importing("STATUS", CHAR(4), optional=False, text="System status: REL, TECO, FNBL, CLSD"),
    importing("TESTRUN", CHAR(1), text="X: check only"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Set a system status of an internal order (ours)"))
def zco_order_set_status(ctx: CallContext, ORDERID: str, STATUS: str, TESTRUN: str,
                         RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    system = ctx.logical_system
    found = order(ctx, ORDERID)
    status = STATUS.strip().upper()
    if found is None:
        RETURN[:] = [bapiret2("E", "KO", "013", ORDERID, parameter="ORDERID", field="ORDERID",
                              system=system)]
    elif status not in SETTABLE:
        RETURN[:] = [bapiret2("E", "KO", "913", STATUS, ", ".join(SETTABLE),
                              parameter="STATUS", field="STATUS", system=system)]
    else:
        if TESTRUN != "X":
            set_status(ctx, found["OBJNR"], status)
        RETURN[:] = [bapiret2("S", "KO", "912", status, found["AUFNR"], system=system)]
    return {"RETURN": RETURN}
