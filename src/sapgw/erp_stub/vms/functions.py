"""VMS over RFC: create a vehicle, execute an action, add vehicles to a CRM order, read one.

VELO20_CRMS_EXECUTE is SAP's (parameters VLCACTDATA_CS, VLCDIAVEHI_CT and its exceptions,
reference/domain.md §8; the structures' fields and RETURN are ours). VLC_VEHICLE_CREATE,
VLC_ACTION_EXECUTE and VLC_VEHICLE_GET_DETAIL are ours: SAP runs these in transaction VELO,
whose function modules are not public. Writes are registered in the caller's LUW and written
at BAPI_TRANSACTION_COMMIT, as BAPIs do (or at once with IV_COMMIT = X, as transaction VELO
commits); the CRM unit of a CRM-relevant action goes with them.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.vms import crm, vehicles
from sapgw.erp_stub.vms.customizing import status_text
from sapgw.rfc.ddic import CHAR, DATS, NUMC, TIMS, TableType, structure
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.interface import changing, exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("VELO")
RFC_USER = "RFC_USER"

VLC_S_VEHICLE_IN = structure(
    "VLC_S_VEHICLE_IN",
    ("VHVIN", CHAR(35), "Vehicle identification number (17 characters)"),
    ("VLC_MATNR", CHAR(18), "Model (material)"),
    ("CNTRL", CHAR(4), "Action control (blank: VLC1)"),
    ("SECSTAT", CHAR(4), "Secondary status"),
    ("DEALER", CHAR(10), "Dealer (customer)"),
    ("ENDCUST", CHAR(10), "End customer (customer)"),
)
VLC_S_CONFIG = structure(
    "VLC_S_CONFIG",
    ("ATNAM", CHAR(30), "Characteristic"),
    ("ATWRT", CHAR(30), "Value"),
)
VLC_S_PARTNERS = structure(
    "VLC_S_PARTNERS",
    ("DEALER", CHAR(10), "New dealer (blank: unchanged)"),
    ("ENDCUST", CHAR(10), "New end customer (blank: unchanged)"),
)
VLC_S_VEHICLE = structure(
    "VLC_S_VEHICLE",
    ("VGUID", CHAR(22), "Vehicle GUID"),
    ("VHCLE", CHAR(10), "Internal vehicle number"),
    ("VHVIN", CHAR(35), "VIN"),
    ("VLC_MATNR", CHAR(18), "Model"),
    ("CNTRL", CHAR(4), "Action control"),
    ("PRIMSTAT", CHAR(4), "Primary status"),
    ("PRIMSTAT_TEXT", CHAR(40), "Primary status text"),
    ("SECSTAT", CHAR(4), "Secondary status"),
    ("DEALER", CHAR(10), "Dealer"),
    ("ENDCUST", CHAR(10), "End customer"),
    ("CRM_ORDER", CHAR(10), "CRM sales document"),
    ("ERNAM", CHAR(12), "Created by"),
    ("ERDAT", DATS, "Created on"),
    ("AENAM", CHAR(12), "Changed by"),
    ("AEDAT", DATS, "Changed on"),
)
VLC_S_HISTORY = structure(
    "VLC_S_HISTORY",
    ("HISTNR", NUMC(6), "History number"),
    ("AKTION", CHAR(4), "Action"),
    ("STATU_OLD", CHAR(4), "Old status"),
    ("STATU_NEW", CHAR(4), "New status"),
    ("ERDAT", DATS, "Date"),
    ("ERZEIT", TIMS, "Time"),
    ("ERNAM", CHAR(12), "User"),
    ("CRM_ORDER", CHAR(10), "CRM sales document (CRMS)"),
    ("CRM_SENT", CHAR(1), "X: sent to CRM"),
)
VLCACTDATA = structure(
    "VLCACTDATA",
    ("AKTION", CHAR(4), "Action (CRMS)"),
    ("CRM_ORDER", CHAR(10), "CRM sales document the vehicles are added to (ours)"),
    ("ERNAM", CHAR(12), "User (ours; blank: RFC_USER)"),
)
VLCDIAVEHI = structure(
    "VLCDIAVEHI",
    ("VGUID", CHAR(22), "Vehicle GUID"),
    ("VHCLE", CHAR(10), "Internal vehicle number"),
    ("VHVIN", CHAR(35), "VIN"),
)


@group.function(interface("VLC_VEHICLE_CREATE", [
    importing("IS_VEHICLE", VLC_S_VEHICLE_IN, optional=False, text="The vehicle"),
    importing("IV_ACTION", CHAR(4), default="CREA", text="Creating action (CVLC04, blank "
                                                         "old status)"),
    importing("IV_USER", CHAR(12), text="User for the history (blank: RFC_USER)"),
    importing("IV_COMMIT", CHAR(1), text="X: COMMIT WORK when created, as VELO does"),
    tables("IT_CONFIG", VLC_S_CONFIG, text="Configuration: characteristic values"),
    exporting("EV_VHCLE", CHAR(10), "Internal vehicle number"),
    exporting("EV_VGUID", CHAR(22), "Vehicle GUID"),
    tables("RETURN", BAPIRET2),
], text="Create a vehicle (ours; VELO)"))
def vlc_vehicle_create(ctx: CallContext, IS_VEHICLE: dict[str, Any], IV_ACTION: str,
                       IV_USER: str, IV_COMMIT: str, IT_CONFIG: list[dict[str, Any]],
                       RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    data = {**IS_VEHICLE, "DEALER": _key(IS_VEHICLE["DEALER"]),
            "ENDCUST": _key(IS_VEHICLE["ENDCUST"])}
    vehicle, messages = vehicles.create(ctx, data, IT_CONFIG, IV_ACTION.strip().upper(),
                                        IV_USER.strip() or RFC_USER)
    RETURN += messages
    if vehicle is None:
        return {"RETURN": RETURN}
    if IV_COMMIT == "X":
        ctx.commit()
    return {"EV_VHCLE": vehicle["VHCLE"], "EV_VGUID": vehicle["VGUID"], "RETURN": RETURN}


@group.function(interface("VLC_ACTION_EXECUTE", [
    importing("IV_VHVIN", CHAR(35), text="VIN (or IV_VHCLE)"),
    importing("IV_VHCLE", CHAR(10), text="Internal vehicle number"),
    importing("IV_ACTION", CHAR(4), optional=False, text="Action (CVLC01)"),
    importing("IV_CRM_ORDER", CHAR(10), text="CRM sales document (CRMS)"),
    importing("IS_PARTNERS", VLC_S_PARTNERS, text="New dealer / end customer"),
    importing("IV_USER", CHAR(12), text="User for the history (blank: RFC_USER)"),
    importing("IV_COMMIT", CHAR(1), text="X: COMMIT WORK after the action, as VELO does"),
    exporting("ES_VEHICLE", VLC_S_VEHICLE, "The vehicle after the action"),
    tables("RETURN", BAPIRET2),
], text="Execute an action on a vehicle (ours; VELO)"))
def vlc_action_execute(ctx: CallContext, IV_VHVIN: str, IV_VHCLE: str, IV_ACTION: str,
                       IV_CRM_ORDER: str, IS_PARTNERS: dict[str, Any], IV_USER: str,
                       IV_COMMIT: str, RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    vin, vhcle = IV_VHVIN.strip().upper(), _key(IV_VHCLE)
    vehicle = vehicles.find(ctx, vin, vhcle)
    if vehicle is None:
        RETURN.append(vehicles.not_found(vin, vhcle, "IV_VHVIN" if vin else "IV_VHCLE"))
        return {"RETURN": RETURN}
    changes = {"DEALER": _key(IS_PARTNERS.get("DEALER", "")),
               "ENDCUST": _key(IS_PARTNERS.get("ENDCUST", "")),
               "CRM_ORDER": _key(IV_CRM_ORDER)}
    after, messages = vehicles.execute(ctx, vehicle, IV_ACTION.strip().upper(), changes,
                                       IV_USER.strip() or RFC_USER)
    RETURN += messages
    if after is None:
        return {"RETURN": RETURN}
    if IV_COMMIT == "X":
        ctx.commit()
    return {"ES_VEHICLE": _shown(ctx, after), "RETURN": RETURN}


@group.function(interface("VELO20_CRMS_EXECUTE", [
    changing("VLCACTDATA_CS", VLCACTDATA, optional=False, text="Action data (AKTION CRMS)"),
    changing("VLCDIAVEHI_CT", TableType(VLCDIAVEHI), optional=False,
             text="The vehicles to add to the CRM order"),
    tables("RETURN", BAPIRET2, text="Messages (ours)"),
], exceptions=("ACTION_NOT_PERFORMED", "CRM_SETUP_ERROR", "NOT_A_CRM_ORDER",
               "VEHICLE_TRANSFER_NOT_PERFORMED"),
    text="Action CRMS: add vehicles to a CRM sales document and send the assignment"))
def velo20_crms_execute(ctx: CallContext, VLCACTDATA_CS: dict[str, Any],
                        VLCDIAVEHI_CT: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                        ) -> dict[str, Any]:
    aktion = VLCACTDATA_CS["AKTION"].strip().upper() or crm.ORDER_ACTION
    order = _key(VLCACTDATA_CS["CRM_ORDER"])
    if aktion != crm.ORDER_ACTION:
        _raise("NOT_A_CRM_ORDER", bapiret2("E", "VELO", "917", aktion))
    if not order:
        _raise("NOT_A_CRM_ORDER", bapiret2("E", "VELO", "911", aktion, "CRM_ORDER"))
    found = []
    for row in VLCDIAVEHI_CT:  # every vehicle first: an unknown one stops before any change
        vin, vhcle = row["VHVIN"].strip().upper(), _key(row["VHCLE"])
        vehicle = vehicles.find(ctx, vin, vhcle, row["VGUID"].strip())
        if vehicle is None:
            _raise("ACTION_NOT_PERFORMED", vehicles.not_found(vin, vhcle, "VLCDIAVEHI_CT"))
        found.append(vehicle)
    user = VLCACTDATA_CS["ERNAM"].strip() or RFC_USER
    for vehicle in found:
        after, messages = vehicles.execute(ctx, vehicle, aktion, {"CRM_ORDER": order}, user)
        if after is None:
            error = next(m for m in messages if m["TYPE"] in "EA")
            ctx.rollback()  # nothing of the vehicles before it stays registered
            _raise(_EXCEPTION.get(error["NUMBER"], "ACTION_NOT_PERFORMED"), error)
        RETURN += messages
    rows = [{"VGUID": v["VGUID"], "VHCLE": v["VHCLE"], "VHVIN": v["VHVIN"]} for v in found]
    return {"VLCACTDATA_CS": {**VLCACTDATA_CS, "AKTION": aktion, "CRM_ORDER": order},
            "VLCDIAVEHI_CT": rows, "RETURN": RETURN}


# The exception a refused CRMS raises, by the number of its VELO message.
_EXCEPTION = dict((("912", "CRM_SETUP_ERROR"), ("918", "VEHICLE_TRANSFER_NOT_PERFORMED")))


@group.function(interface("VLC_VEHICLE_GET_DETAIL", [
    importing("IV_VHVIN", CHAR(35), text="VIN (or IV_VHCLE)"),
    importing("IV_VHCLE", CHAR(10), text="Internal vehicle number"),
    exporting("ES_VEHICLE", VLC_S_VEHICLE, "The vehicle"),
    tables("ET_CONFIG", VLC_S_CONFIG, text="Configuration"),
    tables("ET_HISTORY", VLC_S_HISTORY, text="History of actions"),
    tables("RETURN", BAPIRET2),
], text="Read a vehicle with configuration and history (ours; VELO)"))
def vlc_vehicle_get_detail(ctx: CallContext, IV_VHVIN: str, IV_VHCLE: str,
                           ET_CONFIG: list[dict[str, Any]], ET_HISTORY: list[dict[str, Any]],
                           RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    vin, vhcle = IV_VHVIN.strip().upper(), _key(IV_VHCLE)
    vehicle = vehicles.find(ctx, vin, vhcle)
    if vehicle is None:
        RETURN.append(vehicles.not_found(vin, vhcle, "IV_VHVIN" if vin else "IV_VHCLE"))
        return {"RETURN": RETURN}
    return {"ES_VEHICLE": _shown(ctx, vehicle),
            "ET_CONFIG": vehicles.config(ctx, vehicle["VGUID"]),
            "ET_HISTORY": vehicles.history(ctx, vehicle["VGUID"]), "RETURN": RETURN}


def _shown(ctx: CallContext, vehicle: dict[str, Any]) -> dict[str, Any]:
    return {f.name: vehicle.get(f.name, "") for f in VLC_S_VEHICLE.fields} | {
        "PRIMSTAT_TEXT": status_text(ctx, vehicle["PRIMSTAT"])}


def _raise(exception: str, message: dict[str, Any]) -> None:
    """MESSAGE ... RAISING exception: the message travels with the exception."""
    raise ABAPApplicationError(message["MESSAGE"], 5, exception, message["ID"], "E",
                               message["NUMBER"], message["MESSAGE_V1"],
                               message["MESSAGE_V2"], message["MESSAGE_V3"],
                               message["MESSAGE_V4"])


def _key(value: str) -> str:
    """A customer, vehicle or CRM order number as stored (ALPHA, 10 places); blank stays."""
    return alpha(value.strip(), 10) if value.strip() else ""
