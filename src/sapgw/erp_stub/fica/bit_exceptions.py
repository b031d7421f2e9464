"""Excepting and restoring billable items (RFKKBIXBITBMON's except/restore; FKK_BIX_BIT_EXCEPT
is ours): an excepted item is neither corrected nor billed until it is restored.

Except moves raw items to raw-excepted (0 -> 1) and billable ones to billable-excepted
(2 -> 3) with an exception reason of TFK8105E; restore moves them back (1 -> 0, 3 -> 2) and
clears the reason. A package moves whole. Items already billed (4) cannot be excepted.
Revenue accounting records written when the item became billable stay as they are (ours).
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fica.bit_tables import (
    BILLABLE,
    BILLABLE_EXCEPTED,
    BIT_TABLES,
    KEY,
    RAW,
    RAW_EXCEPTED,
    STATUSES,
    BitFields,
)
from sapgw.erp_stub.fica.bits import FKKBIX_BIT_RESULT, SOURCE, package, stored
from sapgw.erp_stub.fica.customizing import TFK8105E
from sapgw.erp_stub.fica.master_data import group
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.rfc.ddic import CHAR, NUMC, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

EXCEPT, RESTORE = "E", "R"
MOVES = {EXCEPT: {RAW: RAW_EXCEPTED, BILLABLE: BILLABLE_EXCEPTED},
         RESTORE: {RAW_EXCEPTED: RAW, BILLABLE_EXCEPTED: BILLABLE}}
ACTION_TEXT = {EXCEPT: "except", RESTORE: "restore"}
FKKBIX_BIT_KEY = structure(
    "FKKBIX_BIT_KEY", ("SRCTATYPE", CHAR(5), "Source transaction type"),
    ("SRCTAID", CHAR(22), "Source transaction ID"),
    ("BITPACKUUID", CHAR(32), "Package (blank: the source transaction ID)"),
    ("BITPACKCNO", NUMC(8), "Item in the package"))


@group.function(interface("FKK_BIX_BIT_EXCEPT", [
    importing("BITCAT", CHAR(4), optional=False, text="Billable item class"),
    importing("ACTION", CHAR(1), optional=False, text="E except, R restore"),
    importing("EXCREASON", CHAR(4), text="Exception reason (TFK8105E), for E"),
    tables("IT_BIT_KEYS", FKKBIX_BIT_KEY, optional=False, text="Items by source key"),
    tables("ET_BIT_RESULT", FKKBIX_BIT_RESULT, text="New status per item of the packages"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Billable items: except or restore (ours)"))
def bit_except(ctx: CallContext, BITCAT: str, ACTION: str, EXCREASON: str,
               IT_BIT_KEYS: list[dict[str, Any]], ET_BIT_RESULT: list[dict[str, Any]],
               RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx)
    if BITCAT not in BIT_TABLES:
        problems.error("FKK_CI", "038", BITCAT, parameter="BITCAT", field="BITCAT")
    if ACTION not in MOVES:
        problems.error("FKK_CI", "005", "ACTION (E/R)", "ACTION", parameter="ACTION",
                       field="ACTION")
    elif ACTION == EXCEPT and ctx.buffered(TFK8105E).get(EXCREASON) is None:
        problems.error("FKK_CI", "056", EXCREASON, parameter="EXCREASON", field="EXCREASON")
    moves: list[tuple[str, dict[str, Any]]] = []
    if not problems:
        moves = _moves(ctx, BITCAT, ACTION, IT_BIT_KEYS, problems)
    if problems:
        RETURN[:] = problems.rows
        ET_BIT_RESULT[:] = []
        return {"IT_BIT_KEYS": IT_BIT_KEYS, "ET_BIT_RESULT": ET_BIT_RESULT, "RETURN": RETURN}
    results = []
    for status, row in moves:
        target = MOVES[ACTION][status]
        ctx.delete(BIT_TABLES[BITCAT][status], {name: row[name] for name in KEY})
        ctx.insert(BIT_TABLES[BITCAT][target], {
            **{name: row[name] for name in BitFields.model_fields}, "BITSTATUS": target,
            "EXCREASON": EXCREASON if ACTION == EXCEPT else ""})
        results.append({**{name: row[name] for name in (*SOURCE, "VKONT", "SERVICE_TYPE",
                                                        "RAREL")},
                        "BITSTATUS": target, "MSGID": "", "MSGNO": "000", "MESSAGE": ""})
    ET_BIT_RESULT[:] = results
    RETURN[:] = [problems.success("FKK_CI", "058", len(results), ACTION_TEXT[ACTION])]
    return {"IT_BIT_KEYS": IT_BIT_KEYS, "ET_BIT_RESULT": ET_BIT_RESULT, "RETURN": RETURN}


def _moves(ctx: CallContext, bitcat: str, action: str, keys: list[dict[str, Any]],
           problems: Problems) -> list[tuple[str, dict[str, Any]]]:
    """(status, row) of every item of the packages named, each package once."""
    moves: list[tuple[str, dict[str, Any]]] = []
    done: set[tuple[str, str]] = set()
    for number, key in enumerate(keys, start=1):
        source = {**key, "BITPACKUUID": key["BITPACKUUID"] or key["SRCTAID"],
                  "BITPACKCNO": f"{int(key['BITPACKCNO'] or 0):08d}"}
        found = stored(ctx, bitcat, source, STATUSES)
        if found is None or found[0] not in MOVES[action]:
            problems.error("FKK_CI", "057", source["SRCTATYPE"], source["SRCTAID"],
                           source["BITPACKCNO"], found[0] if found else "-",
                           parameter="IT_BIT_KEYS", row=number, field="SRCTAID")
            continue
        status, row = found
        if (status, row["BITPACKUUID"]) in done:
            continue
        done.add((status, row["BITPACKUUID"]))
        moves += [(status, item) for item in package(ctx, bitcat, status, row["BITPACKUUID"])]
    return moves
