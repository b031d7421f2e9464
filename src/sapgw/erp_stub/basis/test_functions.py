"""SAP's RFC test function modules (function groups STFC and SRFC), as pyrfc's tests call them.

The interfaces are SAP's as PyRFC's test data shows them (reference/wire.md §1.11:
`func_desc_STFC_STRUCTURE`, test_connection.py, test_errors_abap.py, test_timeout.py), and so is
what they answer: STFC_STRUCTURE echoes IMPORTSTRUCT and appends one row to RFCTABLE,
STFC_CHANGING adds, STFC_SAPGUI fails as any dialog does without a SAP GUI, RFC_RAISE_ERROR
raises the error its METHOD and MESSAGETYPE ask for, RFC_PING_AND_WAIT waits.

Ours, where SAP's is not public: RFC_RAISE_ERROR's parameter types (CHAR: PyRFC's tests pass
strings); `/COE/RBP_FE_DATATYPES` and `ZDATATYPES`, the datatype test functions of SAP's own
test systems that PyRFC's test_datatypes.py calls, rebuilt from those tests: they echo a
structure holding every ABAP type RFC converts (the Z… fields beyond the tests' are ours).
"""

from __future__ import annotations

import time
from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import text
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import (
    CHAR,
    DATS,
    DECFLOAT16,
    DECFLOAT34,
    FLTP,
    INT1,
    INT2,
    INT4,
    INT8,
    NUMC,
    RAW,
    STRING,
    TIMS,
    UTCLONG,
    XSTRING,
    Elementary,
    structure,
)
from sapgw.rfc.errors import (
    ABAPApplicationError,
    ABAPRuntimeError,
    CommunicationError,
    ExternalRuntimeError,
)
from sapgw.rfc.interface import changing, exporting, importing, interface, tables

group = FunctionGroup("STFC")

RFCTEST = structure(
    "RFCTEST",
    ("RFCFLOAT", FLTP), ("RFCCHAR1", CHAR(1)), ("RFCINT2", INT2), ("RFCINT1", INT1),
    ("RFCCHAR4", CHAR(4)), ("RFCINT4", INT4), ("RFCHEX3", RAW(3)), ("RFCCHAR2", CHAR(2)),
    ("RFCTIME", TIMS), ("RFCDATE", DATS), ("RFCDATA1", CHAR(50)), ("RFCDATA2", CHAR(50)),
)


def _system_text(ctx: CallContext) -> str:
    now = ctx.clock.now()
    return f"SAP R/3 Rel. 750 Sysid: ERP Date: {now:%Y%m%d} Time: {now:%H%M%S}"


@group.function(interface("STFC_STRUCTURE", [
    exporting("ECHOSTRUCT", RFCTEST, "Exporting structure"),
    exporting("RESPTEXT", CHAR(255), "Response text"),
    importing("IMPORTSTRUCT", RFCTEST, text="Importing structure"),
    tables("RFCTABLE", RFCTEST, text="Table"),
], text="Inhomogeneous structure"))
def stfc_structure(ctx: CallContext, IMPORTSTRUCT: dict[str, Any],
                   RFCTABLE: list[dict[str, Any]]) -> dict[str, Any]:
    now = ctx.clock.now()
    added = {**IMPORTSTRUCT,
             "RFCFLOAT": IMPORTSTRUCT["RFCFLOAT"] + 1,
             "RFCINT1": _integer(INT1, IMPORTSTRUCT["RFCINT1"] + 1),
             "RFCINT2": _integer(INT2, IMPORTSTRUCT["RFCINT2"] + 1),
             "RFCINT4": _integer(INT4, IMPORTSTRUCT["RFCINT4"] + 1),
             "RFCHEX3": b"\xf1\xf2\xf3", "RFCCHAR1": "X", "RFCCHAR2": "YZ", "RFCCHAR4": "ERP",
             "RFCDATE": now.strftime("%Y%m%d"), "RFCTIME": now.strftime("%H%M%S")}
    return {"ECHOSTRUCT": IMPORTSTRUCT, "RESPTEXT": _system_text(ctx),
            "RFCTABLE": [*RFCTABLE, added]}


