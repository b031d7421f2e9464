"""Revenue accounting transfer records of billable items, written when an item becomes
billable (status 2) and is relevant (RAREL X).

- A one-off charge (service type of category O, posting area 8172): an order item
  (DFKKRA_RAI_MI, source item type CABO, ours) with its transaction price condition, and the
  item's DFKKBIXBIT_RAI record naming it.
- Rated consumption (category U, posting area 8122): a DFKKBIXBIT_RAI record only; FP_RAI_TRANSF
  aggregates these into fulfilment items (CAFI). Aggregation key (ours, documented): company
  code, contract account, provider contract item, service type, currency, unit, date.
- Recurring charges (category R) give none: the contract item's order item covers them.

Both carry the contract item's order item as origin (ORIGDOC_TYPE CAOI, ORIGDOC_ID
<contract>/<item>) and its reference type and ID, so that RAR puts them into its contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.fica import contracts
from sapgw.erp_stub.fica.customizing import ONE_OFF, USAGE, ra_settings, service_type
from sapgw.erp_stub.fica.order_items import DEFAULT_REFTYPE, Records, add_condition, write
from sapgw.erp_stub.fica.rai_tables import CONTRACT_ITEM, DFKKBIXBIT_RAI, FULFILMENT
from sapgw.erp_stub.fica.rai_tables import ONE_OFF as ONE_OFF_ITEM
from sapgw.erp_stub.kernel.context import CallContext


def record(ctx: CallContext, row: dict[str, Any]) -> None:
    """Register the transfer records of a billable item just stored billable."""
    if row.get("RAREL") != "X":
        return
    settings = ra_settings(ctx)
    kind = service_type(ctx, row["SERVICE_TYPE"])
    if not settings.active or kind is None or kind.category not in (ONE_OFF, USAGE):
        return
    reftype, refid, origin = _reference(ctx, row)
    now = ctx.clock.now()
    rai_id = ""
    if kind.category == ONE_OFF:
        srcdoc = f"{row['SRCTAID']}/{row['BITPACKCNO']}"
        stamp = Decimal(now.strftime("%Y%m%d%H%M%S"))
        records = Records()
        records.mi.append({
            "RAI_ID": "$1", "SRCDOC_COMP": settings.source_component,
            "SRCDOC_LOGSYS": ctx.logical_system, "SRCDOC_TYPE": ONE_OFF_ITEM,
            "SRCDOC_ID": srcdoc, "TIMESTAMP_UTC": stamp, "HEADER_ID": row["SRCTAID"][:20],
            "ITEM_ID": row["BITPACKCNO"], "ORIGDOC_TYPE": CONTRACT_ITEM if origin else "",
            "ORIGDOC_ID": origin, "SERVICE_TYPE": kind.code, "CHIND": "",
            "X_ESTIMATED_QUAN": "", "PARTNER": row["GPART"], "VKONT": row["VKONT"],
            "VTREF": row["VTREF"], "VTPOS": row["VTPOS"], "SUBAP": "P" if origin else "",
            "BUKRS": row["BUKRS"], "BETRW": row["BIT_AMOUNT"], "WAERS": row["BIT_CURR"],
            "QUANTITY": row["BIT_QUANTITY"] or Decimal(1),
            "QUANTITY_UNIT": row["BIT_QTY_UNIT"], "START_DATE": row["BITDATE"],
            "END_DATE": row["BITDATE"], "EFFECTIVE_DATE": row["BITDATE"],
            "RA_REFTYPE": reftype, "RA_REFID": refid, "CHRSN": ""})
        add_condition(records, "$1", {
            "SRCDOC_TYPE": ONE_OFF_ITEM, "SRCDOC_ID": srcdoc, "TIMESTAMP_UTC": stamp,
            "SERVICE_TYPE": kind.code, "CONDITION_TYPE": kind.condition_type,
            "BETRW": row["BIT_AMOUNT"], "WAERS": row["BIT_CURR"], "MAIN_COND_TYPE": "X",
            "STATISTIC": "", "CHIND": ""})
        [rai_id] = write(ctx, records)
    ctx.insert(DFKKBIXBIT_RAI, {
        **{name: row[name] for name in ("SRCTATYPE", "SRCTAID", "BITPACKUUID", "BITPACKCNO",
                                        "BITCAT", "BUKRS", "GPART", "VKONT", "VTREF",
                                        "VTPOS", "BIT_QUANTITY", "BIT_QTY_UNIT",
                                        "BIT_AMOUNT", "BIT_CURR", "BITDATE", "BITTIME")},
        "UUID": "1", "RAI_ID": rai_id,
        "SRCDOC_TYPE": ONE_OFF_ITEM if kind.category == ONE_OFF else FULFILMENT,
        "SERVICE_TYPE": kind.code, "SUBAP": "P" if origin else "",
        "ORIGDOC_TYPE": CONTRACT_ITEM if origin else "", "ORIGDOC_ID": origin,
        "RA_REFTYPE": reftype, "RA_REFID": refid, "REVERSAL": "",
        "CRDATE": now.strftime("%Y%m%d"), "CRTIME": now.strftime("%H%M%S")})


def _reference(ctx: CallContext, row: dict[str, Any]) -> tuple[str, str, str]:
    """(reference type, reference ID, origin order item) from the contract item."""
    if not row["VTREF"]:
        return DEFAULT_REFTYPE, row["VKONT"], ""
    item = contracts.current_item(ctx, row["VTREF"], row["VTPOS"]) or {}
    return (item.get("RA_REFTYPE") or DEFAULT_REFTYPE, item.get("RA_REFID") or row["VTREF"],
            f"{row['VTREF']}/{row['VTPOS']}")
