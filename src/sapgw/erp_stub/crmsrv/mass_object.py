"""Mass-object controlling: a confirmation's costs go to profitability segments.

With mass-object controlling (IAOM_CRMSRV_CTP CO_TYPE 02) the confirmed order has no
internal order (reference/controlling.md §9.1): each item's cost is posted to the
profitability segment of the service document's characteristics - sold-to party (KNDNR),
the item's product (ARTNR), sales organisation (VKORG), company code and controlling area of
the order (BUKRS, KOKRS; `segment_for`). This module posts the direct costs:
- tool: RKL from the tool's cost center and activity type (CRMSRV_TOOL), at the planned
  price of the posting date's period, as BAPI_ACC_ACTIVITY_ALLOC_POST values it;
- expense: a reposting (RKU1) of its net value from the employee's cost center on the cost
  element CRMC_CATS_CO derives.
Labour, parts and sales items go through logistics (`THROUGH_LOGISTICS`, posted by
`confirmations`): CATS records with the segment as receiver (CATSDB-PAOBJNR, CAT7 posts
them), a goods issue 201 to the segment (FI's CO-PA interface), the delivery and its 601
(cost of sales reaches CO-PA at billing through VPRS).
CO-PA's `post_to_segments` posts them as CATS does a record with a segment receiver: the CO
document carries the sender's credit (the KL object of cost center/activity type, or the
cost center KS) with the segment EO<PAOBJNR> as partner object; the segment's debit is a
CE1S001 line item of record type B (direct posting), its value fields from the controlling
area's PA transfer structure for direct postings (KEI2), referring to the CO document and
line (RBELN/RPOSN). Values are rounded half up at the controlling area currency's decimals
per line, as the CO BAPIs round them.
Everything is checked first (`check`: the checks the CO BAPIs make - cost center, activity
type and its allocation cost element, price, cost element category, currency, open period -
and CO-PA's: operating concern, segment, transfer structure); `post` registers; a CO-PA
refusal after the check ends the LUW (an A message), so nothing of the confirmation stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.cats import api as cats
from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.crmsrv import customizing as cust
from sapgw.erp_stub.crmsrv.documents import abort
from sapgw.erp_stub.crmsrv.returns import Messages
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount

HEADER, ITEMS = "IS_HEADER", "IT_ITEMS"
USER = "CRM_SRV"
REPOSTABLE_CATEGORIES = frozenset({"01", "03", "04"})
ALLOCATION, REPOSTING = "RKL", "RKU1"
THROUGH_LOGISTICS = frozenset({cust.LABOUR, cust.PART, cust.SALES})


@dataclass(frozen=True)
class Cost:
    """One item's cost on its way to a segment: the sender's credit and the CO-PA debit."""

    row: int
    vrgng: str                          # RKL allocation, RKU1 reposting
    budat: str
    sender: str                         # KL<kokrs><kostl><lstar> or KS<kokrs><kostl>
    bukrs: str
    kstar: str
    value: Decimal
    quantity: Decimal
    unit: str
    text: str
    paobjnr: str

    def to_segment(self) -> copa.SegmentLine:
        return copa.SegmentLine(self.sender, self.kstar, self.value, self.paobjnr, self.bukrs,
                                quantity=self.quantity or None, unit=self.unit, text=self.text)


@dataclass(frozen=True)
class Setting:
    """What every item of the confirmation shares."""

    header: dict[str, Any]
    budat: str
    kokrs: str
    bukrs: str
    currency: str                       # controlling area currency
    decimals: int
    periv: str                          # controlling area fiscal year variant


@dataclass(frozen=True)
class Plan:
    """The direct costs (tools, expenses) of a confirmation, checked and ready to post."""

    setting: Setting
    costs: list[Cost]


def check(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]], order: Any,
          budat: str, messages: Messages) -> Plan | None:
    """Check the confirmation's direct costs (tools, expenses) and what every item needs
    (controlling scenario, operating concern, item category); None, and the problems in
    `messages`, when anything fails. Labour, parts and sales items are the caller's
    (`confirmations`): CATS, goods issue 201 to the segment, delivery."""
    if cust.controlling_scenario(ctx, order.PROCESS_TYPE, header["SERVICE_ORG"], budat) is None:
        messages.error("IAOM_CRMSRV", "102", order.PROCESS_TYPE, header["SERVICE_ORG"],
                       parameter=HEADER, field="PREDECESSOR")
    area = co.controlling_area(ctx, order.KOKRS)
    if copa.concern_of(ctx, order.KOKRS) is None:
        messages.error("KE", "901", order.KOKRS, parameter=HEADER, field="PREDECESSOR")
    if area is None or messages.failed:
        return None
    decimals = currency_decimals(ctx, area.WAERS)
    setting = Setting(header, budat, order.KOKRS, order.BUKRS, area.WAERS,
                      2 if decimals is None else decimals, area.LMONA)
    costs = [cost for row, item in enumerate(items, start=1)
             if (cost := _cost(ctx, setting, row, item, messages)) is not None]
    if messages.failed:
        return None
    _check_periods(ctx, costs, messages)
    _check_direct(ctx, setting, costs, messages)
    if messages.failed:
        return None
    return Plan(setting, costs)


def post(ctx: CallContext, plan: Plan) -> list[dict[str, Any]]:
    """Post the checked direct costs in the caller's LUW; what was posted."""
    return _post(ctx, plan.setting, plan.costs) if plan.costs else []


