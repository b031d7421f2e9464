"""The unit cost estimate of a service document: planned costs and planned revenue.

The controlling scenario's costing variant (CRMSRV_KALV) values the planned quantities of the
items (reference/controlling.md §9.1, seed 001 "Controlling Scenario"):
- service products: hours x the planned price of the costing variant's cost center for the
  activity type CRMC_CATS_CO derives from the item category, on the activity type's
  allocation cost element;
- tools: hours x the planned price of the tool's cost center and activity type;
- service parts and sales items: quantity x the material's standard price (MBEW-STPRS per
  PEINH) in the item's plant, on the costing variant's material cost element;
- expenses: their net value (passed on at cost, ours) on the cost element CRMC_CATS_CO
  derives.
Planned revenue is each item's net value on the scenario's revenue element, as a credit.
Every value is rounded half up at the currency's decimals per item. Every problem of every
item is reported; nothing is planned when one fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.crmsrv import customizing as cust
from sapgw.erp_stub.crmsrv.returns import Messages
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount
from sapgw.erp_stub.mm import api as mm

ITEMS = "IT_ITEMS"


@dataclass(frozen=True)
class PlannedValue:
    """One line of the estimate: the item, cost element, value (+ cost, - revenue),
    quantity and unit."""

    number_int: str
    kstar: str
    value: Decimal
    quantity: Decimal = Decimal(0)
    unit: str = ""
    parob: str = ""      # the sender of a planned activity input: its KL object


def estimate(ctx: CallContext, *, kokrs: str, budat: str, scenario: Row[Any],
             items: list[dict[str, Any]], messages: Messages) -> list[PlannedValue]:
    """Planned costs and revenue of the items (empty when the estimate failed)."""
    area = co.controlling_area(ctx, kokrs)
    variant = cust.costing_variant(ctx, scenario.KLVAR)
    if area is None or variant is None:
        messages.error("IAOM_CRMSRV", "107", scenario.KLVAR, parameter=ITEMS)
        return []
    gjahr, period = fbas.fiscal_period(ctx, area.LMONA, budat)
    decimals = currency_decimals(ctx, area.WAERS)
    places = 2 if decimals is None else decimals
    planned: list[PlannedValue] = []
    for row, item in enumerate(items, start=1):
        category = cust.item_category(ctx, item["ITM_TYPE"])
        if category is None:
            messages.error("IAOM_CRMSRV", "105", item["ITM_TYPE"], item["NUMBER_INT"],
                           row=row, field="ITM_TYPE", parameter=ITEMS)
            continue
        where = _Where(ctx, kokrs, budat, f"{gjahr:04d}", period, row, messages)
        cost = _cost(where, variant, category, item, places)
        if cost is not None and cost.value:
            planned.append(cost)
        net = round_amount(Decimal(item["NET_VALUE"] or 0), places)
        if net and scenario.REV_KSTAR:
            planned.append(PlannedValue(item["NUMBER_INT"], scenario.REV_KSTAR, -net))
    return [] if messages.failed else planned


@dataclass(frozen=True)
class _Where:
    ctx: CallContext
    kokrs: str
    budat: str
    gjahr: str
    period: int
    row: int
    messages: Messages


def _cost(where: _Where, variant: Row[Any], category: Row[Any], item: dict[str, Any],
          places: int) -> PlannedValue | None:
    quantity = Decimal(item["QUANTITY"] or 0)
    kind = category.KIND
    if kind == cust.LABOUR:
        derived = cust.cats_derivation(where.ctx, item["ITM_TYPE"], item["SERVICE_TYPE"],
                                       item["VALUATION_TYPE"])
        if derived is None or not derived.CATSCO_LSTAR:
            where.messages.error("IAOM_CRMSRV", "106", item["ITM_TYPE"], item["SERVICE_TYPE"],
                                 row=where.row, field="ITM_TYPE", parameter=ITEMS)
            return None
        return _activity(where, item, alpha(variant.LABOUR_KOSTL, 10), derived.CATSCO_LSTAR,
                         variant.VERSN, quantity, places)
    if kind == cust.TOOL:
        found = cust.tool(where.ctx, item["PRODUCT_ID"])
        if found is None:
            where.messages.error("IAOM_CRMSRV", "109", item["PRODUCT_ID"], item["NUMBER_INT"],
                                 row=where.row, field="PRODUCT_ID", parameter=ITEMS)
            return None
        return _activity(where, item, alpha(found.KOSTL, 10), found.LSTAR, variant.VERSN,
                         quantity, places)
    if kind in (cust.PART, cust.SALES):
        matnr = mm.matnr(item["PRODUCT_ID"])
        price, unit = mm.standard_price(where.ctx, matnr, item["PLANT"] or category.WERKS)
        return PlannedValue(item["NUMBER_INT"], variant.MAT_KSTAR,
                            round_amount(quantity * price / unit, places), quantity,
                            item["UNIT"])
    derived = cust.cats_derivation(where.ctx, item["ITM_TYPE"], item["SERVICE_TYPE"],
                                   item["VALUATION_TYPE"])
    if derived is None or not derived.CATSCO_KSTAR:
        where.messages.error("IAOM_CRMSRV", "120", item["ITM_TYPE"], row=where.row,
                             field="ITM_TYPE", parameter=ITEMS)
        return None
    return PlannedValue(item["NUMBER_INT"], alpha(derived.CATSCO_KSTAR, 10),
                        round_amount(Decimal(item["NET_VALUE"] or 0), places))


def _activity(where: _Where, item: dict[str, Any], kostl: str, lstar: str, version: str,
              quantity: Decimal, places: int) -> PlannedValue | None:
    """Hours x planned price on the activity type's allocation cost element."""
    price = co.activity_price(where.ctx, where.kokrs, kostl, lstar, where.gjahr, where.period,
                              version or "000")
    csla = co.activity_type(where.ctx, where.kokrs, lstar, where.budat)
    if price is None or csla is None:
        where.messages.error("IAOM_CRMSRV", "108", kostl.lstrip("0"), lstar, where.gjahr,
                             row=where.row, field="PRODUCT_ID", parameter=ITEMS)
        return None
    return PlannedValue(item["NUMBER_INT"], csla.VKSTA,
                        round_amount(price.value(quantity), places), quantity, csla.LEINH,
                        co.kl_object(where.kokrs, kostl, lstar))
