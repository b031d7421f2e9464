"""Billing and invoicing runs over RFC (ours: SAP runs them as transactions FKKBIX_S,
FKKBIX_M, FKKINV_S and FKKINV_M, whose function modules are not public):

- FKK_BIX_BILL_SINGLE / FKK_BIX_BILL_MASS: bill the billable items of one contract account /
  of all, up to a date (billing.py).
- FKK_INV_INVOICE_SINGLE / FKK_INV_INVOICE_MASS: invoice the invoicing orders of one contract
  account / of all (invoicing.py). A mass run opens one reconciliation key, posts every
  document under it and closes it; a single run posts under the key given (opened on first
  use) or under a new one it closes.

A mass run has a run number (FKK_RUN, ours) written to the documents (BILLRUNNO/INVRUNNO).
These are runs, not BAPIs: a run that created documents commits its work (COMMIT WORK, as
the transactions do; inside a tRFC unit, with the unit). One that failed writes nothing.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fica import billing, event_8205, invoicing
from sapgw.erp_stub.fica.bit_tables import BIT_TABLES, DEMO_CLASS
from sapgw.erp_stub.fica.master_data import RFC_USER, contract_account, group
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.rfc.ddic import CHAR, CUKY, DATS, NUMC, Elementary, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

AMOUNT = Elementary("CURR", 15, 2)
KEY_CLOSED = "042"
FKKBIX_BILLDOC = structure(
    "FKKBIX_BILLDOC", ("BILLDOCNO", CHAR(12), "Billing document"),
    ("VKONT", CHAR(12), "Contract account"), ("BILL_AMOUNT", AMOUNT, "Amount"),
    ("BILL_CURR", CUKY, "Currency"), ("BIT_NUMBER", NUMC(10), "Billable items billed"))
FKKINV_INVDOC = structure(
    "FKKINV_INVDOC", ("INVDOCNO", CHAR(12), "Invoicing document"),
    ("VKONT", CHAR(12), "Contract account"), ("OPBEL", CHAR(12), "FI-CA document"),
    ("TOTAL_AMT", AMOUNT, "Invoiced amount"), ("TOTAL_CURR", CUKY, "Currency"),
    ("FIKEY", CHAR(12), "Reconciliation key"))


def _account(ctx: CallContext, vkont: str, problems: Problems) -> str:
    number = alpha(vkont, 12)
    if contract_account(ctx, number) is None:
        problems.error("FKK_CI", "002", number, parameter="VKONT", field="VKONT")
    return number


def _run_number(ctx: CallContext, problems: Problems) -> str:
    try:
        return ctx.numbers.next("FKK_RUN")
    except NumberRangeError as error:
        problems.number_range(error)
        return ""


def _bill(ctx: CallContext, bitcat: str, vkont: str | None, up_to: str, mass: bool,
          documents: list[dict[str, Any]], messages: list[dict[str, Any]]) -> str:
    problems = Problems(ctx)
    if bitcat not in BIT_TABLES:
        problems.error("FKK_CI", "038", bitcat, parameter="BITCAT", field="BITCAT")
    if vkont is not None:
        vkont = _account(ctx, vkont, problems)
    up_to = up_to or ctx.clock.today().strftime("%Y%m%d")
    runno = _run_number(ctx, problems) if mass and not problems else ""
    if problems:
        messages[:] = problems.rows
        return ""
    items = billing.billable(ctx, bitcat, vkont, up_to)
    if not items:
        messages[:] = [problems.success("FKK_CI", "041", vkont or "*", up_to)]
        return runno
    try:
        created = billing.bill(ctx, bitcat, items, runno, RFC_USER)
    except NumberRangeError as error:
        problems.number_range(error)
        ctx.rollback()
        messages[:] = problems.rows
        return ""
    ctx.commit()
    documents[:] = [{"BILLDOCNO": doc.billdocno, "VKONT": doc.vkont,
                     "BILL_AMOUNT": doc.amount, "BILL_CURR": doc.currency,
                     "BIT_NUMBER": f"{doc.bit_number:010d}"} for doc in created]
    messages[:] = [problems.success("FKK_CI", "040", len(created), len(items))]
    return runno


@group.function(interface("FKK_BIX_BILL_SINGLE", [
    importing("VKONT", CHAR(12), optional=False, text="Contract account"),
    importing("BITCAT", CHAR(4), default=DEMO_CLASS, text="Billable item class"),
    importing("DATE_TO", DATS, text="Bill items dated up to (blank: today)"),
    tables("ET_BILLDOCS", FKKBIX_BILLDOC, text="Billing documents created"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Billing of one contract account (FKKBIX_S; ours)"))
def bill_single(ctx: CallContext, VKONT: str, BITCAT: str, DATE_TO: str,
                ET_BILLDOCS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                ) -> dict[str, Any]:
    _bill(ctx, BITCAT, VKONT, DATE_TO, False, ET_BILLDOCS, RETURN)
    return {"ET_BILLDOCS": ET_BILLDOCS, "RETURN": RETURN}


@group.function(interface("FKK_BIX_BILL_MASS", [
    importing("BITCAT", CHAR(4), default=DEMO_CLASS, text="Billable item class"),
    importing("DATE_TO", DATS, text="Bill items dated up to (blank: today)"),
    exporting("BILLRUNNO", CHAR(12), "Run number"),
    tables("ET_BILLDOCS", FKKBIX_BILLDOC, text="Billing documents created"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Mass billing (FKKBIX_M; ours)"))
def bill_mass(ctx: CallContext, BITCAT: str, DATE_TO: str, ET_BILLDOCS: list[dict[str, Any]],
              RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    runno = _bill(ctx, BITCAT, None, DATE_TO, True, ET_BILLDOCS, RETURN)
    return {"BILLRUNNO": runno, "ET_BILLDOCS": ET_BILLDOCS, "RETURN": RETURN}


def _invoice(ctx: CallContext, vkont: str | None, budat: str, fikey: str, mass: bool,
             documents: list[dict[str, Any]], messages: list[dict[str, Any]]
             ) -> tuple[str, str]:
    """Invoice the orders of `vkont` (None: all); the run number and reconciliation key."""
    problems = Problems(ctx)
    if vkont is not None:
        vkont = _account(ctx, vkont, problems)
    budat = budat or ctx.clock.today().strftime("%Y%m%d")
    if problems:
        messages[:] = problems.rows
        return "", ""
    found = invoicing.orders(ctx, vkont)
    if not found:
        messages[:] = [problems.success("FKK_CI", "046", vkont or "*")]
        return "", ""
    invoices, failed = invoicing.plan(ctx, found, budat, problems)
    runno = key = ""
    try:
        if invoices:
            runno = ctx.numbers.next("FKK_RUN") if mass else ""
            key = invoicing.reconciliation_key(ctx, "" if mass else fikey, budat, runno,
                                               RFC_USER, problems)
        posted = [] if problems.refused(KEY_CLOSED) else _post(
            ctx, invoices, budat, key, runno, failed, problems)
    except NumberRangeError as error:
        problems.number_range(error)
        ctx.rollback()
        posted = []
    if not posted:
        ctx.rollback()   # a key opened for documents event 8205 then refused
        messages[:] = problems.rows
        return "", ""
    if mass or not fikey:
        invoicing.close_key(ctx, key)
    ctx.commit()
    documents[:] = [{"INVDOCNO": doc.invdocno, "VKONT": doc.vkont, "OPBEL": doc.opbel,
                     "TOTAL_AMT": doc.amount, "TOTAL_CURR": doc.currency, "FIKEY": doc.fikey}
                    for doc in posted]
    messages[:] = [problems.success("FKK_CI", "045", doc.invdocno, doc.opbel, doc.fikey)
                   for doc in posted] + problems.rows
    if mass:
        messages.append(problems.success("FKK_CI", "048", len(posted), len(failed)))
    return runno, key


def _post(ctx: CallContext, invoices: list[invoicing.Invoice], budat: str, key: str,
          runno: str, failed: list[str], problems: Problems) -> list[invoicing.Posted]:
    """Post each invoice; one whose invoice items event 8205 refuses is not invoiced (its
    orders stay, FKK_CI 050-054 and 071; nothing of it registered), the others are."""
    posted = []
    for invoice in invoices:
        try:
            posted.append(invoicing.post(ctx, invoice, budat, key, runno, RFC_USER))
        except event_8205.EventError as error:
            problems.error("FKK_CI", error.number, *error.variables, parameter="VKONT",
                           field="VKONT")
            problems.error("FKK_CI", "071", invoice.vkont, parameter="VKONT", field="VKONT")
            if invoice.vkont not in failed:
                failed.append(invoice.vkont)
    return posted


@group.function(interface("FKK_INV_INVOICE_SINGLE", [
    importing("VKONT", CHAR(12), optional=False, text="Contract account"),
    importing("BUDAT", DATS, text="Posting date (blank: today)"),
    importing("FIKEY", CHAR(12), text="Reconciliation key (blank: a new one, closed)"),
    tables("ET_INVDOCS", FKKINV_INVDOC, text="Invoicing documents created"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Invoicing of one contract account (FKKINV_S; ours)"))
def invoice_single(ctx: CallContext, VKONT: str, BUDAT: str, FIKEY: str,
                   ET_INVDOCS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                   ) -> dict[str, Any]:
    _invoice(ctx, VKONT, BUDAT, FIKEY, False, ET_INVDOCS, RETURN)
    return {"ET_INVDOCS": ET_INVDOCS, "RETURN": RETURN}


@group.function(interface("FKK_INV_INVOICE_MASS", [
    importing("BUDAT", DATS, text="Posting date (blank: today)"),
    exporting("INVRUNNO", CHAR(12), "Run number"),
    exporting("FIKEY", CHAR(12), "The run's reconciliation key (closed)"),
    tables("ET_INVDOCS", FKKINV_INVDOC, text="Invoicing documents created"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Mass invoicing (FKKINV_M; ours)"))
def invoice_mass(ctx: CallContext, BUDAT: str, ET_INVDOCS: list[dict[str, Any]],
                 RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    runno, key = _invoice(ctx, None, BUDAT, "", True, ET_INVDOCS, RETURN)
    return {"INVRUNNO": runno, "FIKEY": key, "ET_INVDOCS": ET_INVDOCS, "RETURN": RETURN}
