"""Billing (FKKBIX_S single, FKKBIX_M mass): billable items (status 2) become billing documents
(DFKKINVBILL_H/_I) and invoicing orders (DFKKINV_TRIG); the items move to status 4 with the
billing document's number.

Selection: the billable items of a contract account (single) or of all (mass) whose date is
not after the "bill up to" date; a package goes only whole (an item of it dated later holds
the package back). Billing unit (ours, SAP's is configured per billing process): contract
account, partner, subprocess and currency -> one billing document. Billing item: the unit's
items of one contract item, company code, main/subtransaction, item type, service type and
unit, amounts and quantities summed. A billable item without main/subtransaction is billed
as 0100/0020 (ours: the consumption billing pair of public FI-CA examples). Two runs billing
the same item at once: the second one's commit terminates (FKK_CI 049), nothing of it written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, select

from sapgw.erp_stub.fica.bit_tables import BILLABLE, BILLED, BIT_TABLES, KEY, BitFields
from sapgw.erp_stub.fica.customizing import CONVERGENT
from sapgw.erp_stub.fica.invoicing_tables import DFKKINV_TRIG, DFKKINVBILL_H, DFKKINVBILL_I
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import update_terminated

DEFAULT_HVORG, DEFAULT_TVORG = "0100", "0020"
PROVIDER_CONTRACT = "P"   # SUBAP of items with a provider contract reference
UNIT = ("VKONT", "GPART", "SUBPROCESS", "BIT_CURR")
ITEM = ("VTREF", "VTPOS", "BUKRS", "HVORG", "TVORG", "BITTYPE", "SERVICE_TYPE", "RAREL",
        "BIT_QTY_UNIT")


@dataclass(frozen=True)
class BillingDocument:
    billdocno: str
    vkont: str
    amount: Decimal
    currency: str
    bit_number: int


def billable(ctx: CallContext, bitcat: str, vkont: str | None, up_to: str
             ) -> list[dict[str, Any]]:
    """The billable items to bill: dated up to `up_to`, whole packages only."""
    table = BIT_TABLES[bitcat][BILLABLE].__table__  # type: ignore[attr-defined]
    query = select(table)
    if vkont is not None:
        query = query.where(table.c.VKONT == vkont)
    with ctx.read() as conn:
        rows = [dict(row) for row in conn.execute(query.order_by(*table.primary_key.columns))
                .mappings()]
    late = {row["BITPACKUUID"] for row in rows if row["BITDATE"] > up_to}
    return [row for row in rows if row["BITPACKUUID"] not in late]


def bill(ctx: CallContext, bitcat: str, items: list[dict[str, Any]], runno: str, user: str
         ) -> list[BillingDocument]:
    """Register the billing documents of `items` in the caller's LUW."""
    units: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in items:
        units[tuple(row[name] for name in UNIT)].append(row)
    now = ctx.clock.now()
    date, time = now.strftime("%Y%m%d"), now.strftime("%H%M%S")
    documents = []
    for (vkont, gpart, subprocess, currency), rows in units.items():
        billdocno = ctx.numbers.next("FKKINVBILL")
        lines = _items(rows)
        amount = sum((line["BILL_AMOUNT"] for line in lines), Decimal(0))
        ctx.insert(DFKKINVBILL_I, [{**line, "BILLDOCNO": billdocno,
                                    "BILLDOCITEM": f"{number:06d}"}
                                   for number, line in enumerate(lines, start=1)])
        ctx.insert(DFKKINVBILL_H, {
            "BILLDOCNO": billdocno, "APPLK": CONVERGENT, "GPART": gpart, "VKONT": vkont,
            "SRCPROCESS": subprocess, "DATE_FROM": min(line["DATE_FROM"] for line in lines),
            "DATE_TO": max(line["DATE_TO"] for line in lines), "BILL_CURR": currency,
            "BILL_AMOUNT": amount, "BIT_NUMBER": f"{len(rows):010d}", "BILLRUNNO": runno,
            "CRNAME": user, "CRDATE": date, "CRTIME": time})
        ctx.insert(DFKKINV_TRIG, {"BILLDOCNO": billdocno, "VKONT": vkont, "GPART": gpart,
                                  "CRDATE": date})
        for row in rows:
            ctx.task(take_billable(BIT_TABLES[bitcat][BILLABLE], row))
            ctx.insert(BIT_TABLES[bitcat][BILLED], {
                **{name: row[name] for name in BitFields.model_fields},
                "BITSTATUS": BILLED, "BILLDOCNO": billdocno})
        documents.append(BillingDocument(billdocno, vkont, amount, currency, len(rows)))
    return documents


def take_billable(model: Any, row: dict[str, Any]) -> Task:
    """Update task: remove the item from the billable ones; when another run took it first,
    this LUW terminates (FKK_CI 049) and bills nothing."""
    table = model.__table__

    def run(conn: Connection) -> None:
        result = conn.execute(delete(table).where(
            *(table.c[name] == row[name] for name in KEY)))
        if result.rowcount != 1:
            raise update_terminated("FKK_CI", "049", row["SRCTAID"], row["BITPACKCNO"])

    return run


def _items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in rows:
        values = {**row, "HVORG": row["HVORG"] or DEFAULT_HVORG,
                  "TVORG": row["TVORG"] or DEFAULT_TVORG}
        key = tuple(values[name] for name in ITEM)
        start, end = row["BITDATE_FROM"] or row["BITDATE"], row["BITDATE_TO"] or row["BITDATE"]
        line = lines.get(key)
        if line is None:
            lines[key] = {
                "VTREF": row["VTREF"], "VTPOS": row["VTPOS"],
                "SUBAP": PROVIDER_CONTRACT if row["VTREF"] else "", "BUKRS": row["BUKRS"],
                "HVORG": values["HVORG"], "TVORG": values["TVORG"], "BITTYPE": row["BITTYPE"],
                "BILL_AMOUNT": row["BIT_AMOUNT"], "BILL_CURR": row["BIT_CURR"],
                "QUANTITY": row["BIT_QUANTITY"], "QTY_UNIT": row["BIT_QTY_UNIT"],
                "DATE_FROM": start, "DATE_TO": end, "RAREL": row["RAREL"],
                "SERVICE_TYPE": row["SERVICE_TYPE"], "BIT_NUMBER": 1}
            continue
        line["BILL_AMOUNT"] += row["BIT_AMOUNT"]
        line["QUANTITY"] += row["BIT_QUANTITY"]
        line["DATE_FROM"], line["DATE_TO"] = min(line["DATE_FROM"], start), max(
            line["DATE_TO"], end)
        line["BIT_NUMBER"] += 1
    return [{**line, "BIT_NUMBER": f"{line['BIT_NUMBER']:010d}"} for line in lines.values()]
