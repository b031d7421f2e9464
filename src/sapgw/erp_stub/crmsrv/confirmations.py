"""A completed service confirmation posts its actual costs (IAOM_CRMSRV_CONFIRM_IN).

The controlling object is the confirmed order's (its predecessor's): with item-level
controlling the order item's of the same number, else the document's. A confirmation
without predecessor is its own controlling object, by its own transaction type's
customizing (`_own`: SRVC single-object gets its internal order on completion). By item category
(seed 001's table, reference/controlling.md §10):
- service product (labour): CATS records with the order as receiver (`labour`), valued
  later by the transfer to CO (CAT7);
- tool: an activity allocation (RKL) from the tool's cost center and activity type;
- expense: a reposting of primary costs (RKU1) from the employee's cost center on the cost
  element CRMC_CATS_CO derives (`labour`);
- service part: a goods issue 261 to the order at standard price (MKPF/MSEG, FI, COIN);
- sales item: the outbound delivery of the order's sales document item and its goods issue
  601, which debits the order through VBAP-AUFNR (`sales_items`).
With mass-object controlling (no internal order) the costs go to profitability segments
instead (`mass_object`). All of one confirmation is one LUW: every posting is checked
first (the _CHECK BAPIs, the goods movement's test run) and every problem answered; only
then is anything posted. A posting that fails after its check ends the LUW (an A message):
nothing of the confirmation stays. A confirmation posted before answers so and posts nothing again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.crmsrv import customizing as cust
from sapgw.erp_stub.crmsrv import documents, labour, log, mass_object, sales_items
from sapgw.erp_stub.crmsrv.documents import SCENARIO, abort, business_key
from sapgw.erp_stub.crmsrv.returns import Messages
from sapgw.erp_stub.iaom import api as iaom
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.rfc.structures import errors

HEADER, ITEMS = "IS_HEADER", "IT_ITEMS"
USER = "CRM_SRV"


@dataclass
class Posting:
    """The items of one kind as the BAPI's rows, with the confirmation row of each."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)

    def add(self, row: int, values: dict[str, Any]) -> None:
        self.rows.append(values)
        self.origin.append(row)

    def origin_of(self, bapi_row: int) -> int:
        return self.origin[bapi_row - 1] if 0 < bapi_row <= len(self.origin) else 0


@dataclass
class Confirmation:
    """What a confirmation posts: its header facts and the postings by kind."""

    header: dict[str, Any]
    budat: str
    kokrs: str
    vbeln: str = ""                     # the order's sales document (its sales items)
    tools: Posting = field(default_factory=Posting)
    expenses: Posting = field(default_factory=Posting)
    parts: Posting = field(default_factory=Posting)
    time_sheet: Posting = field(default_factory=Posting)
    sales: Posting = field(default_factory=Posting)


@dataclass(frozen=True)
class Owner:
    """The controlling object's document: the confirmed order's CRMSRV_DOCS row, or the
    confirmation itself when it has no predecessor (`own`)."""

    PROCESS_TYPE: str
    OBJECT_NO: str
    VBELN: str
    BUKRS: str
    KOKRS: str
    objects: dict[str, str] = field(default_factory=dict)   # own: NUMBER_INT -> OBJNR
    created: list[dict[str, Any]] = field(default_factory=list)


