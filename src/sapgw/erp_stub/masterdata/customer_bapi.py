"""BAPI_CUSTOMER_CHANGEFROMDATA1: change a customer's general data (Customer.ChangeFromData1).

SAP's interface: CUSTOMERNO, the sales area (PI_SALESORG, PI_DISTR_CHAN, PI_DIVISION), personal
data (PI_PERSONALDATA BAPIKNA101_1 with its X structure) OR company data (PI_COMPANYDATA
BAPIKNA106 with X), optional data (PI_OPT_*: BAPIKNA105), RETURN as BAPIRETURN1. As in SAP
only one of personal and company data may be given, and only fields flagged X change (an X
with a blank value clears the field). The caller commits with BAPI_TRANSACTION_COMMIT.

What the stub keeps of it is KNA1 (`tables.py`): the address fields map to ANRED, NAME1..4,
SORTL, STRAS, PSTLZ, ORT01, REGIO, LAND1 and SPRAS; a person's NAME1 is first and last name.
The change runs through the customer maintenance of the DEBMAS inbound (`maintain`, as a
replacing E1KNA1M built from the customer as stored plus the flagged changes), so both check
alike; then the delta goes to CRM (`crm_delta`, CRS_SEND_TO_SERVER). Not kept, so refused with
F2 922 when flagged: CURRENCY, telephone, fax, e-mail, the optional data (BAPIKNA105).
Ours: ET_RETURN (BAPIRET2) with every message; SAP's RETURN holds the first error only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.basis.api import InSegment, Messages
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.masterdata.crm_delta import send_customer_delta
from sapgw.erp_stub.masterdata.functions import CUSTOMER
from sapgw.erp_stub.masterdata.maintenance import maintain
from sapgw.erp_stub.masterdata.tables import KNA1, KNVV
from sapgw.rfc.ddic import CHAR, NUMC, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2, is_error

group = FunctionGroup("V02D")
_KNA1 = KNA1.__table__  # type: ignore[attr-defined]

# Field of the BAPI structure -> KNA1 field (None: SAP has it, the stub keeps no such field).
PERSONAL = {"TITLE_P": "ANRED", "FIRSTNAME": None, "LASTNAME": None, "CITY": "ORT01",
            "POSTL_COD1": "PSTLZ", "STREET": "STRAS", "COUNTRY": "LAND1", "REGION": "REGIO",
            "LANGU_P": "SPRAS", "TEL1_NUMBR": None, "FAX_NUMBER": None, "E_MAIL": None,
            "CURRENCY": None}
COMPANY = {"TITLE": "ANRED", "NAME": "NAME1", "NAME_2": "NAME2", "NAME_3": "NAME3",
           "NAME_4": "NAME4", "SORT1": "SORTL", "CITY": "ORT01", "POSTL_COD1": "PSTLZ",
           "STREET": "STRAS", "COUNTRY": "LAND1", "REGION": "REGIO", "LANGU": "SPRAS",
           "TEL1_NUMBR": None, "FAX_NUMBER": None, "E_MAIL": None, "CURRENCY": None}
NAMES = {"FIRSTNAME", "LASTNAME"}  # a person's NAME1
OPTIONAL = ("TRANSPZONE", "CONTROL_ACCOUNT", "PMNTTRMS", "SHIP_COND", "DELYG_PLNT",
            "PART_DLV", "C_CTR_AREA")
_WIDTH = {"TITLE_P": 30, "TITLE": 15, "FIRSTNAME": 35, "LASTNAME": 35, "NAME": 35,
          "NAME_2": 35, "NAME_3": 35, "NAME_4": 35, "SORT1": 20, "CITY": 35, "POSTL_COD1": 10,
          "STREET": 35, "COUNTRY": 3, "REGION": 3, "LANGU_P": 1, "LANGU": 1, "TEL1_NUMBR": 30,
          "FAX_NUMBER": 30, "E_MAIL": 241, "CURRENCY": 5}


def _pair(name: str, fields: dict[str, str | None]) -> tuple[Any, Any]:
    data = structure(name, *((f, CHAR(_WIDTH[f])) for f in fields))
    flags = structure(name + "X", *((f, CHAR(1)) for f in fields))
    return data, flags


BAPIKNA101_1, BAPIKNA101_1X = _pair("BAPIKNA101_1", PERSONAL)
BAPIKNA106, BAPIKNA106X = _pair("BAPIKNA106", COMPANY)
BAPIKNA105 = structure("BAPIKNA105", *((f, CHAR(10)) for f in OPTIONAL))
BAPIKNA105X = structure("BAPIKNA105X", *((f, CHAR(1)) for f in OPTIONAL))
BAPIRETURN1 = structure(
    "BAPIRETURN1", ("TYPE", CHAR(1), "Message type"), ("ID", CHAR(20), "Message class"),
    ("NUMBER", NUMC(3), "Message number"), ("MESSAGE", CHAR(220), "Message text"),
    ("LOG_NO", CHAR(20), "Application log number"),
    ("LOG_MSG_NO", NUMC(6), "Application log message number"),
    ("MESSAGE_V1", CHAR(50), "Variable"), ("MESSAGE_V2", CHAR(50), "Variable"),
    ("MESSAGE_V3", CHAR(50), "Variable"), ("MESSAGE_V4", CHAR(50), "Variable"))


@group.function(interface("BAPI_CUSTOMER_CHANGEFROMDATA1", [
    importing("CUSTOMERNO", CHAR(10), optional=False, text="Customer to be changed"),
    importing("PI_SALESORG", CHAR(4), optional=False, text="Sales organization"),
    importing("PI_DISTR_CHAN", CHAR(2), text="Distribution channel"),
    importing("PI_DIVISION", CHAR(2), text="Division"),
    importing("PI_PERSONALDATA", BAPIKNA101_1, text="Customer personal data"),
    importing("PI_PERSONALDATAX", BAPIKNA101_1X, text="Personal data: X = change"),
    importing("PI_OPT_PERSONALDATA", BAPIKNA105, text="Optional personal data"),
    importing("PI_OPT_PERSONALDATAX", BAPIKNA105X, text="Optional personal data: X"),
    importing("PI_COMPANYDATA", BAPIKNA106, text="Customer company data"),
    importing("PI_COMPANYDATAX", BAPIKNA106X, text="Company data: X = change"),
    importing("PI_OPT_COMPANYDATA", BAPIKNA105, text="Optional company data"),
    importing("PI_OPT_COMPANYDATAX", BAPIKNA105X, text="Optional company data: X"),
    exporting("RETURN", BAPIRETURN1, "Return value (the first error, or success)"),
    tables("ET_RETURN", BAPIRET2, text="Every message (ours)"),
], text="Customer: change general data (ChangeFromData1)"))
def bapi_customer_changefromdata1(ctx: CallContext, **p: Any) -> dict[str, Any]:
    messages = Messages(ctx.logical_system)
    kunnr = alpha(p["CUSTOMERNO"], 10)
    personal = any(v == "X" for v in p["PI_PERSONALDATAX"].values())
    company = any(v == "X" for v in p["PI_COMPANYDATAX"].values())
    if personal and company:
        messages.error("F2", "921", "PI_PERSONALDATA", "PI_COMPANYDATA")
    for name in ("PI_OPT_PERSONALDATAX", "PI_OPT_COMPANYDATAX"):
        for field, flag in p[name].items():
            if flag == "X":
                messages.error("F2", "922", field, name.removesuffix("X"))
    data, flags, mapping = ((p["PI_PERSONALDATA"], p["PI_PERSONALDATAX"], PERSONAL) if personal
                            else (p["PI_COMPANYDATA"], p["PI_COMPANYDATAX"], COMPANY))
    with ctx.read() as conn:
        stored = conn.execute(select(_KNA1).where(_KNA1.c.KUNNR == kunnr)).mappings().first()
        area = _sales_area(conn, kunnr, p)
    if stored is None:
        messages.error("F2", "904", "Customer", kunnr)
    elif not area:
        messages.error("F2", "918", "Customer", kunnr, "sales area",
                       "/".join(v for v in (p["PI_SALESORG"], p["PI_DISTR_CHAN"],
                                            p["PI_DIVISION"]) if v))
    else:
        changes = _changes(data, flags, mapping, messages, "PI_PERSONALDATA" if personal
                           else "PI_COMPANYDATA")
        if not messages.failed:
            fields = {f: str(stored[f] or "") for f in CUSTOMER.general.fields}
            segment = InSegment("E1KNA1M", "000001", "000000", 1,
                                {**fields, **changes, "MSGFN": "005", "KUNNR": kunnr})
            if maintain(ctx, CUSTOMER, [segment], messages, "BAPI_CUSTOMER_CHANGE"):
                send_customer_delta(ctx, kunnr)
    rows = [{**row, "PARAMETER": row["PARAMETER"] if row["PARAMETER"] != "IDOC_DATA" else ""}
            for row in messages.rows]
    first = next((r for r in rows if is_error(r)), rows[-1] if rows else None)
    return {"RETURN": {f.name: first[f.name] for f in BAPIRETURN1.fields} if first else {},
            "ET_RETURN": rows}


def _sales_area(conn: Any, kunnr: str, p: dict[str, Any]) -> bool:
    """The customer is defined in the sales area given (as much of it as is given)."""
    table = KNVV.__table__  # type: ignore[attr-defined]
    keys = {"VKORG": p["PI_SALESORG"], "VTWEG": p["PI_DISTR_CHAN"], "SPART": p["PI_DIVISION"]}
    query = select(table.c.KUNNR).where(table.c.KUNNR == kunnr, *(
        table.c[k] == v for k, v in keys.items() if v)).limit(1)
    return conn.execute(query).first() is not None


def _changes(data: dict[str, Any], flags: dict[str, Any], mapping: dict[str, str | None],
             messages: Messages, parameter: str) -> dict[str, str]:
    """KNA1 values of the flagged fields; flagged fields the stub does not keep are errors."""
    changes: dict[str, str] = {}
    for field, flag in flags.items():
        if flag != "X" or field in NAMES:
            continue
        target = mapping.get(field)
        if target is None:
            messages.error("F2", "922", field, parameter)
        else:
            changes[target] = str(data.get(field) or "").strip()[:_KNA1.c[target].type.length]
    if flags.get("FIRSTNAME") == "X" or flags.get("LASTNAME") == "X":
        changes["NAME1"] = " ".join(str(data.get(f) or "").strip()
                                    for f in ("FIRSTNAME", "LASTNAME")).strip()[:35]
    return changes
