"""VLC_VEHICLE_DOWNLOAD_R3A (ours): the R/3 adapter's mapping of a VMS vehicle to CRM_VEHICLE.

VMS sends a vehicle when a CRM-relevant action runs (CRMV "Export Vehicle to CRM", CRMS "Add
Vehicle to CRM Order", …; reference/domain.md §8) as BAPI_CRM_SAVE with adapter object
VEHICLE in queue R3AD_VEHICLE<internal number> (`erp_stub/vms/crm.py`). This module turns
its container rows into the BDoc CRM_VEHICLE, whose flow (MI0) saves the individual object
"Vehicle" in the CDB (`gateway/cdb/iobjects.py`). SAP's BDoc type and mapping module for
vehicles are not public: both names are ours (docs/BDOC_TYPES.md).

    VLCACTDATA (1 row)  -> HEADER.AKTION, SCOPE, CRM_ORDER
    VLCVEHICLE (1 row)  -> HEADER
    VLCCONFIG           -> CONFIG
    VLCPARTNER          -> PARTNERS
    VLCHISTORY          -> HISTORY
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sapgw.adapters.bupa import DownloadError, container_rows
from sapgw.adapters.scenario import AdapterObject, CrmScenario, ErpLink, FlowKey

HEADER_FIELDS = ("VGUID", "VHCLE", "VHVIN", "VLC_MATNR", "CNTRL", "PRIMSTAT", "SECSTAT",
                 "DESCRIPTION")
CONFIG_FIELDS = ("ATNAM", "ATWRT")
PARTNER_FIELDS = ("PARTNER_FCT", "PARTNER", "NAME1", "ORT01")
HISTORY_FIELDS = ("HISTNR", "AKTION", "STATU_OLD", "STATU_NEW", "ERDAT", "ERZEIT", "ERNAM",
                  "CRM_ORDER")


def _one(tables: dict[str, list[dict[str, Any]]], table: str) -> dict[str, Any]:
    rows = tables.get(table, [])
    if len(rows) != 1:
        raise DownloadError("902", f"BAPISTRUCTURES holds {len(rows)} rows of table {table}; "
                            "a vehicle needs exactly one", table, str(len(rows)))
    return rows[0]


def vlc_vehicle_download_r3a(params: dict[str, Any]) -> dict[str, Any]:
    """BAPI_CRM_SAVE's vehicle containers -> CRM_VEHICLE {HEADER, CONFIG, PARTNERS, HISTORY}."""
    tables = container_rows(params["BAPISTRUCTURES"])
    action = _one(tables, "VLCACTDATA")
    vehicle = _one(tables, "VLCVEHICLE")
    header = {name: vehicle.get(name, "") for name in HEADER_FIELDS}
    header |= {"AKTION": action.get("AKTION", ""), "SCOPE": action.get("SCOPE", ""),
               "CRM_ORDER": action.get("CRM_ORDER", ""),
               "SENDER": str(params["HEADER"].get("SENDER", "")).strip()}
    return {"HEADER": header,
            "CONFIG": [_pick(r, CONFIG_FIELDS) for r in tables.get("VLCCONFIG", [])],
            "PARTNERS": [_pick(r, PARTNER_FIELDS) for r in tables.get("VLCPARTNER", [])],
            "HISTORY": [_pick(r, HISTORY_FIELDS) for r in tables.get("VLCHISTORY", [])]}


def _pick(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: row.get(name, "") for name in fields}


def erp_links(bdoc_type: str, data: dict[str, Any]) -> list[ErpLink]:
    """The vehicle in VMS (VELO) and, in CRM, the Automotive IC's view of it."""
    vhcle = data["HEADER"]["VHCLE"]
    return [ErpLink("VELO", f"vehicle {vhcle.lstrip('0')}", {"vhcle": vhcle})]


SCENARIO = CrmScenario(
    name="VEHICLE",
    text="VMS vehicles to CRM individual objects (CRMV/CRMS, R/3 -> CRM)",
    types_file=Path(__file__).with_name("vehicle.toml"),
    adapters=(
        AdapterObject(
            name="VEHICLE", text="VMS vehicle from the ERP to the individual object Vehicle",
            bdoc_type="CRM_VEHICLE", site_type="R/3", from_erp=vlc_vehicle_download_r3a),
    ),
    links=erp_links,
    flow=(FlowKey("vehicle", "CRM_VEHICLE", "HEADER.VHCLE", queue_prefix="R3AD_VEHICLE"),),
)
