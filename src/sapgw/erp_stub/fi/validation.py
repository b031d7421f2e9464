"""The document check behind BAPI_ACC_DOCUMENT_CHECK and _POST: every error, not the first.

Each problem becomes one BAPIRET2 row with PARAMETER, ROW (1-based in that table) and FIELD,
so a sender can fix all of them at once. Fiscal year and period come from the posting date in
the company code's fiscal year variant (T009/T009B); the period must be open (T001B).
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fbas.api import (
    GLAccount,
    company_code,
    document_type,
    fiscal_period,
    gl_account,
    posting_period_open,
)
from sapgw.erp_stub.fi import documents
from sapgw.erp_stub.fi.amounts import apply_amounts
from sapgw.erp_stub.fi.assignment import co_fields, resolve
from sapgw.erp_stub.fi.model import (
    ACCOUNTGL,
    ACCOUNTPAYABLE,
    ACCOUNTRECEIVABLE,
    BKPFF,
    HEADER,
    Document,
    Line,
    Messages,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.masterdata.api import partner_account

# Header fields of BAPIACHE09 this system cannot honour: refused, never silently dropped.
UNSUPPORTED_HEADER_FIELDS = ("AC_DOC_NO", "NEG_POSTNG", "PARTIAL_REV")
POSTED_STATUS = ("", "4")  # DOC_STATUS: blank/4 post; 2, 3, A, B would park (not emulated)


def check_document(ctx: CallContext, header: dict[str, Any], accountgl: list[dict[str, Any]],
                   accountreceivable: list[dict[str, Any]],
                   accountpayable: list[dict[str, Any]],
                   currencyamount: list[dict[str, Any]]) -> tuple[Document, Messages]:
    """The document to post and the errors found in it (empty when it may be posted)."""
    messages = Messages(ctx.logical_system)
    tables = ((ACCOUNTGL, accountgl), (ACCOUNTRECEIVABLE, accountreceivable),
              (ACCOUNTPAYABLE, accountpayable))
    line_bukrs = next((item["COMP_CODE"] for _, items in tables for item in items
                       if item["COMP_CODE"]), "")
    doc = check_header(ctx, header, line_bukrs, messages)
    doc.lines = check_lines(ctx, doc, tables, messages)
    apply_amounts(ctx, doc, currencyamount, messages)
    return doc, messages


def check_header(ctx: CallContext, header: dict[str, Any], line_bukrs: str,
                 messages: Messages) -> Document:
    doc = Document(bukrs=header["COMP_CODE"] or line_bukrs, xblnr=header["REF_DOC_NO"],
                   bktxt=header["HEADER_TXT"], usnam=header["USERNAME"],
                   glvor=header["BUS_ACT"] or "RFBU", awtyp=header["OBJ_TYPE"] or BKPFF,
                   awsys=header["OBJ_SYS"] or ctx.logical_system, stgrd=header["REASON_REV"])
    if not doc.bukrs:
        messages.required("COMP_CODE", HEADER)
    else:
        doc.company = company_code(ctx, doc.bukrs)
        if doc.company is None:
            messages.error("F5", "165", doc.bukrs, parameter=HEADER, field="COMP_CODE")
        else:
            doc.hwaer = doc.company.WAERS
            doc.kokrs = doc.company.KOKRS
    _dates(ctx, doc, header, messages)
    doc.blart = header["DOC_TYPE"] or "SA"
    doc_type = document_type(ctx, doc.blart)
    if doc_type is None:
        messages.error("F5", "808", doc.blart, parameter=HEADER, field="DOC_TYPE")
    else:
        doc.nrrange = doc_type.NUMKR
    _reference(ctx, doc, header, messages)
    for name in UNSUPPORTED_HEADER_FIELDS:
        if header[name]:
            messages.error("RW", "908", name, HEADER, parameter=HEADER, field=name)
    if header["DOC_STATUS"] not in POSTED_STATUS:
        messages.error("RW", "637", header["DOC_STATUS"], parameter=HEADER, field="DOC_STATUS")
    if header["OBJ_KEY_R"]:
        doc.reverses = _original(ctx, doc.awtyp, header["OBJ_KEY_R"], messages)
    return doc


def _dates(ctx: CallContext, doc: Document, header: dict[str, Any], messages: Messages
           ) -> None:
    doc.budat = header["PSTNG_DATE"]
    doc.bldat = header["DOC_DATE"] or doc.budat
    if not doc.budat:
        messages.required("PSTNG_DATE", HEADER)
        return
    if doc.company is None:
        doc.gjahr, doc.monat = int(doc.budat[:4]), int(doc.budat[4:6])
    else:
        doc.gjahr, doc.monat = fiscal_period(ctx, doc.company.PERIV, doc.budat)
    year, period = int(header["FISC_YEAR"]), int(header["FIS_PERIOD"])
    if (year and year != doc.gjahr) or (period and period != doc.monat):
        messages.error("RW", "907", header["FISC_YEAR"], header["FIS_PERIOD"], doc.budat,
                       parameter=HEADER, field="FIS_PERIOD" if period else "FISC_YEAR")
    if doc.company is not None and not posting_period_open(ctx, doc.bukrs, doc.gjahr,
                                                           doc.monat):
        messages.error("F5", "201", f"{doc.monat:03d}", doc.gjahr, parameter=HEADER,
                       field="PSTNG_DATE")


def _reference(ctx: CallContext, doc: Document, header: dict[str, Any], messages: Messages
               ) -> None:
    """A sender's own reference (OBJ_TYPE other than BKPFF) is kept as AWKEY, once only."""
    if doc.awtyp == BKPFF:
        return
    doc.awkey = header["OBJ_KEY"]
    if not doc.awkey:
        messages.error("RW", "004", parameter=HEADER, field="OBJ_KEY")
        return
    posted = documents.find_by_awkey(ctx, doc.awtyp, doc.awkey)
    if posted is not None:
        messages.error("RW", "902", doc.awtyp, doc.awkey, posted["BELNR"], parameter=HEADER,
                       field="OBJ_KEY")


