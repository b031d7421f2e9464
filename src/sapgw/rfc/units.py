"""tRFC and qRFC over HTTP, shared by JSON RFC and SOAP RFC: the headers and the submission.

A single call becomes a unit when it carries a transaction id (our headers; SAP's ICF has
no public equivalent for /sap/bc/soap/rfc, so the names follow its `sap-` convention):

    sap-trfc-tid: <24 characters>     the sender's TID: the call runs once per TID
    sap-qrfc-queue: <1-24 characters> optional: the inbound queue it is stored in (qRFC)

The answer repeats `sap-trfc-tid` and says `sap-trfc-state: EXECUTED | QUEUED` (with
`sap-qrfc-queue` when queued). What "queued" means is the served system's business: the
gateway stores the unit in SMQ2 and answers QUEUED, a bare ERP stub runs it at once.
"""

from __future__ import annotations

from typing import Any

from sapgw.rfc.errors import invalid_parameter
from sapgw.rfc.sessions import Connect
from sapgw.types import RfcCall, is_tid

TRFC_TID = "sap-trfc-tid"
QRFC_QUEUE = "sap-qrfc-queue"
TRFC_STATE = "sap-trfc-state"


def unit_id(tid: Any, queue: Any) -> tuple[str, str | None]:
    """Check a unit's TID and queue name as received; raise pyrfc's invalid-parameter error."""
    if not is_tid(tid):
        raise invalid_parameter(f"the TID must be 24 ASCII letters or digits "
                                f"({TRFC_TID}), got {tid!r}")
    if queue is not None and not is_queue_name(queue):
        raise invalid_parameter(f"the queue name must have 1-24 printable ASCII characters, "
                                f"not start with a blank and hold none of {_NOT_IN_QUEUE} "
                                f"({QRFC_QUEUE}), got {queue!r}")
    return tid, queue


# SAP forbids * & % in queue names; / would not fit the monitor's and REST API's paths.
_NOT_IN_QUEUE = "*&%/"


def is_queue_name(value: object) -> bool:
    """An inbound queue name a partner may use (SAP's rules, plus no '/')."""
    return (isinstance(value, str) and 0 < len(value) <= 24 and value.isascii()
            and value.isprintable() and not value.startswith(" ")
            and not any(c in _NOT_IN_QUEUE for c in value))


def unit_from_headers(headers: Any) -> tuple[str, str | None] | None:
    """The (TID, queue) a request's headers ask for; None for a plain synchronous call."""
    tid, queue = headers.get(TRFC_TID), headers.get(QRFC_QUEUE)
    if tid is None and queue is None:
        return None
    if tid is None:
        raise invalid_parameter(f"{QRFC_QUEUE} needs a TID in {TRFC_TID}: a qRFC call is a "
                                "unit")
    return unit_id(tid.strip(), queue.strip() if queue is not None else None)


def submit(connect: Connect, tid: str, queue: str | None, calls: list[RfcCall]
           ) -> dict[str, Any]:
    """Deliver a unit on a fresh connection; answer {"TID", "STATE"[, "QUEUE"]}. Raises."""
    with connect() as conn:
        unit = {"id": tid, "background": False, "queued": queue is not None}
        conn.fill_and_submit_unit(unit, [(c.function, c.params) for c in calls],
                                  queue_names=[queue] if queue else None)
    if unit["state"] == "QUEUED":
        return {"TID": tid, "STATE": "QUEUED", "QUEUE": queue}
    return {"TID": tid, "STATE": "EXECUTED"}


def state_headers(answer: dict[str, Any]) -> dict[str, str]:
    """The answer's headers for a unit's outcome."""
    headers = {TRFC_TID: answer["TID"], TRFC_STATE: answer["STATE"]}
    if answer.get("QUEUE"):
        headers[QRFC_QUEUE] = answer["QUEUE"]
    return headers