def _integer(type_: Elementary, value: int) -> int:
    """The result of ABAP integer arithmetic: beyond the field's range the program dumps."""
    try:
        return int(type_.convert(value, "result"))
    except ExternalRuntimeError:
        raise ABAPRuntimeError(f"Overflow in arithmetic operation (type {type_.kind})", 3,
                               "COMPUTE_INT_PLUS_OVERFLOW") from None


@group.function(interface("STFC_CHANGING", [
    importing("START_VALUE", INT4, optional=False, text="Start value"),
    exporting("RESULT", INT4, "Start value + counter"),
    changing("COUNTER", INT4, text="Counter, incremented"),
], text="RFC test: CHANGING parameters"))
def stfc_changing(ctx: CallContext, START_VALUE: int, COUNTER: int) -> dict[str, Any]:
    return {"RESULT": _integer(INT4, START_VALUE + COUNTER),
            "COUNTER": _integer(INT4, COUNTER + 1)}


@group.function(interface("STFC_SAPGUI", [], text="RFC test: RFC with SAP GUI"))
def stfc_sapgui(ctx: CallContext) -> dict[str, Any]:
    """Sends a screen; an RFC without a SAP GUI cannot show it, so the call dumps."""
    raise ABAPRuntimeError("Screen output without connection to user.", 3,
                           "DYNPRO_SEND_IN_BACKGROUND")


@group.function(interface("RFC_RAISE_ERROR", [
    importing("METHOD", CHAR(2), default="0", text="How to fail (0, 1, 2, 3, 17, 32, 36, 51)"),
    importing("MESSAGETYPE", CHAR(1), text="Message type A, E, X (I, S, W are ignored)"),
], exceptions=("RAISE_EXCEPTION",), text="ARFC: raise different types of error"))
def rfc_raise_error(ctx: CallContext, METHOD: str, MESSAGETYPE: str) -> dict[str, Any]:
    method, msg_type = METHOD.strip() or "0", MESSAGETYPE.strip().upper()
    raising = _RAISERS.get(method)
    if raising is not None:
        raise raising(msg_type or "E")
    if method != "0":
        raise ABAPApplicationError(f"ID:SR Type:E Number:006 METHOD {method}", 5,
                                   "RAISE_EXCEPTION", "SR", "E", "006", "METHOD", method)
    if msg_type == "X":
        raise ABAPRuntimeError("The current application has triggered a termination with a "
                               "short dump.", 4, "MESSAGE_TYPE_X", "SR", "X", "006",
                               "Function not supported")
    if msg_type in ("A", "E"):  # MESSAGE a006(sr) WITH 'Function not supported'
        message = text("SR", "006", "Function not supported")
        raise ABAPRuntimeError(message, 4, message, "SR", msg_type, "006",
                               "Function not supported")
    return {}  # I, S, W: an RFC ignores them


def _exception_with_message(msg_type: str) -> Exception:
    """METHOD 1: MESSAGE e006(sr) WITH 'STRING' RAISING raise_exception."""
    return ABAPApplicationError(f"ID:SR Type:{msg_type} Number:006 STRING", 5,
                                "RAISE_EXCEPTION", "SR", msg_type, "006", "STRING")


_RAISERS = {
    "1": _exception_with_message,
    # METHOD 2: RAISE raise_exception, no message behind it.
    "2": lambda t: ABAPApplicationError("ID: Type: Number:000", 5, "RAISE_EXCEPTION",
                                        "", "", "000"),
    "3": lambda t: ABAPRuntimeError("Division by 0 (type I)", 3, "COMPUTE_INT_ZERODIVIDE"),
    "17": lambda t: ExternalRuntimeError("Function RFCPING not found", 17, "RFC_NOT_FOUND"),
    "32": lambda t: CommunicationError("connection closed without message "
                                       "(CM_NO_DATA_RECEIVED)", 1, "RFC_COMMUNICATION_FAILURE"),
    "36": lambda t: ABAPRuntimeError("Division by 0 (type I)", 4, "Division by 0 (type I)",
                                     "SR", t, "006", "Division by 0 (type I)"),
    "51": lambda t: ABAPRuntimeError("A database commit was blocked by the application.", 3,
                                     "BLOCKED_COMMIT"),
}