def segment_for(ctx: CallContext, header: dict[str, Any], item: dict[str, Any], order: Any,
                row: int, messages: Messages) -> str:
    """The item's profitability segment (CE4S001, created once): KNDNR sold-to party, ARTNR
    the product, VKORG, BUKRS/KOKRS of the order; blank with the problem in `messages`."""
    setting = Setting(header, "", order.KOKRS, order.BUKRS, "", 2, "")
    return _segment(ctx, setting, row, item, messages)


def _cost(ctx: CallContext, setting: Setting, row: int, item: dict[str, Any],
          messages: Messages) -> Cost | None:
    """The item's cost, checked as the CO BAPI would check it, or its problems."""
    number = item["NUMBER_INT"]
    category = cust.item_category(ctx, item["ITM_TYPE"])
    if category is None:
        messages.error("IAOM_CRMSRV", "105", item["ITM_TYPE"], number, parameter=ITEMS,
                       row=row, field="ITM_TYPE")
        return None
    if category.KIND in THROUGH_LOGISTICS:
        return None                      # the caller's: CATS, goods issue 201, delivery
    paobjnr = _segment(ctx, setting, row, item, messages)
    text = f"{setting.header['OBJECT_ID'].lstrip('0')}/{int(number)}"
    quantity = Decimal(item["QUANTITY"] or 0)
    if category.KIND == cust.TOOL:
        tool = cust.tool(ctx, item["PRODUCT_ID"])
        if tool is None:
            messages.error("IAOM_CRMSRV", "109", item["PRODUCT_ID"], number, parameter=ITEMS,
                           row=row, field="PRODUCT_ID")
            return None
        sender = (tool.KOSTL, tool.LSTAR, setting.budat, setting.budat)
        text = f"Tool {item['PRODUCT_ID']} {text}"
    else:
        employee = _employee(ctx, setting, row, item, messages)
        derived = cust.cats_derivation(ctx, item["ITM_TYPE"], item["SERVICE_TYPE"],
                                       item["VALUATION_TYPE"])
        if employee is None:
            return None
        return _expense(ctx, setting, row, item, employee.kostl, derived, paobjnr,
                        messages)
    kostl, lstar, price_date, budat = sender
    return _allocation(ctx, setting, row, alpha(kostl, 10), lstar, price_date, budat,
                       quantity, text, paobjnr, messages)


