"""FI-CA test helpers: a business partner, its contract account and provider contracts, all
created over RFC as any client would."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.sd_support import read

__all__ = ["BIT_API", "DEVICE", "SERVICE", "account", "bit", "bits", "contract",
           "contract_item", "contract_with_items", "partner", "read", "setup_partner"]

START = "20261201000000"
END = "20271130235959"


def partner(conn: LocalConnection, name: str = "Telco Customer GmbH") -> str:
    result = conn.call("BAPI_BUPA_CREATE_FROM_DATA", PARTNERCATEGORY="2",
                       CENTRALDATAORGANIZATION={"NAME1": name})
    assert [row["TYPE"] for row in result["RETURN"]] == ["S"], result["RETURN"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    return str(result["BUSINESSPARTNER"])


def account(conn: LocalConnection, gpart: str, **detail: Any) -> str:
    result = conn.call("BAPI_CTRACCONTRACTACCOUNT_CREATE",
                       CTRACHEADERIN={"ACCT_CAT": "01", "DESCRIPTION": "Mobile"},
                       CTRACPARTNERDETAILIN={"BUSPARTNER": gpart, "STANDARD_COMP_CODE": "1000",
                                             "ACCT_DETERM_ID": "01", **detail})
    assert [row["TYPE"] for row in result["RETURN"]] == ["S"], result["RETURN"]
    conn.call("BAPI_TRANSACTION_COMMIT")
    return str(result["CONTRACTACCOUNTOUT"])


def setup_partner(conn: LocalConnection) -> tuple[str, str]:
    gpart = partner(conn)
    return gpart, account(conn, gpart)


def contract_item(vtpos: str, vkont: str, **fields: Any) -> dict[str, Any]:
    return {"VTPOS": vtpos, "VKONT": vkont, "VALFR": START, "VALTO": END, **fields}


def contract(conn: LocalConnection, header: dict[str, Any], items: list[dict[str, Any]],
             commit: bool = True, **params: Any) -> dict[str, Any]:
    result = conn.call("FKK_VT_MAINTAIN", VT_HEADER={"BUKRS": "1000", **header},
                       VT_ITEMS=items, **params)
    if commit and result["VTKEY"]:
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result


BIT_API = "/1FE/0SAP_BIT_CREATE_API"
DEVICE = {"PRDNR": "DEVICE", "RAREL": "X", "RECURR_SERVICE_TYPE": "RECFEE",
          "TRPRC_TOTAL": "90", "TRPRC_CURR": "EUR", "SSPRC_TOTAL": "100"}
SERVICE = {"PRDNR": "SERVICE", "RAREL": "X", "RECURR_SERVICE_TYPE": "RECFEE",
           "TRPRC": "2.5", "TRPRC_TOTAL": "30", "TRPRC_CURR": "EUR",
           "TRPRC_FREQ_UNIT": "MON", "TRPRC_FREQ_DURATION": "1"}


def contract_with_items(conn: LocalConnection, vtkey: str = "PC-1") -> tuple[str, str]:
    """A partner, its account and a provider contract with items 10 (device) and 20
    (service), valid 2026-12-01 .. 2027-11-30: (partner, account)."""
    gpart, vkont = setup_partner(conn)
    result = contract(conn, {"VTKEY": vtkey, "GPART": gpart},
                      [contract_item("10", vkont, **DEVICE),
                       contract_item("20", vkont, **SERVICE)])
    assert result["VTKEY"] == vtkey, result["RETURN"]
    return gpart, vkont


def bit(srctaid: str, vkont: str, amount: str, bittype: str = "USAG", **fields: Any
        ) -> dict[str, Any]:
    return {"SRCTATYPE": "01", "SRCTAID": srctaid, "SUBPROCESS": "SUBP", "BITTYPE": bittype,
            "VKONT": vkont, "VTREF": "PC-1", "VTPOS": "20", "BIT_AMOUNT": amount,
            "BIT_CURR": "EUR", "BITDATE": "20261215", **fields}


def bits(conn: LocalConnection, *items: dict[str, Any], commit: bool = True,
         **params: Any) -> dict[str, Any]:
    result = conn.call(BIT_API, IT_BIT_IT=list(items), **params)
    if commit:
        conn.call("BAPI_TRANSACTION_COMMIT")
    return result
