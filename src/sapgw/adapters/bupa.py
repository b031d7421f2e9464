"""Business partners as customers and vendors, both directions (R/3 adapter).

From the ERP (delta download, reference/domain.md §3.3): the ERP's CRS_SEND_TO_SERVER sends
the changed customer or vendor as BAPIMTCS container rows (TABNAME + DATA) to CRM's
BAPI_CRM_SAVE; the adapter object's mapping module R/3 -> CRM (CUSTOMER_MAIN:
BUPA_MWX_BDOC_DOWNLOAD_R3A; VENDOR_MAIN: VEND_MWX_BDOC_DOWNLOAD_R3A, ours) turns them into
the mBDoc BUPA_MAIN or VEND_MAIN, whose flow saves the partner in the CDB and replicates it
to the other subscribed sites.

To the ERP (upload, R3AU queues): a BUPA_MAIN (customer role) or VEND_MAIN (vendor role)
BDoc from CRM goes through adapter object BUPA_MAIN / VEND_MAIN (mapping modules
CRM_BUPA_MAIN_MAP_TO_ERP / CRM_VEND_MAIN_MAP_TO_ERP, ours) to the ERP's CRM_UPLOAD_TRIGGER
with the partner's company code data (the AIC cookbook's enhancement). A site that keeps
partners in company codes (`[site …] company_codes`) must get data for each of them: a
partner without it ends E08 naming partner, company code and site, and nothing is sent.

The mapping is data: `ROLES` says, per role, which BDoc segment is which ERP table and which
fields it carries; both directions read it. Ours: DATA carries the row as a JSON object of
SAP field names (SAP packs it at the DDIC widths); the CRM business partner number is the
ERP's customer/vendor number (SAP's "same number" setting; the ERP's account group must
then number externally). Bad containers raise `DownloadError` with the row and table,
which BAPI_CRM_SAVE answers as its RETURN. The scenario is declared at the end (`SCENARIO`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sapgw.adapters.scenario import (
    AdapterObject,
    CrmScenario,
    ErpLink,
    FlowKey,
    MappingError,
    MappingInput,
)
from sapgw.types import RfcCall

UPLOAD_FUNCTION = "CRM_UPLOAD_TRIGGER"
PARTNER_FIELDS = ("PARTNER", "PARTNER_GUID", "BU_GROUP")  # CRM's own, not sent to the ERP


@dataclass(frozen=True)
class Level:
    """One BDoc segment and the ERP table it corresponds to, with the fields both carry."""

    segment: str
    table: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    """A partner role's mapping: the general data (HEADER) and the segments of rows."""

    name: str                          # Customer / Vendor, for messages
    bdoc_type: str
    objname: str                       # adapter object of the upload
    number_field: str                  # KUNNR / LIFNR
    general: Level
    company: Level
    dunning: Level                     # KNB5/LFB5: fields of the COMPANY rows
    area: Level


CUSTOMER = Role(
    "Customer", "BUPA_MAIN", "BUPA_MAIN", "KUNNR",
    general=Level("HEADER", "KNA1", (
        "KUNNR", "KTOKD", "ANRED", "NAME1", "NAME2", "NAME3", "NAME4", "SORTL", "STRAS",
        "PSTLZ", "ORT01", "REGIO", "LAND1", "SPRAS", "STCEG", "LOEVM")),
    company=Level("COMPANY", "KNB1", ("BUKRS", "AKONT", "ZTERM", "ZUAWA", "BUSAB", "SPERR",
                                      "LOEVM")),
    dunning=Level("COMPANY", "KNB5", ("BUKRS", "MAHNA", "MANSP")),
    area=Level("SALES", "KNVV", ("VKORG", "VTWEG", "SPART", "WAERS", "KTGRD", "LOEVM")),
)
VENDOR = Role(
    "Vendor", "VEND_MAIN", "VEND_MAIN", "LIFNR",
    general=Level("HEADER", "LFA1", (
        "LIFNR", "KTOKK", "NAME1", "SORTL", "STRAS", "PSTLZ", "ORT01", "REGIO", "LAND1",
        "SPRAS", "TELF1", "BRSCH", "LOEVM")),
    company=Level("COMPANY", "LFB1", ("BUKRS", "AKONT", "ZTERM", "ZUAWA", "SPERR", "LOEVM")),
    dunning=Level("COMPANY", "LFB5", ("BUKRS", "MAHNA", "MANSP")),
    area=Level("PURCHASING", "LFM1", ("EKORG", "WAERS", "ZTERM", "LOEVM")),
)
ROLES = {role.bdoc_type: role for role in (CUSTOMER, VENDOR)}


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


