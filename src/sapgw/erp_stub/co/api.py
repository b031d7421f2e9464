"""What other applications may use of CO: its customizing and master data (controlling areas,
company code assignment, order types, cost centers, cost elements, activity types, planned
activity prices), the checks of its actual postings that others make too (an activity type's
allocation cost element, a closed posting period), internal orders, their system statuses
(JEST), CO line items, totals (an object's actual balance) and plan values, what the period-end
runs share (their period, an order's outcome and log); and `ControllingError`, the shape of the
refusals CO-PA and settlement raise to their callers."""

from sapgw.erp_stub.co.actual_support import closed_period
from sapgw.erp_stub.co.allocations import allocation_element
from sapgw.erp_stub.co.errors import ControllingError
from sapgw.erp_stub.co.master_data import (
    PRIMARY_CATEGORIES,
    SECONDARY_CATEGORIES,
    activity_type,
    company_codes_of,
    controlling_area,
    controlling_area_of,
    cost_center,
    cost_element,
    order_type,
)
from sapgw.erp_stub.co.orders import create_order, order, orders
from sapgw.erp_stub.co.plans import PlanLine, plan_totals, post_plan
from sapgw.erp_stub.co.postings import CoLine, CoReference, post_line_items
from sapgw.erp_stub.co.prices import ActivityPrice, activity_price, kl_object
from sapgw.erp_stub.co.run_periods import RunLog, RunOutcome, run_period
from sapgw.erp_stub.co.status import set_status, statuses
from sapgw.erp_stub.co.totals import actual_balance, totals

__all__ = [
    "PRIMARY_CATEGORIES", "SECONDARY_CATEGORIES", "ActivityPrice", "CoLine", "CoReference",
    "ControllingError", "PlanLine", "RunLog", "RunOutcome",
    "activity_price", "activity_type", "actual_balance", "allocation_element", "closed_period",
    "company_codes_of", "controlling_area",
    "controlling_area_of", "cost_center", "cost_element", "create_order", "kl_object", "order",
    "order_type", "orders", "plan_totals", "post_line_items", "post_plan", "run_period",
    "set_status", "statuses", "totals",
]