def post(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]]
         ) -> tuple[Messages, list[dict[str, Any]]]:
    """Check and post a completed confirmation; (messages, what was posted)."""
    messages = Messages(ctx)
    object_id = header["OBJECT_ID"].lstrip("0")
    if log.document(ctx, header["OBJECT_ID"]) is not None:
        messages.add("S", "IAOM_CRMSRV", "117", object_id)
        return messages, []
    predecessor = header["PREDECESSOR"] if header["PREDECESSOR"].strip("0") else ""
    order = log.document(ctx, predecessor) if predecessor else _own(ctx, header, items,
                                                                    messages)
    if order is None:
        if predecessor:
            messages.error("IAOM_CRMSRV", "115", object_id, predecessor.lstrip("0"),
                           parameter=HEADER, field="PREDECESSOR")
        return messages, []
    budat = header["POSTING_DATE"] or ctx.clock.today().strftime("%Y%m%d")
    ctp = cust.controlling_type(ctx, order.PROCESS_TYPE, header["SERVICE_ORG"], budat)
    confirmation = Confirmation(header, budat, order.KOKRS, order.VBELN)
    if ctp is not None and ctp.CO_TYPE == cust.MASS_OBJECT:
        return _mass_object(ctx, confirmation, items, order, messages)
    for row, item in enumerate(items, start=1):
        objnr = _object(ctx, header["PREDECESSOR"], item, order)
        if not objnr:
            messages.error("IAOM_CRMSRV", "115", object_id, header["PREDECESSOR"].lstrip("0"),
                           parameter=ITEMS, row=row, field="NUMBER_INT")
            continue
        _collect(ctx, confirmation, row, item, objnr[2:], messages)
    if not messages.failed:
        _check(ctx, confirmation, messages)
    if messages.failed:
        return _refused(ctx, messages, order)
    posted = _post(ctx, confirmation, messages)
    return _done(ctx, messages, header, order, posted)


def _mass_object(ctx: CallContext, confirmation: Confirmation, items: list[dict[str, Any]],
                 order: Any, messages: Messages) -> tuple[Messages, list[dict[str, Any]]]:
    """Mass-object controlling: no internal order. Tools and expenses go straight to the
    item's profitability segment (`mass_object`); labour becomes CATS records with the
    segment as receiver (CATSDB-PAOBJNR, CAT7 posts them); a part is a goods issue 201 to
    the segment (FI's CO-PA interface: record type B); a sales item is delivered and issued
    (601, cost of goods sold in FI) - CO-PA gets its cost at billing (VPRS, record type F).
    One LUW: everything checked first, then posted."""
    header = confirmation.header
    plan = mass_object.check(ctx, header, items, order, confirmation.budat, messages)
    for row, item in enumerate(items, start=1):
        category = cust.item_category(ctx, item["ITM_TYPE"])
        if category is None or category.KIND not in mass_object.THROUGH_LOGISTICS:
            continue                     # reported by mass_object.check
        paobjnr = "" if category.KIND == cust.SALES else mass_object.segment_for(
            ctx, header, item, order, row, messages)
        if paobjnr or category.KIND == cust.SALES:
            _collect(ctx, confirmation, row, item, "", messages, paobjnr)
    # the item problems of both passes in item order, as one pass over the items answers
    messages.rows.sort(key=lambda r: int(r.get("ROW") or 0) if r.get("PARAMETER") == ITEMS
                       else 0)
    if not messages.failed:
        _check(ctx, confirmation, messages)
    if messages.failed or plan is None:
        return _refused(ctx, messages, order)
    posted = _post(ctx, confirmation, messages)
    if messages.failed:
        return _refused(ctx, messages, order)
    return _done(ctx, messages, header, order, posted + mass_object.post(ctx, plan))


def _own(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]],
         messages: Messages) -> Owner | None:
    """A confirmation without predecessor is its own controlling object (reference/
    controlling.md §9.1): by its transaction type's IAOM_CRMSRV_CTP, single-object gives it
    its internal order(s) on completion, with RA key, settlement rule, plan (the unit cost
    estimate of the confirmed quantities) and the sales document of its items with a value
    (billing); mass-object only the sales document. All in this LUW (`documents`)."""
    own = documents.transfer(ctx, header, items, register=False)
    messages.rows += own.messages.rows
    if own.messages.failed:
        return None
    return Owner(header["PROCESS_TYPE"], own.objects.get("", ""), own.vbeln, own.bukrs,
                 own.kokrs, dict(own.objects), list(own.results))


