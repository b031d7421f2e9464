"""What each kind of rule answers, in SAP's terms and pyrfc's shapes, always marked.

- return: BAPIRET2 rows of the rule's type and message (E/A: instead of the call; W: added to
  the real answer of a synchronous call);
- exception: `ABAPApplicationError` with the exception as key, pyrfc's message form
  `ID:<class> Type:E Number:<nnn> <v1..v4>`;
- down: `CommunicationError` RFC_COMMUNICATION_FAILURE, "partner '<destination>' not reached";
- slow: the call after `seconds`, or, beyond the destination's timeout, `CommunicationError`
  code 7 RFC_CANCELED "Connection was canceled" as pyrfc raises it on a timeout;
- lock: RETURN E MC 601 "Object requested is currently locked by user &1", or for a
  function without RETURN the exception FOREIGN_LOCK with that message (ENQUEUE_*'s);
- period: RETURN E F5 201 "Posting period &1 &2 is not open" with PARAMETER/FIELD as the
  stub's document check sends it, after RW 609 for the accounting BAPIs (as the stub).

Every text ends with `sapgw.rfc.injected.mark(id)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sapgw.gateway.faults.rules import FaultRule
from sapgw.rfc.errors import ABAPApplicationError, CommunicationError, RFCLibError
from sapgw.rfc.injected import mark, tag
from sapgw.rfc.message_line import fill

# SAP's texts for the messages the fixed kinds send (T100 of a real system has them).
SAP_TEXTS = {("MC", "601"): "Object requested is currently locked by user &1",
             ("F5", "201"): "Posting period &1 &2 is not open",
             ("RW", "609"): "Error in document: &1 &2 &3"}
ACCOUNTING_BAPIS = ("BAPI_ACC_DOCUMENT_POST", "BAPI_ACC_DOCUMENT_CHECK")
LOCK_USER = "SAPGW_TEST"  # who holds the lock when the rule names no user

TextLookup = Callable[[str, str], str | None]  # (class, number) -> T100 text or None


def message_text(rule: FaultRule, msg_class: str, number: str, variables: list[str],
                 lookup: TextLookup) -> str:
    """The rule's own text, else SAP's text for the fixed kinds, else T100, else the key."""
    template = rule.message or SAP_TEXTS.get((msg_class, number)) or lookup(msg_class, number)
    if template is None:
        template = f"{msg_class} {number} " + " ".join(f"&{i}" for i in range(1, 5))
    return fill(template, *variables) + mark(rule.id)


def bapiret2(rule: FaultRule, msg_type: str, msg_class: str, number: str,
             variables: list[str], lookup: TextLookup, parameter: str = "",
             field: str = "") -> dict[str, Any]:
    v = [*variables, "", "", "", ""][:4]
    return {"TYPE": msg_type, "ID": msg_class, "NUMBER": number.zfill(3),
            "MESSAGE": message_text(rule, msg_class, number, v, lookup)[:220],
            "LOG_NO": "", "LOG_MSG_NO": "000000", "MESSAGE_V1": v[0][:50],
            "MESSAGE_V2": v[1][:50], "MESSAGE_V3": v[2][:50], "MESSAGE_V4": v[3][:50],
            "PARAMETER": parameter, "ROW": 0, "FIELD": field, "SYSTEM": ""}


def return_rows(rule: FaultRule, function: str, params: dict[str, Any], today: date,
                lookup: TextLookup) -> list[dict[str, Any]]:
    """The RETURN rows of a return, lock or period rule for this call."""
    if rule.kind == "lock":
        return [bapiret2(rule, "E", "MC", "601", [rule.user or LOCK_USER], lookup)]
    if rule.kind == "period":
        header = params.get("DOCUMENTHEADER") or params.get("GOODSMVT_HEADER") or {}
        posting = str(header.get("PSTNG_DATE") or "") if isinstance(header, dict) else ""
        year, month = (posting[:4], posting[4:6]) if len(posting) >= 6 and posting.isdigit() \
            else (str(today.year), f"{today.month:02d}")
        rows = [bapiret2(rule, "E", "F5", "201", [f"{int(month):03d}", year], lookup,
                         "DOCUMENTHEADER" if "DOCUMENTHEADER" in params else "GOODSMVT_HEADER",
                         "PSTNG_DATE")]
        if function.upper() in ACCOUNTING_BAPIS:
            obj_type = str(header.get("OBJ_TYPE") or "BKPFF") if isinstance(header, dict) \
                else "BKPFF"
            obj_sys = str(header.get("OBJ_SYS") or "") if isinstance(header, dict) else ""
            rows.insert(0, bapiret2(rule, "E", "RW", "609", [obj_type, "$", obj_sys], lookup))
        return rows
    variables = [rule.msg_v1, rule.msg_v2, rule.msg_v3, rule.msg_v4]
    return [bapiret2(rule, rule.msg_type, rule.msg_class, rule.msg_number, variables, lookup)]


def exception(rule: FaultRule, lookup: TextLookup) -> RFCLibError:
    """The ABAP exception of an exception rule, or FOREIGN_LOCK for a lock rule."""
    if rule.kind == "lock":
        user = rule.user or LOCK_USER
        text = message_text(rule, "MC", "601", [user], lookup)
        return _tagged(ABAPApplicationError(text, 5, "FOREIGN_LOCK", "MC", "E", "601", user),
                       rule)
    variables = [rule.msg_v1, rule.msg_v2, rule.msg_v3, rule.msg_v4]
    if rule.message or rule.msg_class:
        text = message_text(rule, rule.msg_class, rule.msg_number or "000", variables, lookup)
    else:  # RAISE without a message: pyrfc's form of an empty message
        text = "ID: Type: Number:000" + mark(rule.id)
    return _tagged(ABAPApplicationError(
        text, 5, rule.exception, rule.msg_class or None, "E" if rule.msg_class else None,
        (rule.msg_number or "000").zfill(3), *[v or None for v in variables]), rule)


def communication_failure(rule: FaultRule, destination: str) -> RFCLibError:
    return _tagged(CommunicationError(
        f"partner '{destination}' not reached (CM_NO_DATA_RECEIVED){mark(rule.id)}", 1,
        "RFC_COMMUNICATION_FAILURE"), rule)


def canceled(rule: FaultRule, destination: str, timeout: float) -> RFCLibError:
    """What pyrfc raises when a call outlives its timeout; retryable (CPICERR)."""
    return _tagged(CommunicationError(
        f"Connection was canceled: destination {destination} did not answer within "
        f"{timeout:g} s{mark(rule.id)}", 7, "RFC_CANCELED"), rule)


def _tagged(exc: RFCLibError, rule: FaultRule) -> RFCLibError:
    tag(exc, rule.id)
    return exc
