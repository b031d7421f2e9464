"""BUPA_MWX_BDOC_DOWNLOAD_R3A: the R/3 adapter's mapping of a customer from the ERP to BUPA_MAIN.

In SAP the ERP's CRS_SEND_TO_SERVER sends the changed customer as BAPIMTCS container rows
(TABNAME + DATA) to CRM's BAPI_CRM_SAVE; the mapping module of the adapter object
(R3AC1: CUSTOMER_MAIN, R/3 -> CRM) turns them into the mBDoc BUPA_MAIN, whose flow then runs
(MI0: validate and save in CRM, then replicate to the other subscribed sites).

Ours: DATA carries the table row as a JSON object of SAP field names (SAP packs it at the
DDIC widths), and the BDoc's segments are the KNA1 fields (HEADER) and the KNB1 rows
(COMPANY) the stub keeps; the master-data issue extends both. Bad containers raise
`DownloadError` with the row and table, which BAPI_CRM_SAVE answers as its RETURN.
The scenario is declared at the end (`SCENARIO`), as every CRM scenario is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sapgw.adapters.scenario import AdapterObject, CrmScenario, ErpLink, FlowKey

KNA1_FIELDS = ("KUNNR", "KTOKD", "ANRED", "NAME1", "NAME2", "NAME3", "NAME4", "SORTL",
               "STRAS", "PSTLZ", "ORT01", "REGIO", "LAND1", "SPRAS", "STCEG", "LOEVM")
KNB1_FIELDS = ("BUKRS", "AKONT", "ZTERM", "ZUAWA", "BUSAB", "SPERR", "LOEVM")


class DownloadError(ValueError):
    """The container cannot become a BDoc: message number (ours, class SMOF) and variables."""

    def __init__(self, number: str, text: str, *variables: str) -> None:
        super().__init__(text)
        self.number = number
        self.variables = variables


def container_rows(structures: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """BAPIMTCS rows grouped by table, each DATA decoded (row numbers in errors are 1-based)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for number, row in enumerate(structures, 1):
        table = str(row.get("TABNAME", "")).strip().upper()
        try:
            data = json.loads(row.get("DATA") or "{}")
        except json.JSONDecodeError as exc:
            raise DownloadError("903", f"Row {number} of BAPISTRUCTURES ({table}) is not a "
                                f"JSON object: {exc.msg}", str(number), table, exc.msg) from None
        if not isinstance(data, dict):
            raise DownloadError("903", f"Row {number} of BAPISTRUCTURES ({table}) is not a "
                                "JSON object", str(number), table, type(data).__name__)
        tables.setdefault(table, []).append({k.upper(): str(v) for k, v in data.items()})
    return tables


def bupa_mwx_bdoc_download_r3a(params: dict[str, Any]) -> dict[str, Any]:
    """BAPI_CRM_SAVE's KNA1 (exactly one row) and KNB1 (any) -> BUPA_MAIN {HEADER, COMPANY}."""
    tables = container_rows(params["BAPISTRUCTURES"])
    general = tables.get("KNA1", [])
    if len(general) != 1:
        raise DownloadError("902", f"BAPISTRUCTURES holds {len(general)} rows of table KNA1; "
                            "a customer needs exactly one", "KNA1", str(len(general)))
    header = {name: general[0].get(name, "") for name in KNA1_FIELDS}
    company = [{name: row.get(name, "") for name in KNB1_FIELDS}
               for row in tables.get("KNB1", [])]
    return {"HEADER": header, "COMPANY": company}


def erp_links(bdoc_type: str, data: dict[str, Any]) -> list[ErpLink]:
    """The customer master record the BDoc came from (XD03: KNA1 and its company codes)."""
    kunnr = data["HEADER"]["KUNNR"]
    return [ErpLink("XD03", f"customer {kunnr}", {"kunnr": kunnr})]


SCENARIO = CrmScenario(
    name="BUPA",
    text="Business partners: customers from the ERP (delta download, R/3 -> CRM)",
    types_file=Path(__file__).with_name("bupa.toml"),
    adapters=(
        AdapterObject(
            name="CUSTOMER_MAIN", text="Customer from the ERP (KNA1/KNB1) to BUPA_MAIN",
            bdoc_type="BUPA_MAIN", site_type="R/3", from_erp=bupa_mwx_bdoc_download_r3a),
    ),
    links=erp_links,
    flow=(FlowKey("customer", "BUPA_MAIN", "HEADER.KUNNR", queue_prefix="R3AD_CUSTOME"),),
)
