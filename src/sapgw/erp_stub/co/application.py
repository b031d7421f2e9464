"""The co application's declaration: what the kernel and the other applications know of it."""

from pathlib import Path

from sapgw.erp_stub.co import (
    activity_types,
    allocations,
    api,
    cost_centers,
    cost_elements,
    order_detail,
    price_bapis,
    repostings,
    status_functions,
)
from sapgw.erp_stub.co.actual_support import actual_group
from sapgw.erp_stub.co.bapi_support import master_group, planning_group
from sapgw.erp_stub.co.functions import group
from sapgw.erp_stub.co.master_tables import (
    CSKA,
    CSKB,
    CSKS,
    CSKT,
    CSKU,
    CSLA,
    CSLT,
    T003O,
    T003P,
    TKA01,
    ZCO_ACT_PRICE,
)
from sapgw.erp_stub.co.messages import MESSAGES
from sapgw.erp_stub.co.seed import seed
from sapgw.erp_stub.co.status import JEST, JSTO, TJ02
from sapgw.erp_stub.co.tables import AUFK, COBK, COEP
from sapgw.erp_stub.co.totals_tables import COSP, COSS
from sapgw.erp_stub.kernel.application import Application

# The BAPI modules register their functions in the groups when imported.
_BAPIS = (activity_types, allocations, cost_centers, cost_elements, order_detail, price_bapis,
          repostings, status_functions)

CO = Application(
    name="co",
    text="Controlling: cost centers, cost elements, activity types and prices, internal "
         "orders, CO documents and totals, activity allocation, reposting, order status",
    groups=(group, master_group, planning_group, actual_group),
    tables=(TKA01, T003O, T003P, CSKS, CSKT, CSKA, CSKB, CSKU, CSLA, CSLT,
            ZCO_ACT_PRICE, AUFK, COBK, COEP, COSP, COSS, TJ02, JSTO, JEST),
    # Read on every posting (FI checks each G/L line's cost element and cost center): buffered.
    customizing=(TKA01, T003O, CSKS, CSKB, CSLA, TJ02),
    data=(Path(__file__).with_name("demo.toml"),),
    seed=seed,
    messages=MESSAGES,
    api=api,
)
