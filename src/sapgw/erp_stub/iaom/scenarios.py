"""Controlling scenarios (IAOM1-like): which CO object a business scenario's key gets.

IAOM_BUS_SCEN holds the default controlling type and order type of a business scenario; its
rules in IAOM_SCEN_RULES, matched by expense type in RULE_NO order (first match wins), may
change either. The rules stand in for the BAdI IAOM_BUSINESS_SCENAR, which changes the order
type of CRM-generated internal orders in a real system. Both tables are ours and buffered;
`set_scenario` / `set_rules` maintain them in the caller's LUW.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.iaom.tables import IAOM_BUS_SCEN, IAOM_SCEN_RULES
from sapgw.erp_stub.kernel.context import CallContext

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.dataset import DataSet
    from sapgw.erp_stub.kernel.system import ErpSystem

DEFAULT_ORDER_TYPE = "SAPS"  # default type of CRM-generated internal orders
SINGLE_OBJECT = "S"          # an internal order per business key
EXISTING_OBJECT = "T"        # an account assignment object that exists (here a WBS element)


@dataclass(frozen=True)
class Controlling:
    controlling_type: str
    order_type: str


@dataclass(frozen=True)
class Rule:
    """One rule: for `expense_type`, these values instead of the defaults (blank: keep)."""

    expense_type: str
    controlling_type: str = ""
    order_type: str = ""


def determine(ctx: CallContext, scenario: str, expense_type: str) -> Controlling | None:
    """Controlling type and order type for one key of `scenario`; None without customizing."""
    spec = ctx.buffered(IAOM_BUS_SCEN).get(scenario)
    if spec is None:
        return None
    controlling_type = spec.CONTROLLING_TYPE or SINGLE_OBJECT
    order_type = spec.AUART or DEFAULT_ORDER_TYPE
    for rule in rules(ctx, scenario):
        if rule.expense_type == expense_type:
            controlling_type = rule.controlling_type or controlling_type
            order_type = rule.order_type or order_type
            break
    return Controlling(controlling_type, order_type)


def rules(ctx: CallContext, scenario: str) -> list[Rule]:
    """The scenario's rules in the order they are tried."""
    return [Rule(row.EXPENSE_TYPE, row.CONTROLLING_TYPE, row.AUART)
            for row in ctx.buffered(IAOM_SCEN_RULES).where(BUS_SCENARIO_ID=scenario)]


def set_scenario(ctx: CallContext, scenario: str, controlling_type: str, order_type: str,
                 text: str = "") -> None:
    """Create or change a business scenario's controlling scenario (written at commit)."""
    values = {"TEXT": text[:40], "CONTROLLING_TYPE": controlling_type, "AUART": order_type}
    if ctx.buffered(IAOM_BUS_SCEN).get(scenario) is None:
        ctx.insert(IAOM_BUS_SCEN, {"BUS_SCENARIO_ID": scenario, **values})
    else:
        ctx.update(IAOM_BUS_SCEN, key={"BUS_SCENARIO_ID": scenario}, values=values)


def set_rules(ctx: CallContext, scenario: str, new_rules: list[Rule]) -> None:
    """Replace the scenario's rules by `new_rules`, tried in that order (written at commit)."""
    ctx.delete(IAOM_SCEN_RULES, key={"BUS_SCENARIO_ID": scenario})
    if new_rules:
        ctx.insert(IAOM_SCEN_RULES, _rule_rows(scenario, new_rules))


def _rule_rows(scenario: str, new_rules: list[Rule]) -> list[dict[str, Any]]:
    return [{"BUS_SCENARIO_ID": scenario, "RULE_NO": f"{number:03d}",
             "EXPENSE_TYPE": rule.expense_type, "CONTROLLING_TYPE": rule.controlling_type,
             "AUART": rule.order_type} for number, rule in enumerate(new_rules, start=1)]


def seed_scenarios(system: ErpSystem, data: DataSet) -> None:
    """The data set's `iaom_scenarios` into IAOM_BUS_SCEN and IAOM_SCEN_RULES (missing rows)."""
    scenarios = data.table("iaom_scenarios")
    system.seed_rows(IAOM_BUS_SCEN, [
        {"BUS_SCENARIO_ID": scenario, "TEXT": spec.get("text", "")[:40],
         "CONTROLLING_TYPE": spec.get("controlling_type", SINGLE_OBJECT),
         "AUART": spec.get("order_type", DEFAULT_ORDER_TYPE)}
        for scenario, spec in scenarios.items()])
    system.seed_rows(IAOM_SCEN_RULES, [
        row for scenario, spec in scenarios.items() for row in _rule_rows(scenario, [
            Rule(rule.get("expense_type", ""), rule.get("controlling_type", ""),
                 rule.get("order_type", "")) for rule in spec.get("rules", [])])])
