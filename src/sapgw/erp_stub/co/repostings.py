"""Reposting of primary costs (KB11N): BAPI_ACC_PRIMARY_COSTS_POST and _CHECK.

Each item moves a value on a primary cost element from a sender (cost center or order) to a
receiver (order or cost center): the sender is credited, the receiver debited, both on the
original cost element, in one CO document with business transaction RKU1 ("repost costs",
reference/controlling.md §2.4, §3.5). Both lines carry the other as partner object, the
receiver the sender as origin object, so they go to COSS (internal postings). The value is
in the document's transaction currency (TRANS_CURR, required), rounded half up at its
decimals; it must be the controlling area currency here (no translation is emulated). No FI
document: a reposting stays inside CO.
"""

from __future__ import annotations

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
from sapgw.erp_stub.co.master_data import cost_element
from sapgw.erp_stub.co.postings import CoLine
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount
from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, NUMC, Elementary, structure

# Cost element categories a cost reposting may use: primary costs and accruals. Revenues
# (11, 12) are reposted as RKU2, settlement (22) and statistical (90) elements not at all.
REPOSTABLE_CATEGORIES = frozenset({"01", "03", "04"})

BAPIDOCHDRU12P = structure(
    "BAPIDOCHDRU12P",
    ("CO_AREA", CHAR(4), "Controlling area"), ("DOCDATE", DATS, "Document date"),
    ("POSTGDATE", DATS, "Posting date"), ("VERSION", CHAR(3), "Version (only 000)"),
    ("VARIANT", CHAR(5), "Variant"), ("DOC_HDR_TX", CHAR(50), "Document header text"),
    ("USERNAME", CHAR(12), "User"), ("TRANS_CURR", CUKY, "Transaction currency"),
    ("TRANSCUR_ISO", CHAR(3), "Transaction currency (ISO)"),
    ("OBJ_TYPE", CHAR(5), "Reference procedure"), ("OBJ_KEY", CHAR(20), "Reference key"),
    ("OBJ_SYS", CHAR(10), "Logical system"),
    ("DOC_NO", CHAR(10), "Document number (external numbering: not supported)"),
)

BAPIRCITM = structure(
    "BAPIRCITM",
    ("SEND_CCTR", CHAR(10), "Sender cost center"), ("SENDER_ORD", CHAR(12), "Sender order"),
    ("SEN_WBS_EL", CHAR(24), "Sender WBS element"), ("SEN_NETWRK", CHAR(12), "Sender network"),
    ("SENOPERATN", CHAR(4), "Its operation"), ("SENSALEORD", CHAR(10), "Sender sales order"),
    ("SENITEM", NUMC(6), "Its item"), ("SENCOSTOB", CHAR(12), "Sender cost object"),
    ("SENBUSPROC", CHAR(12), "Sender business process"),
    ("COST_ELEM", CHAR(10), "Cost element"),
    ("VALUE_TCUR", CURR(23, 2), "Value in transaction currency"),
    ("QUANTITY", Elementary("QUAN", 15, 3), "Quantity"), ("POSTQUUN", CHAR(3), "Unit"),
    ("POSTQUUN_ISO", CHAR(3), "Unit (ISO)"),
    ("PERSON_NO", NUMC(8), "Personnel number"), ("SEG_TEXT", CHAR(50), "Item text"),
    ("REC_CCTR", CHAR(10), "Receiver cost center"), ("REC_ORDER", CHAR(12), "Receiver order"),
    ("REC_WBS_EL", CHAR(24), "Receiver WBS element"),
    ("REC_NETWRK", CHAR(12), "Receiver network"), ("RECOPERATN", CHAR(4), "Its operation"),
    ("RECSALEORD", CHAR(10), "Receiver sales order"), ("RECITEM", NUMC(6), "Its item"),
    ("RECCOSTOB", CHAR(12), "Receiver cost object"),
    ("RECBUSPROC", CHAR(12), "Receiver business process"),
)

