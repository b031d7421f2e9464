"""BAdI VLC_CRM_INTEGRATOR: the hook that decides what a CRM-relevant action sends to CRM.

SAP calls it for every CRM-relevant action (and the initial load of vehicles); its methods
prepare the vehicle for the individual object (PREPARE_COMPLETEVEHICLE_CRM), the vehicle's
dealer and end customer for the CRM partner relationships (PREPARE_VEHICLE_BUPAREL_CRM) and
the VMS history for the CRM event history (PREPARE_VEHICLE_HISTORY_CRM); reference/domain.md
§8. Here an implementation is a Python class named in VLC_BADI ("package.module:Class", ours
for SXC_EXIT) with any of these methods, in lower case:

    prepare_completevehicle_crm(vehicle: dict) -> dict | None
    prepare_vehicle_buparel_crm(vehicle: dict, partners: list[dict]) -> list[dict]
    prepare_vehicle_history_crm(vehicle: dict, history: list[dict]) -> list[dict]

Each gets copies and answers what is sent: a changed (enriched) vehicle or None to send
nothing at all (the filter), the partner rows and history rows to send. A method it lacks
sends the data unchanged. `ExampleIntegrator` is the data set's example.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

METHODS = ("PREPARE_COMPLETEVEHICLE_CRM", "PREPARE_VEHICLE_BUPAREL_CRM",
           "PREPARE_VEHICLE_HISTORY_CRM")


class IntegratorError(Exception):
    """The implementation raised or answered something that cannot be sent."""

    def __init__(self, message: str, implementation: str = "") -> None:
        super().__init__(message)
        self.implementation = implementation


@dataclass
class Outgoing:
    """What an action sends: the vehicle and the rows that go with it."""

    vehicle: dict[str, Any]
    config: list[dict[str, Any]] = field(default_factory=list)
    partners: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)


def apply(implementation: Any, outgoing: Outgoing) -> Outgoing | None:
    """Run the implementation's methods on the outgoing data: the data to send, or None
    when PREPARE_COMPLETEVEHICLE_CRM filtered the vehicle out."""
    try:
        vehicle = _call(implementation, "prepare_completevehicle_crm",
                        copy.deepcopy(outgoing.vehicle), default=outgoing.vehicle)
        if vehicle is None:
            return None
        if not isinstance(vehicle, dict):
            raise IntegratorError("PREPARE_COMPLETEVEHICLE_CRM answered "
                                  f"{type(vehicle).__name__}, not a dict or None")
        partners = _rows(implementation, "prepare_vehicle_buparel_crm", vehicle,
                         outgoing.partners)
        history = _rows(implementation, "prepare_vehicle_history_crm", vehicle,
                        outgoing.history)
    except IntegratorError:
        raise
    except Exception as exc:  # the implementation's own failure, named for the user
        raise IntegratorError(f"{type(exc).__name__}: {exc}") from exc
    return Outgoing(vehicle, outgoing.config, partners, history)


def _call(implementation: Any, method: str, *args: Any, default: Any) -> Any:
    found = getattr(implementation, method, None)
    return default if found is None else found(*args)


def _rows(implementation: Any, method: str, vehicle: dict[str, Any],
          rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answer = _call(implementation, method, copy.deepcopy(vehicle), copy.deepcopy(rows),
                   default=rows)
    if answer is None:
        return []
    if not isinstance(answer, list) or not all(isinstance(r, dict) for r in answer):
        raise IntegratorError(f"{method.upper()} answered {type(answer).__name__}, "
                              "not a list of rows")
    return answer


class ExampleIntegrator:
    """The data set's example implementation (vms/demo.toml, [vms_badi_implementations]):
    test vehicles (VIN starting with TEST) stay in VMS, the vehicle is enriched with a
    description for the CRM individual object, and only history of CRM-relevant or
    status-changing actions goes to the event history."""

    def prepare_completevehicle_crm(self, vehicle: dict[str, Any]) -> dict[str, Any] | None:
        if str(vehicle.get("VHVIN", "")).startswith("TEST"):
            return None
        model = str(vehicle.get("VLC_MATNR", "")).lstrip("0")
        vehicle["DESCRIPTION"] = f"{model} {vehicle.get('VHVIN', '')}".strip()[:40]
        return vehicle

    def prepare_vehicle_history_crm(self, vehicle: dict[str, Any],
                                    history: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [row for row in history
                if row.get("CRM_SENT") or row.get("STATU_OLD") != row.get("STATU_NEW")]
