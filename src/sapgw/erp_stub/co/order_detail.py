"""BAPI_INTERNALORDER_GETDETAIL: an internal order's master data and its statuses (KO03).

SAP's interface as public callers use it: ORDERID in; MASTER_DATA (BAPI2075_2) and RETURN (a
BAPIRETURN structure: TYPE, CODE = class + number, MESSAGE, …) out; tables SYSTEM_STATUS,
USER_STATUS and ALLOWED_BUS_TRACT. The status rows' fields are ours (SAP's structure is not
public). The statuses this system keeps: CRTD (I0001) or REL (I0002) from AUFK-PHAS1; no
user status profile exists, so USER_STATUS stays empty. ALLOWED_BUS_TRACT lists the CO
business transactions (VRGNG) the system status allows, by the rules of controlling.md
§1.3: a created order allows only its release (BFRE), a released one actual postings (COIN,
RKL, RKU1) and settlement (KOAO).
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.co.functions import BAPI2075_2, group
from sapgw.erp_stub.co.orders import order
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import text
from sapgw.rfc.ddic import CHAR, NUMC, structure
from sapgw.rfc.interface import exporting, importing, interface, tables

BAPIRETURN = structure(
    "BAPIRETURN",
    ("TYPE", CHAR(1), "Message type"), ("CODE", CHAR(5), "Message class and number"),
    ("MESSAGE", CHAR(220), "Message text"), ("LOG_NO", CHAR(20), "Application log number"),
    ("LOG_MSG_NO", NUMC(6), "Message number in the log"),
    ("MESSAGE_V1", CHAR(50)), ("MESSAGE_V2", CHAR(50)), ("MESSAGE_V3", CHAR(50)),
    ("MESSAGE_V4", CHAR(50)),
)

BAPI2075_3 = structure(
    "BAPI2075_3",
    ("STATUS", CHAR(5), "Status (JEST-STAT)"), ("STATUS_SHORT", CHAR(4), "Status short text"),
    ("DESCRIPTION", CHAR(30), "Status text"),
)

BAPI2075_4 = structure(
    "BAPI2075_4",
    ("BUS_TRANSACTION", CHAR(4), "CO business transaction (VRGNG)"),
    ("DESCRIPTION", CHAR(40), "Text"),
)

SYSTEM_STATUSES = {
    "CRTD": ("I0001", "Created"),
    "REL": ("I0002", "Released"),
}
ALLOWED = {
    "CRTD": [("BFRE", "Release")],
    "REL": [("COIN", "CO through-posting from FI"), ("RKL", "Actual activity allocation"),
            ("RKU1", "Repost costs"), ("KOAO", "Actual settlement")],
}


@group.function(interface("BAPI_INTERNALORDER_GETDETAIL", [
    importing("ORDERID", CHAR(12), optional=False, text="Order number"),
    importing("LANGUAGE", CHAR(1), text="Language of the texts"),
    exporting("MASTER_DATA", BAPI2075_2, "Master data"),
    exporting("RETURN", BAPIRETURN, "Return message (empty: found)"),
    tables("SYSTEM_STATUS", BAPI2075_3, text="System statuses"),
    tables("USER_STATUS", BAPI2075_3, text="User statuses (no status profile: empty)"),
    tables("ALLOWED_BUS_TRACT", BAPI2075_4, text="Business transactions allowed"),
], text="Read an internal order"))
def bapi_internalorder_getdetail(ctx: CallContext, ORDERID: str, LANGUAGE: str,
                                 SYSTEM_STATUS: list[dict[str, Any]],
                                 USER_STATUS: list[dict[str, Any]],
                                 ALLOWED_BUS_TRACT: list[dict[str, Any]]) -> dict[str, Any]:
    aufnr = alpha(ORDERID, 12)
    master = order(ctx, aufnr)
    if master is None:
        message = text("KO", "013", aufnr)
        return {"MASTER_DATA": {}, "SYSTEM_STATUS": [], "USER_STATUS": [],
                "ALLOWED_BUS_TRACT": [],
                "RETURN": _bapireturn("E", "KO013", message, aufnr)}
    status = "REL" if master["PHAS1"] == "X" else "CRTD"
    return {
        "MASTER_DATA": {"ORDER": master["AUFNR"], "ORDER_TYPE": master["AUART"],
                        "ORDER_NAME": master["KTEXT"], "CO_AREA": master["KOKRS"],
                        "COMP_CODE": master["BUKRS"], "CURRENCY": master["WAERS"],
                        "OBJECT_NO": master["OBJNR"], "CREATED_ON": master["ERDAT"]},
        "SYSTEM_STATUS": [{"STATUS": SYSTEM_STATUSES[status][0], "STATUS_SHORT": status,
                           "DESCRIPTION": SYSTEM_STATUSES[status][1]}],
        "USER_STATUS": [],
        "ALLOWED_BUS_TRACT": [{"BUS_TRANSACTION": vrgng, "DESCRIPTION": description}
                              for vrgng, description in ALLOWED[status]],
        "RETURN": _bapireturn(),
    }


def _bapireturn(msg_type: str = "", code: str = "", message: str = "", v1: str = ""
                ) -> dict[str, Any]:
    """A BAPIRETURN with every field (blank: no message)."""
    return {**BAPIRETURN.initial(), "TYPE": msg_type, "CODE": code, "MESSAGE": message,
            "MESSAGE_V1": v1}
