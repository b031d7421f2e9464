"""Aggregation of billable items' revenue accounting records into fulfilment items (CAFI,
ours), FP_RAI_TRANSF's step for fulfilment items (transfer.py); FKK_RAI_AGGREGATE (ours) runs
it alone.

The DFKKBIXBIT_RAI records of rated consumption not yet aggregated (RAI_ID blank) are summed
per aggregation key (ours, SAP publishes none): company code, contract account, provider
contract item, service type, currency, unit, date of the billable item, reference ID and
reversal. Each aggregate becomes one main item (SRCDOC_ID = its own RAI_ID, EVENT_DATE = the
date, QUANTITY and BETRW summed, origin = the contract item's order item) with a condition of
the service type's condition type for the amount; its records get its RAI_ID. Event 8205 is
called on the items before they are saved (simulation, then for real; IS_VT_CHANGES empty),
as on a contract's order items; when it fails nothing is aggregated (FKK_CI 050-054). Two
runs at once never aggregate a record twice: the later commit terminates (FKK_CI 059).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update

from sapgw.erp_stub.fica import event_8205
from sapgw.erp_stub.fica.customizing import ra_settings, service_type
from sapgw.erp_stub.fica.master_data import group
from sapgw.erp_stub.fica.order_items import Records, add_main_condition, write
from sapgw.erp_stub.fica.rai_monitor import SELECTION
from sapgw.erp_stub.fica.rai_tables import (
    DFKKBIXBIT_RAI,
    FULFILMENT,
)
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import update_terminated
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.rfc.ddic import CHAR, CUKY, DATS, INT4, NUMC, Elementary, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

AGGREGATION_KEY = ("BUKRS", "VKONT", "VTREF", "VTPOS", "SERVICE_TYPE", "BIT_CURR",
                   "BIT_QTY_UNIT", "BITDATE", "RA_REFID", "REVERSAL")
RECORD_KEY = ("SRCTATYPE", "SRCTAID", "BITPACKUUID", "BITPACKCNO", "UUID")
FKKRA_AGGREGATE = structure(
    "FKKRA_AGGREGATE", ("RAI_ID", CHAR(20), "Fulfilment item"),
    ("VTREF", CHAR(20), "Provider contract"), ("VTPOS", NUMC(6), "Contract item"),
    ("SERVICE_TYPE", CHAR(6), "Service type"), ("EVENT_DATE", DATS, "Date"),
    ("QUANTITY", Elementary("QUAN", 18, 6), "Quantity"),
    ("BETRW", Elementary("CURR", 15, 2), "Amount"), ("WAERS", CUKY, "Currency"),
    ("RECORDS", INT4, "Billable item records"))


def waiting(ctx: CallContext, companies: set[str], partners: set[str], up_to: str
            ) -> list[dict[str, Any]]:
    """Records of rated consumption not yet aggregated, dated up to `up_to` (blank: all)."""
    table = DFKKBIXBIT_RAI.__table__  # type: ignore[attr-defined]
    query = select(table).where(table.c.RAI_ID == "", table.c.SRCDOC_TYPE == FULFILMENT)
    with ctx.read() as conn:
        rows = [dict(row) for row in conn.execute(
            query.order_by(*table.primary_key.columns)).mappings()]
    return [row for row in rows if (not companies or row["BUKRS"] in companies)
            and (not partners or row["GPART"] in partners)
            and (not up_to or row["BITDATE"] <= up_to)]


def aggregate(ctx: CallContext, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Register a fulfilment item per aggregate in the caller's LUW; the aggregates.

    Event 8205 sees the items before they are saved (simulation, then for real), as it sees
    a contract's order items; its EventError leaves the LUW for the caller to roll back.
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in records:
        groups[tuple(row[name] for name in AGGREGATION_KEY)].append(row)
    settings = ra_settings(ctx)
    stamp = Decimal(ctx.clock.now().strftime("%Y%m%d%H%M%S"))
    items = Records()
    for rows in groups.values():
        _item(ctx, items, rows, settings.source_component, stamp)
    if not items:
        return []
    items = event_8205.before_save(ctx, items)
    rai_ids = write(ctx, items, own_id=True)
    done = []
    for rai_id, item, rows in zip(rai_ids, items.mi, groups.values(), strict=True):
        for row in rows:
            ctx.task(assign(row, rai_id))
        done.append({"RAI_ID": rai_id, "VTREF": item["VTREF"], "VTPOS": item["VTPOS"],
                     "SERVICE_TYPE": item["SERVICE_TYPE"], "EVENT_DATE": item["EVENT_DATE"],
                     "QUANTITY": item["QUANTITY"], "BETRW": item["BETRW"],
                     "WAERS": item["WAERS"], "RECORDS": len(rows)})
    return done


def _item(ctx: CallContext, items: Records, rows: list[dict[str, Any]], component: str,
          stamp: Decimal) -> None:
    """The fulfilment item of one aggregate (provisional RAI_ID $n, its own SRCDOC_ID)."""
    first, rai_id = rows[0], f"${len(items.mi) + 1}"
    amount = sum((row["BIT_AMOUNT"] for row in rows), Decimal(0))
    quantity = sum((row["BIT_QUANTITY"] for row in rows), Decimal(0))
    kind = service_type(ctx, first["SERVICE_TYPE"])
    items.mi.append({
        "RAI_ID": rai_id, "SRCDOC_COMP": component, "SRCDOC_LOGSYS": ctx.logical_system,
        "SRCDOC_TYPE": FULFILMENT, "SRCDOC_ID": "", "TIMESTAMP_UTC": stamp,
        "HEADER_ID": header_of(first), "ITEM_ID": first["VTPOS"],
        "ORIGDOC_TYPE": first["ORIGDOC_TYPE"], "ORIGDOC_ID": first["ORIGDOC_ID"],
        "SERVICE_TYPE": first["SERVICE_TYPE"], "CHIND": "", "X_ESTIMATED_QUAN": "",
        "REVERSAL": first["REVERSAL"],
        "PARTNER": first["GPART"], "VKONT": first["VKONT"], "VTREF": first["VTREF"],
        "VTPOS": first["VTPOS"], "SUBAP": first["SUBAP"], "BUKRS": first["BUKRS"],
        "BETRW": amount, "WAERS": first["BIT_CURR"], "QUANTITY": quantity,
        "QUANTITY_UNIT": first["BIT_QTY_UNIT"], "EVENT_DATE": first["BITDATE"],
        "RA_REFTYPE": first["RA_REFTYPE"], "RA_REFID": first["RA_REFID"], "CHRSN": ""})
    if kind is not None and kind.condition_type:
        add_main_condition(items, rai_id, kind)


def header_of(record: dict[str, Any]) -> str:
    """The source document of a fulfilment item: its provider contract, else its account."""
    return str(record["VTREF"] or record["VKONT"])


def assign(row: dict[str, Any], rai_id: str) -> Task:
    """Update task: the record gets its fulfilment item, unless another run gave it one."""
    table = DFKKBIXBIT_RAI.__table__  # type: ignore[attr-defined]

    def run(conn: Connection) -> None:
        result = conn.execute(update(table).where(
            *(table.c[name] == row[name] for name in RECORD_KEY), table.c.RAI_ID == "")
            .values(RAI_ID=rai_id))
        if result.rowcount != 1:
            raise update_terminated("FKK_CI", "059", row["SRCTAID"], row["BITPACKCNO"])

    return run


@group.function(interface("FKK_RAI_AGGREGATE", [
    importing("SEL_TO", DATS, text="Billable items dated up to (blank: all)"),
    tables("IT_BUKRS", SELECTION, text="Company codes (blank: all)"),
    tables("IT_PARTNER", SELECTION, text="Business partners (blank: all)"),
    tables("ET_AGGREGATES", FKKRA_AGGREGATE, text="Fulfilment items created"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Aggregate billable items into fulfilment items (FP_RAI_TRANSF level 2; ours)"))
def fkk_rai_aggregate(ctx: CallContext, SEL_TO: str, IT_BUKRS: list[dict[str, Any]],
                      IT_PARTNER: list[dict[str, Any]], ET_AGGREGATES: list[dict[str, Any]],
                      RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx)
    partners = {row["LOW"].zfill(10) if row["LOW"].isdigit() else row["LOW"]
                for row in IT_PARTNER if row["LOW"]}
    records = waiting(ctx, {row["LOW"] for row in IT_BUKRS if row["LOW"]}, partners, SEL_TO)
    try:
        ET_AGGREGATES[:] = aggregate(ctx, records)
    except (NumberRangeError, event_8205.EventError) as error:
        ctx.rollback()
        if isinstance(error, NumberRangeError):
            problems.number_range(error)
        else:
            problems.error("FKK_CI", error.number, *error.variables)
        RETURN[:] = problems.rows
        return {"IT_BUKRS": IT_BUKRS, "IT_PARTNER": IT_PARTNER, "ET_AGGREGATES": [],
                "RETURN": RETURN}
    if ET_AGGREGATES:
        ctx.commit()
    RETURN[:] = [problems.success("FKK_CI", "060", len(ET_AGGREGATES), len(records))]
    return {"IT_BUKRS": IT_BUKRS, "IT_PARTNER": IT_PARTNER, "ET_AGGREGATES": ET_AGGREGATES,
            "RETURN": RETURN}