def _original(ctx: CallContext, awtyp: str, key: str, messages: Messages
              ) -> dict[str, Any] | None:
    """The document OBJ_KEY_R names (BELNR+BUKRS+GJAHR for BKPFF), if it may be reversed."""
    if awtyp == BKPFF:
        belnr, bukrs, gjahr = key[:10], key[10:14], key[14:18]
        original = (documents.document(ctx, bukrs, belnr, gjahr)
                    if len(key) == 18 and gjahr.isdigit() else None)
        missing = (belnr, bukrs, gjahr)
    else:
        original = documents.find_by_awkey(ctx, awtyp, key)
        missing = (awtyp, key, "")
    if original is None:
        messages.error("F5", "701", *missing, parameter=HEADER, field="OBJ_KEY_R")
        return None
    if original["STBLG"]:
        messages.error("F5", "700", original["BELNR"], original["BUKRS"], original["GJAHR"],
                       parameter=HEADER, field="OBJ_KEY_R")
        return None
    return original


def check_lines(ctx: CallContext, doc: Document,
                tables: tuple[tuple[str, list[dict[str, Any]]], ...], messages: Messages
                ) -> list[Line]:
    """The line items of all three tables in item number order, each item number once."""
    lines: list[Line] = []
    seen: set[str] = set()
    for parameter, items in tables:
        for row, item in enumerate(items, start=1):
            if item["ITEMNO_ACC"] in seen:
                messages.error("RW", "014", item["ITEMNO_ACC"], parameter=parameter, row=row,
                               field="ITEMNO_ACC")
                continue
            seen.add(item["ITEMNO_ACC"])
            if item["COMP_CODE"] and item["COMP_CODE"] != doc.bukrs:
                messages.error("RW", "905", item["ITEMNO_ACC"], item["COMP_CODE"], doc.bukrs,
                               parameter=parameter, row=row, field="COMP_CODE")
            line = Line(parameter, row, item["ITEMNO_ACC"], "S", text=item["ITEM_TEXT"],
                        zuonr=item["ALLOC_NMBR"], mwskz=item["TAX_CODE"],
                        prctr=alpha(item["PROFIT_CTR"], 10))
            if parameter == ACCOUNTGL:
                _gl_line(ctx, doc, line, item, messages)
            else:
                _partner_line(ctx, doc, line, item, messages)
            lines.append(line)
    if not lines:
        messages.error("RW", "002", parameter=ACCOUNTGL)
    return sorted(lines, key=lambda line: line.itemno)  # BSEG in item number order


