"""Direct activity allocation (KB21N): BAPI_ACC_ACTIVITY_ALLOC_POST and _CHECK.

Each item sends a quantity of an activity type from a sender cost center to a receiver (an
order or a cost center), valued at the planned price of that cost center/activity type for the
posting date's fiscal year and period (`activity_price`, KP26) unless the item brings a price:
value = quantity x price / price unit, rounded half up at the controlling area currency's
decimals, per item. The CO document (VRGNG RKL) has two lines per item on the activity type's
allocation cost element (CSLA-VKSTA, category 43): the credit on the sender's cost
center/activity type object (KL + KOKRS + KOSTL + LSTAR, quantity negative) with the receiver
as partner object, and the debit on the receiver with the KL object as partner and origin
object (SAP's reports read PAROB of RKL lines as a KL object). No FI document: the cost
element is secondary. Both lines go to COSS. reference/controlling.md §3.3, §10.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.basis import api as basis
from sapgw.erp_stub.co.actual_support import (
    HEADER,
    ITEMS,
    Header,
    check_header,
    check_periods,
    cost_center_object,
    one_object,
    order_object,
    post_and_check,
    post_or_check,
)
from sapgw.erp_stub.co.bapi_support import Problems
from sapgw.erp_stub.co.master_data import activity_type, cost_element
from sapgw.erp_stub.co.postings import CoLine
from sapgw.erp_stub.co.prices import activity_price, kl_object
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount
from sapgw.rfc.ddic import CHAR, CUKY, DATS, DEC, NUMC, Elementary, structure

ALLOCATION_CATEGORY = "43"
QUAN = Elementary("QUAN", 15, 3)

BAPIDOCHDRP = structure(
    "BAPIDOCHDRP",
    ("CO_AREA", CHAR(4), "Controlling area"), ("DOCDATE", DATS, "Document date"),
    ("POSTGDATE", DATS, "Posting date"), ("VERSION", CHAR(3), "Version (only 000)"),
    ("VARIANT", CHAR(5), "Variant"), ("DOC_HDR_TX", CHAR(50), "Document header text"),
    ("USERNAME", CHAR(12), "User"), ("OBJ_TYPE", CHAR(5), "Reference procedure"),
    ("OBJ_KEY", CHAR(20), "Reference key"), ("OBJ_SYS", CHAR(10), "Logical system"),
    ("DOC_NO", CHAR(10), "Document number (external numbering: not supported)"),
)

BAPIAAITM = structure(
    "BAPIAAITM",
    ("SEND_CCTR", CHAR(10), "Sender cost center"), ("ACTTYPE", CHAR(6), "Activity type"),
    ("SENBUSPROC", CHAR(12), "Sender business process"),
    ("ACTVTY_QTY", QUAN, "Activity quantity"),
    ("ACTIVITYUN", CHAR(3), "Activity unit"), ("ACTIVITYUN_ISO", CHAR(3), "Unit (ISO)"),
    ("PRICE", DEC(23, 4), "Price (blank: the planned price)"),
    ("PRICE_FIX", DEC(23, 4), "Fixed price"), ("PRICE_VAR", DEC(23, 4), "Variable price"),
    ("PRICE_UNIT", DEC(5, 0), "Price unit"),
    ("CURRENCY", CUKY, "Currency"), ("CURRENCY_ISO", CHAR(3), "Currency (ISO)"),
    ("PERSON_NO", NUMC(8), "Personnel number"), ("SEG_TEXT", CHAR(50), "Item text"),
    ("REC_CCTR", CHAR(10), "Receiver cost center"), ("REC_ORDER", CHAR(12), "Receiver order"),
    ("REC_WBS_EL", CHAR(24), "Receiver WBS element"),
    ("RECSALEORD", CHAR(10), "Receiver sales order"), ("RECITEM", NUMC(6), "Its item"),
    ("RECCOSTOB", CHAR(12), "Receiver cost object"),
    ("REC_NETWRK", CHAR(12), "Receiver network"), ("RECOPERATN", CHAR(4), "Its operation"),
)

RECEIVERS = {"REC_ORDER": order_object, "REC_CCTR": cost_center_object}
UNSUPPORTED = ("REC_WBS_EL", "RECSALEORD", "RECCOSTOB", "REC_NETWRK")


def allocate(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]],
             post: bool) -> dict[str, Any]:
    """Check every item, then register the RKL document in the caller's LUW (post)."""
    problems = Problems(ctx, ITEMS)
    head = check_header(ctx, header, problems)
    if header["DOC_NO"]:
        problems.error("KO", "910", header["DOC_NO"], "DOC_NO", parameter=HEADER,
                       field="DOC_NO")
    if not items:
        problems.error("KO", "911", ITEMS)
    if head is None:
        return {"DOC_NO": "", "RETURN": problems.rows}
    lines: list[CoLine] = []
    company_codes: set[str] = set()
    for row, item in enumerate(items, start=1):
        found = _item_lines(ctx, head, item, row, problems)
        if found is not None:
            lines += found[0]
            company_codes |= found[1]
    check_periods(ctx, head, company_codes, problems)
    return post_or_check(ctx, head, lines, "RKL", problems, post)


