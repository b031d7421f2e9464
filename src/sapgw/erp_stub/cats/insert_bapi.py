"""BAPI_CATIMESHEETMGR_INSERT (business object BUS7024 CATimeSheetManager): save time sheet
records, all or none (reference/controlling.md §3.4).

PROFILE names the data entry profile (blank: the one marked default, our convenience);
RELEASE_DATA = 'X' releases records the profile does not release on saving; TESTRUN = 'X'
checks and answers CATSRECORDS_OUT without saving. RETURN names each problem with ROW
(the row of CATSRECORDS_IN) and FIELD; with any E, CATSRECORDS_OUT is empty and nothing is
saved. The records are written at BAPI_TRANSACTION_COMMIT. Function group CATS_BAPI is ours.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.cats.records import insert_records
from sapgw.erp_stub.cats.structures import BAPICATS1, BAPICATS2
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("CATS_BAPI")


@group.function(interface("BAPI_CATIMESHEETMGR_INSERT", [
    importing("PROFILE", CHAR(8), text="Data entry profile (blank: the default profile)"),
    importing("TESTRUN", CHAR(1), text="X: check only, save nothing"),
    importing("RELEASE_DATA", CHAR(1), text="X: release the records on saving"),
    importing("TEXT_FORMAT_IMP", CHAR(3), default="ITF", text="Long text format (unused)"),
    importing("AGENT", CHAR(12), text="Workflow recipient (unused: no workflow)"),
    tables("CATSRECORDS_IN", BAPICATS1, text="Time sheet records to save"),
    tables("CATSRECORDS_OUT", BAPICATS2, text="The records as saved"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Time sheet: insert records"))
def bapi_catimesheetmgr_insert(ctx: CallContext, PROFILE: str, TESTRUN: str,
                               RELEASE_DATA: str, TEXT_FORMAT_IMP: str, AGENT: str,
                               CATSRECORDS_IN: list[dict[str, Any]],
                               CATSRECORDS_OUT: list[dict[str, Any]],
                               RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    out, messages = insert_records(ctx, CATSRECORDS_IN, PROFILE, release=RELEASE_DATA == "X",
                                   testrun=TESTRUN == "X")
    return {"CATSRECORDS_IN": CATSRECORDS_IN, "CATSRECORDS_OUT": out, "RETURN": messages}