SENDERS = {"SEND_CCTR": cost_center_object, "SENDER_ORD": order_object}
RECEIVERS = {"REC_ORDER": order_object, "REC_CCTR": cost_center_object}
SENDERS_UNSUPPORTED = ("SEN_WBS_EL", "SEN_NETWRK", "SENSALEORD", "SENCOSTOB", "SENBUSPROC")
RECEIVERS_UNSUPPORTED = ("REC_WBS_EL", "REC_NETWRK", "RECSALEORD", "RECCOSTOB", "RECBUSPROC")


def repost(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]],
           post: bool) -> dict[str, Any]:
    """Check every item, then register the RKU1 document in the caller's LUW (post)."""
    problems = Problems(ctx, ITEMS)
    head = check_header(ctx, header, problems)
    currency = header["TRANS_CURR"] or header["TRANSCUR_ISO"]
    if not currency:
        problems.required("TRANS_CURR", parameter=HEADER)
    elif head is not None and currency != head.currency:
        problems.error("KI", "908", currency, head.currency, parameter=HEADER,
                       field="TRANS_CURR")
    if header["DOC_NO"]:
        problems.error("KO", "910", header["DOC_NO"], "DOC_NO", parameter=HEADER,
                       field="DOC_NO")
    if not items:
        problems.error("KO", "911", ITEMS)
    if head is None:
        return {"DOC_NO": "", "RETURN": problems.rows}
    decimals = currency_decimals(ctx, head.currency)
    lines: list[CoLine] = []
    company_codes: set[str] = set()
    for row, item in enumerate(items, start=1):
        sender = one_object(ctx, head, item, row, "sender", SENDERS, SENDERS_UNSUPPORTED,
                            problems)
        receiver = one_object(ctx, head, item, row, "receiver", RECEIVERS,
                              RECEIVERS_UNSUPPORTED, problems)
        kstar = _cost_element(ctx, head, item, row, problems)
        value = round_amount(item["VALUE_TCUR"], 2 if decimals is None else decimals)
        if not value:
            problems.error("KI", "911", row, row=row, field="VALUE_TCUR")
        unit = _unit(ctx, item)
        if sender is None or receiver is None or kstar is None or not value:
            continue
        if sender.objnr == receiver.objnr:
            problems.error("KI", "906", row, sender.objnr, row=row, field="REC_ORDER")
            continue
        quantity, text = item["QUANTITY"] or None, item["SEG_TEXT"]
        lines += [CoLine(sender.objnr, kstar, -value, parob=receiver.objnr, text=text,
                         quantity=-quantity if quantity else None, unit=unit,
                         bukrs=sender.bukrs),
                  CoLine(receiver.objnr, kstar, value, parob=sender.objnr, uspob=sender.objnr,
                         quantity=quantity, unit=unit, text=text, bukrs=receiver.bukrs)]
        company_codes |= {sender.bukrs, receiver.bukrs}
    check_periods(ctx, head, company_codes, problems)
    return post_or_check(ctx, head, lines, "RKU1", problems, post)


post_and_check("BAPI_ACC_PRIMARY_COSTS_POST", "BAPI_ACC_PRIMARY_COSTS_CHECK",
               text="Reposting of primary costs", header=BAPIDOCHDRU12P, item=BAPIRCITM,
               items_text="Reposting items", document=repost)


def _cost_element(ctx: CallContext, head: Header, item: dict[str, Any], row: int,
                  problems: Problems) -> str | None:
    """The item's cost element: a primary cost element valid on the posting date."""
    if not item["COST_ELEM"]:
        problems.required("COST_ELEM", row)
        return None
    kstar = alpha(item["COST_ELEM"], 10)
    cskb = cost_element(ctx, head.kokrs, kstar, head.budat)
    if cskb is None or cskb.KATYP not in REPOSTABLE_CATEGORIES:
        problems.error("KI", "907", kstar, head.kokrs, head.budat, row=row, field="COST_ELEM")
        return None
    return kstar


def _unit(ctx: CallContext, item: dict[str, Any]) -> str:
    """The quantity's unit, from its ISO code when only that is given."""
    if item["POSTQUUN"] or not item["POSTQUUN_ISO"]:
        return str(item["POSTQUUN"])
    found = basis.unit_by_iso(ctx, item["POSTQUUN_ISO"])
    return found.msehi if found else str(item["POSTQUUN_ISO"])

