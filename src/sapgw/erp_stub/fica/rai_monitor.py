"""FP_RAI_MON over RFC: FKK_RAI_MON (ours) — the revenue accounting transfer records per
source item type and status, with the rows not yet sent.

Selections as FP_RAI_TRANSF has them: source item types (CAOI, CABO, CAFI, CAIN), company
codes, business partners, and "selection to" (records created up to that date; billable
item records dated up to it). Statuses (ours): U not yet sent, S sent (SENTTS filled), and
A for billable items' fulfilment records still waiting to be aggregated into a CAFI item.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.fica.master_data import group
from sapgw.erp_stub.fica.rai_tables import (
    DFKKBIXBIT_RAI,
    DFKKRA_RAI_CO,
    DFKKRA_RAI_MI,
    FULFILMENT,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.rfc.ddic import CHAR, CUKY, DATS, INT4, Elementary, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

UNSENT, SENT, SUPERSEDED, TO_AGGREGATE = "U", "S", "X", "A"
AMOUNT = Elementary("CURR", 15, 2)
FKKRA_MON_SUM = structure(
    "FKKRA_MON_SUM", ("SRCDOC_TYPE", CHAR(4), "Source item type"),
    ("STATUS", CHAR(1), "U not sent, S sent, X superseded, A to aggregate"),
    ("RECORDS", INT4, "Records"))
FKKRA_MON_ITEM = structure(
    "FKKRA_MON_ITEM", ("RAI_ID", CHAR(20), "Transfer record (blank: to aggregate)"),
    ("SRCDOC_TYPE", CHAR(4), "Source item type"), ("SRCDOC_ID", CHAR(35), "Source item"),
    ("SERVICE_TYPE", CHAR(6), "Service type"), ("PARTNER", CHAR(10), "Business partner"),
    ("BUKRS", CHAR(4), "Company code"), ("VTREF", CHAR(20), "Provider contract"),
    ("BETRW", AMOUNT, "Amount"), ("WAERS", CUKY, "Currency"),
    ("CONDITIONS", INT4, "Conditions"), ("CRDATE", DATS, "Created"),
    ("STATUS", CHAR(1), "U not sent, A to aggregate"))
SELECTION = structure("FKKRA_SEL_VALUE", ("LOW", CHAR(10), "Value"))


def _values(rows: list[dict[str, Any]]) -> set[str]:
    return {row["LOW"] for row in rows if row["LOW"]}


def monitor(ctx: CallContext, types: set[str], companies: set[str], partners: set[str],
            up_to: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(summary per type and status, unsent rows) of the records the selections match."""
    mi, co, bit = (t.__table__ for t in (  # type: ignore[attr-defined]
        DFKKRA_RAI_MI, DFKKRA_RAI_CO, DFKKBIXBIT_RAI))
    with ctx.read() as conn:
        mains = [dict(row) for row in conn.execute(select(mi).order_by(mi.c.RAI_ID)).mappings()]
        counts = Counter(row.RAI_ID for row in conn.execute(select(co.c.RAI_ID)))
        waiting = [dict(row) for row in conn.execute(
            select(bit).where(bit.c.RAI_ID == "").order_by(*bit.primary_key.columns))
            .mappings()]

    def selected(kind: str, bukrs: str, partner: str, date: str) -> bool:
        return ((not types or kind in types) and (not companies or bukrs in companies)
                and (not partners or partner in partners) and (not up_to or date <= up_to))

    summary: Counter[tuple[str, str]] = Counter()
    unsent: list[dict[str, Any]] = []
    for row in mains:
        if not selected(row["SRCDOC_TYPE"], row["BUKRS"], row["PARTNER"], row["CRDATE"]):
            continue
        status = (SENT if row["SENTTS"] else SUPERSEDED if row["SUPERSEDED_BY"]
                  else UNSENT)
        summary[(row["SRCDOC_TYPE"], status)] += 1
        if status == UNSENT:
            unsent.append({**{name: row[name] for name in (
                "RAI_ID", "SRCDOC_TYPE", "SRCDOC_ID", "SERVICE_TYPE", "PARTNER", "BUKRS",
                "VTREF", "BETRW", "WAERS", "CRDATE")}, "CONDITIONS": counts[row["RAI_ID"]],
                "STATUS": UNSENT})
    for row in waiting:
        if not selected(FULFILMENT, row["BUKRS"], row["GPART"], row["BITDATE"]):
            continue
        summary[(FULFILMENT, TO_AGGREGATE)] += 1
        unsent.append({"RAI_ID": "", "SRCDOC_TYPE": FULFILMENT,
                       "SRCDOC_ID": f"{row['SRCTAID']}/{row['BITPACKCNO']}",
                       "SERVICE_TYPE": row["SERVICE_TYPE"], "PARTNER": row["GPART"],
                       "BUKRS": row["BUKRS"], "VTREF": row["VTREF"],
                       "BETRW": row["BIT_AMOUNT"], "WAERS": row["BIT_CURR"], "CONDITIONS": 0,
                       "CRDATE": row["CRDATE"], "STATUS": TO_AGGREGATE})
    return ([{"SRCDOC_TYPE": kind, "STATUS": status, "RECORDS": count}
             for (kind, status), count in sorted(summary.items())], unsent)


@group.function(interface("FKK_RAI_MON", [
    importing("SEL_TO", DATS, text="Selection to (blank: no limit)"),
    tables("IT_SRCDOC_TYPE", SELECTION, text="Source item types (blank: all)"),
    tables("IT_BUKRS", SELECTION, text="Company codes (blank: all)"),
    tables("IT_PARTNER", SELECTION, text="Business partners (blank: all)"),
    tables("ET_SUMMARY", FKKRA_MON_SUM, text="Records per type and status"),
    tables("ET_UNSENT", FKKRA_MON_ITEM, text="Records not yet sent"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Revenue accounting transfer records (FP_RAI_MON; ours)"))
def fkk_rai_mon(ctx: CallContext, SEL_TO: str, IT_SRCDOC_TYPE: list[dict[str, Any]],
                IT_BUKRS: list[dict[str, Any]], IT_PARTNER: list[dict[str, Any]],
                ET_SUMMARY: list[dict[str, Any]], ET_UNSENT: list[dict[str, Any]],
                RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    partners = {value.zfill(10) if value.isdigit() else value
                for value in _values(IT_PARTNER)}
    ET_SUMMARY[:], ET_UNSENT[:] = monitor(ctx, _values(IT_SRCDOC_TYPE), _values(IT_BUKRS),
                                          partners, SEL_TO)
    return {"IT_SRCDOC_TYPE": IT_SRCDOC_TYPE, "IT_BUKRS": IT_BUKRS, "IT_PARTNER": IT_PARTNER,
            "ET_SUMMARY": ET_SUMMARY, "ET_UNSENT": ET_UNSENT, "RETURN": RETURN}
