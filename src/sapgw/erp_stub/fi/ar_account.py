"""BAPI_AR_ACC_GETOPENITEMS, BAPI_AR_ACC_GETKEYDATEBALANCE, BAPI_AR_ACC_GETSTATEMENT: a
customer's account in a company code (business object DebtorAccount, BAPI3007).

What the Accounting Interaction Center reads over RFC: the open items at a key date
(FBL5N), the balance at a key date (FD10N) and the line items posted in a period (the
account statement). They read BSEG rows of account type D with their BKPF header. Amounts
are signed from SHKZG (S debit +, H credit -), in local currency (LC_AMOUNT) and document
currency (AMT_DOCCUR), and every figure is the sum of posted lines: nothing is stored apart.

Clearing (F-32, AUGBL/AUGDT) is not built in the stub, so every customer line item is open;
special G/L transactions are not built either (SP_GL_IND blank). Parameter and field names
are SAP's (BAPI3007_2 line items, BAPI3007_3 balances, subsets); RETURN is BAPIRETURN as in
SAP: a customer not defined in the company code answers F5 102 and no rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select

from sapgw.erp_stub.fi.tables import BKPF, BSEG
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import text
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.masterdata.api import partner_account
from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, NUMC, structure
from sapgw.rfc.interface import exporting, importing, interface, tables

group = FunctionGroup("3007")
H = BKPF.__table__  # type: ignore[attr-defined]
L = BSEG.__table__  # type: ignore[attr-defined]

BAPIRETURN = structure(
    "BAPIRETURN", ("TYPE", CHAR(1), "Message type"), ("CODE", CHAR(5), "Message code"),
    ("MESSAGE", CHAR(220), "Message text"), ("LOG_NO", CHAR(20), "Log number"),
    ("LOG_MSG_NO", NUMC(6), "Log message number"), ("MESSAGE_V1", CHAR(50), "Variable"),
    ("MESSAGE_V2", CHAR(50), "Variable"), ("MESSAGE_V3", CHAR(50), "Variable"),
    ("MESSAGE_V4", CHAR(50), "Variable"))
BAPI3007_2 = structure(
    "BAPI3007_2", ("COMP_CODE", CHAR(4), "Company code"), ("CUSTOMER", CHAR(10), "Customer"),
    ("SP_GL_IND", CHAR(1), "Special G/L indicator"), ("FISC_YEAR", NUMC(4), "Fiscal year"),
    ("DOC_NO", CHAR(10), "Accounting document"), ("ITEM_NUM", NUMC(3), "Line item"),
    ("PSTNG_DATE", DATS, "Posting date"), ("DOC_DATE", DATS, "Document date"),
    ("DOC_TYPE", CHAR(2), "Document type"), ("FIS_PERIOD", NUMC(2), "Period"),
    ("POST_KEY", CHAR(2), "Posting key"), ("DB_CR_IND", CHAR(1), "Debit/credit"),
    ("REF_DOC_NO", CHAR(16), "Reference"), ("ALLOC_NMBR", CHAR(18), "Assignment"),
    ("CURRENCY", CUKY, "Document currency"), ("AMT_DOCCUR", CURR(23, 2), "Amount (doc.)"),
    ("LOC_CURRCY", CUKY, "Local currency"), ("LC_AMOUNT", CURR(23, 2), "Amount (local)"),
    ("ITEM_TEXT", CHAR(50), "Item text"), ("CLEAR_DATE", DATS, "Clearing date"),
    ("CLR_DOC_NO", CHAR(10), "Clearing document"))
BAPI3007_3 = structure(
    "BAPI3007_3", ("COMP_CODE", CHAR(4), "Company code"), ("CUSTOMER", CHAR(10), "Customer"),
    ("SP_GL_IND", CHAR(1), "Special G/L indicator"),
    ("LOC_CURRCY", CUKY, "Local currency"), ("LC_BAL", CURR(23, 2), "Balance (local)"),
    ("ITEMS", NUMC(6), "Line items in the balance (ours)"))


def _return(ctx: CallContext, msg_type: str, msg_class: str, number: str, *v: str
            ) -> dict[str, Any]:
    row = {"TYPE": msg_type, "CODE": f"{msg_class}{number}"[:5],
           "MESSAGE": text(msg_class, number, *v)}
    row.update({f"MESSAGE_V{i}": value for i, value in enumerate(v, 1)})
    return row


def _lines(ctx: CallContext, bukrs: str, kunnr: str, low: str, high: str
           ) -> list[dict[str, Any]]:
    """The customer's line items posted from `low` to `high` (BUDAT, inclusive)."""
    query = (select(H.c.BELNR, H.c.GJAHR, H.c.BUDAT, H.c.BLDAT, H.c.BLART, H.c.MONAT,
                    H.c.XBLNR, H.c.WAERS, H.c.HWAER, L.c.BUZEI, L.c.BSCHL, L.c.SHKZG,
                    L.c.WRBTR, L.c.DMBTR, L.c.ZUONR, L.c.SGTXT)
             .select_from(L.join(H, and_(H.c.BUKRS == L.c.BUKRS, H.c.BELNR == L.c.BELNR,
                                         H.c.GJAHR == L.c.GJAHR)))
             .where(L.c.BUKRS == bukrs, L.c.KOART == "D", L.c.KUNNR == kunnr,
                    H.c.BUDAT >= low, H.c.BUDAT <= high)
             .order_by(H.c.BUDAT, H.c.GJAHR, H.c.BELNR, L.c.BUZEI))
    with ctx.read() as conn:
        rows = conn.execute(query).mappings().all()
    items = []
    for r in rows:
        sign = Decimal(1) if r["SHKZG"] == "S" else Decimal(-1)
        items.append({
            "COMP_CODE": bukrs, "CUSTOMER": kunnr, "SP_GL_IND": "", "FISC_YEAR": r["GJAHR"],
            "DOC_NO": r["BELNR"], "ITEM_NUM": r["BUZEI"], "PSTNG_DATE": r["BUDAT"],
            "DOC_DATE": r["BLDAT"], "DOC_TYPE": r["BLART"], "FIS_PERIOD": r["MONAT"],
            "POST_KEY": r["BSCHL"], "DB_CR_IND": r["SHKZG"], "REF_DOC_NO": r["XBLNR"],
            "ALLOC_NMBR": r["ZUONR"], "CURRENCY": r["WAERS"],
            "AMT_DOCCUR": sign * Decimal(r["WRBTR"]), "LOC_CURRCY": r["HWAER"],
            "LC_AMOUNT": sign * Decimal(r["DMBTR"]), "ITEM_TEXT": r["SGTXT"],
            "CLEAR_DATE": "", "CLR_DOC_NO": ""})
    return items