def _segment(ctx: CallContext, setting: Setting, row: int, item: dict[str, Any],
             messages: Messages) -> str:
    """The item's profitability segment (created once, CE4S001); blank with the problem."""
    header = setting.header
    characteristics = {"KNDNR": header["SOLD_TO_PARTY"], "ARTNR": item["PRODUCT_ID"],
                       "VKORG": header["SALES_ORG"], "BUKRS": setting.bukrs,
                       "KOKRS": setting.kokrs}
    try:
        return copa.segment(ctx, characteristics)
    except copa.CopaError as error:
        messages.extend([error.bapiret2(system=ctx.logical_system, parameter=ITEMS)], row)
        return ""


def _employee(ctx: CallContext, setting: Setting, row: int, item: dict[str, Any],
              messages: Messages) -> Any:
    pernr = item["EMPLOYEE"]
    if not pernr.strip("0"):
        messages.error("IAOM_CRMSRV", "116", item["NUMBER_INT"],
                       setting.header["OBJECT_ID"].lstrip("0"), parameter=ITEMS, row=row,
                       field="EMPLOYEE")
        return None
    workdate = item["WORK_DATE"] or setting.budat
    employee = cats.employee(ctx, pernr, workdate)
    if employee is None:
        messages.error("IAOM_CRMSRV", "124", pernr, workdate, parameter=ITEMS, row=row,
                       field="EMPLOYEE")
    return employee


def _sender_center(ctx: CallContext, setting: Setting, row: int, kostl: str, budat: str,
                   messages: Messages) -> Any:
    csks = co.cost_center(ctx, setting.kokrs, kostl, budat)
    if csks is None:
        messages.error("KI", "100", kostl, setting.kokrs, parameter=ITEMS, row=row,
                       field="EMPLOYEE")
    return csks


def _allocation(ctx: CallContext, setting: Setting, row: int, kostl: str, lstar: str,
                price_date: str, budat: str, quantity: Decimal, text: str, paobjnr: str,
                messages: Messages) -> Cost | None:
    """RKL: quantity x planned price / price unit of the sender's cost center/activity type."""
    csks = _sender_center(ctx, setting, row, kostl, budat, messages)
    csla = co.activity_type(ctx, setting.kokrs, lstar, budat)
    if csla is None:
        messages.error("KL", "906", lstar, setting.kokrs, budat, parameter=ITEMS, row=row,
                       field="ITM_TYPE")
        return None
    if co.allocation_element(ctx, setting.kokrs, csla, budat) is None:
        messages.error("KL", "903", csla.VKSTA or lstar, setting.kokrs, budat,
                       parameter=ITEMS, row=row, field="ITM_TYPE")
        return None
    if quantity <= 0:
        messages.error("KI", "905", quantity, row, parameter=ITEMS, row=row,
                       field="QUANTITY")
        return None
    year, period = fbas.fiscal_period(ctx, setting.periv, price_date)
    price = co.activity_price(ctx, setting.kokrs, kostl, lstar, f"{year:04d}", period)
    if price is None:
        messages.error("IAOM_CRMSRV", "108", kostl.lstrip("0"), lstar, f"{year:04d}",
                       parameter=ITEMS, row=row, field="EMPLOYEE")
        return None
    if csks is None or not paobjnr:
        return None
    return Cost(row, ALLOCATION, budat, co.kl_object(setting.kokrs, kostl, lstar),
                csks.BUKRS, csla.VKSTA, round_amount(price.value(quantity), setting.decimals),
                quantity, csla.LEINH, text, paobjnr)


