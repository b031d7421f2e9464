"""Fund postings arriving as FI documents: CRM_FM_ACL_ACCRUAL_R3_IN and its LOAD_PROXY.

A fund posting of an accrual run becomes one accounting document: per item, Dr accrual
expense (P&L, carrying the IAOM key so that CO debits the fund usage item's order or WBS
element) / Cr accrued liability (balance sheet). A reversal posts the mirror lines and names
the original document (OBJ_KEY_R), which FI marks as reversed. BKPF-XBLNR carries the fund
posting ID, so a re-sent fund posting is recognised and not posted twice.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fi import api as fi
from sapgw.erp_stub.funds.accounts import accrual_accounts
from sapgw.erp_stub.funds.keys import SCENARIO, business_key
from sapgw.erp_stub.funds.postings import Line, document_lines, reference
from sapgw.erp_stub.iaom.api import lookup
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, CUKY, CURR, DATS, NUMC, structure
from sapgw.rfc.interface import FunctionInterface, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2, errors

group = FunctionGroup("FUNDS")

ACCRUAL, REVERSAL = "A", "R"

CRMS_FM_ACL_HEADER_ERP = structure(
    "CRMS_FM_ACL_HEADER_ERP",
    ("FPO_ID", CHAR(20), "Fund posting ID"),
    ("POSTING_TYPE", CHAR(1), "A accrual, R reversal"),
    ("POSTING_DATE", DATS, "Posting date"),
    ("DOC_DATE", DATS, "Document date"),
    ("COMP_CODE", CHAR(4), "Company code"),
    ("HEADER_TXT", CHAR(25), "Document header text"),
    ("RUN_ID", CHAR(20), "Accrual posting run"),
    ("REVERSED_FPO_ID", CHAR(20), "Fund posting reversed by this one"),
    ("USERNAME", CHAR(12), "User name"),
)

CRMS_FM_ACL_ITEM_ERP = structure(
    "CRMS_FM_ACL_ITEM_ERP",
    ("ITEMNO_ACC", NUMC(10), "Item number"),
    ("FU_ID", NUMC(20), "Fund usage ID"),
    ("FU_ITEM", CHAR(10), "Fund usage item ID"),
    ("EXPENSE_TYPE", CHAR(10), "Expense type"),
    ("SALES_ORG", CHAR(4), "Sales organization"),
    ("AMOUNT", CURR(23, 2), "Accrual amount"),
    ("CURRENCY", CUKY, "Currency"),
    ("BUS_SCENARIO", CHAR(16), "IAOM business scenario (blank: CRMFM)"),
    ("EXT_OBJECT_ID", CHAR(34), "IAOM business key (blank: fund usage/item)"),
    ("ITEM_TEXT", CHAR(50), "Item text"),
)


def accrual_interface(name: str, text: str) -> FunctionInterface:
    """R3_IN and LOAD_PROXY share one interface: R3_IN hands its parameters on unchanged."""
    return interface(name, [
        importing("IS_HEADER", CRMS_FM_ACL_HEADER_ERP, optional=False, text="Fund posting"),
        tables("IT_ITEMS", CRMS_FM_ACL_ITEM_ERP, text="Fund posting items"),
        tables("RETURN", BAPIRET2),
    ], text=text)


@group.function(accrual_interface("CRM_FM_ACL_ACCRUAL_R3_IN", "CRM fund posting -> FI"))
def crm_fm_acl_accrual_r3_in(ctx: CallContext, IS_HEADER: dict[str, Any],
                             IT_ITEMS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                             ) -> dict[str, Any]:
    result = ctx.forward("CRM_FM_ACL_ACCRUAL_LOAD_PROXY", IS_HEADER=IS_HEADER, IT_ITEMS=IT_ITEMS)
    RETURN.extend(result["RETURN"])
    return {"IT_ITEMS": IT_ITEMS, "RETURN": RETURN}


@group.function(accrual_interface("CRM_FM_ACL_ACCRUAL_LOAD_PROXY",
                                  "Fund posting -> BAPI_ACC_DOCUMENT_POST"))
def crm_fm_acl_accrual_load_proxy(ctx: CallContext, IS_HEADER: dict[str, Any],
                                  IT_ITEMS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                                  ) -> dict[str, Any]:
    RETURN.extend(post_fund_posting(ctx, IS_HEADER, IT_ITEMS))
    return {"IT_ITEMS": IT_ITEMS, "RETURN": RETURN}


def post_fund_posting(ctx: CallContext, header: dict[str, Any], items: list[dict[str, Any]]
                      ) -> list[dict[str, Any]]:
    """Post one fund posting as one FI document; the messages of every problem otherwise."""
    fpo_id, kind, bukrs = header["FPO_ID"], header["POSTING_TYPE"], header["COMP_CODE"]
    if kind not in (ACCRUAL, REVERSAL):
        return [bapiret2("E", "CRM_FM", "106", kind, fpo_id,
                         parameter="IS_HEADER", field="POSTING_TYPE")]
    xblnr, problem = reference(fpo_id, "FPO_ID")
    if problem is not None:
        return [problem]
    posted = fi.find_by_reference(ctx, bukrs, xblnr)
    if posted is not None:
        return [bapiret2("S", "CRM_FM", "105", fpo_id, posted["AWKEY"])]
    original: dict[str, Any] | None = None
    if kind == REVERSAL:
        original, problem = original_document(ctx, header)
        if problem is not None:
            return [problem]
    lines, messages = item_lines(ctx, items)
    if errors(messages):
        return messages
    document_header = {
        "OBJ_TYPE": "BKPFF", "BUS_ACT": "RFBU", "USERNAME": header["USERNAME"],
        "HEADER_TXT": header["HEADER_TXT"], "COMP_CODE": bukrs,
        "PSTNG_DATE": header["POSTING_DATE"] or ctx.clock.today().strftime("%Y%m%d"),
        "DOC_TYPE": lines[0].document_type if lines else "", "REF_DOC_NO": xblnr,
    }
    document_header["DOC_DATE"] = header["DOC_DATE"] or document_header["PSTNG_DATE"]
    if original is not None:
        document_header.update(OBJ_KEY_R=original["AWKEY"], REASON_REV="01")
    accountgl, currencyamount = document_lines(lines, reverse=kind == REVERSAL)
    result = ctx.call("BAPI_ACC_DOCUMENT_POST", DOCUMENTHEADER=document_header,
                      ACCOUNTGL=accountgl, CURRENCYAMOUNT=currencyamount)
    answer = list(result["RETURN"])
    if not errors(answer):
        answer.append(bapiret2("S", "CRM_FM", "104", fpo_id, result.get("OBJ_KEY", "")))
    return answer


def original_document(ctx: CallContext, header: dict[str, Any]
                      ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The document of the fund posting a reversal reverses, or the error row."""
    reversed_id = header["REVERSED_FPO_ID"]
    if not reversed_id:
        return None, bapiret2("E", "CRM_FM", "107", header["FPO_ID"],
                              parameter="IS_HEADER", field="REVERSED_FPO_ID")
    xblnr, problem = reference(reversed_id, "REVERSED_FPO_ID")
    if problem is not None:
        return None, problem
    original = fi.find_by_reference(ctx, header["COMP_CODE"], xblnr)
    if original is None:
        return None, bapiret2("E", "CRM_FM", "103", reversed_id,
                              parameter="IS_HEADER", field="REVERSED_FPO_ID")
    return original, None


