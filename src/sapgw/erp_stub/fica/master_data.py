"""Business partners and contract accounts over RFC: BAPI_BUPA_CREATE_FROM_DATA (BUT000) and
BAPI_CTRACCONTRACTACCOUNT_CR1 (FKKVK, FKKVKP), with the readers the rest of FI-CA uses.

SAP's function and parameter names; the fields of BAPIFKKVKI / BAPIFKKVKPI are those this
system stores (their names ours where SAP's are not public). Both BAPIs check everything
first and answer every problem in RETURN; they write in the caller's LUW (visible after
BAPI_TRANSACTION_COMMIT) and nothing with TESTRUN = 'X'. Numbers come from number range
objects BU_PARTNER (SAP's) and FKK_VKONT (ours) unless the caller gives one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.fica.customizing import CONVERGENT
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.fica.tables import BUT000, FKKVK, FKKVKP
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, CUKY, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("FKK_MASTER_DATA")   # ours
RFC_USER = "RFC_USER"
PERSON, ORGANIZATION = "1", "2"

BAPIBUS1006_CENTRAL = structure(
    "BAPIBUS1006_CENTRAL", ("SEARCHTERM1", CHAR(20), "Search term 1"))
BAPIBUS1006_CENTRAL_PERSON = structure(
    "BAPIBUS1006_CENTRAL_PERSON", ("FIRSTNAME", CHAR(40), "First name"),
    ("LASTNAME", CHAR(40), "Last name"))
BAPIBUS1006_CENTRAL_ORGAN = structure(
    "BAPIBUS1006_CENTRAL_ORGAN", ("NAME1", CHAR(40), "Name 1 of organization"))
BAPIFKKVKI = structure(
    "BAPIFKKVKI", ("ACCT_CAT", CHAR(2), "Contract account category (VKTYP)"),
    ("APPL_AREA", CHAR(1), "Application area (APPLK), blank: C"),
    ("DESCRIPTION", CHAR(35), "Name (VKBEZ)"),
    ("LEGACY_ACCT", CHAR(20), "Legacy or external reference (VKONA)"))
BAPIFKKVKPI = structure(
    "BAPIFKKVKPI", ("BUSPARTNER", CHAR(10), "Business partner (GPART)"),
    ("COMP_CODE_GROUP", CHAR(4), "Company code group (OPBUK)"),
    ("STANDARD_COMP_CODE", CHAR(4), "Standard company code (STDBK)"),
    ("ACCT_DETERM_ID", CHAR(2), "Account determination ID (KOFIZ)"),
    ("INV_CURRENCY", CUKY, "Invoicing currency (INV_CURR)"))


def partner(ctx: CallContext, gpart: str) -> dict[str, Any] | None:
    """BUT000 of a committed business partner, or None."""
    return _one(ctx, BUT000, PARTNER=alpha(gpart, 10))


def contract_account(ctx: CallContext, vkont: str) -> dict[str, Any] | None:
    """FKKVK of a committed contract account, or None."""
    return _one(ctx, FKKVK, VKONT=alpha(vkont, 12))


def account_partner(ctx: CallContext, vkont: str, gpart: str) -> dict[str, Any] | None:
    """FKKVKP: the contract account's data for this business partner, or None."""
    return _one(ctx, FKKVKP, VKONT=alpha(vkont, 12), GPART=alpha(gpart, 10))


def account_partners(ctx: CallContext, vkont: str) -> list[str]:
    """The business partners of a contract account (FKKVKP), in key order."""
    table = FKKVKP.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        return [row.GPART for row in conn.execute(
            select(table.c.GPART).where(table.c.VKONT == alpha(vkont, 12))
            .order_by(table.c.GPART))]


def _one(ctx: CallContext, model: Any, **key: str) -> dict[str, Any] | None:
    table = model.__table__
    with ctx.read() as conn:
        row = conn.execute(select(table).where(
            *(table.c[name] == value for name, value in key.items()))).mappings().first()
    return dict(row) if row else None


# Where a caller's interface carries a field of BUT000 / FKKVK / FKKVKP: the parameter and
# the field there, for RETURN's PARAMETER and FIELD (and the field named in the message).
Fields = Mapping[str, tuple[str, str]]
PARTNER_DATA = ("TYPE", "BU_GROUP", "NAME_ORG1", "NAME_FIRST", "NAME_LAST")
NAME_OF = {PERSON: "NAME_LAST", ORGANIZATION: "NAME_ORG1"}   # the name a category needs


def check_partner_data(problems: Problems, data: Mapping[str, Any], fields: Fields) -> None:
    """R11 902/903: a category SAP knows (1 person, 2 organization) and the name it needs."""
    needed = NAME_OF.get(data["TYPE"])
    if needed is None:
        problems.error("R11", "902", data["TYPE"], **_where(fields, "TYPE"))
    elif not data[needed]:
        problems.error("R11", "903", fields[needed][1], data["TYPE"], **_where(fields, needed))