def _gl_line(ctx: CallContext, doc: Document, line: Line, item: dict[str, Any],
             messages: Messages) -> None:
    where: dict[str, Any] = {"parameter": ACCOUNTGL, "row": line.row}
    line.valut = item["VALUE_DATE"]
    if item["ACCT_TYPE"] not in ("", "S"):
        messages.error("RW", "908", "ACCT_TYPE", ACCOUNTGL, **where, field="ACCT_TYPE")
    line.hkont = alpha(item["GL_ACCOUNT"], 10)
    account = _account(ctx, doc, line.hkont, where, messages)
    line.co = resolve(ctx, doc.kokrs, item, line.row, messages, doc.budat)
    if account is None:
        return
    line.cost_element = not account.balance_sheet
    # A cost element of the controlling area (CSKB) needs a CO account assignment.
    element = co.cost_element(ctx, doc.kokrs, line.hkont, doc.budat or None) \
        if doc.kokrs else None
    if element is not None and not co_fields(item):
        messages.error("KI", "235", line.hkont, **where, field="GL_ACCOUNT")
    if line.co is not None and line.cost_element:
        area = co.controlling_area(ctx, doc.kokrs)
        if area is None:
            messages.error("KO", "905", doc.kokrs, **where, field="GL_ACCOUNT")
        elif area.WAERS != doc.hwaer:
            messages.error("RW", "909", area.WAERS, doc.hwaer, **where, field="GL_ACCOUNT")
        if line.co.paobjnr:
            _segment(ctx, doc, line, where, messages)


def _segment(ctx: CallContext, doc: Document, line: Line, where: dict[str, Any],
             messages: Messages) -> None:
    """What CO-PA would refuse of the line's direct posting to its profitability segment."""
    if line.co is None:
        return
    try:
        copa.check_direct(ctx, kokrs=doc.kokrs, paobjnr=line.co.paobjnr, kstar=line.hkont,
                          budat=doc.budat)
    except copa.CopaError as error:
        messages.rows.append(error.bapiret2(system=messages.system, **where))


def _partner_line(ctx: CallContext, doc: Document, line: Line, item: dict[str, Any],
                  messages: Messages) -> None:
    """A customer (D) or vendor (K) line, posted to its reconciliation account."""
    where: dict[str, Any] = {"parameter": line.parameter, "row": line.row}
    if line.parameter == ACCOUNTRECEIVABLE:
        line.koart, field, number = "D", "CUSTOMER", "102"
    else:
        line.koart, field, number = "K", "VENDOR_NO", "104"
    partner = alpha(item[field], 10)
    account = (partner_account(ctx, line.koart, partner, doc.bukrs)
               if partner and doc.company is not None else None)
    if not partner:
        messages.required(field, line.parameter, line.row)
    elif doc.company is not None and account is None:
        messages.error("F5", number, partner, doc.bukrs, **where, field=field)
    elif account is not None and account.deleted:
        messages.error("F5", "707", partner, doc.bukrs, **where, field=field)
    elif account is not None and account.blocked:
        messages.error("F5", "708", partner, doc.bukrs, **where, field=field)
    line.kunnr, line.lifnr = (partner, "") if line.koart == "D" else ("", partner)
    line.hkont = alpha(item["GL_ACCOUNT"], 10)
    if line.hkont:
        _account(ctx, doc, line.hkont, where, messages)
    elif account is not None:
        line.hkont = account.akont


def _account(ctx: CallContext, doc: Document, hkont: str, where: dict[str, Any],
             messages: Messages) -> GLAccount | None:
    """The G/L account in the document's company code, or None after reporting why not;
    an account marked for deletion or blocked for posting is reported and still answered."""
    if not hkont:
        messages.required("GL_ACCOUNT", where["parameter"], where["row"])
        return None
    if doc.company is None:
        return None
    account = gl_account(ctx, hkont, doc.bukrs)
    if account is None:
        messages.error("F5", "153", hkont, doc.bukrs, **where, field="GL_ACCOUNT")
    elif account.deleted:
        messages.error("F5", "707", hkont, doc.bukrs, **where, field="GL_ACCOUNT")
    elif account.blocked:
        messages.error("F5", "708", hkont, doc.bukrs, **where, field="GL_ACCOUNT")
    return account
