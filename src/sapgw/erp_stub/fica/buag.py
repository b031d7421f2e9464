"""FKK_BUAG_MAINTAIN (ours): a CRM business partner with its business agreement, replicated
by the middleware (BDoc BUAG_MAIN, adapter object BUAG_MAIN), becomes or changes the ERP's
business partner (BUT000) and contract account (FKKVK, FKKVKP).

SAP replicates a CRM business agreement 1:1 to an FI-CA contract account (reference
domain.md §1.4, §9.2: CRMC_BUT_CALL_FU's BUAG entry COM_BUAG_MWX_MAP_MAIN_CENTRAL); the ERP's
inbound function is not public, so this one and its parameters are ours. The CRM numbers are
the ERP's (business partner = BUT000-PARTNER, business agreement = FKKVK-VKONT: SAP's
"same number" setting). IS_PARTNER given (a category): the partner is created or its names
changed; not given: the partner must exist (R11 901). The account is created, or its header
and this partner's data changed; an account of another partner is refused (FKK_CI 003).
Every problem is answered at once in RETURN (E); nothing is registered while there is one.
Writes in the caller's LUW (the middleware's tRFC unit commits it).
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fica.customizing import CONVERGENT
from sapgw.erp_stub.fica.master_data import (
    PARTNER_DATA,
    Fields,
    account_detail,
    account_partners,
    check_account_data,
    check_partner_data,
    contract_account,
    create_account,
    create_partner,
    group,
    partner,
    partner_data,
)
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.fica.tables import BUT000, FKKVK, FKKVKP
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.rfc.ddic import CHAR, CUKY, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

FKK_BUAG_PARTNER = structure(
    "FKK_BUAG_PARTNER", ("PARTNER", CHAR(10), "Business partner (CRM = ERP number)"),
    ("TYPE", CHAR(1), "Category: 1 person, 2 organization (blank: must exist)"),
    ("BU_GROUP", CHAR(4), "Grouping"), ("BU_SORT1", CHAR(20), "Search term"),
    ("NAME_ORG1", CHAR(40), "Name of organization"), ("NAME_FIRST", CHAR(40), "First name"),
    ("NAME_LAST", CHAR(40), "Last name"))
FKK_BUAG_ACCOUNT = structure(
    "FKK_BUAG_ACCOUNT", ("VKONT", CHAR(12), "Contract account (= business agreement)"),
    ("VKTYP", CHAR(2), "Contract account category"), ("VKBEZ", CHAR(35), "Name"),
    ("VKONA", CHAR(20), "Legacy or external reference"),
    ("OPBUK", CHAR(4), "Company code group (blank: STDBK)"),
    ("STDBK", CHAR(4), "Standard company code"),
    ("KOFIZ", CHAR(2), "Account determination ID"), ("INV_CURR", CUKY, "Invoicing currency"))
PARTNER_FIELDS: Fields = {name: ("IS_PARTNER", name) for name in PARTNER_DATA}
ACCOUNT_FIELDS: Fields = {name: ("IS_ACCOUNT", name)
                          for name in ("VKTYP", "STDBK", "OPBUK", "INV_CURR")}


def _partner_problems(ctx: CallContext, data: dict[str, Any], problems: Problems) -> str:
    gpart = alpha(data["PARTNER"], 10) if data["PARTNER"] else ""
    if not gpart:
        problems.required("PARTNER", "IS_PARTNER")
    elif not data["TYPE"]:
        if partner(ctx, gpart) is None:
            problems.error("R11", "901", gpart, parameter="IS_PARTNER", field="PARTNER")
    else:
        check_partner_data(problems, data, PARTNER_FIELDS)
    return gpart


def _account_problems(ctx: CallContext, data: dict[str, Any], gpart: str,
                      problems: Problems) -> str:
    vkont = alpha(data["VKONT"], 12) if data["VKONT"] else ""
    if not vkont:
        problems.required("VKONT", "IS_ACCOUNT")
    elif gpart and contract_account(ctx, vkont) is not None and gpart not in (
            account_partners(ctx, vkont)):
        problems.error("FKK_CI", "003", vkont, gpart, parameter="IS_ACCOUNT", field="VKONT")
    check_account_data(ctx, problems, data, data, ACCOUNT_FIELDS)
    return vkont


def _save_partner(ctx: CallContext, data: dict[str, Any], gpart: str,
                  problems: Problems) -> dict[str, Any]:
    """Create the partner or change its names; the success message."""
    row = partner_data(data, data["BU_SORT1"])
    if partner(ctx, gpart) is None:
        create_partner(ctx, gpart, row)
        return problems.success("R11", "904", gpart)
    ctx.update(BUT000, {"PARTNER": gpart}, row)
    return problems.success("R11", "906", gpart)


def _save_account(ctx: CallContext, data: dict[str, Any], vkont: str, gpart: str,
                  problems: Problems) -> dict[str, Any]:
    """Create the account with this partner's data, or change both; the success message."""
    header = {"VKTYP": data["VKTYP"], "VKBEZ": data["VKBEZ"], "VKONA": data["VKONA"]}
    if contract_account(ctx, vkont) is None:
        create_account(ctx, vkont, gpart, {**header, "APPLK": CONVERGENT}, data)
        return problems.success("FKK_CI", "001", vkont)
    ctx.update(FKKVK, {"VKONT": vkont}, header)
    ctx.update(FKKVKP, {"VKONT": vkont, "GPART": gpart}, account_detail(data))
    return problems.success("FKK_CI", "072", vkont)


@group.function(interface("FKK_BUAG_MAINTAIN", [
    importing("IS_PARTNER", FKK_BUAG_PARTNER, optional=False, text="Business partner"),
    importing("IS_ACCOUNT", FKK_BUAG_ACCOUNT, optional=False, text="Contract account"),
    importing("TESTRUN", CHAR(1), text="X: check only, save nothing"),
    exporting("PARTNER", CHAR(10), "Business partner saved"),
    exporting("VKONT", CHAR(12), "Contract account saved"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Business partner and contract account from CRM (BUAG_MAIN; ours)"))
def fkk_buag_maintain(ctx: CallContext, IS_PARTNER: dict[str, Any],
                      IS_ACCOUNT: dict[str, Any], TESTRUN: str,
                      RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx)
    gpart = _partner_problems(ctx, IS_PARTNER, problems)
    vkont = _account_problems(ctx, IS_ACCOUNT, gpart, problems)
    if problems or TESTRUN == "X":
        RETURN[:] = problems.rows or [problems.success("FKK_CI", "008")]
        return {"PARTNER": "", "VKONT": "", "RETURN": RETURN}
    saved = [_save_partner(ctx, IS_PARTNER, gpart, problems)] if IS_PARTNER["TYPE"] else []
    RETURN[:] = [*saved, _save_account(ctx, IS_ACCOUNT, vkont, gpart, problems)]
    return {"PARTNER": gpart, "VKONT": vkont, "RETURN": RETURN}