def download(role: Role, params: dict[str, Any]) -> dict[str, Any]:
    """BAPI_CRM_SAVE's rows -> the role's BDoc: exactly one general row; company code rows
    with their dunning data; sales area or purchasing rows."""
    tables = container_rows(params["BAPISTRUCTURES"])
    general = tables.get(role.general.table, [])
    if len(general) != 1:
        raise DownloadError("902", f"BAPISTRUCTURES holds {len(general)} rows of table "
                            f"{role.general.table}; a {role.name.lower()} needs exactly one",
                            role.general.table, str(len(general)))
    header = {name: general[0].get(name, "") for name in role.general.fields}
    header.update({name: "" for name in PARTNER_FIELDS})
    header["CHANGED_AT"] = str(params["HEADER"].get("CHANGED_AT") or "").strip()
    dunning = {row.get("BUKRS", ""): row for row in tables.get(role.dunning.table, [])
               if not row.get("MABER")}
    company = [{**{name: row.get(name, "") for name in role.company.fields},
                **{name: dunning.get(row.get("BUKRS", ""), {}).get(name, "")
                   for name in role.dunning.fields if name != "BUKRS"}}
               for row in tables.get(role.company.table, [])]
    area = [{name: row.get(name, "") for name in role.area.fields}
            for row in tables.get(role.area.table, [])]
    return {"HEADER": header, role.company.segment: company, role.area.segment: area}


def bupa_mwx_bdoc_download_r3a(params: dict[str, Any]) -> dict[str, Any]:
    """CUSTOMER_MAIN, R/3 -> CRM: KNA1, KNB1 + KNB5, KNVV -> BUPA_MAIN."""
    return download(CUSTOMER, params)


def vend_mwx_bdoc_download_r3a(params: dict[str, Any]) -> dict[str, Any]:
    """VENDOR_MAIN, R/3 -> CRM (ours): LFA1, LFB1 + LFB5, LFM1 -> VEND_MAIN."""
    return download(VENDOR, params)


def upload(role: Role, bdoc: MappingInput) -> list[RfcCall]:
    """The BDoc -> one CRM_UPLOAD_TRIGGER call with the partner's rows, after checking that
    every company code the receiving site keeps partners in has data."""
    data = bdoc.data
    header = data["HEADER"]
    number = header[role.number_field]
    company = data.get(role.company.segment) or []
    given = {row["BUKRS"] for row in company}
    missing = [bukrs for bukrs in bdoc.company_codes if bukrs not in given]
    if missing:
        partner = header.get("PARTNER") or number
        raise MappingError(
            f"{role.name} {number} (business partner {partner}) has no company code data "
            f"for company code {', '.join(missing)}, which site {bdoc.site} keeps partners "
            f"in: add the company code data ({role.company.table}: reconciliation account, "
            "payment terms) and reprocess")
    rows = [_container(role.general.table, {f: header.get(f, "")
                                            for f in role.general.fields})]
    rows += [_container(role.company.table, {f: row.get(f, "") for f in role.company.fields})
             for row in company]
    rows += [_container(role.dunning.table, {f: row.get(f, "") for f in role.dunning.fields})
             for row in company if row.get("MAHNA") or row.get("MANSP")]
    rows += [_container(role.area.table, {f: row.get(f, "") for f in role.area.fields})
             for row in data.get(role.area.segment) or []]
    return [RfcCall(UPLOAD_FUNCTION, {
        "HEADER": {"OBJNAME": role.objname, "OBJCLASS": "BUPA", "LOAD_TYPE": "U",
                   "SENDER": "CRM", "OBJKEY": number, "BDOC_ID": bdoc.bdoc_id,
                   "CHANGED_AT": _changed_at(header, bdoc.created_at)},
        "BAPISTRUCTURES": rows})]


