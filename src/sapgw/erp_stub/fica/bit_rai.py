"""Revenue accounting transfer records of billable items, written when an item becomes
billable (status 2) and is relevant (RAREL X).

- A one-off charge (service type of category O, posting area 8172): an order item
  (DFKKRA_RAI_MI, source item type CABO, ours) with its transaction price condition, and the
  item's DFKKBIXBIT_RAI record naming it.
- Rated consumption (category U, posting area 8122): a DFKKBIXBIT_RAI record only; FP_RAI_TRANSF
  aggregates these into fulfilment items (CAFI). Aggregation key (ours, documented): company
  code, contract account, provider contract item, service type, currency, unit, date.
- Recurring charges (category R) give none: the contract item's order item covers them.

The one-off order item goes through event 8205 before it is saved (bits.py: simulation, then
for real), as a contract's order items do. Both carry the contract item's order item as
origin (ORIGDOC_TYPE CAOI, ORIGDOC_ID <contract>/<item>) and its reference type and ID, so
that RAR puts them into its contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.fica import contracts
from sapgw.erp_stub.fica.customizing import (
    ONE_OFF,
    USAGE,
    RaSettings,
    ServiceType,
    ra_settings,
    service_type,
)
from sapgw.erp_stub.fica.order_items import DEFAULT_REFTYPE, Records, add_main_condition, write
from sapgw.erp_stub.fica.rai_tables import CONTRACT_ITEM, DFKKBIXBIT_RAI, FULFILMENT
from sapgw.erp_stub.fica.rai_tables import ONE_OFF as ONE_OFF_ITEM
from sapgw.erp_stub.kernel.context import CallContext


def one_off(ctx: CallContext, row: dict[str, Any]) -> Records | None:
    """The order item (CABO) of a one-off charge about to be stored billable, with its price
    condition (provisional RAI_ID $1), or None when the item gives none."""
    settings, kind = _relevant(ctx, row)
    if kind is None or kind.category != ONE_OFF:
        return None
    reftype, refid, origin = _reference(ctx, row)
    srcdoc = f"{row['SRCTAID']}/{row['BITPACKCNO']}"
    stamp = Decimal(ctx.clock.now().strftime("%Y%m%d%H%M%S"))
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
        "QUANTITY": row.get("BIT_QUANTITY") or Decimal(1),
        "QUANTITY_UNIT": row.get("BIT_QTY_UNIT") or "", "START_DATE": row["BITDATE"],
        "END_DATE": row["BITDATE"], "EFFECTIVE_DATE": row["BITDATE"],
        "RA_REFTYPE": reftype, "RA_REFID": refid, "CHRSN": ""})
    add_main_condition(records, "$1", kind)
    return records


def record(ctx: CallContext, row: dict[str, Any], order_item: Records | None = None) -> None:
    """Register the transfer records of a billable item just stored billable; a one-off
    charge's order item as `one_off` built it and event 8205 enriched it (bits.py)."""
    kind = _relevant(ctx, row)[1]
    if kind is None:
        return
    reftype, refid, origin = _reference(ctx, row)
    now = ctx.clock.now()
    rai_id = ""
    if kind.category == ONE_OFF:
        [rai_id] = write(ctx, order_item or one_off(ctx, row) or Records())
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


def _relevant(ctx: CallContext, row: dict[str, Any]) -> tuple[RaSettings, ServiceType | None]:
    """The RA settings and the item's service type when it gives transfer records (relevant,
    integration active, one-off or usage), else None."""
    settings = ra_settings(ctx)
    if row.get("RAREL") != "X" or not settings.active:
        return settings, None
    kind = service_type(ctx, row["SERVICE_TYPE"])
    return settings, kind if kind is not None and kind.category in (ONE_OFF, USAGE) else None


def _reference(ctx: CallContext, row: dict[str, Any]) -> tuple[str, str, str]:
    """(reference type, reference ID, origin order item) from the contract item."""
    if not row["VTREF"]:
        return DEFAULT_REFTYPE, row["VKONT"], ""
    item = contracts.current_item(ctx, row["VTREF"], row["VTPOS"]) or {}
    return (item.get("RA_REFTYPE") or DEFAULT_REFTYPE, item.get("RA_REFID") or row["VTREF"],
            f"{row['VTREF']}/{row['VTPOS']}")
