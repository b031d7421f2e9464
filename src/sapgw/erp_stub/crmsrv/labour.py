"""Labour and expense items of a confirmation: the employee decides where the cost comes from.

A service product's hours become CATS records (cats.api.insert_time_sheet, as
BAPI_CATIMESHEETMGR_INSERT with the data entry profile marked default): the employee's
personnel number and work date, the attendance type and activity type CRMC_CATS_CO derives
from the item category (service type, valuation type), the internal order as receiver and
the confirmation as sender document (EXTDOCUMENTNO = confirmation/item). The employee's cost
center (PA0001) is the sender; the hours are valued when CAT7 transfers them to CO, at that
cost center's planned price for the activity type. A price missing for the work date's
fiscal year would leave the records untransferable, so the confirmation is refused then
(IAOM_CRMSRV 108) rather than CAT7 later (ours: SAP's CATS checks no price at entry).
An expense item is reposted (RKU1) from the employee's cost center to the order on the cost
element CRMC_CATS_CO derives, for its net value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.cats import api as cats
from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.crmsrv import customizing as cust
from sapgw.erp_stub.crmsrv.returns import Messages
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.rfc.structures import errors

if TYPE_CHECKING:
    from sapgw.erp_stub.crmsrv.confirmations import Confirmation

ITEMS = "IT_ITEMS"
SENDER = "CRM"
APPLICATION = "CRMSC"     # EXTAPPLICATION of the records (ours)


def collect(ctx: CallContext, confirmation: Confirmation, row: int, item: dict[str, Any],
            aufnr: str, kind: str, text: str, messages: Messages, paobjnr: str = "") -> None:
    """The item as a time sheet row (labour) or a reposting row (expense), or its problem;
    a record's receiver is the order, or the profitability segment `paobjnr` (mass-object:
    CATSDB-PAOBJNR)."""
    workdate = item["WORK_DATE"] or confirmation.budat
    pernr = item["EMPLOYEE"]
    if not pernr.strip("0"):
        messages.error("IAOM_CRMSRV", "116", item["NUMBER_INT"],
                       confirmation.header["OBJECT_ID"].lstrip("0"), parameter=ITEMS,
                       row=row, field="EMPLOYEE")
        return
    employee = cats.employee(ctx, pernr, workdate)
    if employee is None:
        messages.error("IAOM_CRMSRV", "124", pernr, workdate, parameter=ITEMS, row=row,
                       field="EMPLOYEE")
        return
    derived = cust.cats_derivation(ctx, item["ITM_TYPE"], item["SERVICE_TYPE"],
                                   item["VALUATION_TYPE"])
    if kind == cust.EXPENSE:
        if derived is None or not derived.CATSCO_KSTAR:
            messages.error("IAOM_CRMSRV", "120", item["ITM_TYPE"], parameter=ITEMS, row=row,
                           field="ITM_TYPE")
            return
        confirmation.expenses.add(row, {
            "SEND_CCTR": employee.kostl, "COST_ELEM": derived.CATSCO_KSTAR,
            "VALUE_TCUR": Decimal(item["NET_VALUE"] or 0),
            "QUANTITY": Decimal(item["QUANTITY"] or 0), "POSTQUUN": item["UNIT"],
            "PERSON_NO": pernr, "SEG_TEXT": f"Expense {item['PRODUCT_ID']} {text}",
            "REC_ORDER": aufnr})
        return
    if derived is None or not derived.CATSCO_LSTAR:
        messages.error("IAOM_CRMSRV", "106", item["ITM_TYPE"], item["SERVICE_TYPE"],
                       parameter=ITEMS, row=row, field="ITM_TYPE")
        return
    kokrs = derived.CATSCO_KOKRS or employee.kokrs
    if not _price(ctx, kokrs, alpha(employee.kostl, 10), derived.CATSCO_LSTAR, workdate):
        messages.error("IAOM_CRMSRV", "108", employee.kostl.lstrip("0"), derived.CATSCO_LSTAR,
                       workdate[:4], parameter=ITEMS, row=row, field="EMPLOYEE")
        return
    confirmation.time_sheet.add(row, {
        "WORKDATE": workdate, "EMPLOYEENUMBER": pernr, "ABS_ATT_TYPE": derived.CATS_AWART,
        "CATSHOURS": Decimal(item["QUANTITY"] or 0), "CO_AREA": kokrs,
        "ACTTYPE": derived.CATSCO_LSTAR, "SHORTTEXT": text,
        **({"PROFIT_SEGM_NO": paobjnr} if paobjnr else {"REC_ORDER": aufnr}),
        "EXTSYSTEM": SENDER, "EXTAPPLICATION": APPLICATION,
        "EXTDOCUMENTNO": text})


def _price(ctx: CallContext, kokrs: str, kostl: str, lstar: str, workdate: str) -> bool:
    area = co.controlling_area(ctx, kokrs)
    if area is None:
        return False
    year, period = fbas.fiscal_period(ctx, area.LMONA, workdate)
    return co.activity_price(ctx, kokrs, kostl, lstar, f"{year:04d}", period) is not None


def post(ctx: CallContext, confirmation: Confirmation, messages: Messages
         ) -> list[dict[str, Any]]:
    """The time sheet records, in the caller's LUW; nothing and the problems when CATS
    refuses them (it registers nothing then)."""
    out, answer = cats.insert_time_sheet(ctx, confirmation.time_sheet.rows)
    failed = errors(answer)
    for problem in failed:
        messages.extend([{**problem, "PARAMETER": ITEMS}],
                        confirmation.time_sheet.origin_of(int(problem.get("ROW") or 0)))
    if failed:
        return []
    return [{"NUMBER_INT": "0000000000", "OBJECT_NO": "", "AUFNR": "", "DOC_TYPE": "CATS",
             "DOC_NO": record["COUNTER"]} for record in out]