post_and_check("BAPI_ACC_ACTIVITY_ALLOC_POST", "BAPI_ACC_ACTIVITY_ALLOC_CHECK",
               text="Direct activity allocation", header=BAPIDOCHDRP, item=BAPIAAITM,
               items_text="Activity allocation items", document=allocate)


def _item_lines(ctx: CallContext, head: Header, item: dict[str, Any], row: int,
                problems: Problems) -> tuple[list[CoLine], set[str]] | None:
    """The sender and receiver lines of one item and their company codes, or None."""
    sender = cost_center_object(ctx, head, item["SEND_CCTR"], problems, row, "SEND_CCTR") \
        if item["SEND_CCTR"] else None
    if not item["SEND_CCTR"]:
        problems.required("SEND_CCTR", row)
    if item["SENBUSPROC"]:
        problems.error("KO", "910", item["SENBUSPROC"], "SENBUSPROC", row=row,
                       field="SENBUSPROC")
    receiver = one_object(ctx, head, item, row, "receiver", RECEIVERS, UNSUPPORTED, problems)
    lstar, quantity = item["ACTTYPE"], item["ACTVTY_QTY"]
    csla = activity_type(ctx, head.kokrs, lstar, head.budat) if lstar else None
    if not lstar:
        problems.required("ACTTYPE", row)
    elif csla is None:
        problems.error("KL", "906", lstar, head.kokrs, head.budat, row=row, field="ACTTYPE")
    if quantity <= 0:
        problems.error("KI", "905", quantity, row, row=row, field="ACTVTY_QTY")
    if csla is None or sender is None:
        return None
    kostl = alpha(item["SEND_CCTR"], 10)
    kl = kl_object(head.kokrs, kostl, lstar)
    if receiver is not None and receiver.objnr == sender.objnr:
        problems.error("KI", "906", row, receiver.objnr, row=row, field="REC_CCTR")
    ok = _cost_element(ctx, head, csla, row, problems)
    ok = _unit(ctx, csla, item, row, problems) and ok
    value = _value(ctx, head, kostl, lstar, item, row, problems)
    if receiver is None or value is None or not ok or problems.failed:
        return None
    text, unit = item["SEG_TEXT"], csla.LEINH
    return ([CoLine(kl, csla.VKSTA, -value, parob=receiver.objnr, quantity=-quantity,
                    unit=unit, text=text, bukrs=sender.bukrs),
             CoLine(receiver.objnr, csla.VKSTA, value, parob=kl, uspob=kl, quantity=quantity,
                    unit=unit, text=text, bukrs=receiver.bukrs)],
            {sender.bukrs, receiver.bukrs})


def allocation_element(ctx: CallContext, kokrs: str, csla: Any, on_date: str) -> Any:
    """The activity type's allocation cost element (CSLA-VKSTA) if it is a category 43
    element valid on the date, else None (KL 903 for the caller)."""
    cskb = cost_element(ctx, kokrs, csla.VKSTA, on_date) if csla.VKSTA else None
    return cskb if cskb is not None and cskb.KATYP == ALLOCATION_CATEGORY else None


def _cost_element(ctx: CallContext, head: Header, csla: Any, row: int,
                  problems: Problems) -> bool:
    """The activity type's allocation cost element must be a category 43 element."""
    if allocation_element(ctx, head.kokrs, csla, head.budat) is None:
        problems.error("KL", "903", csla.VKSTA or csla.LSTAR, head.kokrs, head.budat, row=row,
                       field="ACTTYPE")
        return False
    return True


def _unit(ctx: CallContext, csla: Any, item: dict[str, Any], row: int,
          problems: Problems) -> bool:
    """A unit given must be the activity type's (no conversion)."""
    given, field = item["ACTIVITYUN"], "ACTIVITYUN"
    if not given and item["ACTIVITYUN_ISO"]:
        found = basis.unit_by_iso(ctx, item["ACTIVITYUN_ISO"])
        given, field = (found.msehi if found else item["ACTIVITYUN_ISO"]), "ACTIVITYUN_ISO"
    if given and given != csla.LEINH:
        problems.error("KI", "909", given, csla.LEINH, csla.LSTAR, row=row, field=field)
        return False
    return True


def _value(ctx: CallContext, head: Header, kostl: str, lstar: str, item: dict[str, Any],
           row: int, problems: Problems) -> Decimal | None:
    """quantity x price / price unit at the item's price or the planned one, rounded."""
    currency = item["CURRENCY"] or item["CURRENCY_ISO"]
    if currency and currency != head.currency:
        problems.error("KI", "908", currency, head.currency, row=row, field="CURRENCY")
        return None
    manual = item["PRICE"] or (item["PRICE_FIX"] + item["PRICE_VAR"])
    if manual:
        price, unit = Decimal(manual), Decimal(item["PRICE_UNIT"] or 1)
    else:
        planned = activity_price(ctx, head.kokrs, kostl, lstar, f"{head.gjahr:04d}",
                                 head.period)
        if planned is None:
            problems.error("KI", "901", kostl, lstar, head.gjahr, f"{head.period:03d}",
                           row=row, field="ACTTYPE")
            return None
        price, unit = planned.total, planned.price_unit
    decimals = currency_decimals(ctx, head.currency)
    return round_amount(item["ACTVTY_QTY"] * price / unit, 2 if decimals is None else decimals)
