"""CAT7 (report RCATSTCO): transfer approved time sheet records to CO as activity
allocations. RFC-callable as CATS_TRANSFER_TO_CO (our name), from `sapgw erp cat7` and from
a background job ([job …] in config.ini).

Each CATSCO row not yet transferred becomes one direct activity allocation through CO's
BAPI_ACC_ACTIVITY_ALLOC_POST (VRGNG RKL, reference/controlling.md §3.3/§3.4): sender the
record's cost center and activity type, receiver its order (RAUFNR) or cost center (RKOSTL)
- or its profitability segment (PAOBJNR: `to_segment`, CO-PA record type B) -,
quantity CATSHOURS valued at the planned price of the work date's period, posting date the
work date, reference OBJ_TYPE CATS / OBJ_KEY the record's COUNTER. Like the report, which
commits per document, each record posts in an LUW of its own: a record CO refuses (a closed
period, an order no longer released, a price deleted) stays untransferred with CO's
messages in the log, and the others post. The record is marked (CATSCO-TRANSFER = X,
CO_BELNR the CO document) in the same transaction as its posting, by an UPDATE that only
matches an untransferred row: a run that overlaps another posts nothing twice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update

from sapgw.erp_stub.cats import to_segment
from sapgw.erp_stub.cats.approval import cats_group
from sapgw.erp_stub.cats.returns import Messages
from sapgw.erp_stub.cats.structures import CATS_TRANSFER_RESULT
from sapgw.erp_stub.cats.tables import CATSCO
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Luw
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

_CATSCO = CATSCO.__table__  # type: ignore[attr-defined]
REFERENCE_TYPE = "CATS"


class AlreadyTransferred(Exception):
    """Another run marked the record between our read and our commit."""


@cats_group.function(interface("CATS_TRANSFER_TO_CO", [
    importing("TESTRUN", CHAR(1), text="X: check each record, post nothing"),
    importing("USERNAME", CHAR(12), default="CAT7", text="User of the CO documents"),
    tables("RESULTS", CATS_TRANSFER_RESULT, text="One line per record looked at"),
    tables("RETURN", BAPIRET2, text="The run's log"),
], text="CAT7: transfer approved time sheet records to CO (ours)"))
def cats_transfer_to_co(ctx: CallContext, TESTRUN: str, USERNAME: str,
                        RESULTS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                        ) -> dict[str, Any]:
    results, log = transfer(ctx, testrun=TESTRUN == "X", username=USERNAME or "CAT7")
    return {"RESULTS": results, "RETURN": log}


def transfer(ctx: CallContext, testrun: bool = False, username: str = "CAT7"
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Post every waiting record in its own LUW; (RESULTS, RETURN)."""
    log = Messages(ctx, "")
    if ctx.in_unit:
        log.error("LR", "946")
        return [], log.rows
    results = [_one(ctx, record, testrun, username, log) for record in waiting(ctx)]
    if not results:
        log.add("S", "LR", "943")
    else:
        posted = sum(1 for result in results if result["TYPE"] == "S")
        log.add("S", "LR", "942", posted, len(results) - posted)
    return results, log.rows


def waiting(ctx: CallContext) -> list[dict[str, Any]]:
    """The approved records not yet transferred (committed rows), in COUNTER order."""
    query = select(_CATSCO).where(_CATSCO.c.TRANSFER == "", _CATSCO.c.STOKZ == "")
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(query.order_by(_CATSCO.c.COUNTER))
                .mappings()]


def _one(ctx: CallContext, record: dict[str, Any], testrun: bool, username: str,
         log: Messages) -> dict[str, Any]:
    """Post (or check) one record in an LUW of its own; its RESULTS line."""
    counter, hours, unit = record["COUNTER"], record["CATSHOURS"], record["MEINH"]
    result = {**CATS_TRANSFER_RESULT.initial(),
              **{k: record[k] for k in ("COUNTER", "PERNR", "WORKDATE", "CATSHOURS", "MEINH",
                                        "SKOSTL", "LSTAR", "RAUFNR", "RKOSTL",
                                        "PAOBJNR")}}
    own = CallContext(ctx.system, Luw())
    if str(record["PAOBJNR"]).strip("0"):
        belnr, errors = to_segment.allocate(own, record, testrun, username)
    else:
        function = "BAPI_ACC_ACTIVITY_ALLOC_" + ("CHECK" if testrun else "POST")
        answer = own.call(function, DOC_HEADER=_header(ctx, record, username),
                          DOC_ITEMS=[_item(record)])
        errors = [row for row in answer["RETURN"] if row["TYPE"] in ("E", "A")]
        belnr = answer.get("DOC_NO", "")
    if errors:
        own.rollback()
        log.error("LR", "941", counter)
        log.extend(errors)
        return {**result, "TYPE": "E", "MESSAGE": "; ".join(r["MESSAGE"] for r in errors)}
    if testrun:
        log.add("S", "LR", "945", counter, _quantity(hours), unit)
        return {**result, "TYPE": "S", "MESSAGE": log.rows[-1]["MESSAGE"]}
    own.task(lambda conn: _mark(conn, counter, belnr))
    try:
        own.commit()
    except AlreadyTransferred:
        log.add("W", "LR", "944", counter)
        return {**result, "TYPE": "W", "MESSAGE": log.rows[-1]["MESSAGE"]}
    log.add("S", "LR", "940", counter, belnr, _quantity(hours), unit)
    return {**result, "TYPE": "S", "CO_BELNR": belnr, "MESSAGE": log.rows[-1]["MESSAGE"]}


def _header(ctx: CallContext, record: dict[str, Any], username: str) -> dict[str, Any]:
    return {"CO_AREA": record["KOKRS"], "POSTGDATE": record["WORKDATE"],
            "DOCDATE": ctx.clock.today().strftime("%Y%m%d"), "USERNAME": username,
            "DOC_HDR_TX": f"CATS document {record['BELNR']}", "OBJ_TYPE": REFERENCE_TYPE,
            "OBJ_KEY": record["COUNTER"]}


def _item(record: dict[str, Any]) -> dict[str, Any]:
    receiver = ({"REC_ORDER": record["RAUFNR"]} if record["RAUFNR"]
                else {"REC_CCTR": record["RKOSTL"]})
    return {"SEND_CCTR": record["SKOSTL"], "ACTTYPE": record["LSTAR"],
            "ACTVTY_QTY": record["CATSHOURS"], "ACTIVITYUN": record["MEINH"],
            "PERSON_NO": record["PERNR"], "SEG_TEXT": f"CATS {record['COUNTER']}",
            **receiver}


def _mark(conn: Connection, counter: str, belnr: str) -> None:
    """TRANSFER = X on the untransferred row only; anything else undoes the posting."""
    done = conn.execute(update(_CATSCO).where(
        _CATSCO.c.COUNTER == counter, _CATSCO.c.STOKZ == "", _CATSCO.c.TRANSFER == ""
    ).values(TRANSFER="X", CO_BELNR=belnr))
    if done.rowcount != 1:
        raise AlreadyTransferred(counter)


def _quantity(hours: Decimal) -> str:
    return f"{hours:f}"