def _account(ctx: CallContext, p: dict[str, Any]) -> tuple[str, str, dict[str, Any] | None]:
    """Company code and customer as stored, and the error when the account does not exist."""
    bukrs, kunnr = p["COMPANYCODE"].strip().upper(), alpha(p["CUSTOMER"], 10)
    if partner_account(ctx, "D", kunnr, bukrs) is None:
        return bukrs, kunnr, _return(ctx, "E", "F5", "102", kunnr, bukrs)
    return bukrs, kunnr, None


def _keydate(ctx: CallContext, value: str) -> str:
    return value.strip() or ctx.clock.today().strftime("%Y%m%d")


ACCOUNT = [importing("COMPANYCODE", CHAR(4), optional=False, text="Company code"),
           importing("CUSTOMER", CHAR(10), optional=False, text="Customer")]


@group.function(interface("BAPI_AR_ACC_GETOPENITEMS", [
    *ACCOUNT, importing("KEYDATE", DATS, text="Key date (default today)"),
    importing("NOTEDITEMS", CHAR(1), text="Noted items (not built)"),
    exporting("RETURN", BAPIRETURN, "Return value"),
    tables("LINEITEMS", BAPI3007_2, text="Open items at the key date"),
], text="Customer account: open items at a key date"))
def bapi_ar_acc_getopenitems(ctx: CallContext, **p: Any) -> dict[str, Any]:
    bukrs, kunnr, error = _account(ctx, p)
    if error:
        return {"RETURN": error, "LINEITEMS": []}
    return {"RETURN": {}, "LINEITEMS": _lines(ctx, bukrs, kunnr, "00000000",
                                               _keydate(ctx, p["KEYDATE"]))}


@group.function(interface("BAPI_AR_ACC_GETKEYDATEBALANCE", [
    *ACCOUNT, importing("KEYDATE", DATS, text="Key date (default today)"),
    importing("BALANCESPGLI", CHAR(1), text="Special G/L balances (not built)"),
    exporting("RETURN", BAPIRETURN, "Return value"),
    tables("KEYBALANCE", BAPI3007_3, text="Balance at the key date, per currency"),
], text="Customer account: balance at a key date"))
def bapi_ar_acc_getkeydatebalance(ctx: CallContext, **p: Any) -> dict[str, Any]:
    bukrs, kunnr, error = _account(ctx, p)
    if error:
        return {"RETURN": error, "KEYBALANCE": []}
    balances: dict[str, list[Any]] = {}
    for item in _lines(ctx, bukrs, kunnr, "00000000", _keydate(ctx, p["KEYDATE"])):
        entry = balances.setdefault(item["LOC_CURRCY"], [Decimal(0), 0])
        entry[0] += item["LC_AMOUNT"]
        entry[1] += 1
    return {"RETURN": {}, "KEYBALANCE": [
        {"COMP_CODE": bukrs, "CUSTOMER": kunnr, "SP_GL_IND": "", "LOC_CURRCY": currency,
         "LC_BAL": total, "ITEMS": f"{count:06d}"}
        for currency, (total, count) in sorted(balances.items())]}


@group.function(interface("BAPI_AR_ACC_GETSTATEMENT", [
    *ACCOUNT, importing("DATE_FROM", DATS, optional=False, text="Posted from"),
    importing("DATE_TO", DATS, text="Posted to (default today)"),
    importing("NOTEDITEMS", CHAR(1), text="Noted items (not built)"),
    exporting("RETURN", BAPIRETURN, "Return value"),
    tables("LINEITEMS", BAPI3007_2, text="Line items posted in the period"),
], text="Customer account: statement (line items posted in a period)"))
def bapi_ar_acc_getstatement(ctx: CallContext, **p: Any) -> dict[str, Any]:
    bukrs, kunnr, error = _account(ctx, p)
    if error:
        return {"RETURN": error, "LINEITEMS": []}
    return {"RETURN": {}, "LINEITEMS": _lines(ctx, bukrs, kunnr, p["DATE_FROM"],
                                               _keydate(ctx, p["DATE_TO"]))}
