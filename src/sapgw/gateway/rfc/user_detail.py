"""BAPI_USER_GET_DETAIL, served by the gateway: the users of `[auth]` as SAP's user master.

Integration code asks SAP who a user is (existence, user type, lock state, roles) before it
logs on or to show a name; pyrfc's own tests call this BAPI. The users here are those of the
gateway's `[auth]` section: each is a dialog user (USTYP A), not locked, with one role
(activity group) per sapgw role. Ours: the role names `SAPGW_<ROLE>` (SAPGW_ADMIN,
SAPGW_DISPLAY, SAPGW_RFC) and the empty address data (the config has none). An unknown user
answers RETURN E 01 124 "User &1 does not exist", as SAP does.
"""

from __future__ import annotations

from typing import Any

from sapgw.gateway.rfc.served import GatewayCall, gateway_function
from sapgw.rfc.ddic import CHAR, DATS, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

HIGHEST_DATE = "99991231"

BAPILOGOND = structure(
    "BAPILOGOND",
    ("GLTGV", DATS, "Valid from"), ("GLTGB", DATS, "Valid to"),
    ("USTYP", CHAR(1), "User type (A dialog, B system, C communication, S service)"),
    ("CLASS", CHAR(12), "User group"), ("ACCNT", CHAR(12), "Account ID"),
    ("TZONE", CHAR(6), "Time zone"),
)
BAPIDEFAUL = structure(
    "BAPIDEFAUL",
    ("LANGU", CHAR(1), "Logon language"), ("DATFM", CHAR(1), "Date format"),
    ("DCPFM", CHAR(1), "Decimal notation"), ("SPLD", CHAR(4), "Output device"),
)
BAPIADDR3 = structure(
    "BAPIADDR3",
    ("FIRSTNAME", CHAR(40), "First name"), ("LASTNAME", CHAR(40), "Last name"),
    ("FULLNAME", CHAR(80), "Full name"), ("E_MAIL", CHAR(241), "E-mail address"),
)
BAPISLOCKD = structure(
    "BAPISLOCKD",
    ("WRNG_LOGON", CHAR(1), "Locked after failed logons"), ("LOCAL_LOCK", CHAR(1), "Locked"),
    ("GLOB_LOCK", CHAR(1), "Locked globally"), ("NO_USER_PW", CHAR(1), "No password"),
)
BAPIAGR = structure(
    "BAPIAGR",
    ("AGR_NAME", CHAR(30), "Role"), ("FROM_DAT", DATS, "Valid from"),
    ("TO_DAT", DATS, "Valid to"), ("AGR_TEXT", CHAR(80), "Role text"),
)
ROLE_TEXTS = {"admin": "sapgw administrator: monitor actions, reset, faults",
              "display": "sapgw display: monitor and REST reads",
              "rfc": "sapgw RFC: JSON RFC, SOAP RFC and IDoc services"}


@gateway_function(interface("BAPI_USER_GET_DETAIL", [
    importing("USERNAME", CHAR(12), optional=False, text="User name"),
    importing("CACHE_RESULTS", CHAR(1), default="X", text="Buffer the results (no effect)"),
    exporting("LOGONDATA", BAPILOGOND, "Logon data"),
    exporting("DEFAULTS", BAPIDEFAUL, "Defaults"),
    exporting("ADDRESS", BAPIADDR3, "Address data"),
    exporting("ISLOCKED", BAPISLOCKD, "Lock state"),
    tables("ACTIVITYGROUPS", BAPIAGR, text="Roles (out)"),
    tables("RETURN", BAPIRET2, text="Messages (out)"),
], text="Read the details of a user (the users of [auth])"))
def bapi_user_get_detail(call: GatewayCall, params: dict[str, Any]) -> dict[str, Any]:
    name = params["USERNAME"].strip()
    users = {user.name.upper(): user for user in call.gateway.settings.auth.users.values()}
    user = users.get(name.upper())
    if user is None:
        return {"RETURN": [{"TYPE": "E", "ID": "01", "NUMBER": "124",
                            "MESSAGE": f"User {name} does not exist", "MESSAGE_V1": name}]}
    return {
        "LOGONDATA": {"GLTGV": "", "GLTGB": HIGHEST_DATE, "USTYP": "A", "CLASS": "SAPGW",
                      "TZONE": "UTC"},
        "DEFAULTS": {"LANGU": "E", "DATFM": "4", "DCPFM": ""},
        "ADDRESS": {"LASTNAME": user.name, "FULLNAME": user.name},
        "ISLOCKED": {"WRNG_LOGON": "U", "LOCAL_LOCK": "U", "GLOB_LOCK": "U", "NO_USER_PW": "U"},
        "ACTIVITYGROUPS": [{"AGR_NAME": f"SAPGW_{user.role.upper()}", "FROM_DAT": "",
                            "TO_DAT": HIGHEST_DATE, "AGR_TEXT": ROLE_TEXTS.get(user.role, "")}],
        "RETURN": [],
    }
