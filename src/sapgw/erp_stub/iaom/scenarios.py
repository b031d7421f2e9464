"""Controlling scenarios (IAOM1-like): which CO object a business scenario's key gets.

Customizing `iaom_scenarios.<scenario>` holds the default `controlling_type` and
`order_type`; its `rules`, matched by expense type in order (first match wins), may change
either. The rules stand in for the BAdI IAOM_BUSINESS_SCENAR, which changes the order type
of CRM-generated internal orders in a real system.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sapgw.erp_stub.kernel.context import CallContext

DEFAULT_ORDER_TYPE = "SAPS"  # default type of CRM-generated internal orders
SINGLE_OBJECT = "S"          # an internal order per business key
EXISTING_OBJECT = "T"        # an account assignment object that exists (here a WBS element)


@dataclass(frozen=True)
class Controlling:
    controlling_type: str
    order_type: str


def determine(ctx: CallContext, scenario: str, expense_type: str) -> Controlling | None:
    """Controlling type and order type for one key of `scenario`; None without customizing."""
    spec: dict[str, Any] | None = ctx.customizing.entry("iaom_scenarios", scenario)
    if spec is None:
        return None
    controlling_type = spec.get("controlling_type", SINGLE_OBJECT)
    order_type = spec.get("order_type", DEFAULT_ORDER_TYPE)
    for rule in spec.get("rules", []):
        if rule.get("expense_type") == expense_type:
            controlling_type = rule.get("controlling_type", controlling_type)
            order_type = rule.get("order_type", order_type)
            break
    return Controlling(controlling_type, order_type)
