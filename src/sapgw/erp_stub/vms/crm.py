"""Sending a vehicle to CRM: what a CRM-relevant action (CRMV, CRMS, …) sends, and how.

The vehicle goes, as every object of the CRM plug-in does, as BAPI_CRM_SAVE in the
outbound qRFC queue of the object (CRMQNAMES, R3AD_VEHICLE + internal number: one vehicle's
actions arrive in order) to the consumer CRM's destination (CRMRFCPAR), registered IN
BACKGROUND TASK in the action's LUW: nothing goes when the LUW is rolled back. The adapter
object is VEHICLE (ours), the container rows (BAPIMTCS) are:

    VLCACTDATA   the action that sent it: AKTION, SCOPE (V complete vehicle, S the
                 assignment to a CRM sales document), CRM_ORDER
    VLCVEHICLE   the vehicle (after the action), DESCRIPTION when the BAdI enriches it
    VLCCONFIG    configuration rows (scope V)
    VLCPARTNER   partner relationships DEALER / ENDCUST with name and city (scope V)
    VLCHISTORY   history rows: all of them (scope V) or the action's own (scope S)

BAdI VLC_CRM_INTEGRATOR (`integrator.py`) sees and may change all of it first.
"""

from __future__ import annotations

import json
from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.masterdata import api as masterdata
from sapgw.erp_stub.vms import integrator
from sapgw.erp_stub.vms.customizing import crm_integrator
from sapgw.erp_stub.vms.integrator import IntegratorError, Outgoing

OBJECT = "VEHICLE"             # adapter object / CRMQNAMES object name (ours)
COMPLETE, ORDER = "V", "S"     # scope: complete vehicle (CRMV), assignment to an order (CRMS)
ORDER_ACTION = "CRMS"
PARTNER_FUNCTIONS = (("DEALER", "DEALER"), ("ENDCUST", "ENDCUST"))


class CrmSetupError(Exception):
    """No destination for vehicles (CRMRFCPAR): "no suitable plugin for sending data to CRM"."""


def partners(ctx: CallContext, vehicle: dict[str, Any]) -> list[dict[str, Any]]:
    """The vehicle's dealer and end customer as partner relationship rows."""
    rows = []
    for function, field in PARTNER_FUNCTIONS:
        kunnr = vehicle.get(field, "")
        if kunnr:
            found = masterdata.customer(ctx, kunnr)
            rows.append({"PARTNER_FCT": function, "PARTNER": kunnr,
                         "NAME1": found.name if found else "",
                         "ORT01": found.city if found else ""})
    return rows


def send(ctx: CallContext, aktion: str, outgoing: Outgoing) -> tuple[str, str]:
    """Register BAPI_CRM_SAVE for the vehicle after the BAdI: (the active implementation or
    "", the queue, "" when the BAdI filtered the vehicle out). Raises CrmSetupError (no
    destination) or IntegratorError (the BAdI failed); then nothing is registered."""
    dest = masterdata.crm_destination(ctx, OBJECT)
    if dest is None:
        raise CrmSetupError(f"CRMRFCPAR has no active destination for object {OBJECT}")
    active = _integrator(ctx)
    name = ""
    if active is not None:
        name, implementation = active
        try:
            prepared = integrator.apply(implementation, outgoing)
        except IntegratorError as exc:
            raise IntegratorError(str(exc), name) from exc
        if prepared is None:
            return name, ""
        outgoing = prepared
    vehicle = outgoing.vehicle
    queue = masterdata.crm_queue_name(ctx, OBJECT, vehicle["VHCLE"])
    scope = ORDER if aktion == ORDER_ACTION else COMPLETE
    rows = [_container("VLCACTDATA", {"AKTION": aktion, "SCOPE": scope,
                                      "CRM_ORDER": vehicle.get("CRM_ORDER", "")}),
            _container("VLCVEHICLE", vehicle)]
    if scope == COMPLETE:
        rows += [_container("VLCCONFIG", row) for row in outgoing.config]
        rows += [_container("VLCPARTNER", row) for row in outgoing.partners]
    rows += [_container("VLCHISTORY", row) for row in outgoing.history]
    ctx.call_in_background_task("BAPI_CRM_SAVE", destination=dest, queue=queue, HEADER={
        "OBJNAME": OBJECT, "OBJCLASS": OBJECT, "LOAD_TYPE": "D",
        "SENDER": ctx.logical_system, "OBJKEY": vehicle["VHCLE"]}, BAPISTRUCTURES=rows)
    return name, queue


def _integrator(ctx: CallContext) -> tuple[str, Any] | None:
    try:
        return crm_integrator(ctx)
    except ValueError as exc:
        raise IntegratorError(str(exc), "VLC_BADI") from exc


def _container(table: str, row: dict[str, Any]) -> dict[str, str]:
    return {"TABNAME": table, "DATA": json.dumps(row, separators=(",", ":"), default=str)}
