"""The revenue posting run of one period (SAP: FARR_REV_POST, program FARR_REVENUE_POSTING;
the RFC FARR_REVENUE_POSTING is ours), which also does what FARR_REV_TRANSFER and
FARR_LIABILITY_CALC do in SAP: the revenue of the period and the contract balance.

Periods of a company code are posted in order (the first run may start anywhere; a run may
repeat the last posted period, its reconciliation key counter goes up). Per contract with
something to post, one reconciliation key YYYYPPP + counter (FARR_D_RECON_KEY) and its lines
in FARR_D_POSTING (the journal model is ours, fica_rar.md §7.2):
- per POB: RV revenue (credit) against UR unbilled receivable (debit), amount = revenue of
  the schedule up to this period minus revenue posted before (so a retrospective change's
  catch-up is in it: REV_AMT_CATCHUP on the period's deferral item);
- per POB: IC invoice correction (debit the invoice's revenue) against DR deferred revenue
  (credit), amount = invoiced up to this period minus invoice corrections posted before;
- per contract: DR and UR cleared against the contract position, NET = revenue posted minus
  invoiced so far: a contract asset CA when positive, a contract liability CL when negative,
  never netted across contracts; the previous position is reversed and the new one posted.
Every line's debits equal its credits per contract and run.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.farr import reads
from sapgw.erp_stub.farr.customizing import company
from sapgw.erp_stub.farr.tables import (
    FARR_D_CONTRACT,
    FARR_D_DEFITEM,
    FARR_D_POB,
    FARR_D_POST_PERIOD,
    FARR_D_POSTING,
    FARR_D_RECON_KEY,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, CUKY, NUMC, Elementary, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("FARR_POST")
ZERO = Decimal(0)
POSTING = structure(
    "FARR_S_POSTING",  # ours: the lines of FARR_D_POSTING a run wrote
    ("RECON_KEY", CHAR(14), "Reconciliation key"), ("CONTRACT_ID", CHAR(14), "Contract"),
    ("POB_ID", CHAR(16), "Performance obligation"), ("POST_CAT", CHAR(2), "Posting category"),
    ("SHKZG", CHAR(1), "Debit/credit"), ("BETRW", Elementary("CURR", 15, 2), "Amount"),
    ("WAERS", CUKY, "Currency"), ("GJAHR", NUMC(4), "Year"), ("POPER", NUMC(3), "Period"))


def _next(period: str) -> str:
    year, month = int(period[:4]), int(period[4:])
    return f"{year + 1:04d}001" if month == 12 else f"{year:04d}{month + 1:03d}"


def _line(lines: list[dict[str, Any]], base: dict[str, Any], pob: str, cat: str, side: str,
          amount: Decimal) -> None:
    """A line, flipped to the other side when negative; nothing for zero."""
    if not amount:
        return
    if amount < 0:
        side, amount = ("H" if side == "S" else "S"), -amount
    lines.append({**base, "POB_ID": pob, "POST_CAT": cat, "SHKZG": side, "BETRW": amount})


def post_contract(ctx: CallContext, contract: dict[str, Any], period: str, run: str,
                  test: bool) -> list[dict[str, Any]]:
    """The lines of one contract for `period` (registered in the LUW unless `test`)."""
    contract_id = contract["CONTRACT_ID"]
    rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in reads.rows(ctx, FARR_D_DEFITEM, CONTRACT_ID=contract_id):
        rows[row["POB_ID"]][row["GJAHR"] + row["POPER"]] = row
    keys = reads.rows(ctx, FARR_D_RECON_KEY, CONTRACT_ID=contract_id)
    previous = max(keys, key=lambda k: k["RECON_KEY"])["NET_POSITION"] if keys else ZERO
    recon_key = f"{period}{sum(1 for k in keys if k['RECON_KEY'].startswith(period)) + 1:03d}"
    base = {"RECON_KEY": recon_key, "CONTRACT_ID": contract_id,
            "COMPANY_CODE": contract["COMPANY_CODE"],
            "ACCT_PRINCIPLE": contract["ACCT_PRINCIPLE"], "GJAHR": period[:4],
            "POPER": period[4:], "WAERS": contract["TRX_PRICE_CURK"], "RUNID": run}
    lines: list[dict[str, Any]] = []
    revenue = invoiced = ZERO
    updates = []
    pobs = reads.rows(ctx, FARR_D_POB, CONTRACT_ID=contract_id)
    for pob in sorted(pobs, key=lambda p: p["POB_ID"]):
        items = rows[pob["POB_ID"]]
        posted = sum((r["REV_AMT_POSTED"] for r in items.values()), ZERO)
        rv = sum((r["REV_AMT_DELTA"] for p, r in items.items() if p <= period), ZERO) - posted
        catchup = sum((r["REV_AMT_DELTA"] for p, r in items.items() if p < period), ZERO) - posted
        ic = (sum((r["INV_AMT_DELTA"] for p, r in items.items() if p <= period), ZERO)
              - sum((r["INV_AMT_POSTED"] for r in items.values()), ZERO))
        _line(lines, base, pob["POB_ID"], "RV", "H", rv)
        _line(lines, base, pob["POB_ID"], "UR", "S", rv)
        _line(lines, base, pob["POB_ID"], "IC", "S", ic)
        _line(lines, base, pob["POB_ID"], "DR", "H", ic)
        revenue, invoiced = revenue + rv, invoiced + ic
        if rv or ic or catchup:
            updates.append((pob, items.get(period), rv, catchup, ic))
    net = previous + revenue - invoiced
    if not lines and net == previous:
        return []
    _line(lines, base, "", "DR", "S", invoiced)
    _line(lines, base, "", "UR", "H", revenue)
    _line(lines, base, "", "CA" if previous >= 0 else "CL", "H", previous)
    _line(lines, base, "", "CA" if net >= 0 else "CL", "S", net)
    lines = _merge(lines)
    if test:
        return lines
    ctx.insert(FARR_D_POSTING, lines)
    ctx.insert(FARR_D_RECON_KEY, {
        "CONTRACT_ID": contract_id, "RECON_KEY": recon_key,
        "COMPANY_CODE": contract["COMPANY_CODE"], "ACCT_PRINCIPLE": contract["ACCT_PRINCIPLE"],
        "GJAHR": period[:4], "POPER": period[4:], "STATUS": "C",
        "LIAB_ASSET_FLAG": "CA" if net > 0 else "CL" if net < 0 else "", "NET_POSITION": net,
        "RUNID": run})
    for pob, row, rv, catchup, ic in updates:
        key = {"POB_ID": pob["POB_ID"], "GJAHR": period[:4], "POPER": period[4:]}
        if row is None:
            ctx.insert(FARR_D_DEFITEM, {
                **key, "CONTRACT_ID": contract_id, "REV_AMT_DELTA": ZERO, "REV_QTY_DELTA": ZERO,
                "INV_AMT_DELTA": ZERO, "REV_AMT_CATCHUP": catchup, "REV_AMT_POSTED": rv,
                "INV_AMT_POSTED": ic, "AMOUNT_CURK": contract["TRX_PRICE_CURK"],
                "RECON_KEY": recon_key})
        else:
            ctx.update(FARR_D_DEFITEM, key, {
                "REV_AMT_CATCHUP": row["REV_AMT_CATCHUP"] + catchup,
                "REV_AMT_POSTED": row["REV_AMT_POSTED"] + rv,
                "INV_AMT_POSTED": row["INV_AMT_POSTED"] + ic, "RECON_KEY": recon_key})
    return lines


def _merge(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines of the same key added up (a contract's CA reversed and posted again)."""
    merged: dict[tuple[str, ...], dict[str, Any]] = {}
    for line in lines:
        key = (line["POB_ID"], line["POST_CAT"], line["SHKZG"])
        if key in merged:
            merged[key]["BETRW"] += line["BETRW"]
        else:
            merged[key] = dict(line)
    return list(merged.values())


