"""BAPI_GOODSMVT_CREATE (reference/wire.md §4.2): one material document per call.

Success answers MATERIALDOCUMENT/MATDOCUMENTYEAR (and GOODSMVT_HEADRET) with an empty RETURN,
as SAP's BAPI does; failure answers every error in RETURN (ROW = the GOODSMVT_ITEM row) and
no document. TESTRUN = 'X' checks everything, the FI follow-up included, and posts nothing.
The document is written at BAPI_TRANSACTION_COMMIT, or at the end of the tRFC unit.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.mm import mb51
from sapgw.erp_stub.mm.goods_movements import HEADER, check, post
from sapgw.erp_stub.mm.structures import (
    BAPI2017_GM_CODE,
    BAPI2017_GM_HEAD_01,
    BAPI2017_GM_HEAD_RET,
    BAPI2017_GM_ITEM_CREATE,
    BAPI2017_GM_SERIALNUMBER,
    ZMB51_LINE,
)
from sapgw.rfc.ddic import CHAR, DATS, NUMC
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("MB_BUS2017")


@group.function(interface("BAPI_GOODSMVT_CREATE", [
    importing("GOODSMVT_HEADER", BAPI2017_GM_HEAD_01, optional=False, text="Header"),
    importing("GOODSMVT_CODE", BAPI2017_GM_CODE, optional=False,
              text="Assignment of code to transaction"),
    importing("TESTRUN", CHAR(1), text="X: simulate only"),
    exporting("GOODSMVT_HEADRET", BAPI2017_GM_HEAD_RET, "Material document number/year"),
    exporting("MATERIALDOCUMENT", CHAR(10), "Material document"),
    exporting("MATDOCUMENTYEAR", NUMC(4), "Material document year"),
    tables("GOODSMVT_ITEM", BAPI2017_GM_ITEM_CREATE, optional=False, text="Items"),
    tables("GOODSMVT_SERIALNUMBER", BAPI2017_GM_SERIALNUMBER, text="Serial numbers"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Post goods movements (MB_CREATE_GOODS_MOVEMENT)"))
def bapi_goodsmvt_create(ctx: CallContext, GOODSMVT_HEADER: dict[str, Any],
                         GOODSMVT_CODE: dict[str, Any], TESTRUN: str,
                         GOODSMVT_ITEM: list[dict[str, Any]],
                         GOODSMVT_SERIALNUMBER: list[dict[str, Any]],
                         RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    movement, messages = check(ctx, GOODSMVT_HEADER, GOODSMVT_CODE, GOODSMVT_ITEM,
                               GOODSMVT_SERIALNUMBER)
    mblnr, rows = "", messages.rows
    if not messages:
        try:
            mblnr, rows = post(ctx, movement, GOODSMVT_HEADER, TESTRUN == "X")
        except NumberRangeError as error:
            messages.error(error.msg_class or "NR", error.msg_number or "752", error.msg_v1,
                           error.msg_v2, error.msg_v3, parameter=HEADER)
            rows = messages.rows
    RETURN[:] = rows
    year = movement.mjahr if mblnr else "0000"
    return {"GOODSMVT_HEADRET": {"MAT_DOC": mblnr, "DOC_YEAR": year},
            "MATERIALDOCUMENT": mblnr, "MATDOCUMENTYEAR": year,
            "GOODSMVT_ITEM": GOODSMVT_ITEM, "GOODSMVT_SERIALNUMBER": GOODSMVT_SERIALNUMBER,
            "RETURN": RETURN}


@group.function(interface("ZMB51_LIST", [
    importing("MATERIAL", CHAR(18), text="Material (blank: all)"),
    importing("PLANT", CHAR(4), text="Plant (blank: all)"),
    importing("MOVE_TYPE", CHAR(3), text="Movement type (blank: all)"),
    importing("ORDERID", CHAR(12), text="Order (blank: all)"),
    importing("DATE_FROM", DATS, text="Posting date from (blank: open)"),
    importing("DATE_TO", DATS, text="Posting date to (blank: open)"),
    tables("LIST", ZMB51_LINE, text="Material document items, newest first"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Material document list (MB51-like; ours)"))
def zmb51_list(ctx: CallContext, MATERIAL: str, PLANT: str, MOVE_TYPE: str, ORDERID: str,
               DATE_FROM: str, DATE_TO: str, LIST: list[dict[str, Any]],
               RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    errors = mb51.selection_errors(ctx, MATERIAL, PLANT, MOVE_TYPE, DATE_FROM, DATE_TO)
    rows = [] if errors else mb51.material_documents(ctx, MATERIAL, PLANT, MOVE_TYPE, ORDERID,
                                                     DATE_FROM, DATE_TO)
    LIST[:] = rows
    RETURN[:] = errors or ([] if rows else [
        bapiret2("S", "M7", "916", system=ctx.logical_system)])
    return {"LIST": LIST, "RETURN": RETURN}
