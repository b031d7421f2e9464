"""Vehicles: create one, execute an action on it, read it (VELO's vehicle manager).

Every change is an action (creating a vehicle too, from the blank status): the action
matrix CVLC04 must allow it for the vehicle's action control and status and gives the new
status; a history row (VLCHISTORY) records it with date, time and user. A CRM-relevant
action (CVLC01-CRMREL) also sends the vehicle to CRM (`crm.py`), in the same LUW. Every
check runs before anything is registered, so a refused action leaves nothing behind.
Writes go through the update task: they are written at BAPI_TRANSACTION_COMMIT.
"""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.masterdata import api as masterdata
from sapgw.erp_stub.mm import api as mm
from sapgw.erp_stub.vms import crm
from sapgw.erp_stub.vms.customizing import action, next_status
from sapgw.erp_stub.vms.integrator import IntegratorError, Outgoing
from sapgw.erp_stub.vms.tables import VLCCONFIG, VLCHISTORY, VLCVEHICLE

Message = dict[str, Any]
NUMBER_RANGE = "VLCVEHICLE"          # ours: SAP's number range object is not public
VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
_VEHICLE = VLCVEHICLE.__table__  # type: ignore[attr-defined]
_CONFIG = VLCCONFIG.__table__  # type: ignore[attr-defined]
_HISTORY = VLCHISTORY.__table__  # type: ignore[attr-defined]