def partner_data(data: Mapping[str, Any], search_term: str) -> dict[str, Any]:
    """BUT000's data fields (PARTNER_DATA) and BU_SORT1: the search term given, else the
    name in capitals."""
    row = {name: data[name] for name in PARTNER_DATA}
    row["BU_SORT1"] = search_term or (row["NAME_ORG1"] or row["NAME_LAST"]).upper()[:20]
    return row


def create_partner(ctx: CallContext, gpart: str, row: dict[str, Any]) -> None:
    """Register BUT000 of a new partner (partner_data) in the caller's LUW."""
    now = ctx.clock.now()
    ctx.insert(BUT000, {**row, "PARTNER": gpart, "CRUSR": RFC_USER,
                        "CRDAT": now.strftime("%Y%m%d"), "CRTIM": now.strftime("%H%M%S")})


def check_account_data(ctx: CallContext, problems: Problems, header: Mapping[str, Any],
                       detail: Mapping[str, Any], fields: Fields) -> None:
    """A contract account's category and standard company code are given; the company
    codes and the invoicing currency exist (FKK_CI 004/005/006). OPBUK is checked where
    the caller names it in `fields` (BAPI_CTRACCONTRACTACCOUNT_CR1 takes it as given)."""
    if not header["VKTYP"]:
        problems.required(fields["VKTYP"][1], fields["VKTYP"][0])
    if not detail["STDBK"]:
        problems.required(fields["STDBK"][1], fields["STDBK"][0])
    elif fbas.company_code(ctx, detail["STDBK"]) is None:
        problems.error("FKK_CI", "004", detail["STDBK"], **_where(fields, "STDBK"))
    if "OPBUK" in fields and detail["OPBUK"] and fbas.company_code(
            ctx, detail["OPBUK"]) is None:
        problems.error("FKK_CI", "004", detail["OPBUK"], **_where(fields, "OPBUK"))
    if detail["INV_CURR"] and currency_decimals(ctx, detail["INV_CURR"]) is None:
        problems.error("FKK_CI", "006", detail["INV_CURR"], **_where(fields, "INV_CURR"))


def _where(fields: Fields, name: str) -> dict[str, str]:
    """RETURN's PARAMETER and FIELD of a table field, as the caller's interface names it."""
    parameter, field = fields[name]
    return {"parameter": parameter, "field": field}


def account_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    """FKKVKP's data fields of one partner; the company code group is, unless given, the
    standard company code."""
    return {"OPBUK": detail["OPBUK"] or detail["STDBK"], "STDBK": detail["STDBK"],
            "KOFIZ": detail["KOFIZ"], "INV_CURR": detail["INV_CURR"]}


def create_account(ctx: CallContext, vkont: str, gpart: str, header: dict[str, Any],
                   detail: Mapping[str, Any]) -> None:
    """Register a new contract account (FKKVK: VKTYP, APPLK, VKBEZ, VKONA) with its partner's
    data (FKKVKP, account_detail) in the caller's LUW."""
    ctx.insert(FKKVK, {**header, "VKONT": vkont, "ERNAM": RFC_USER,
                       "ERDAT": ctx.clock.today().strftime("%Y%m%d")})
    ctx.insert(FKKVKP, {**account_detail(detail), "VKONT": vkont, "GPART": gpart})


BUPA_FIELDS: Fields = {"TYPE": ("PARTNERCATEGORY", "PARTNERCATEGORY"),
                       "NAME_LAST": ("CENTRALDATAPERSON", "LASTNAME"),
                       "NAME_ORG1": ("CENTRALDATAORGANIZATION", "NAME1")}


ACCOUNT_FIELDS: Fields = {"VKTYP": ("CTRACHEADERIN", "ACCT_CAT"),
                          "STDBK": ("CTRACPARTNERDETAILIN", "STANDARD_COMP_CODE"),
                          "INV_CURR": ("CTRACPARTNERDETAILIN", "INV_CURRENCY")}


