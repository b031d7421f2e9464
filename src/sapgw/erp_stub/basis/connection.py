"""RFC_PING, STFC_CONNECTION, RFC_GET_FUNCTION_INTERFACE, BAPI_TRANSACTION_COMMIT/ROLLBACK."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import ABAP_TYPE, CHAR, INT4, Elementary, Structure, TableType, structure
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.interface import Parameter, exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("SRFC")

RFC_FUNINT = structure(
    "RFC_FUNINT",
    ("PARAMCLASS", CHAR(1)), ("PARAMETER", CHAR(30)), ("TABNAME", CHAR(30)),
    ("FIELDNAME", CHAR(30)), ("EXID", CHAR(1)), ("POSITION", INT4), ("OFFSET", INT4),
    ("INTLENGTH", INT4), ("DECIMALS", INT4), ("DEFAULT", CHAR(21)), ("PARAMTEXT", CHAR(79)),
    ("OPTIONAL", CHAR(1)),
)


@group.function(interface("RFC_PING", [], text="Empty function: connection test"))
def rfc_ping(ctx: CallContext) -> dict[str, Any]:
    return {}


@group.function(interface("STFC_CONNECTION", [
    importing("REQUTEXT", CHAR(255), optional=False, text="Text to echo"),
    exporting("ECHOTEXT", CHAR(255), "Echo of REQUTEXT"),
    exporting("RESPTEXT", CHAR(255), "System information"),
]))
def stfc_connection(ctx: CallContext, REQUTEXT: str) -> dict[str, Any]:
    now = ctx.clock.now()
    return {"ECHOTEXT": REQUTEXT,
            "RESPTEXT": f"SAP R/3 Rel. 750 Sysid: ERP Date: {now:%Y%m%d} Time: {now:%H%M%S} "
                        f"Logon_Data: {ctx.system.client}/SAPGW/E"}


@group.function(interface("RFC_GET_FUNCTION_INTERFACE", [
    importing("FUNCNAME", CHAR(30), optional=False, text="Name of the function module"),
    importing("LANGUAGE", CHAR(1), default="E"),
    importing("NONE_UNICODE_LENGTH", CHAR(1)),
    exporting("REMOTE_CALL", CHAR(1)),
    exporting("UPDATE_TASK", CHAR(1)),
    tables("PARAMS", RFC_FUNINT),
], exceptions=("FU_NOT_FOUND", "NAMETAB_FAULT")))
def rfc_get_function_interface(ctx: CallContext, FUNCNAME: str, LANGUAGE: str,
                               NONE_UNICODE_LENGTH: str, PARAMS: list[dict[str, Any]]
                               ) -> dict[str, Any]:
    if FUNCNAME not in ctx.system.registry:
        raise ABAPApplicationError(f"Function module {FUNCNAME} not found", 5, "FU_NOT_FOUND",
                                   "FL", "E", "046", FUNCNAME)
    function_interface = ctx.system.registry.get(FUNCNAME).interface
    unicode = NONE_UNICODE_LENGTH != "X"
    rows: list[dict[str, Any]] = []
    for position, param in enumerate(function_interface.parameters, start=1):
        rows.extend(_param_rows(param, position, unicode))
    return {"REMOTE_CALL": "R", "UPDATE_TASK": "", "PARAMS": rows}


def _param_rows(param: Parameter, position: int, unicode: bool) -> list[dict[str, Any]]:
    type_ = param.type
    length = type_.uc_length if unicode else type_.nuc_length
    row = {"PARAMCLASS": param.direction.paramclass, "PARAMETER": param.name,
           "TABNAME": type_.name if not isinstance(type_, Elementary) else "",
           "FIELDNAME": "", "EXID": ABAP_TYPE[type_.kind], "POSITION": position, "OFFSET": 0,
           "INTLENGTH": length, "DECIMALS": getattr(type_, "decimals", 0),
           "DEFAULT": "" if param.default is None else str(param.default)[:21],
           "PARAMTEXT": param.text[:79], "OPTIONAL": "X" if param.optional else ""}
    rows = [row]
    row_type = type_.row if isinstance(type_, TableType) else type_
    if isinstance(row_type, Structure):
        offset = 0
        for number, field in enumerate(row_type.fields, start=1):
            field_length = field.type.uc_length if unicode else field.type.nuc_length
            rows.append({**row, "FIELDNAME": field.name, "EXID": ABAP_TYPE[field.type.kind],
                         "POSITION": number, "OFFSET": offset, "INTLENGTH": field_length,
                         "DECIMALS": getattr(field.type, "decimals", 0), "DEFAULT": "",
                         "PARAMTEXT": field.text[:79]})
            offset += field_length
    return rows


@group.function(interface("BAPI_TRANSACTION_COMMIT", [
    importing("WAIT", CHAR(1), text="X: wait until the update is done"),
    exporting("RETURN", BAPIRET2),
]))
def bapi_transaction_commit(ctx: CallContext, WAIT: str) -> dict[str, Any]:
    ctx.commit()
    return {}


@group.function(interface("BAPI_TRANSACTION_ROLLBACK", [exporting("RETURN", BAPIRET2)]))
def bapi_transaction_rollback(ctx: CallContext) -> dict[str, Any]:
    ctx.rollback()
    return {}
