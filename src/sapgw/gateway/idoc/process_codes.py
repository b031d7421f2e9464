"""Inbound process codes: what turns an IDoc into application documents.

Each handler calls the ERP through an RFC connection, commits in the same session when the
application accepted the IDoc and rolls back otherwise; it answers (posted?, BAPIRET2 rows),
a success row first, whose text becomes the text of status 53.

- `BAPI` (SAP: BAPI_IDOC_INPUT1): the message type's BAPI with the segments as its
  parameters: ACC_DOCUMENT -> BAPI_ACC_DOCUMENT_POST, MBGMCR -> BAPI_GOODSMVT_CREATE.
- `DEBM`, `CRE1` (SAP: IDOC_INPUT_DEBITOR, IDOC_INPUT_CREDITOR): the ALE inbound function
  gets the IDoc itself, control record (EDIDC) and data records (EDIDD with SDATA laid out
  by the segment definitions), and answers status records plus RETURN with texts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sapgw.gateway.idoc.model import Idoc, Segment
from sapgw.idoc_schemas import idoc_type
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError

log = logging.getLogger("sapgw.idoc")

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
    return _finish(erp, [_short(m) for m in result.get("RETURN", [])])


# MBGMCR: E1MBGMCR wraps the BAPI's parameters; header and code are structures.
GOODSMVT_SEGMENTS = {
    "E1BP2017_GM_HEAD_01": "GOODSMVT_HEADER", "E1BP2017_GM_CODE": "GOODSMVT_CODE",
    "E1BP2017_GM_ITEM_CREATE": "GOODSMVT_ITEM",
    "E1BP2017_GM_SERIALNUMBER": "GOODSMVT_SERIALNUMBER"}
GOODSMVT_STRUCTURES = {"GOODSMVT_HEADER", "GOODSMVT_CODE"}
QUANTITY_FIELDS = {"ENTRY_QNT"}


def goods_movement_params(idoc: Idoc) -> dict[str, Any]:
    params: dict[str, Any] = {"GOODSMVT_ITEM": []}
    for segment in idoc.segments:
        name = GOODSMVT_SEGMENTS.get(segment.segnam)
        if name is None:  # the E1MBGMCR wrapper
            continue
        row = {k: _amount(v) if k in QUANTITY_FIELDS else v
               for k, v in (segment.fields or {}).items()}
        if name in GOODSMVT_STRUCTURES:
            params[name] = row
        else:
            params.setdefault(name, []).append(row)
    return params


def post_goods_movement(idoc: Idoc, erp: RfcConnection) -> Outcome:
    result = erp.call("BAPI_GOODSMVT_CREATE", **goods_movement_params(idoc))
    messages = [_short(m) for m in result.get("RETURN", [])]
    document = result.get("MATERIALDOCUMENT", "")
    if document:
        year = result.get("MATDOCUMENTYEAR", "")
        messages.insert(0, message(f"Material document {document} {year} posted", "S"))
    elif not _failed(messages):  # no document and no reason: say so rather than post nothing
        messages.append(message("BAPI_GOODSMVT_CREATE returned no material document"))
    return _finish(erp, messages)


# EDI_DC40 field -> EDIDC field of the ALE inbound functions (only IDOCTYP is renamed).
CONTROL_FIELDS = {"MANDT": "MANDT", "DOCNUM": "DOCNUM", "DOCREL": "DOCREL",
                  "DIRECT": "DIRECT", "IDOCTYP": "IDOCTP", "CIMTYP": "CIMTYP",
                  "MESTYP": "MESTYP", "MESCOD": "MESCOD", "MESFCT": "MESFCT",
                  "SNDPOR": "SNDPOR", "SNDPRT": "SNDPRT", "SNDPRN": "SNDPRN",
                  "RCVPOR": "RCVPOR", "RCVPRT": "RCVPRT", "RCVPRN": "RCVPRN",
                  "SERIAL": "SERIAL"}


def ale_params(idoc: Idoc) -> dict[str, Any]:
    """IDOC_CONTRL and IDOC_DATA of one IDoc, as ALE hands them to an inbound function."""
    control = {target: idoc.control[source] for source, target in CONTROL_FIELDS.items()
               if idoc.control.get(source)}
    docnum = control.get("DOCNUM", "")
    data = [{"SEGNAM": s.segnam, "MANDT": control.get("MANDT", ""), "DOCNUM": docnum,
             "SEGNUM": f"{s.segnum:06d}", "PSGNUM": f"{s.psgnum:06d}",
             "HLEVEL": f"{s.hlevel:02d}", "SDATA": _sdata(idoc, s)} for s in idoc.segments]
    return {"IDOC_CONTRL": [control], "IDOC_DATA": data}


def _sdata(idoc: Idoc, segment: Segment) -> str:
    definition = idoc_type(idoc.idoctyp)
    layout = definition.segment(segment.segnam) if definition else None
    if layout is None or segment.fields is None:
        return (segment.sdata or "").rstrip()
    return "".join(segment.fields.get(f.name, "").ljust(f.length)[:f.length]
                   for f in layout.fields).rstrip()


def ale_handler(function: str) -> Handler:
    """A handler that gives the IDoc to an ALE inbound function (IDOC_INPUT_DEBITOR …)."""

    def handle(idoc: Idoc, erp: RfcConnection) -> Outcome:
        result = erp.call(function, **ale_params(idoc))
        messages = [_short(m) for m in result.get("RETURN", [])]
        statuses = {row.get("STATUS") for row in result.get("IDOC_STATUS", [])}
        posted = result.get("WORKFLOW_RESULT") == "0" and "53" in statuses
        if not posted and not _failed(messages):
            messages.append(message(f"{function} did not post the IDoc "
                                    f"(status {', '.join(sorted(statuses)) or 'none'})"))
        return _finish(erp, messages)

    return handle


def _failed(messages: list[dict[str, Any]]) -> bool:
    return any(m.get("TYPE") in ("E", "A", "X") for m in messages)


def _finish(erp: RfcConnection, messages: list[dict[str, Any]]) -> Outcome:
    """Commit what the application registered, or roll it back when it reported an error."""
    if _failed(messages):
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


BAPI_HANDLERS: dict[str, Handler] = {"ACC_DOCUMENT": post_acc_document,
                                     "MBGMCR": post_goods_movement}
PROCESS_CODES: dict[str, dict[str, Handler]] = {
    "BAPI": BAPI_HANDLERS,
    "DEBM": {"DEBMAS": ale_handler("IDOC_INPUT_DEBITOR")},
    "CRE1": {"CREMAS": ale_handler("IDOC_INPUT_CREDITOR")},
}


def handler_for(process_code: str, mestyp: str) -> Handler | None:
    return PROCESS_CODES.get(process_code, {}).get(mestyp)


def run(handler: Handler, idoc: Idoc, connect: Callable[[], RfcConnection]) -> Outcome:
    """Run a handler on a fresh connection; whatever fails becomes an error message (status
    51, which BD87 can process again): an RFC error with its message class and number, an
    unknown destination or any other error with its type."""
    try:
        with connect() as erp:
            return handler(idoc, erp)
    except RFCError as error:
        text = getattr(error, "message", "") or str(error)
        return False, [message(f"{type(error).__name__}: {text}",
                               msg_id=getattr(error, "msg_class", "") or "",
                               number=getattr(error, "msg_number", "") or "")]
    except Exception as error:  # the IDoc must not stay in 62 (nobody may process it then)
        if not isinstance(error, LookupError):  # an unknown destination needs no traceback
            log.exception("IDoc %s: the application call failed", idoc.control.get("DOCNUM"))
        return False, [message(f"{type(error).__name__}: {error}")]
