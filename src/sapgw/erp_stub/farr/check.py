"""The consistency check (SAP: FARR_CONTR_CHECK / FARR_CONTR_MON, report
RFARR_PP_CONTRACT_CHECK_START; the RFC FARR_CHECK_CONS is ours). It lists every finding:

- what the sender says it sent (IT_SENT, e.g. FI-CA's DFKKRA_RAI_MI rows with a send
  timestamp) against what RAR stored: missing items, items kept raw with their reason,
  amounts that differ; without IT_SENT, every raw item;
- E1 per contract: the allocation effects sum to zero;
- C01 per contract: the allocated amounts add up to the transaction price;
- E2 per POB: the revenue schedule adds up to the allocated amount (time-based and
  start-date POBs always, event-based ones once fully fulfilled, value-based ones always);
- C13 per POB: the invoice corrections posted equal the invoices up to the last posted
  period.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.farr import checks, reads, schedule
from sapgw.erp_stub.farr.tables import (
    FARR_D_CONTRACT,
    FARR_D_DEFITEM,
    FARR_D_FULFILLMT,
    FARR_D_POB,
    FARR_D_POST_PERIOD,
    FARR_D_RAI_MI,
    RAW,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2, text
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, DEC, Elementary, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("FARR_CHECK")
ZERO = Decimal(0)
SENT = structure(
    "FARR_S_SENT_ITEM",  # ours: one item the sender transferred
    ("SRCDOC_COMP", CHAR(3), "Source component"), ("SRCDOC_LOGSYS", CHAR(10), "Logical system"),
    ("SRCDOC_TYPE", CHAR(4), "Source item type"), ("SRCDOC_ID", CHAR(35), "Source item ID"),
    ("TIMESTAMP_UTC", DEC(15), "Version"), ("BETRW", Elementary("CURR", 15, 2), "Amount"))
FINDING = structure(
    "FARR_S_FINDING",  # ours
    ("CHECK", CHAR(3), "Check (E1, E2, C01, C13, SND, RAW, AMT)"),
    ("CONTRACT_ID", CHAR(14), "Contract"), ("POB_ID", CHAR(16), "Performance obligation"),
    ("SRCDOC_TYPE", CHAR(4), "Source item type"), ("SRCDOC_ID", CHAR(35), "Source item ID"),
    ("MESSAGE", CHAR(220), "Finding"))


def _selected(**options: str) -> dict[str, str]:
    """The selection of IV_BUKRS / IV_CONTRACT_ID: a blank one selects all."""
    return {name: value for name, value in options.items() if value}


def _finding(number: str, check: str, *variables: Any, contract: str = "", pob: str = "",
             kind: str = "", ident: str = "") -> dict[str, Any]:
    return {"CHECK": check, "CONTRACT_ID": contract, "POB_ID": pob, "SRCDOC_TYPE": kind,
            "SRCDOC_ID": ident, "MESSAGE": text("FARR_RAI", number, *variables)[:220]}


def sender_findings(ctx: CallContext, sent: list[dict[str, Any]], bukrs: str
                    ) -> list[dict[str, Any]]:
    stored = {checks.key_of(row): row
              for row in reads.rows(ctx, FARR_D_RAI_MI, **_selected(BUKRS=bukrs))}
    findings = []
    for row in sent:
        item = stored.get(checks.key_of(row))
        where = {"kind": row["SRCDOC_TYPE"], "ident": row["SRCDOC_ID"]}
        if item is None:
            findings.append(_finding("044", "SND", row["SRCDOC_TYPE"], row["SRCDOC_ID"],
                                     **where))
        elif item["BETRW"] != row["BETRW"]:
            findings.append(_finding("046", "AMT", row["SRCDOC_TYPE"], row["SRCDOC_ID"],
                                     row["BETRW"], item["BETRW"], **where))
    for item in stored.values():
        if item["STATUS"] == RAW:
            findings.append(_finding("045", "RAW", item["SRCDOC_TYPE"], item["SRCDOC_ID"],
                                     item["REASON"][:50], kind=item["SRCDOC_TYPE"],
                                     ident=item["SRCDOC_ID"]))
    return findings


def posted_periods(ctx: CallContext, bukrs: str) -> dict[str, str]:
    """The last period posted (YYYYPPP) per company code (blank `bukrs`: every one)."""
    return {row["COMPANY_CODE"]: row["GJAHR"] + row["POPER"]
            for row in reads.rows(ctx, FARR_D_POST_PERIOD, **_selected(COMPANY_CODE=bukrs))}


def contract_findings(ctx: CallContext, contract: dict[str, Any], posted_to: str
                      ) -> list[dict[str, Any]]:
    """E1, C01, E2 and C13 of one contract; C13 up to `posted_to`, the last period its
    company code posted (blank: none yet)."""
    contract_id = contract["CONTRACT_ID"]
    pobs = reads.rows(ctx, FARR_D_POB, CONTRACT_ID=contract_id)
    deferrals: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in reads.rows(ctx, FARR_D_DEFITEM, CONTRACT_ID=contract_id):
        deferrals[row["POB_ID"]].append(row)
    delivered: dict[str, Decimal] = defaultdict(Decimal)
    for row in reads.rows(ctx, FARR_D_FULFILLMT, CONTRACT_ID=contract_id):
        delivered[row["POB_ID"]] += row["REPORTED_QTY"]
    findings = []
    effect = sum((p["ALLOC_AMT"] - p["TRX_PRICE"] for p in pobs), ZERO)
    if effect:
        findings.append(_finding("041", "E1", contract_id, effect, contract=contract_id))
    allocated = sum((p["ALLOC_AMT"] for p in pobs), ZERO)
    if allocated != contract["TRX_PRICE"]:
        findings.append(_finding("043", "C01", contract_id, allocated, contract["TRX_PRICE"],
                                 contract=contract_id))
    for pob in sorted(pobs, key=lambda p: p["POB_ID"]):
        items = deferrals[pob["POB_ID"]]
        total = sum((r["REV_AMT_DELTA"] for r in items), ZERO)
        complete = (pob["FULFILL_TYPE"] == schedule.TIME
                    or pob["EVENT_TYPE"] in (schedule.START_DATE, schedule.VALUE_BASED)
                    or delivered[pob["POB_ID"]] >= pob["QUANTITY"])
        if (total != pob["ALLOC_AMT"] and complete) or abs(total) > abs(pob["ALLOC_AMT"]):
            findings.append(_finding("042", "E2", pob["POB_ID"], total, pob["ALLOC_AMT"],
                                     contract=contract_id, pob=pob["POB_ID"]))
        if posted_to:
            due = sum((r["INV_AMT_DELTA"] for r in items
                       if r["GJAHR"] + r["POPER"] <= posted_to), ZERO)
            posted = sum((r["INV_AMT_POSTED"] for r in items), ZERO)
            if due != posted:
                findings.append(_finding("047", "C13", pob["POB_ID"], posted, due,
                                         contract=contract_id, pob=pob["POB_ID"]))
    return findings


@group.function(interface("FARR_CHECK_CONS", [
    importing("IV_BUKRS", CHAR(4), text="Company code (blank: all)"),
    importing("IV_CONTRACT_ID", CHAR(14), text="One contract (blank: all)"),
    tables("IT_SENT", SENT, text="Items the sender transferred (blank: raw items only)"),
    tables("ET_FINDINGS", FINDING, text="Every finding"),
    tables("ET_RETURN", BAPIRET2, text="Return messages"),
], text="Consistency check of revenue accounting (FARR_CONTR_CHECK-like; ours)"))
def farr_check_cons(ctx: CallContext, IV_BUKRS: str, IV_CONTRACT_ID: str,
                    IT_SENT: list[dict[str, Any]], ET_FINDINGS: list[dict[str, Any]],
                    ET_RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    contracts = reads.rows(ctx, FARR_D_CONTRACT,
                           **_selected(COMPANY_CODE=IV_BUKRS, CONTRACT_ID=IV_CONTRACT_ID))
    if IV_CONTRACT_ID and not contracts:
        ET_RETURN[:] = [bapiret2("E", "FARR_RAI", "048", IV_CONTRACT_ID,
                                 parameter="IV_CONTRACT_ID")]
        return {"IT_SENT": IT_SENT, "ET_FINDINGS": [], "ET_RETURN": ET_RETURN}
    findings = [] if IV_CONTRACT_ID else sender_findings(ctx, IT_SENT, IV_BUKRS)
    posted = posted_periods(ctx, IV_BUKRS)
    for contract in sorted(contracts, key=lambda c: c["CONTRACT_ID"]):
        findings += contract_findings(ctx, contract, posted.get(contract["COMPANY_CODE"], ""))
    ET_FINDINGS[:] = findings
    ET_RETURN[:] = [bapiret2("W" if findings else "S", "FARR_RAI", "040", len(findings),
                             len(contracts))]
    return {"IT_SENT": IT_SENT, "ET_FINDINGS": ET_FINDINGS, "ET_RETURN": ET_RETURN}
