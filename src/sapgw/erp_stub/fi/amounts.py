"""CURRENCYAMOUNT: the amounts of the line items, checked and balanced.

Each row names a line item (ITEMNO_ACC) and a currency type: blank/00 the document currency,
10 the company code currency. Our rule for the company code currency: when the document
currency is the company code currency, DMBTR = WRBTR unless a type 10 row says otherwise;
when it is a foreign currency, every line needs a type 10 row (no exchange rate tables here),
and a line without one is an error (RW 904). Amounts are rounded half-up at the currency's
decimals before anything is checked, so a document balances on the values it stores.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.fi.model import CURRENCYAMOUNT, Document, Messages
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount

DOCUMENT_CURRENCY, LOCAL_CURRENCY = "00", "10"
MAX_INTEGER_DIGITS = 11  # BSEG-WRBTR/DMBTR are CURR 13.2


def apply_amounts(ctx: CallContext, doc: Document, rows: list[dict[str, Any]],
                  messages: Messages) -> None:
    """Give every line of `doc` its WRBTR/DMBTR from `rows`; report what does not fit."""
    if not rows:
        messages.error("RW", "003", parameter=CURRENCYAMOUNT)
        return
    lines = {line.itemno: line for line in doc.lines}
    decimals: dict[str, int | None] = {}  # TCURC/TCURX read once per currency, not per row
    local: dict[str, tuple[Decimal, int]] = {}
    seen: set[tuple[str, str]] = set()
    for row_no, row in enumerate(rows, start=1):
        itemno, curr_type = row["ITEMNO_ACC"], row["CURR_TYPE"] or DOCUMENT_CURRENCY
        where: dict[str, Any] = {"parameter": CURRENCYAMOUNT, "row": row_no}
        if curr_type not in (DOCUMENT_CURRENCY, LOCAL_CURRENCY):
            messages.error("RW", "906", curr_type, **where, field="CURR_TYPE")
            continue
        if (itemno, curr_type) in seen:
            messages.error("RW", "018", itemno, **where, field="ITEMNO_ACC")
            continue
        seen.add((itemno, curr_type))
        line = lines.get(itemno)
        if line is None:
            messages.error("RW", "616", itemno, **where, field="ITEMNO_ACC")
            continue
        amount = _amount(ctx, row, where, messages, decimals)
        if amount is None:
            continue
        currency = row["CURRENCY"] or row["CURRENCY_ISO"]
        if curr_type == LOCAL_CURRENCY:
            if doc.hwaer and currency != doc.hwaer:
                messages.error("F5", "705", currency, itemno, **where, field="CURRENCY")
            else:
                local[itemno] = (amount, row_no)
        elif doc.waers and currency != doc.waers:
            messages.error("F5", "705", currency, itemno, **where, field="CURRENCY")
        else:
            doc.waers = currency
            line.wrbtr = amount
    _local_amounts(doc, local, messages)
    _balance(doc, local, messages)


def _amount(ctx: CallContext, row: dict[str, Any], where: dict[str, Any], messages: Messages,
            known: dict[str, int | None]) -> Decimal | None:
    """The row's amount rounded at its currency, or None after reporting why not; `known`
    holds the decimals of the currencies the document named so far."""
    currency = row["CURRENCY"] or row["CURRENCY_ISO"]
    if not currency:
        messages.required("CURRENCY", CURRENCYAMOUNT, where["row"])
        return None
    if currency in known:
        decimals = known[currency]
    else:
        decimals = known[currency] = currency_decimals(ctx, currency)
    if decimals is None:
        messages.error("RW", "903", currency, **where, field="CURRENCY")
        return None
    amount = round_amount(row["AMT_DOCCUR"], decimals)
    if amount == 0:
        messages.error("F5", "706", row["ITEMNO_ACC"], **where, field="AMT_DOCCUR")
        return None
    if amount.adjusted() >= MAX_INTEGER_DIGITS:
        messages.error("F5", "702", amount, row["ITEMNO_ACC"], **where, field="AMT_DOCCUR")
        return None
    return amount


def _local_amounts(doc: Document, local: dict[str, tuple[Decimal, int]],
                   messages: Messages) -> None:
    for line in doc.lines:
        where: dict[str, Any] = {"parameter": line.parameter, "row": line.row,
                                 "field": "ITEMNO_ACC"}
        if line.wrbtr is None:
            messages.error("RW", "021", line.itemno, **where)
            continue
        if line.itemno in local:
            amount, row_no = local[line.itemno]
            if (amount > 0) != (line.wrbtr > 0):
                messages.error("F5", "702", amount, line.itemno, parameter=CURRENCYAMOUNT,
                               row=row_no, field="AMT_DOCCUR")
            else:
                line.dmbtr = amount
        elif doc.waers == doc.hwaer:
            line.dmbtr = line.wrbtr
        elif doc.hwaer:
            messages.error("RW", "904", line.itemno, doc.hwaer, **where)


def _balance(doc: Document, local: dict[str, tuple[Decimal, int]], messages: Messages) -> None:
    """RW 022 per currency type: debits (+) and credits (-) must cancel out."""
    if not doc.lines or any(line.wrbtr is None for line in doc.lines):
        return
    balance = sum((line.wrbtr for line in doc.lines if line.wrbtr is not None), Decimal(0))
    if balance != 0:
        messages.error("RW", "022", balance, doc.waers, DOCUMENT_CURRENCY,
                       parameter=CURRENCYAMOUNT, field="AMT_DOCCUR")
    if local and all(line.dmbtr is not None for line in doc.lines):
        balance = sum((line.dmbtr for line in doc.lines if line.dmbtr is not None), Decimal(0))
        if balance != 0:
            messages.error("RW", "022", balance, doc.hwaer, LOCAL_CURRENCY,
                           parameter=CURRENCYAMOUNT, field="AMT_DOCCUR")
