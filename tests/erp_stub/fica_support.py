"""FI-CA test helpers: a business partner, its contract account and provider contracts, all
created over RFC as any client would."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.system import LocalConnection
from tests.erp_stub.sd_support import read

__all__ = ["account", "contract", "contract_item", "partner", "read", "setup_partner"]

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
