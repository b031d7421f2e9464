"""Saving time sheet records: statuses, numbers and the interface row for CO.

A record's status after saving follows the data entry profile (TCATS, our subset): not
released (10) unless the profile releases on saving or the caller asks for the release
(RELEASE_DATA); a released record waits for approval (20) when the profile requires it,
else it is approved at once (30). At 30 a record gets the CATS document number (BELNR, one
per save or approval run, number range CATS_BELNR) and its row in CATSCO, the interface
CAT7 reads (reference/controlling.md §3.4: target interfaces are written at 30 only).
Every write is registered in the caller's LUW: nothing is written before the commit, and
all records of a call are written or none.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.cats.checks import CheckedRecord, check_record
from sapgw.erp_stub.cats.hr import profile as profile_of
from sapgw.erp_stub.cats.returns import Messages
from sapgw.erp_stub.cats.structures import BAPICATS2
from sapgw.erp_stub.cats.tables import CATSCO, CATSDB
from sapgw.erp_stub.kernel.context import CallContext

RECORDS_IN = "CATSRECORDS_IN"
# ERNAM/APNAM when the caller names nobody: the function context carries no logon user (ours).
RFC_USER = "RFC_USER"
IN_PROCESS, RELEASED, APPROVED, REJECTED = "10", "20", "30", "40"
CO_FIELDS = ("COUNTER", "PERNR", "WORKDATE", "CATSHOURS", "MEINH", "KOKRS", "SKOSTL", "LSTAR",
             "RKOSTL", "RAUFNR", "PAOBJNR", "RPROJ", "BELNR", "REFCOUNTER")


def insert_records(ctx: CallContext, records: list[dict[str, Any]], variant: str = "",
                   release: bool = False, testrun: bool = False, user: str = RFC_USER
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Check every record (BAPICATS1 rows), then register all of them in the caller's LUW.

    Answers (CATSRECORDS_OUT, RETURN). RETURN is empty on success, as SAP's BAPI answers
    (its callers test `RETURN IS INITIAL` before the commit). With any E in RETURN nothing is
    registered and CATSRECORDS_OUT is empty; with `testrun` nothing is registered either.
    """
    messages = Messages(ctx, RECORDS_IN)
    entry = profile_of(ctx, variant)
    if entry is None:
        if variant:
            messages.error("LR", "902", variant, parameter="PROFILE", field="PROFILE")
        else:
            messages.error("LR", "921", parameter="PROFILE", field="PROFILE")
    if not records:
        messages.error("LR", "918", field="")
    checked = [c for row, record in enumerate(records, start=1)
               if (c := check_record(ctx, record, row, messages)) is not None]
    if messages.failed or entry is None:
        return [], messages.rows
    status = initial_status(entry.FREIGABE == "X" or release, entry.GENEHM == "X")
    if testrun:
        return [_out(c, "", status, "") for c in checked], messages.rows
    belnr = ctx.numbers.next("CATS_BELNR", "", "01") if status == APPROVED else ""
    return [_save(ctx, c, entry.VARIANT, status, belnr, user) for c in checked], messages.rows


def initial_status(released: bool, approval_required: bool) -> str:
    """10 in process, 20 released for approval, 30 approved (no approval required)."""
    if not released:
        return IN_PROCESS
    return RELEASED if approval_required else APPROVED


def catsco_row(record: dict[str, Any]) -> dict[str, Any]:
    """The CATSCO row of an approved CATSDB row: waiting for CAT7 (TRANSFER blank)."""
    return {**{field: record[field] for field in CO_FIELDS}, "STOKZ": "", "TRANSFER": "",
            "CO_BELNR": ""}


def _save(ctx: CallContext, c: CheckedRecord, variant: str, status: str, belnr: str,
          user: str) -> dict[str, Any]:
    counter = ctx.numbers.next("CATS", "", "01")
    now = ctx.clock.now()
    record = c.record
    row = {
        "COUNTER": counter, "PERNR": c.employee.pernr, "WORKDATE": record["WORKDATE"],
        "AWART": record["ABS_ATT_TYPE"], "CATSHOURS": c.hours, "MEINH": c.unit,
        "KOKRS": c.kokrs, "SKOSTL": c.skostl, "LSTAR": c.lstar, "RKOSTL": c.rkostl,
        "RAUFNR": c.raufnr, "PAOBJNR": c.paobjnr or "0000000000",
        "RPROJ": "00000000", "STATUS": status, "BELNR": belnr,
        "REFCOUNTER": "", "LTXA1": record["SHORTTEXT"], "VARIANT": variant,
        "EXTSYSTEM": record["EXTSYSTEM"], "EXTAPPLICATION": record["EXTAPPLICATION"],
        "EXTDOCUMENTNO": record["EXTDOCUMENTNO"], "ERSDA": now.strftime("%Y%m%d"),
        "ERSTM": now.strftime("%H%M%S"), "ERNAM": user[:12],
        "APDAT": now.strftime("%Y%m%d") if status == APPROVED else "",
        "APNAM": user[:12] if status == APPROVED else "",
    }
    ctx.insert(CATSDB, row)
    if status == APPROVED:
        ctx.insert(CATSCO, catsco_row(row))
    return _out(c, counter, status, belnr)


def _out(c: CheckedRecord, counter: str, status: str, belnr: str) -> dict[str, Any]:
    """A CATSRECORDS_OUT row: the record as saved, with what was derived for it."""
    out = BAPICATS2.initial()
    out.update({key: value for key, value in c.record.items() if key in out})
    out.update({"ROW": f"{c.row:06d}", "COUNTER": counter, "STATUS": status, "BELNR": belnr,
                "EMPLOYEENUMBER": c.employee.pernr, "CO_AREA": c.kokrs,
                "SEND_CCTR": c.skostl, "UNIT": c.unit,
                "REC_ORDER": c.raufnr, "REC_CCTR": c.rkostl,
                "PROFIT_SEGM_NO": c.paobjnr or "0000000000"})
    return out