@group.function(interface("BAPI_BUPA_CREATE_FROM_DATA", [
    importing("BUSINESSPARTNEREXTERN", CHAR(10), text="External number (blank: internal)"),
    importing("PARTNERCATEGORY", CHAR(1), optional=False, text="1 person, 2 organization"),
    importing("PARTNERGROUP", CHAR(4), text="Grouping"),
    importing("CENTRALDATA", BAPIBUS1006_CENTRAL, text="Central data"),
    importing("CENTRALDATAPERSON", BAPIBUS1006_CENTRAL_PERSON, text="Person's name"),
    importing("CENTRALDATAORGANIZATION", BAPIBUS1006_CENTRAL_ORGAN, text="Organization"),
    importing("TESTRUN", CHAR(1), text="X: check only, save nothing (ours)"),
    exporting("BUSINESSPARTNER", CHAR(10), "Number of the business partner"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="SAP BP: create business partner"))
def bupa_create(ctx: CallContext, BUSINESSPARTNEREXTERN: str, PARTNERCATEGORY: str,
                PARTNERGROUP: str, CENTRALDATA: dict[str, Any],
                CENTRALDATAPERSON: dict[str, Any], CENTRALDATAORGANIZATION: dict[str, Any],
                TESTRUN: str, RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx)
    data = {"TYPE": PARTNERCATEGORY, "BU_GROUP": PARTNERGROUP,
            "NAME_ORG1": CENTRALDATAORGANIZATION["NAME1"],
            "NAME_FIRST": CENTRALDATAPERSON["FIRSTNAME"],
            "NAME_LAST": CENTRALDATAPERSON["LASTNAME"]}
    check_partner_data(problems, data, BUPA_FIELDS)
    gpart = alpha(BUSINESSPARTNEREXTERN, 10) if BUSINESSPARTNEREXTERN else ""
    if gpart and partner(ctx, gpart) is not None:
        problems.error("R11", "905", gpart, parameter="BUSINESSPARTNEREXTERN",
                       field="BUSINESSPARTNEREXTERN")
    if not problems and TESTRUN != "X" and not gpart:
        try:
            gpart = ctx.numbers.next("BU_PARTNER")
        except NumberRangeError as error:
            problems.number_range(error, "PARTNERCATEGORY")
    if not problems and TESTRUN != "X":
        create_partner(ctx, gpart, partner_data(data, CENTRALDATA["SEARCHTERM1"]))
    RETURN[:] = problems.rows or [problems.success("R11", "904", gpart) if TESTRUN != "X"
                                  else problems.success("FKK_CI", "008")]
    return {"BUSINESSPARTNER": "" if problems or TESTRUN == "X" else gpart, "RETURN": RETURN}


@group.function(interface("BAPI_CTRACCONTRACTACCOUNT_CR1", [
    importing("CONTRACTACCOUNT", CHAR(12), text="External number (blank: internal)"),
    importing("CTRACHEADERIN", BAPIFKKVKI, optional=False, text="Contract account header"),
    importing("CTRACPARTNERDETAILIN", BAPIFKKVKPI, optional=False,
              text="Partner-dependent data"),
    importing("TESTRUN", CHAR(1), text="X: check only, save nothing"),
    exporting("CONTRACTACCOUNTOUT", CHAR(12), "Number of the contract account"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Contract account: create (CAA1)"))
def contract_account_create(ctx: CallContext, CONTRACTACCOUNT: str,
                            CTRACHEADERIN: dict[str, Any],
                            CTRACPARTNERDETAILIN: dict[str, Any], TESTRUN: str,
                            RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx)
    given = CTRACPARTNERDETAILIN
    header = {"VKTYP": CTRACHEADERIN["ACCT_CAT"],
              "APPLK": CTRACHEADERIN["APPL_AREA"] or CONVERGENT,
              "VKBEZ": CTRACHEADERIN["DESCRIPTION"], "VKONA": CTRACHEADERIN["LEGACY_ACCT"]}
    detail = {"OPBUK": given["COMP_CODE_GROUP"], "STDBK": given["STANDARD_COMP_CODE"],
              "KOFIZ": given["ACCT_DETERM_ID"], "INV_CURR": given["INV_CURRENCY"]}
    gpart = alpha(given["BUSPARTNER"], 10) if given["BUSPARTNER"] else ""
    if not gpart:
        problems.required("BUSPARTNER", "CTRACPARTNERDETAILIN")
    elif partner(ctx, gpart) is None:
        problems.error("R11", "901", gpart, parameter="CTRACPARTNERDETAILIN",
                       field="BUSPARTNER")
    check_account_data(ctx, problems, header, detail, ACCOUNT_FIELDS)
    vkont = alpha(CONTRACTACCOUNT, 12) if CONTRACTACCOUNT else ""
    if vkont and contract_account(ctx, vkont) is not None:
        problems.error("FKK_CI", "007", vkont, parameter="CONTRACTACCOUNT",
                       field="CONTRACTACCOUNT")
    if not problems and TESTRUN != "X" and not vkont:
        try:
            vkont = ctx.numbers.next("FKK_VKONT")
        except NumberRangeError as error:
            problems.number_range(error, "CONTRACTACCOUNT")
    if not problems and TESTRUN != "X":
        create_account(ctx, vkont, gpart, header, detail)
    RETURN[:] = problems.rows or [problems.success("FKK_CI", "001", vkont) if TESTRUN != "X"
                                  else problems.success("FKK_CI", "008")]
    return {"CONTRACTACCOUNTOUT": "" if problems or TESTRUN == "X" else vkont,
            "RETURN": RETURN}
