"""Invoicing (FKKINV_S single, FKKINV_M mass): the invoicing orders of a contract account
become an invoicing document (DFKKINVDOC_H/_I) and an FI-CA document (DFKKKO, DFKKOP,
DFKKOPK) posted under a reconciliation key.

One invoicing document per contract account, company code and currency (ours). Its items
are the billing document items. The FI-CA document debits the partner (DFKKOP, one item per
main transaction) on the receivables account of posting area 1101 (company code, account
determination ID of FKKVKP, main transaction) and credits each revenue account of posting
area 1100 (… and subtransaction) with the items it determines (DFKKOPK); both by the longest
key match. The document balances on the rounded item amounts. Due date: posting date + 14
days (ours: no payment terms are emulated). An account whose accounts cannot be determined
or whose posting period is closed is not invoiced: its orders stay, its problems are
answered, the others are invoiced. Two runs invoicing one order at once: the second one's
commit terminates (FKK_CI 047), nothing of it posted. Relevant items give revenue
accounting invoice items (invoice_items.py); when event 8205 refuses them, that account is
not invoiced (its orders stay, FKK_CI 050-054 and 071), the others are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, select

from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.fica import invoice_items, master_data
from sapgw.erp_stub.fica.customizing import CONVERGENT
from sapgw.erp_stub.fica.invoicing_tables import (
    DFKKINV_TRIG,
    DFKKINVBILL_H,
    DFKKINVBILL_I,
    DFKKINVDOC_H,
    DFKKINVDOC_I,
    DFKKINVDOC_P,
    DFKKKO,
    DFKKOP,
    DFKKOPK,
    FKKFIKEY,
)
from sapgw.erp_stub.fica.posting_areas import RECEIVABLES, REVENUE, determine
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import update_terminated

DOCUMENT_TYPE, ORIGIN = "IN", "IV"     # ours: DFKKKO-BLART / HERKF of invoicing postings
DUE_DAYS = 14
SOURCE_BILLING = "BILL"


@dataclass
class Invoice:
    """One invoicing document to post: its billing items with their accounts."""

    vkont: str
    gpart: str
    bukrs: str
    currency: str
    kofiz: str = ""
    billdocs: list[str] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    receivables: dict[str, str] = field(default_factory=dict)   # HVORG -> account


@dataclass(frozen=True)
class Posted:
    invdocno: str
    vkont: str
    opbel: str
    amount: Decimal
    currency: str
    fikey: str


def orders(ctx: CallContext, vkont: str | None) -> list[dict[str, Any]]:
    table = DFKKINV_TRIG.__table__  # type: ignore[attr-defined]
    query = select(table).order_by(table.c.BILLDOCNO)
    if vkont is not None:
        query = query.where(table.c.VKONT == vkont)
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def plan(ctx: CallContext, found: list[dict[str, Any]], budat: str, problems: Problems
         ) -> tuple[list[Invoice], list[str]]:
    """The invoices of the orders whose accounts and periods are right, and the contract
    accounts of the others (their orders stay, their problems are in `problems`)."""
    items = _billing_items(ctx, [order["BILLDOCNO"] for order in found])
    invoices: dict[tuple[str, ...], Invoice] = {}
    for order in found:
        for line in items.get(order["BILLDOCNO"], []):
            key = (order["VKONT"], line["BUKRS"], line["BILL_CURR"])
            invoice = invoices.setdefault(key, Invoice(order["VKONT"], order["GPART"],
                                                       *key[1:]))
            if order["BILLDOCNO"] not in invoice.billdocs:
                invoice.billdocs.append(order["BILLDOCNO"])
            invoice.lines.append(line)
    good, failed = [], []
    for invoice in invoices.values():
        before = len(problems.rows)
        _accounts(ctx, invoice, budat, problems)
        if len(problems.rows) == before:
            good.append(invoice)
        elif invoice.vkont not in failed:
            failed.append(invoice.vkont)
    return good, failed


def _billing_items(ctx: CallContext, billdocs: list[str]) -> dict[str, list[dict[str, Any]]]:
    table = DFKKINVBILL_I.__table__  # type: ignore[attr-defined]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with ctx.read() as conn:
        for row in conn.execute(select(table).where(table.c.BILLDOCNO.in_(billdocs))
                                .order_by(*table.primary_key.columns)).mappings():
            found[row["BILLDOCNO"]].append(dict(row))
    return found


def _accounts(ctx: CallContext, invoice: Invoice, budat: str, problems: Problems) -> None:
    partner = master_data.account_partner(ctx, invoice.vkont, invoice.gpart)
    company = fbas.company_code(ctx, invoice.bukrs)
    if partner is None or company is None:
        problems.error("FKK_CI", "003" if partner is None else "004",
                       *((invoice.vkont, invoice.gpart) if partner is None else
                         (invoice.bukrs,)), parameter="VKONT", field="VKONT")
        return
    invoice.kofiz = partner["KOFIZ"]
    year, period = fbas.fiscal_period(ctx, company.PERIV, budat)
    if not fbas.posting_period_open(ctx, invoice.bukrs, year, period):
        problems.error("FKK_CI", "044", year, period, invoice.bukrs, invoice.vkont,
                       parameter="BUDAT", field="BUDAT")
    for line in invoice.lines:
        keys = {"BUKRS": invoice.bukrs, "KOFIZ": invoice.kofiz, "HVORG": line["HVORG"]}
        if line["HVORG"] not in invoice.receivables:
            found = determine(ctx, RECEIVABLES, keys, company.KTOPL)
            if found is None or not found.results.get("HKONT"):
                problems.error("FKK_CI", "043", RECEIVABLES, "/".join(keys.values()),
                               invoice.vkont, parameter="VKONT", field="HKONT")
                continue
            invoice.receivables[line["HVORG"]] = found.results["HKONT"]
        revenue = determine(ctx, REVENUE, {**keys, "TVORG": line["TVORG"]}, company.KTOPL)
        if revenue is None or not revenue.results.get("HKONT"):
            problems.error("FKK_CI", "043", REVENUE,
                           "/".join([*keys.values(), line["TVORG"]]), invoice.vkont,
                           parameter="VKONT", field="HKONT")
            continue
        line["HKONT"] = revenue.results["HKONT"]


def post(ctx: CallContext, invoice: Invoice, budat: str, fikey: str, runno: str, user: str
         ) -> Posted:
    """Register the invoicing document and its FI-CA document in the caller's LUW.

    Raises event_8205.EventError (FKK_CI 050-054) before registering anything when the
    event's module refuses the document's invoice items."""
    now = ctx.clock.now()
    cpudt, cputm = now.strftime("%Y%m%d"), now.strftime("%H%M%S")
    company = fbas.company_code(ctx, invoice.bukrs)
    if company is None:
        raise ValueError(f"company code {invoice.bukrs} vanished after the check")
    year, period = fbas.fiscal_period(ctx, company.PERIV, budat)
    faedn = (date(int(budat[:4]), int(budat[4:6]), int(budat[6:])) +
             timedelta(days=DUE_DAYS)).strftime("%Y%m%d")
    invdocno, opbel = ctx.numbers.next("FKKINV"), ctx.numbers.next("FKK_BELEG")
    total = sum((line["BILL_AMOUNT"] for line in invoice.lines), Decimal(0))
    receivable: dict[str, Decimal] = defaultdict(Decimal)
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for line in invoice.lines:
        receivable[line["HVORG"]] += line["BILL_AMOUNT"]
        revenue[line["HKONT"]] -= line["BILL_AMOUNT"]
    if sum(receivable.values()) + sum(revenue.values()) != 0:
        raise ValueError(f"FI-CA document of {invoice.vkont} does not balance")
    items = [{
        "INVDOCNO": invdocno, "INVDOCITEM": f"{number:06d}", "BUKRS": invoice.bukrs,
        "VTREF": line["VTREF"], "VTPOS": line["VTPOS"], "SUBAP": line["SUBAP"],
        "HVORG": line["HVORG"], "TVORG": line["TVORG"], "WAERS": invoice.currency,
        "BETRW": line["BILL_AMOUNT"], "MENGE": line["QUANTITY"], "MEINS": line["QTY_UNIT"],
        "RAREL": line["RAREL"], "SERVICE_TYPE": line["SERVICE_TYPE"],
        "DATE_FROM": line["DATE_FROM"], "DATE_TO": line["DATE_TO"], "HKONT": line["HKONT"],
        "OPBEL": opbel, "SRCDOCCAT": SOURCE_BILLING, "SRCDOCNO": line["BILLDOCNO"],
        "SRCDOCITEM": line["BILLDOCITEM"]}
        for number, line in enumerate(invoice.lines, start=1)]
    rai_items = invoice_items.prepare(ctx, invdocno, {
        "GPART": invoice.gpart, "VKONT": invoice.vkont, "BUDAT": budat, "FAEDN": faedn,
        "BLART": DOCUMENT_TYPE}, items)   # event 8205 may refuse: before anything is written
    ctx.insert(DFKKKO, {"OPBEL": opbel, "FIKEY": fikey, "APPLK": CONVERGENT,
                        "BLART": DOCUMENT_TYPE, "HERKF": ORIGIN, "WAERS": invoice.currency,
                        "BLDAT": budat, "BUDAT": budat, "GJAHR": f"{year:04d}",
                        "POPER": f"{period:03d}", "INVDOCNO": invdocno, "ERNAM": user,
                        "CPUDT": cpudt, "CPUTM": cputm})
    tvorg = {line["HVORG"]: line["TVORG"] for line in invoice.lines}
    ctx.insert(DFKKOP, [{
        "OPBEL": opbel, "OPUPW": "000", "OPUPK": f"{number:04d}", "OPUPZ": "000",
        "BUKRS": invoice.bukrs, "GPART": invoice.gpart, "VKONT": invoice.vkont,
        "VTREF": "", "APPLK": CONVERGENT, "HVORG": hvorg, "TVORG": tvorg[hvorg],
        "KOFIZ": invoice.kofiz, "HKONT": invoice.receivables[hvorg], "BUDAT": budat,
        "BLDAT": budat, "FAEDN": faedn, "WAERS": invoice.currency, "BETRW": amount,
        "BETRH": amount} for number, (hvorg, amount) in enumerate(receivable.items(), 1)])
    ctx.insert(DFKKOPK, [{
        "OPBEL": opbel, "OPUPK": f"{number:04d}", "BUKRS": invoice.bukrs, "HKONT": hkont,
        "WAERS": invoice.currency, "BETRW": amount, "BETRH": amount}
        for number, (hkont, amount) in enumerate(revenue.items(), 1)])
    ctx.insert(DFKKINVDOC_H, {
        "INVDOCNO": invdocno, "APPLK": CONVERGENT, "GPART": invoice.gpart,
        "VKONT": invoice.vkont, "BUKRS": invoice.bukrs, "INVRUNNO": runno, "FIKEY": fikey,
        "BUDAT": budat, "BLDAT": budat, "FAEDN": faedn, "TOTAL_CURR": invoice.currency,
        "TOTAL_AMT": total, "CRNAME": user, "CRDATE": cpudt, "CRTIME": cputm})
    ctx.insert(DFKKINVDOC_I, items)
    invoice_items.record(ctx, rai_items)
    ctx.insert(DFKKINVDOC_P, {"INVDOCNO": invdocno, "OPBEL": opbel, "XNEWDOC": "X"})
    for billdocno in invoice.billdocs:
        ctx.update(DFKKINVBILL_H, {"BILLDOCNO": billdocno},
                   {"INVSTATUS": "X", "INVDOCNO": invdocno})
        ctx.task(take_order(billdocno))
    return Posted(invdocno, invoice.vkont, opbel, total, invoice.currency, fikey)


def take_order(billdocno: str) -> Task:
    """Update task: remove the invoicing order; when another run invoiced it first, this LUW
    terminates (FKK_CI 047) and posts nothing."""
    table = DFKKINV_TRIG.__table__  # type: ignore[attr-defined]

    def run(conn: Connection) -> None:
        result = conn.execute(delete(table).where(table.c.BILLDOCNO == billdocno))
        if result.rowcount != 1:
            raise update_terminated("FKK_CI", "047", billdocno)

    return run


def reconciliation_key(ctx: CallContext, fikey: str, budat: str, runno: str, user: str,
                       problems: Problems) -> str:
    """The key to post under: the one given (opened on first use, refused when closed), or
    a new one CI<YYMMDD><nnnn> (ours) for the run."""
    if fikey:
        table = FKKFIKEY.__table__  # type: ignore[attr-defined]
        with ctx.read() as conn:
            row = conn.execute(select(table).where(table.c.FIKEY == fikey)).first()
        if row is not None and row.XCLOS == "X":
            problems.error("FKK_CI", "042", fikey, parameter="FIKEY", field="FIKEY")
            return fikey
        if row is not None:
            return fikey
    else:
        fikey = f"CI{budat[2:]}{int(ctx.numbers.next('FKK_FIKEY')):04d}"
    now = ctx.clock.now()
    ctx.insert(FKKFIKEY, {"FIKEY": fikey, "RUNNO": runno, "CRNAME": user,
                          "CRDATE": now.strftime("%Y%m%d"), "CRTIME": now.strftime("%H%M%S")})
    return fikey


def close_key(ctx: CallContext, fikey: str) -> None:
    ctx.update(FKKFIKEY, {"FIKEY": fikey}, {"XCLOS": "X"})
