"""CRM_FM_ACCOUNTING_R3_IN: a fund usage arrives and gets its account assignment objects.

Each fund usage item becomes an IAOM assignment of business scenario CRMFM: an internal
order (controlling type S) or the trade promotion's WBS element (T). That object must exist
before any accrual of the item can be posted. A fund usage that belongs to a trade promotion
needs the promotion's project in ERP first (the seed's failure when usages overtook TPMs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.funds.keys import SCENARIO, business_key
from sapgw.erp_stub.iaom import api as iaom
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.ps.api import project, wbs_element, wbs_posid
from sapgw.rfc.ddic import CHAR, CUKY, CURR, NUMC, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2, errors

group = FunctionGroup("FUNDS")

CRMS_FM_FU_ERP = structure(
    "CRMS_FM_FU_ERP",
    ("FU_ID", NUMC(20), "Fund usage ID"),
    ("FUND_ID", CHAR(20), "Fund ID"),
    ("FUND_TYPE", CHAR(10), "Fund type"),
    ("TPM_ID", CHAR(20), "Trade promotion ID"),
    ("COMP_CODE", CHAR(4), "Company code"),
    ("SALES_ORG", CHAR(4), "Sales organization"),
    ("CURRENCY", CUKY, "Currency"),
    ("EXPENSE_TYPE", CHAR(10), "Expense type"),
    ("DESCRIPTION", CHAR(40), "Description"),
)

CRMS_FM_FU_ITEM_ERP = structure(
    "CRMS_FM_FU_ITEM_ERP",
    ("ITEM_ID", CHAR(10), "Fund usage item ID"),
    ("AMOUNT", CURR(23, 2), "Amount"),
    ("EXPENSE_TYPE", CHAR(10), "Expense type (blank: the fund usage's)"),
)


@dataclass(frozen=True)
class Planned:
    """One assignment to create: its key, controlling and the CO object (None: a new order)."""

    row: int
    item_id: str
    key: str
    controlling: iaom.Controlling
    object_no: str | None


@group.function(interface("CRM_FM_ACCOUNTING_R3_IN", [
    importing("IS_FUND_USAGE", CRMS_FM_FU_ERP, optional=False, text="Fund usage"),
    tables("IT_ITEMS", CRMS_FM_FU_ITEM_ERP, text="Fund usage items"),
    tables("RETURN", BAPIRET2),
], text="CRM fund usage -> IAOM account assignment objects"))
def crm_fm_accounting_r3_in(ctx: CallContext, IS_FUND_USAGE: dict[str, Any],
                            IT_ITEMS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                            ) -> dict[str, Any]:
    RETURN.extend(account_fund_usage(ctx, IS_FUND_USAGE, IT_ITEMS))
    return {"IT_ITEMS": IT_ITEMS, "RETURN": RETURN}


def account_fund_usage(ctx: CallContext, usage: dict[str, Any], items: list[dict[str, Any]]
                       ) -> list[dict[str, Any]]:
    """Create the missing assignments of a fund usage; nothing at all if any item fails."""
    fu_id, tpm_id = usage["FU_ID"], usage["TPM_ID"]
    if fbas.company_code(ctx, usage["COMP_CODE"]) is None:
        return [bapiret2("E", "F5", "165", usage["COMP_CODE"],
                         parameter="IS_FUND_USAGE", field="COMP_CODE")]
    if tpm_id and project(ctx, tpm_id) is None:
        return [bapiret2("E", "CRM_FM", "101", tpm_id, fu_id.lstrip("0"),
                         parameter="IS_FUND_USAGE", field="TPM_ID")]
    if not items:
        return [bapiret2("W", "IAOM", "016", fu_id.lstrip("0"))]
    planned, messages = plan(ctx, usage, items)
    if errors(messages):
        return messages
    for entry in planned:
        object_no = entry.object_no or "OR" + co.create_order(
            ctx, order_type=entry.controlling.order_type, company_code=usage["COMP_CODE"],
            text=order_text(fu_id, entry.item_id, usage["DESCRIPTION"]))
        iaom.register(ctx, SCENARIO, entry.key, object_no,
                             entry.controlling.controlling_type)
        messages.append(bapiret2("S", "IAOM", "011", object_no, SCENARIO, entry.key,
                                 parameter="IT_ITEMS", row=entry.row))
    return messages


def plan(ctx: CallContext, usage: dict[str, Any], items: list[dict[str, Any]]
         ) -> tuple[list[Planned], list[dict[str, Any]]]:
    """Check every item before anything is created: what to create, and all the messages."""
    planned: list[Planned] = []
    messages: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row, item in enumerate(items, start=1):
        key = business_key(usage["FU_ID"], item["ITEM_ID"])
        if key in seen:
            continue
        seen.add(key)
        existing = iaom.lookup(ctx, SCENARIO, key)
        if existing is not None:
            messages.append(bapiret2("S", "IAOM", "017", existing["OBJECT_NO"], SCENARIO, key,
                                     parameter="IT_ITEMS", row=row))
            continue
        expense_type = item["EXPENSE_TYPE"] or usage["EXPENSE_TYPE"]
        controlling = iaom.determine(ctx, SCENARIO, expense_type)
        if controlling is None:
            messages.append(bapiret2("E", "IAOM", "015", SCENARIO))
            break
        object_no, error = co_object(ctx, usage, controlling)
        if error is not None:
            messages.append({**error, "PARAMETER": "IT_ITEMS", "ROW": row})
            continue
        planned.append(Planned(row, item["ITEM_ID"], key, controlling, object_no))
    return planned, messages


def co_object(ctx: CallContext, usage: dict[str, Any], controlling: iaom.Controlling
              ) -> tuple[str | None, dict[str, Any] | None]:
    """The existing CO object for type T, None for a new order of type S, or an error row."""
    kind = controlling.controlling_type
    if kind == iaom.SINGLE_OBJECT:
        if co.order_type(ctx, controlling.order_type) is None:
            return None, bapiret2("E", "IAOM", "012", controlling.order_type, SCENARIO)
        return None, None
    if kind == iaom.EXISTING_OBJECT:
        if not usage["TPM_ID"]:
            return None, bapiret2("E", "IAOM", "013", usage["FU_ID"].lstrip("0"))
        posid = wbs_posid(usage["TPM_ID"])
        wbs = wbs_element(ctx, posid)
        if wbs is None:
            return None, bapiret2("E", "CJ", "021", posid)
        return wbs["OBJNR"], None
    return None, bapiret2("E", "IAOM", "014", kind, SCENARIO)


def order_text(fu_id: str, item_id: str, description: str) -> str:
    """KTEXT of the internal order: names the fund usage item, then its description."""
    text = f"Fund usage {fu_id.lstrip('0')}/{item_id.lstrip('0')} {description}"
    return text.strip()[:40]
