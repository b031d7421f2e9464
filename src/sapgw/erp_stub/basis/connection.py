"""RFC_PING, STFC_CONNECTION, RFC_GET_FUNCTION_INTERFACE, BAPI_TRANSACTION_COMMIT/ROLLBACK."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.errors import ABAPApplicationError
from sapgw.rfc.funint import GET_FUNCTION_INTERFACE, describe_function
from sapgw.rfc.interface import exporting, importing, interface
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("SRFC")


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


@group.function(GET_FUNCTION_INTERFACE)
def rfc_get_function_interface(ctx: CallContext, FUNCNAME: str, LANGUAGE: str,
                               NONE_UNICODE_LENGTH: str, PARAMS: list[dict[str, Any]]
                               ) -> dict[str, Any]:
    if FUNCNAME not in ctx.system.registry:
        raise ABAPApplicationError(f"Function module {FUNCNAME} not found", 5, "FU_NOT_FOUND",
                                   "FL", "E", "046", FUNCNAME)
    return describe_function(ctx.system.registry.get(FUNCNAME).interface,
                             unicode=NONE_UNICODE_LENGTH != "X")


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
