"""Whether RAR can take a revenue accounting item yet: the checks that keep an item raw
(SAP: unknown company code, currency or reference type, an order item a fulfilment or
invoice belongs to that is not there or not processable), applied to all items of one
source document (HEADER_ID) as one unit: one item that cannot be taken keeps them all raw.
Used by the inbound functions and by FARR_RAI_TRANS (raw -> processable)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sapgw.erp_stub.farr import customizing
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import text
from sapgw.erp_stub.kernel.money import currency_decimals

ORDER, TIME = "CA01", "T"
Reason = tuple[str, tuple[str, ...]]  # message number, variables


def item_reason(ctx: CallContext, item: dict[str, Any], conditions: list[dict[str, Any]],
                order_ok: Callable[[str, str, str], bool]) -> Reason | None:
    """Why the item stays raw, or None when it can be processed."""
    if customizing.company(ctx, item["BUKRS"]) is None:
        return "010", (item["BUKRS"],)
    for currency in {item["WAERS"], *(c["WAERS"] for c in conditions)} - {""}:
        if currency_decimals(ctx, currency) is None:
            return "011", (currency,)
    if item["RAI_CLASS"] == ORDER:
        if customizing.reference_type(ctx, item["RA_REFTYPE"]) is None:
            return "012", (item["RA_REFTYPE"],)
        kind = customizing.pob_type(ctx, item["SERVICE_TYPE"])
        if kind is None:
            return "013", (item["SERVICE_TYPE"],)
        if (kind.FULFILL_TYPE == TIME and not item["END_DATE"]
                and item["X_ESTIMATED_QUAN"] != "X" and not int(kind.DEFAULT_TERM or 0)):
            return "017", (item["SRCDOC_ID"], item["SERVICE_TYPE"])
        for condition in conditions:
            if customizing.condition_role(ctx, condition["CONDITION_TYPE"]) is None:
                return "014", (condition["CONDITION_TYPE"],)
        return None
    if not item["ORIGDOC_ID"] or not order_ok(*origin_of(item)):
        return "015", (item["ORIGDOC_TYPE"], item["ORIGDOC_ID"], item["SRCDOC_ID"])
    return None


def unit_reasons(ctx: CallContext, items: list[dict[str, Any]],
                 conditions: dict[tuple[Any, ...], list[dict[str, Any]]],
                 order_ok: Callable[[str, str, str], bool],
                 blocked_headers: set[tuple[str, str, str]]) -> dict[int, Reason]:
    """Index of each item that stays raw -> its reason; items of a source document with one
    such item, or with raw items stored before (`blocked_headers`), all stay raw."""
    reasons: dict[int, Reason] = {}
    for index, item in enumerate(items):
        found = item_reason(ctx, item, conditions.get(key_of(item), []), order_ok)
        if found is not None:
            reasons[index] = found
    by_header: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_header[header_of(item)].append(index)
    for header, indexes in by_header.items():
        if header in blocked_headers or any(i in reasons for i in indexes):
            for index in indexes:
                reasons.setdefault(index, ("016", (header[2],)))
    return reasons


def key_of(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["SRCDOC_COMP"], item["SRCDOC_LOGSYS"], item["SRCDOC_TYPE"],
            item["SRCDOC_ID"], item["TIMESTAMP_UTC"])


def origin_of(item: dict[str, Any]) -> tuple[str, str, str]:
    """(component, type, ID) of the order item a fulfilment or invoice item belongs to."""
    return item["ORIGDOC_COMP"] or item["SRCDOC_COMP"], item["ORIGDOC_TYPE"], item["ORIGDOC_ID"]


def header_of(item: dict[str, Any]) -> tuple[str, str, str]:
    return item["SRCDOC_COMP"], item["SRCDOC_LOGSYS"], item["HEADER_ID"]


def reason_fields(reason: Reason | None) -> dict[str, str]:
    """MSGID, MSGNO and REASON of a raw item (blank for a processable one)."""
    if reason is None:
        return {"MSGID": "", "MSGNO": "000", "REASON": ""}
    number, variables = reason
    return {"MSGID": "FARR_RAI", "MSGNO": number,
            "REASON": text("FARR_RAI", number, *variables)[:220]}