def run_period(ctx: CallContext, bukrs: str, year: str, month: str, test: bool
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(lines, messages) of the posting run of one period of one company code."""
    if company(ctx, bukrs) is None:
        return [], [bapiret2("E", "FARR_RAI", "033", bukrs, parameter="IV_BUKRS")]
    if not (year.isdigit() and len(year) == 4 and month.isdigit() and 1 <= int(month) <= 12):
        return [], [bapiret2("E", "FARR_RAI", "034", year, month, parameter="IV_POPER")]
    period = f"{year}{int(month):03d}"
    last = reads.rows(ctx, FARR_D_POST_PERIOD, COMPANY_CODE=bukrs)
    if last:
        done = last[0]["GJAHR"] + last[0]["POPER"]
        if period < done:
            return [], [bapiret2("E", "FARR_RAI", "031", _show(period), _show(done), bukrs)]
        if period > _next(done):
            return [], [bapiret2("E", "FARR_RAI", "032", _show(_next(done)), bukrs)]
    run = "" if test else ctx.numbers.next("FARR_RUN")
    lines, contracts = [], 0
    for contract in sorted(reads.rows(ctx, FARR_D_CONTRACT, COMPANY_CODE=bukrs),
                           key=lambda c: c["CONTRACT_ID"]):
        posted = post_contract(ctx, contract, period, run, test)
        contracts += bool(posted)
        lines += posted
    if test:
        return lines, [bapiret2("S", "FARR_RAI", "035", _show(period), bukrs)]
    ctx.delete(FARR_D_POST_PERIOD, {"COMPANY_CODE": bukrs})
    ctx.insert(FARR_D_POST_PERIOD, {"COMPANY_CODE": bukrs, "GJAHR": period[:4],
                                    "POPER": period[4:]})
    ctx.commit()
    return lines, [bapiret2("S", "FARR_RAI", "030", _show(period), bukrs, contracts)]


def _show(period: str) -> str:
    return f"{period[4:]}/{period[:4]}"


@group.function(interface("FARR_REVENUE_POSTING", [
    importing("IV_BUKRS", CHAR(4), optional=False, text="Company code"),
    importing("IV_GJAHR", NUMC(4), optional=False, text="Fiscal year"),
    importing("IV_POPER", NUMC(3), optional=False, text="Posting period"),
    importing("IV_TEST", CHAR(1), text="X: simulate, post nothing"),
    tables("ET_POSTINGS", POSTING, text="Lines posted (or simulated)"),
    tables("ET_RETURN", BAPIRET2, text="Return messages"),
], text="Revenue posting run of one period (FARR_REV_POST; ours)"))
def farr_revenue_posting(ctx: CallContext, IV_BUKRS: str, IV_GJAHR: str, IV_POPER: str,
                         IV_TEST: str, ET_POSTINGS: list[dict[str, Any]],
                         ET_RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    lines, messages = run_period(ctx, IV_BUKRS, IV_GJAHR, IV_POPER[-2:], IV_TEST == "X")
    ET_POSTINGS[:] = [{name: line[name] for name in (f.name for f in POSTING.fields)}
                      for line in lines]
    ET_RETURN[:] = messages
    return {"ET_POSTINGS": ET_POSTINGS, "ET_RETURN": ET_RETURN}