def item_lines(ctx: CallContext, items: list[dict[str, Any]]
               ) -> tuple[list[Line], list[dict[str, Any]]]:
    """Account determination and IAOM key of every item; a message for each one missing."""
    lines: list[Line] = []
    messages: list[dict[str, Any]] = []
    for row, item in enumerate(items, start=1):
        accounts = accrual_accounts(ctx, item["EXPENSE_TYPE"], item["SALES_ORG"])
        if accounts is None:
            messages.append(bapiret2("E", "CRM_FM", "102", item["EXPENSE_TYPE"],
                                     item["SALES_ORG"], parameter="IT_ITEMS", row=row,
                                     field="EXPENSE_TYPE"))
            continue
        scenario = item["BUS_SCENARIO"] or SCENARIO
        key = item["EXT_OBJECT_ID"] or business_key(item["FU_ID"], item["FU_ITEM"])
        if lookup(ctx, scenario, key) is None:
            messages.append(bapiret2("E", "IAOM", "010", scenario, key, parameter="IT_ITEMS",
                                     row=row, field="EXT_OBJECT_ID"))
            continue
        lines.append(Line(
            expense_account=accounts.expense_account,
            accrual_account=accounts.accrual_account,
            document_type=accounts.document_type, amount=item["AMOUNT"],
            currency=item["CURRENCY"], scenario=scenario, ext_object_id=key,
            expense_type=item["EXPENSE_TYPE"], sales_org=item["SALES_ORG"],
            text=item["ITEM_TEXT"]))
    return lines, messages
