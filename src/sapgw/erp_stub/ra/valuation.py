"""The valuation methods of results analysis as formulas (reference/controlling.md §6.4, §6.5).

Pure arithmetic on one object's cumulative values: C(a) actual cost, R(a) actual revenue
(positive), C(p) planned cost, R(p) planned revenue. Every stored value is rounded half up at
the currency's decimals once, from the unrounded quotient (R(a)/R(p) × C(p) is computed as
R(a) × C(p) / R(p), so the POC is never rounded on the way).

- 01 revenue-based with profit realisation: POC = R(a)/R(p), R(PA) = R(a),
  C(PA) = POC × C(p); WIP = C(a) − C(PA) if positive, reserve for unrealised costs
  = C(PA) − C(a) if positive. While nothing is billed all actual cost is WIP.
- 03 cost-based POC: POC = C(a)/C(p), C(PA) = C(a), calculated revenue R(PA) = POC × R(p);
  revenue in excess of billings (POCI) = R(PA) − R(a) if positive, revenue surplus (POCS,
  deferred revenue) = R(a) − R(PA) if positive.
- 13 WIP at actual costs: WIP = C(a) if positive (credits above debits: a reserve); nothing
  is realised until cancellation.
- Cancellation (the RA key's cancellation status, e.g. FNBL/TECO): WIP and reserves become 0
  and the actual values are realised, C(PA) = C(a), R(PA) = R(a).

The stored sign follows CO's (debit +, credit −): WIP, POCI and cost of sales are debits,
reserves, revenue surplus and calculated revenue credits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from sapgw.erp_stub.kernel.money import round_amount

ZERO = Decimal(0)


class Category(StrEnum):
    """RA categories (ABKAT). 51 and 54 are SAP's; SAP's numbers of the POC and cost-of-sales
    categories are not public (controlling.md §6.2), 61–64 are ours."""

    WIPR = "51"   # WIP / capitalised costs, requirement to capitalise
    RUCR = "54"   # reserves for unrealised costs, requirement
    POCI = "61"   # revenue in excess of billings (POC)
    POCS = "62"   # revenue surplus: billing in excess of revenue, deferred revenue (POC)
    COSR = "63"   # cost of sales (C(PA))
    REVR = "64"   # calculated revenue (R(PA))


BALANCE_SHEET = (Category.WIPR, Category.RUCR, Category.POCI, Category.POCS)
INCOME = (Category.COSR, Category.REVR)
METHODS = ("01", "03", "13")


class PlanMissing(ValueError):
    """The method divides by a planned value that is zero: 'cost' or 'revenue'."""

    def __init__(self, which: str) -> None:
        super().__init__(f"no planned {which}")
        self.which = which


@dataclass(frozen=True)
class Inputs:
    cost: Decimal              # C(a), cumulative actual cost
    revenue: Decimal           # R(a), cumulative actual revenue, positive
    plan_cost: Decimal         # C(p)
    plan_revenue: Decimal      # R(p), positive


@dataclass(frozen=True)
class Valuation:
    poc: Decimal | None                      # percentage of completion (None: not defined)
    cost_of_sales: Decimal                   # C(PA)
    calculated_revenue: Decimal              # R(PA), positive
    values: dict[Category, Decimal] = field(default_factory=dict)   # stored, CO sign


def valuate(method: str, given: Inputs, decimals: int, cancel: bool = False) -> Valuation:
    """The RA values of one object. Raises PlanMissing when the method needs a plan value
    that is zero while the actual value it divides is not, ValueError for another method."""
    if method not in METHODS:
        raise ValueError(f"valuation method {method}")
    if cancel:
        return _result(None, given.cost, given.revenue, {})
    if method == "01":
        return _revenue_based(given, decimals)
    if method == "03":
        return _cost_based(given, decimals)
    wip = given.cost
    return _result(None, ZERO, ZERO, {Category.WIPR: wip} if wip > 0 else
                   {Category.RUCR: wip} if wip < 0 else {})


def _revenue_based(given: Inputs, decimals: int) -> Valuation:
    if not given.plan_revenue:
        if given.revenue:
            raise PlanMissing("revenue")
        poc, cost_of_sales = ZERO, ZERO
    else:
        poc = given.revenue / given.plan_revenue
        cost_of_sales = round_amount(given.revenue * given.plan_cost / given.plan_revenue,
                                     decimals)
    difference = given.cost - cost_of_sales
    balances = {Category.WIPR: difference} if difference > 0 else \
        {Category.RUCR: difference} if difference < 0 else {}
    return _result(poc, cost_of_sales, given.revenue, balances)


def _cost_based(given: Inputs, decimals: int) -> Valuation:
    if not given.plan_cost:
        if given.cost:
            raise PlanMissing("cost")
        poc, revenue = ZERO, ZERO
    else:
        poc = given.cost / given.plan_cost
        revenue = round_amount(given.cost * given.plan_revenue / given.plan_cost, decimals)
    difference = revenue - given.revenue
    balances = {Category.POCI: difference} if difference > 0 else \
        {Category.POCS: difference} if difference < 0 else {}
    return _result(poc, given.cost, revenue, balances)


def _result(poc: Decimal | None, cost_of_sales: Decimal, revenue: Decimal,
            balances: dict[Category, Decimal]) -> Valuation:
    values = {**balances, Category.COSR: cost_of_sales, Category.REVR: -revenue}
    return Valuation(poc, cost_of_sales, revenue,
                     {category: value for category, value in values.items() if value})