@group.function(interface("RFC_PING_AND_WAIT", [
    importing("SECONDS", INT4, text="Seconds to wait before answering"),
    importing("BUSY_WAITING", CHAR(1), text="X: keep the work process busy"),
], text="RFC test: answer after a given time"))
def rfc_ping_and_wait(ctx: CallContext, SECONDS: int, BUSY_WAITING: str) -> dict[str, Any]:
    """Waits in real time (not the system's clock): its purpose is to test time-outs."""
    time.sleep(max(SECONDS, 0))
    return {}


DATATYPES = structure(
    "/COE/RBP_S_FE_DATATYPES",
    ("ZCHAR", CHAR(10)), ("ZNUMC", NUMC(10)), ("ZDATS", DATS), ("ZTIMS", TIMS),
    ("ZSTRING", STRING), ("ZSHLP_MAT1", CHAR(40)),
    ("ZINT1", INT1), ("ZINT2", INT2), ("ZINT4", INT4), ("ZINT8", INT8),
    ("ZFLTP", FLTP), ("ZFLTP_MIN", FLTP), ("ZFLTP_MAX", FLTP),
    ("ZDEC", Elementary("DEC", 15, 2)), ("ZCURR", Elementary("CURR", 15, 2)),
    ("ZQUAN", Elementary("QUAN", 13, 4)), ("ZQUAN_SIGN", Elementary("QUAN", 13, 3)),
    ("ZDECF16_MIN", DECFLOAT16), ("ZDECF16_MAX", DECFLOAT16),
    ("ZDECF34_MIN", DECFLOAT34), ("ZDECF34_MAX", DECFLOAT34),
    ("ZRAW", RAW(17)), ("ZRAWSTRING", XSTRING), ("ZUTCLONG", UTCLONG),
)


@group.function(interface("/COE/RBP_FE_DATATYPES", [
    importing("IS_INPUT", DATATYPES, text="Every ABAP type RFC converts"),
    importing("IV_COUNT", INT4, text="Rows of ET_OUTPUT"),
    exporting("ES_OUTPUT", DATATYPES, "IS_INPUT, echoed"),
    tables("ET_OUTPUT", DATATYPES, text="IV_COUNT copies of IS_INPUT"),
    tables("ET_LINES", CHAR(40), text="A table of elementary lines: ZSHLP_MAT1, IV_COUNT times"),
], text="Data type test (rebuilt from PyRFC's tests; not SAP standard)"))
def coe_datatypes(ctx: CallContext, IS_INPUT: dict[str, Any], IV_COUNT: int,
                  ET_OUTPUT: list[dict[str, Any]], ET_LINES: list[str]) -> dict[str, Any]:
    count = max(IV_COUNT, 0)
    return {"ES_OUTPUT": IS_INPUT, "ET_OUTPUT": [dict(IS_INPUT) for _ in range(count)],
            "ET_LINES": [IS_INPUT["ZSHLP_MAT1"]] * count}


@group.function(interface("ZDATATYPES", [
    importing("IV_UTCLONG", UTCLONG, text="A UTC time stamp"),
    exporting("EV_UTCLONG", UTCLONG, "IV_UTCLONG, echoed"),
    tables("IT_LINES", STRING, text="Lines of STRING, echoed upper-case"),
], text="UTCLONG test (rebuilt from PyRFC's tests; not SAP standard)"))
def z_datatypes(ctx: CallContext, IV_UTCLONG: str, IT_LINES: list[str]) -> dict[str, Any]:
    return {"EV_UTCLONG": IV_UTCLONG, "IT_LINES": [line.upper() for line in IT_LINES]}

