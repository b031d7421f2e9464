"""What other applications may use of CATS: time sheet records (as a CRM confirmation's
upload creates them, in the caller's LUW) and the HR organisational assignment."""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.cats.hr import Employee, employee
from sapgw.erp_stub.cats.records import insert_records
from sapgw.erp_stub.cats.structures import BAPICATS1
from sapgw.erp_stub.kernel.context import CallContext

__all__ = ["Employee", "employee", "insert_time_sheet"]


def insert_time_sheet(ctx: CallContext, rows: list[dict[str, Any]], profile: str = "",
                      release: bool = True
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """BAPI_CATIMESHEETMGR_INSERT for a caller inside this system: `rows` in BAPICATS1's
    fields (missing ones initial); answers (CATSRECORDS_OUT, RETURN). The records are
    registered in the caller's LUW, so they are written with the caller's own postings or
    not at all; with an E in RETURN nothing is registered. Raises the RFC layer's
    conversion errors for a value that does not fit its field (a caller's bug)."""
    records = [BAPICATS1.convert(row, f"CATSRECORDS_IN[{number}]")
               for number, row in enumerate(rows, start=1)]
    return insert_records(ctx, records, profile, release=release)