def _expense(ctx: CallContext, setting: Setting, row: int, item: dict[str, Any], kostl: str,
             derived: Any, paobjnr: str,
             messages: Messages) -> Cost | None:
    """RKU1: the expense's net value from the employee's cost center, on a primary element."""
    if derived is None or not derived.CATSCO_KSTAR:
        messages.error("IAOM_CRMSRV", "120", item["ITM_TYPE"], parameter=ITEMS, row=row,
                       field="ITM_TYPE")
        return None
    kostl = alpha(kostl, 10)
    csks = _sender_center(ctx, setting, row, kostl, setting.budat, messages)
    element = co.cost_element(ctx, setting.kokrs, derived.CATSCO_KSTAR, setting.budat)
    if element is None or element.KATYP not in REPOSTABLE_CATEGORIES:
        messages.error("KI", "907", derived.CATSCO_KSTAR, setting.kokrs, setting.budat,
                       parameter=ITEMS, row=row, field="ITM_TYPE")
        return None
    currency = setting.header["CURRENCY"]
    if currency and currency != setting.currency:
        messages.error("KI", "908", currency, setting.currency, parameter=HEADER,
                       field="CURRENCY")
        return None
    value = round_amount(Decimal(item["NET_VALUE"] or 0), setting.decimals)
    if not value:
        messages.error("KI", "911", row, parameter=ITEMS, row=row, field="NET_VALUE")
        return None
    if csks is None or not paobjnr:
        return None
    text = f"Expense {item['PRODUCT_ID']} " \
           f"{setting.header['OBJECT_ID'].lstrip('0')}/{int(item['NUMBER_INT'])}"
    return Cost(row, REPOSTING, setting.budat, csks.OBJNR or f"KS{setting.kokrs}{kostl}",
                csks.BUKRS, derived.CATSCO_KSTAR, value, Decimal(item["QUANTITY"] or 0),
                item["UNIT"], text, paobjnr)


def _check_periods(ctx: CallContext, costs: list[Cost], messages: Messages) -> None:
    """OB52: each posting date's period open in each sender's company code."""
    for bukrs, budat in sorted({(cost.bukrs, cost.budat) for cost in costs}):
        if (closed := co.closed_period(ctx, bukrs, budat)) is not None:
            year, period = closed
            messages.error("F5", "201", f"{period:03d}", year, parameter=HEADER,
                           field="POSTING_DATE")


def _check_direct(ctx: CallContext, setting: Setting, costs: list[Cost],
                  messages: Messages) -> None:
    """What CO-PA would refuse of each cost element posted (`copa.check_direct`: the KEI2
    structure of the area maps it to one value field), once per element, at its last row."""
    used = {cost.kstar: cost for cost in costs}
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for kstar, cost in used.items():
        try:
            copa.check_direct(ctx, kokrs=setting.kokrs, paobjnr=cost.paobjnr, kstar=kstar,
                              budat=cost.budat)
        except copa.CopaError as problem:
            key = (problem.msg_class, problem.number, problem.variables)
            if key not in seen:
                seen.add(key)
                messages.extend([problem.bapiret2(system=ctx.logical_system,
                                                  parameter=ITEMS)], cost.row)


def _post(ctx: CallContext, setting: Setting, costs: list[Cost]) -> list[dict[str, Any]]:
    """One CO document per business transaction and posting date, and a CO-PA line item
    per line (`copa.post_to_segments`), in the caller's LUW."""
    posted: list[dict[str, Any]] = []
    groups: dict[tuple[str, str], list[Cost]] = {}
    for cost in costs:
        groups.setdefault((cost.vrgng, cost.budat), []).append(cost)
    object_id = setting.header["OBJECT_ID"]
    for (vrgng, budat), group in groups.items():
        try:
            belnr, pa_numbers = copa.post_to_segments(
                ctx, kokrs=setting.kokrs, budat=budat, vrgng=vrgng, usnam=USER,
                reference=co.CoReference("K", awtyp="CRMSC", awkey=object_id),
                text=f"Confirmation {object_id.lstrip('0')}",
                lines=[cost.to_segment() for cost in group])
        except copa.CopaError as error:
            abort(error.bapiret2(system=ctx.logical_system))
        else:
            posted.append(_result(vrgng, belnr))
            posted += [_result("COPA", number) for number in pa_numbers]
    return posted


def _result(doc_type: str, number: str) -> dict[str, Any]:
    return {"NUMBER_INT": "0000000000", "OBJECT_NO": "", "AUFNR": "", "DOC_TYPE": doc_type,
            "DOC_NO": number}
