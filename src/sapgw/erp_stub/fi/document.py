"""BAPI_ACC_DOCUMENT_POST and BAPI_ACC_DOCUMENT_CHECK (reference/wire.md §4.1).

Success answers RW 605 (POST) or RW 614 (CHECK). Failure answers RW 609 "Error in document:
<OBJ_TYPE> $ <OBJ_SYS>" followed by every error the check found, and POST exports OBJ_KEY
`$`. POST registers the document in the caller's LUW: it is written at
BAPI_TRANSACTION_COMMIT, or at the end of the tRFC unit it was called in.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fi.model import Document, Messages
from sapgw.erp_stub.fi.posting import post
from sapgw.erp_stub.fi.structures import (
    BAPIACAP09,
    BAPIACAR09,
    BAPIACCR09,
    BAPIACGL09,
    BAPIACHE09,
)
from sapgw.erp_stub.fi.validation import check_document
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.interface import FunctionInterface, Parameter, exporting, importing, interface
from sapgw.rfc.interface import tables as table_parameter
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("FI")

FAILED_KEY = "$"


def accounting_interface(name: str, exports: list[Parameter], text: str) -> FunctionInterface:
    """POST and CHECK share their parameters; only POST exports the document's key."""
    return interface(name, [
        importing("DOCUMENTHEADER", BAPIACHE09, optional=False, text="Header"),
        table_parameter("ACCOUNTGL", BAPIACGL09, text="G/L account items"),
        table_parameter("ACCOUNTRECEIVABLE", BAPIACAR09, text="Customer items"),
        table_parameter("ACCOUNTPAYABLE", BAPIACAP09, text="Vendor items"),
        table_parameter("CURRENCYAMOUNT", BAPIACCR09, optional=False, text="Currency items"),
        table_parameter("RETURN", BAPIRET2, optional=False, text="Return messages"),
        *exports,
    ], text=text)


@group.function(accounting_interface("BAPI_ACC_DOCUMENT_POST", [
    exporting("OBJ_TYPE", CHAR(5), "Reference procedure"),
    exporting("OBJ_KEY", CHAR(20), "Object key"),
    exporting("OBJ_SYS", CHAR(10), "Logical system of source document"),
], "Accounting: general posting"))
def bapi_acc_document_post(ctx: CallContext, DOCUMENTHEADER: dict[str, Any],
                           ACCOUNTGL: list[dict[str, Any]],
                           ACCOUNTRECEIVABLE: list[dict[str, Any]],
                           ACCOUNTPAYABLE: list[dict[str, Any]],
                           CURRENCYAMOUNT: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                           ) -> dict[str, Any]:
    doc, messages = check_document(ctx, DOCUMENTHEADER, ACCOUNTGL, ACCOUNTRECEIVABLE,
                                   ACCOUNTPAYABLE, CURRENCYAMOUNT)
    obj_key = FAILED_KEY
    if not messages:
        try:
            obj_key = post(ctx, doc)
        except NumberRangeError as error:
            messages.error(error.msg_class or "NR", error.msg_number or "752",
                           error.msg_v1, error.msg_v2, error.msg_v3, error.msg_v4)
    RETURN[:] = (failure(doc, messages) if messages else
                 [bapiret2("S", "RW", "605", doc.awtyp, obj_key, doc.awsys,
                           system=ctx.logical_system)])
    return {"ACCOUNTGL": ACCOUNTGL, "ACCOUNTRECEIVABLE": ACCOUNTRECEIVABLE,
            "ACCOUNTPAYABLE": ACCOUNTPAYABLE, "CURRENCYAMOUNT": CURRENCYAMOUNT,
            "RETURN": RETURN, "OBJ_TYPE": doc.awtyp, "OBJ_KEY": obj_key,
            "OBJ_SYS": doc.awsys}


@group.function(accounting_interface("BAPI_ACC_DOCUMENT_CHECK", [],
                                     "Accounting: check a general posting"))
def bapi_acc_document_check(ctx: CallContext, DOCUMENTHEADER: dict[str, Any],
                            ACCOUNTGL: list[dict[str, Any]],
                            ACCOUNTRECEIVABLE: list[dict[str, Any]],
                            ACCOUNTPAYABLE: list[dict[str, Any]],
                            CURRENCYAMOUNT: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                            ) -> dict[str, Any]:
    doc, messages = check_document(ctx, DOCUMENTHEADER, ACCOUNTGL, ACCOUNTRECEIVABLE,
                                   ACCOUNTPAYABLE, CURRENCYAMOUNT)
    RETURN[:] = (failure(doc, messages) if messages else
                 [bapiret2("S", "RW", "614", system=ctx.logical_system)])
    return {"ACCOUNTGL": ACCOUNTGL, "ACCOUNTRECEIVABLE": ACCOUNTRECEIVABLE,
            "ACCOUNTPAYABLE": ACCOUNTPAYABLE, "CURRENCYAMOUNT": CURRENCYAMOUNT,
            "RETURN": RETURN}


def failure(doc: Document, messages: Messages) -> list[dict[str, Any]]:
    """RW 609 first, then every specific error."""
    frame = bapiret2("E", "RW", "609", doc.awtyp, FAILED_KEY, doc.awsys,
                     system=messages.system)
    return [frame, *messages.rows]