def _refused(ctx: CallContext, messages: Messages, order: Any
             ) -> tuple[Messages, list[dict[str, Any]]]:
    """Nothing posted: an own order created in this LUW goes too (the LUW is rolled back,
    as BAPI_TRANSACTION_ROLLBACK would; the CRM upload is one call per LUW)."""
    if isinstance(order, Owner) and order.created:
        ctx.rollback()
        messages.rows = [row for row in messages.rows if row["TYPE"] != "S"]  # not created
    return messages, []


def _done(ctx: CallContext, messages: Messages, header: dict[str, Any], order: Any,
          posted: list[dict[str, Any]]) -> tuple[Messages, list[dict[str, Any]]]:
    """Nothing when anything failed; else the confirmation registered (posted once)."""
    if messages.failed:
        return _refused(ctx, messages, order)
    own = isinstance(order, Owner)
    log.register(ctx, header, order.OBJECT_NO, order.VBELN if own else "", order.BUKRS,
                 order.KOKRS)
    messages.add("S", "IAOM_CRMSRV", "118", header["OBJECT_ID"].lstrip("0"),
                 ", ".join(f"{p['DOC_TYPE']} {p['DOC_NO']}" for p in posted)[:50])
    return messages, (order.created if own else []) + posted


def _object(ctx: CallContext, predecessor: str, item: dict[str, Any], order: Any) -> str:
    """The order item's object (item-level controlling), else the order's."""
    if isinstance(order, Owner):
        return order.objects.get(item["NUMBER_INT"]) or order.OBJECT_NO
    found = iaom.lookup(ctx, SCENARIO, business_key(predecessor, item["NUMBER_INT"]))
    return found["OBJECT_NO"] if found is not None else order.OBJECT_NO


def _collect(ctx: CallContext, confirmation: Confirmation, row: int, item: dict[str, Any],
             aufnr: str, messages: Messages, paobjnr: str = "") -> None:
    """The item as a row of its kind's posting, or its problem; the receiver is the order
    `aufnr`, or the profitability segment `paobjnr` under mass-object controlling."""
    category = cust.item_category(ctx, item["ITM_TYPE"])
    if category is None:
        messages.error("IAOM_CRMSRV", "105", item["ITM_TYPE"], item["NUMBER_INT"],
                       parameter=ITEMS, row=row, field="ITM_TYPE")
        return
    text = f"{confirmation.header['OBJECT_ID'].lstrip('0')}/{int(item['NUMBER_INT'])}"
    quantity = Decimal(item["QUANTITY"] or 0)
    if category.KIND == cust.TOOL:
        tool = cust.tool(ctx, item["PRODUCT_ID"])
        if tool is None:
            messages.error("IAOM_CRMSRV", "109", item["PRODUCT_ID"], item["NUMBER_INT"],
                           parameter=ITEMS, row=row, field="PRODUCT_ID")
            return
        confirmation.tools.add(row, {
            "SEND_CCTR": tool.KOSTL, "ACTTYPE": tool.LSTAR, "ACTVTY_QTY": quantity,
            "PERSON_NO": item["EMPLOYEE"], "SEG_TEXT": f"Tool {item['PRODUCT_ID']} {text}",
            "REC_ORDER": aufnr})
    elif category.KIND == cust.SALES:
        sales_items.collect(ctx, confirmation.sales, row, item, confirmation.vbeln, messages)
    elif category.KIND == cust.PART:
        receiver = ({"MOVE_TYPE": "201", "PROFIT_SEGM_NO": paobjnr} if paobjnr
                    else {"MOVE_TYPE": "261", "ORDERID": aufnr})
        confirmation.parts.add(row, {
            "MATERIAL": item["PRODUCT_ID"], "PLANT": item["PLANT"] or category.WERKS,
            "STGE_LOC": item["STGE_LOC"] or category.LGORT, **receiver,
            "ENTRY_QNT": quantity, "ENTRY_UOM": item["UNIT"],
            "ITEM_TEXT": f"{category.TEXT} {text}"[:50]})
    elif category.KIND in (cust.LABOUR, cust.EXPENSE):
        labour.collect(ctx, confirmation, row, item, aufnr, category.KIND, text, messages,
                       paobjnr)


