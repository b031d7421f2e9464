"""`sapgw erp vehicle create|action|show`: VMS vehicles over RFC (transaction VELO's work).

create  VLC_VEHICLE_CREATE with IV_COMMIT = X: VIN, model, dealer, end customer, control,
        configuration as ATNAM=VALUE pairs
action  VLC_ACTION_EXECUTE with IV_COMMIT = X: CRMV exports the vehicle to CRM, CRMS adds it
        to a CRM sales document (--crm-order), any other action of Define Actions
show    VLC_VEHICLE_GET_DETAIL: the vehicle, its configuration and history

The RETURN rows come first (`T ID NUMBER text`); exit 1 when one is an error (e.g. VELO 902
for a VIN VMS does not know), 2 on input that cannot work (a configuration pair without =).
"""

from __future__ import annotations

import argparse
from typing import Any

from sapgw.gateway.cli_support import UsageError, alpha_arg, fail, failed_return, return_summary
from sapgw.gateway.tables_text import render


def _pair(value: str) -> tuple[str, str]:
    name, sep, setting = value.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{value!r} is not ATNAM=VALUE")
    return name.strip().upper(), setting.strip()


_pair.__name__ = "configuration value"


def _vin(value: str) -> str:
    return value.strip().upper()


_vin.__name__ = "VIN"


def add_parsers(erp_sub: Any, common: argparse.ArgumentParser) -> None:
    vehicle = erp_sub.add_parser("vehicle", parents=[common], help="VMS vehicles: create, "
                                 "execute an action (CRMV, CRMS, …), show")
    sub = vehicle.add_subparsers(dest="vehicle_command", metavar="COMMAND", required=True)
    create = sub.add_parser("create", parents=[common], help="create a vehicle")
    create.add_argument("vin", type=_vin, help="the vehicle identification number (17)")
    create.add_argument("--model", required=True, help="the model: a material (VLC_MATNR)")
    create.add_argument("--dealer", type=alpha_arg(10), default="", help="dealer (customer)")
    create.add_argument("--end-customer", type=alpha_arg(10), default="",
                        help="end customer (customer)")
    create.add_argument("--control", default="", help="action control (blank: VLC1)")
    create.add_argument("--config", type=_pair, nargs="*", default=[], metavar="ATNAM=VALUE",
                        help="configuration: characteristic values")
    create.add_argument("--action", default="CREA", help="the creating action (CREA)")
    action = sub.add_parser("action", parents=[common], help="execute an action on a vehicle")
    action.add_argument("vin", type=_vin, help="the vehicle's VIN")
    action.add_argument("action", type=str.upper, help="the action, e.g. CRMV or CRMS")
    action.add_argument("--crm-order", type=alpha_arg(10), default="",
                        help="the CRM sales document (CRMS)")
    action.add_argument("--dealer", type=alpha_arg(10), default="", help="new dealer")
    action.add_argument("--end-customer", type=alpha_arg(10), default="",
                        help="new end customer")
    show = sub.add_parser("show", parents=[common], help="a vehicle with configuration and "
                          "history")
    show.add_argument("vin", type=_vin, help="the vehicle's VIN")


def run(args: argparse.Namespace, client: Any, show: Any) -> int:
    if args.vehicle_command == "create":
        if not args.model.strip():
            raise UsageError("--model needs a material number")
        result = client.rfc("VLC_VEHICLE_CREATE", IV_ACTION=args.action.upper(), IV_COMMIT="X",
                            IS_VEHICLE={"VHVIN": args.vin, "VLC_MATNR": args.model,
                                        "DEALER": args.dealer, "ENDCUST": args.end_customer,
                                        "CNTRL": args.control.upper()},
                            IT_CONFIG=[{"ATNAM": n, "ATWRT": v} for n, v in args.config])
        return _answer(result, show, "")
    if args.vehicle_command == "action":
        result = client.rfc("VLC_ACTION_EXECUTE", IV_VHVIN=args.vin, IV_ACTION=args.action,
                            IV_CRM_ORDER=args.crm_order, IV_COMMIT="X",
                            IS_PARTNERS={"DEALER": args.dealer,
                                         "ENDCUST": args.end_customer})
        return _answer(result, show, _vehicle_line(result.get("ES_VEHICLE") or {}))
    result = client.rfc("VLC_VEHICLE_GET_DETAIL", IV_VHVIN=args.vin)
    error = failed_return(result)
    if error is not None:
        return fail(error)
    text = "\n".join([
        _vehicle_line(result["ES_VEHICLE"]),
        render(result["ET_CONFIG"], [("ATNAM", "Characteristic"), ("ATWRT", "Value")],
               "(no configuration)"),
        render(result["ET_HISTORY"], [("HISTNR", "No."), ("AKTION", "Action"),
                                      ("STATU_OLD", "Old"), ("STATU_NEW", "New"),
                                      ("ERDAT", "Date"), ("ERZEIT", "Time"),
                                      ("ERNAM", "User"), ("CRM_ORDER", "CRM doc"),
                                      ("CRM_SENT", "To CRM")], "(no history)")])
    show(result, text)
    return 0


def _answer(result: dict[str, Any], show: Any, extra: str) -> int:
    show(result, "\n".join(filter(None, [return_summary(result), extra])))
    error = failed_return(result)
    return fail(error) if error is not None else 0


def _vehicle_line(v: dict[str, Any]) -> str:
    if not v.get("VHCLE"):
        return ""
    return (f"Vehicle {v['VHCLE'].lstrip('0')}  VIN {v['VHVIN']}  model {v['VLC_MATNR']}  "
            f"status {v['PRIMSTAT']} {v.get('PRIMSTAT_TEXT', '')}  dealer "
            f"{v['DEALER'].lstrip('0') or '-'}  end customer "
            f"{v['ENDCUST'].lstrip('0') or '-'}  CRM document "
            f"{v['CRM_ORDER'].lstrip('0') or '-'}")