def _changed_at(header: dict[str, Any], created_at: datetime | None) -> str:
    """When CRM made the change, for the ERP's later-wins check: HEADER.CHANGED_AT when
    the BDoc carries it, else the BDoc's creation (UTC, YYYYMMDDhhmmss.ffffff)."""
    given = str(header.get("CHANGED_AT") or "").strip()
    if given or created_at is None:
        return given
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S.%f")


def crm_bupa_main_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    """BUPA_MAIN, CRM -> R/3 (ours): the customer with company codes, dunning, sales areas."""
    return upload(CUSTOMER, bdoc)


def crm_vend_main_map_to_erp(bdoc: MappingInput) -> list[RfcCall]:
    """VEND_MAIN, CRM -> R/3 (ours): the vendor with company codes, dunning, purchasing."""
    return upload(VENDOR, bdoc)


def _container(table: str, row: dict[str, Any]) -> dict[str, str]:
    return {"TABNAME": table, "DATA": json.dumps(row, separators=(",", ":"))}


def erp_links(bdoc_type: str, data: dict[str, Any]) -> list[ErpLink]:
    """The ERP master record the BDoc came from or went to (XD03 customer, XK03 vendor)."""
    if bdoc_type == VENDOR.bdoc_type:
        lifnr = data["HEADER"]["LIFNR"]
        return [ErpLink("XK03", f"vendor {lifnr}", {"lifnr": lifnr})]
    kunnr = data["HEADER"]["KUNNR"]
    return [ErpLink("XD03", f"customer {kunnr}", {"kunnr": kunnr})]


SCENARIO = CrmScenario(
    name="BUPA",
    text="Business partners: customers and vendors with company code data, both directions",
    types_file=Path(__file__).with_name("bupa.toml"),
    adapters=(
        AdapterObject(
            name="CUSTOMER_MAIN", text="Customer from the ERP (KNA1/KNB1/KNB5/KNVV) to BUPA_MAIN",
            bdoc_type="BUPA_MAIN", site_type="R/3", from_erp=bupa_mwx_bdoc_download_r3a),
        AdapterObject(
            name="VENDOR_MAIN", text="Vendor from the ERP (LFA1/LFB1/LFB5/LFM1) to VEND_MAIN",
            bdoc_type="VEND_MAIN", site_type="R/3", from_erp=vend_mwx_bdoc_download_r3a),
        AdapterObject(
            name="BUPA_MAIN", text="Business partner (customer role) to the ERP customer",
            bdoc_type="BUPA_MAIN", site_type="R/3", to_erp=crm_bupa_main_map_to_erp,
            queue_prefix="R3AUBUPA", queue_key="HEADER.KUNNR"),
        AdapterObject(
            name="VEND_MAIN", text="Business partner (vendor role) to the ERP vendor",
            bdoc_type="VEND_MAIN", site_type="R/3", to_erp=crm_vend_main_map_to_erp,
            queue_prefix="R3AUVEND", queue_key="HEADER.LIFNR"),
    ),
    links=erp_links,
    flow=(FlowKey("customer", "BUPA_MAIN", "HEADER.KUNNR", queue_prefix="R3AD_CUSTOME"),
          FlowKey("vendor", "VEND_MAIN", "HEADER.LIFNR", queue_prefix="R3AD_VENDOR")),
)