def _check(ctx: CallContext, confirmation: Confirmation, messages: Messages) -> None:
    """Every posting's check, every problem with the confirmation row it belongs to."""
    for posting, function, params in _postings(confirmation, check=True):
        if posting.rows:
            answer = ctx.call(function, **params)
            for problem in errors(answer["RETURN"]):
                messages.extend([{**problem, "PARAMETER": ITEMS}],
                                posting.origin_of(int(problem.get("ROW") or 0)))
    sales_items.check(ctx, confirmation.sales, messages)


def _post(ctx: CallContext, confirmation: Confirmation, messages: Messages
          ) -> list[dict[str, Any]]:
    """The time sheet first (CATS registers nothing when it refuses a record), then what was
    checked; a failure after its check ends the LUW."""
    posted: list[dict[str, Any]] = []
    if confirmation.time_sheet.rows:
        posted += labour.post(ctx, confirmation, messages)
        if messages.failed:
            return []
    for posting, function, params in _postings(confirmation, check=False):
        if not posting.rows:
            continue
        answer = ctx.call(function, **params)
        failed = errors(answer["RETURN"])
        if failed:
            abort(failed[0])
        number = answer.get("DOC_NO") or answer.get("MATERIALDOCUMENT", "")
        posted.append({"NUMBER_INT": "0000000000", "OBJECT_NO": "", "AUFNR": "",
                       "DOC_TYPE": _KINDS[function], "DOC_NO": number})
    return posted + sales_items.post(ctx, confirmation.sales, confirmation.budat)


_KINDS = {"BAPI_ACC_ACTIVITY_ALLOC_POST": "RKL", "BAPI_ACC_PRIMARY_COSTS_POST": "RKU1",
          "BAPI_GOODSMVT_CREATE": "MKPF"}


def _postings(confirmation: Confirmation, check: bool
              ) -> list[tuple[Posting, str, dict[str, Any]]]:
    """(posting, BAPI, its parameters) for tools, expenses and parts."""
    header = confirmation.header
    text = f"Confirmation {header['OBJECT_ID'].lstrip('0')}"
    co_header = {"CO_AREA": confirmation.kokrs, "POSTGDATE": confirmation.budat,
                 "DOCDATE": confirmation.budat, "USERNAME": USER, "DOC_HDR_TX": text,
                 "OBJ_TYPE": "CRMSC", "OBJ_KEY": header["OBJECT_ID"]}
    suffix = "CHECK" if check else "POST"
    return [
        (confirmation.tools, f"BAPI_ACC_ACTIVITY_ALLOC_{suffix}",
         {"DOC_HEADER": co_header, "DOC_ITEMS": confirmation.tools.rows}),
        (confirmation.expenses, f"BAPI_ACC_PRIMARY_COSTS_{suffix}",
         {"DOC_HEADER": {**co_header, "TRANS_CURR": header["CURRENCY"]},
          "DOC_ITEMS": confirmation.expenses.rows}),
        (confirmation.parts, "BAPI_GOODSMVT_CREATE",
         {"GOODSMVT_HEADER": {"PSTNG_DATE": confirmation.budat, "DOC_DATE": confirmation.budat,
                              "PR_UNAME": USER, "HEADER_TXT": text[:25],
                              "REF_DOC_NO": header["OBJECT_ID"]},
          "GOODSMVT_CODE": {"GM_CODE": "03"}, "GOODSMVT_ITEM": confirmation.parts.rows,
          "TESTRUN": "X" if check else ""}),
    ]
