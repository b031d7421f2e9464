"""Inbound process codes: what turns an IDoc into application documents.

Process code `BAPI` (SAP: BAPI_IDOC_INPUT1) calls the message type's BAPI through an RFC
connection and commits it in the same session; an error rolls back. Today it knows
ACC_DOCUMENT -> BAPI_ACC_DOCUMENT_POST; each handler answers (posted?, BAPIRET2 rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sapgw.gateway.idoc.model import Idoc
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError

Outcome = tuple[bool, list[dict[str, Any]]]
Handler = Callable[[Idoc, RfcConnection], Outcome]

# E1BPACHE09 -> DOCUMENTHEADER (a structure); the others are TABLES rows.
ACC_DOCUMENT_SEGMENTS = {
    "E1BPACHE09": "DOCUMENTHEADER", "E1BPACGL09": "ACCOUNTGL",
    "E1BPACAR09": "ACCOUNTRECEIVABLE", "E1BPACAP09": "ACCOUNTPAYABLE",
    "E1BPACTX09": "ACCOUNTTAX", "E1BPACCR09": "CURRENCYAMOUNT", "E1BPPAREX": "EXTENSION2"}
AMOUNT_FIELDS = {"AMT_DOCCUR", "AMT_BASE", "DISC_BASE", "DISC_AMT", "TAX_AMT", "PYMT_AMT"}


def message(text: str, msg_type: str = "E", msg_id: str = "", number: str = "") -> dict[str, Any]:
    return {"TYPE": msg_type, "ID": msg_id, "NUMBER": number, "MESSAGE": text}


def _amount(value: str) -> str:
    """SAP writes a negative amount with a trailing sign (`350.00-`); the BAPI wants `-350.00`."""
    value = value.strip()
    return "-" + value[:-1] if value.endswith("-") else value


def acc_document_params(idoc: Idoc) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for segment in idoc.segments:
        name = ACC_DOCUMENT_SEGMENTS[segment.segnam]
        row = {k: _amount(v) if k in AMOUNT_FIELDS else v
               for k, v in (segment.fields or {}).items()}
        if name == "DOCUMENTHEADER":
            params[name] = row
        else:
            params.setdefault(name, []).append(row)
    return params


def post_acc_document(idoc: Idoc, erp: RfcConnection) -> Outcome:
    result = erp.call("BAPI_ACC_DOCUMENT_POST", **acc_document_params(idoc))
    messages = [_short(m) for m in result.get("RETURN", [])]
    if any(m["TYPE"] in ("E", "A", "X") for m in messages):
        erp.call("BAPI_TRANSACTION_ROLLBACK")
        return False, messages
    commit = _short(erp.call("BAPI_TRANSACTION_COMMIT", WAIT="X").get("RETURN") or {})
    if commit.get("TYPE") in ("E", "A"):
        return False, [*messages, commit]
    return True, messages


def _short(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("TYPE", "ID", "NUMBER", "MESSAGE", "MESSAGE_V1", "MESSAGE_V2", "MESSAGE_V3",
            "MESSAGE_V4", "PARAMETER", "ROW", "FIELD")
    return {k: row[k] for k in keys if k in row and row[k] not in ("", None, 0)}


BAPI_HANDLERS: dict[str, Handler] = {"ACC_DOCUMENT": post_acc_document}
PROCESS_CODES = {"BAPI": BAPI_HANDLERS}


def handler_for(process_code: str, mestyp: str) -> Handler | None:
    return PROCESS_CODES.get(process_code, {}).get(mestyp)


def run(handler: Handler, idoc: Idoc, connect: Callable[[], RfcConnection]) -> Outcome:
    """Run a handler on a fresh connection; an RFC failure becomes an error message."""
    try:
        with connect() as erp:
            return handler(idoc, erp)
    except RFCError as error:
        text = getattr(error, "message", "") or str(error)
        return False, [message(f"{type(error).__name__}: {text}",
                               msg_id=getattr(error, "msg_class", "") or "",
                               number=getattr(error, "msg_number", "") or "")]