def new_vguid() -> str:
    """A 22-character vehicle GUID (SAP's GUID_22 form: 16 bytes in 22 characters)."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def find(ctx: CallContext, vin: str = "", vhcle: str = "", vguid: str = ""
         ) -> dict[str, Any] | None:
    """The committed vehicle with this VIN, internal number or GUID, or None."""
    where = (_VEHICLE.c.VHVIN == vin if vin else _VEHICLE.c.VHCLE == vhcle if vhcle
             else _VEHICLE.c.VGUID == vguid)
    with ctx.read() as conn:
        row = conn.execute(select(_VEHICLE).where(where)).mappings().first()
    return dict(row) if row else None


def not_found(vin: str, vhcle: str, parameter: str) -> Message:
    if vin:
        return bapiret2("E", "VELO", "902", vin, parameter=parameter, field="VHVIN")
    if vhcle:
        return bapiret2("E", "VELO", "903", vhcle, parameter=parameter, field="VHCLE")
    return bapiret2("E", "VELO", "909", parameter=parameter)


def config(ctx: CallContext, vguid: str) -> list[dict[str, Any]]:
    with ctx.read() as conn:
        return [dict(r) for r in conn.execute(select(_CONFIG.c.ATNAM, _CONFIG.c.ATWRT).where(
            _CONFIG.c.VGUID == vguid).order_by(_CONFIG.c.ATNAM)).mappings()]


def history(ctx: CallContext, vguid: str) -> list[dict[str, Any]]:
    with ctx.read() as conn:
        return [dict(r) for r in conn.execute(select(_HISTORY).where(
            _HISTORY.c.VGUID == vguid).order_by(_HISTORY.c.HISTNR)).mappings()]


def create(ctx: CallContext, data: dict[str, Any], characteristics: list[dict[str, Any]],
           aktion: str, user: str) -> tuple[dict[str, Any] | None, list[Message]]:
    """A new vehicle in the status the creating action gives it: (vehicle, RETURN)."""
    vin = data["VHVIN"].strip().upper()
    problems: list[Message] = []
    if not VIN.fullmatch(vin):
        problems.append(bapiret2("E", "VELO", "910", vin, parameter="IS_VEHICLE",
                                 field="VHVIN"))
    elif (existing := find(ctx, vin=vin)) is not None:
        problems.append(bapiret2("E", "VELO", "908", vin, existing["VHCLE"],
                                 parameter="IS_VEHICLE", field="VHVIN"))
    model = mm.matnr(data["VLC_MATNR"].strip())
    if mm.material(ctx, model) is None:
        problems.append(bapiret2("E", "VELO", "906", data["VLC_MATNR"],
                                 parameter="IS_VEHICLE", field="VLC_MATNR"))
    problems += _partner_problems(ctx, data, "IS_VEHICLE")
    cntrl = data["CNTRL"].strip() or "VLC1"
    problems += _action_problems(ctx, aktion)
    status = next_status(ctx, cntrl, "", aktion)
    if status is None and not problems:
        problems.append(bapiret2("E", "VELO", "916", cntrl, aktion, parameter="IS_VEHICLE",
                                 field="CNTRL"))
    if problems:
        return None, problems
    today = ctx.clock.today().strftime("%Y%m%d")
    vehicle = {"VGUID": new_vguid(), "VHCLE": "", "VHVIN": vin, "VLC_MATNR": model,
               "CNTRL": cntrl, "PRIMSTAT": status or "", "SECSTAT": data["SECSTAT"].strip(),
               "DEALER": data["DEALER"], "ENDCUST": data["ENDCUST"], "CRM_ORDER": "",
               "ERNAM": user, "ERDAT": today, "AENAM": "", "AEDAT": ""}
    rows = [{"VGUID": vehicle["VGUID"], "ATNAM": c["ATNAM"].strip().upper(),
             "ATWRT": c["ATWRT"].strip()} for c in characteristics if c["ATNAM"].strip()]
    # Drawn before the send needs it; a refused send leaves a gap, never a duplicate.
    vehicle["VHCLE"] = ctx.numbers.next(NUMBER_RANGE)
    entry = _history_row(ctx, vehicle, 1, aktion, "", user)
    sent = _send(ctx, aktion, vehicle, rows, [], entry)
    if sent and sent[0]["TYPE"] == "E":
        return None, sent
    ctx.insert(VLCVEHICLE, vehicle)
    if rows:
        ctx.insert(VLCCONFIG, rows)
    ctx.insert(VLCHISTORY, entry)
    return vehicle, [bapiret2("S", "VELO", "900", vehicle["VHCLE"], vin, status), *sent]


def execute(ctx: CallContext, vehicle: dict[str, Any], aktion: str, changes: dict[str, str],
            user: str) -> tuple[dict[str, Any] | None, list[Message]]:
    """Run an action on a committed vehicle: (the vehicle after it, RETURN); None and the
    E rows when it is refused, and then nothing is registered.

    `changes` may set DEALER, ENDCUST (the partners) and CRM_ORDER (CRMS: required)."""
    problems = _action_problems(ctx, aktion)
    old = vehicle["PRIMSTAT"]
    status = next_status(ctx, vehicle["CNTRL"], old, aktion)
    if not problems and status is None:
        problems.append(bapiret2("E", "VELO", "905", aktion, vehicle["VHCLE"], old,
                                 vehicle["CNTRL"], parameter="IV_ACTION"))
    if aktion == crm.ORDER_ACTION and not changes.get("CRM_ORDER"):
        problems.append(bapiret2("E", "VELO", "911", aktion, "CRM_ORDER",
                                 parameter="IV_CRM_ORDER"))
    problems += _partner_problems(ctx, changes, "IS_PARTNERS")
    if problems:
        return None, problems
    today = ctx.clock.today().strftime("%Y%m%d")
    updated = {**vehicle, **{k: v for k, v in changes.items() if v}, "PRIMSTAT": status,
               "AENAM": user, "AEDAT": today}
    past = history(ctx, vehicle["VGUID"])
    entry = _history_row(ctx, updated, len(past) + 1, aktion, old, user)
    sent = _send(ctx, aktion, updated, config(ctx, vehicle["VGUID"]), past, entry)
    if sent and sent[0]["TYPE"] == "E":
        return None, sent
    ctx.update(VLCVEHICLE, {"VGUID": vehicle["VGUID"]},
               {k: updated[k] for k in ("PRIMSTAT", "DEALER", "ENDCUST", "CRM_ORDER",
                                        "AENAM", "AEDAT")})
    ctx.insert(VLCHISTORY, entry)
    return updated, [bapiret2("S", "VELO", "901", aktion, vehicle["VHCLE"], old or "-", status),
                     *sent]


def _history_row(ctx: CallContext, vehicle: dict[str, Any], number: int, aktion: str,
                 old: str, user: str) -> dict[str, Any]:
    now = ctx.clock.now()
    crm_relevant = action(ctx, aktion)
    return {"VGUID": vehicle["VGUID"], "HISTNR": f"{number:06d}", "AKTION": aktion,
            "STATU_OLD": old, "STATU_NEW": vehicle["PRIMSTAT"],
            "ERDAT": now.strftime("%Y%m%d"), "ERZEIT": now.strftime("%H%M%S"), "ERNAM": user,
            "CRM_ORDER": vehicle["CRM_ORDER"] if aktion == crm.ORDER_ACTION else "",
            "CRM_SENT": "X" if crm_relevant is not None and crm_relevant.CRMREL else ""}


def _send(ctx: CallContext, aktion: str, vehicle: dict[str, Any], rows: list[dict[str, Any]],
          past: list[dict[str, Any]], entry: dict[str, Any]) -> list[Message]:
    """Send to CRM when the action is CRM relevant; the messages of it (E: nothing sent)."""
    if not entry["CRM_SENT"]:
        return [bapiret2("I", "VELO", "915", aktion)]
    scope_history = [entry] if aktion == crm.ORDER_ACTION else [*past, entry]
    outgoing = Outgoing(dict(vehicle), [{"ATNAM": r["ATNAM"], "ATWRT": r["ATWRT"]}
                                        for r in rows],
                        crm.partners(ctx, vehicle),
                        [{k: v for k, v in h.items() if k != "VGUID"} for h in scope_history])
    try:
        implementation, queue = crm.send(ctx, aktion, outgoing)
    except crm.CrmSetupError as exc:
        return [bapiret2("E", "VELO", "912", str(exc))]
    except IntegratorError as exc:
        return [bapiret2("E", "VELO", "918", exc.implementation, str(exc))]
    if not queue:
        return [bapiret2("W", "VELO", "914", implementation, vehicle["VHCLE"])]
    return [bapiret2("S", "VELO", "913", vehicle["VHCLE"], queue)]


def _action_problems(ctx: CallContext, aktion: str) -> list[Message]:
    if action(ctx, aktion) is None:
        return [bapiret2("E", "VELO", "904", aktion, parameter="IV_ACTION")]
    return []


def _partner_problems(ctx: CallContext, data: dict[str, Any], parameter: str
                      ) -> list[Message]:
    problems = []
    for field, label in (("DEALER", "dealer"), ("ENDCUST", "end customer")):
        kunnr = data.get(field, "")
        if kunnr and masterdata.customer(ctx, kunnr) is None:
            problems.append(bapiret2("E", "VELO", "907", kunnr, label, parameter=parameter,
                                     field=field))
    return problems
