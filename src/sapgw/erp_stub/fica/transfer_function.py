"""FKK_RAI_TRANSFER (ours): FP_RAI_TRANSF over RFC — the selections, a test run, the log.

SAP runs FP_RAI_TRANSF as a mass activity whose selection screen is not public; ours has the
selections of FP_RAI_MON (source item types, company codes, business partners, "selection
to") and TESTRUN = X (nothing written, nothing queued: the log says what a run would send).
The processing level of fulfilment items comes from TFKRA_ACT. The run commits per source
document group (transfer.py); the log answers per type how many items were queued in how
many units, superseded, aggregated, refused (FAILED) or left to another run (TAKEN), and
ET_UNITS a line per unit. RETURN carries E when the selections or the customizing are
wrong (nothing done) or a group was refused (its records stay for a later run).
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fica import transfer
from sapgw.erp_stub.fica.customizing import CONVERGENT, ra_settings
from sapgw.erp_stub.fica.master_data import group
from sapgw.erp_stub.fica.rai_monitor import SELECTION
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.rfc.ddic import CHAR, DATS, INT4, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

FKKRA_TRANSF_LOG = structure(
    "FKKRA_TRANSF_LOG", ("SRCDOC_TYPE", CHAR(4), "Source item type"),
    ("SENT", INT4, "Items queued (test run: would be)"), ("UNITS", INT4, "Units queued"),
    ("SUPERSEDED", INT4, "Older versions superseded"),
    ("AGGREGATED", INT4, "Fulfilment items aggregated"),
    ("FAILED", INT4, "Groups refused"), ("TAKEN", INT4, "Groups sent by another run"))
FKKRA_TRANSF_UNIT = structure(
    "FKKRA_TRANSF_UNIT", ("SRCDOC_TYPE", CHAR(4), "Source item type"),
    ("BUKRS", CHAR(4), "Company code"), ("HEADER_ID", CHAR(20), "Source document"),
    ("FUNCNAME", CHAR(30), "RAR function"), ("QNAME", CHAR(24), "qRFC queue"),
    ("ITEMS", INT4, "Main items"), ("CONDITIONS", INT4, "Conditions"),
    ("STATUS", CHAR(1), "Q queued, T test run, E refused, O sent by another run"))


def _values(rows: list[dict[str, Any]]) -> frozenset[str]:
    return frozenset(row["LOW"].strip().upper() for row in rows if row["LOW"].strip())


def _selection(ctx: CallContext, sel_to: str, types: list[dict[str, Any]],
               companies: list[dict[str, Any]], partners: list[dict[str, Any]],
               problems: Problems) -> transfer.Selection:
    chosen = _values(types)
    for row, kind in enumerate((t["LOW"].strip().upper() for t in types), start=1):
        if kind and kind not in transfer.ORDER:
            problems.error("FKK_CI", "065", kind, parameter="IT_SRCDOC_TYPE", row=row,
                           field="LOW")
    settings = ra_settings(ctx)
    if not settings.active:
        problems.error("FKK_CI", "063", CONVERGENT)
    elif not settings.destination:
        problems.error("FKK_CI", "064", CONVERGENT)
    if settings.processing_level not in ("1", "2"):
        problems.error("FKK_CI", "068", settings.processing_level)
    return transfer.Selection(
        chosen, _values(companies),
        frozenset(p.zfill(10) if p.isdigit() else p for p in _values(partners)), sel_to)


@group.function(interface("FKK_RAI_TRANSFER", [
    importing("SEL_TO", DATS, text="Selection to: records created up to (blank: all)"),
    importing("TESTRUN", CHAR(1), text="X: test run, nothing written or sent"),
    tables("IT_SRCDOC_TYPE", SELECTION, text="Source item types (blank: all)"),
    tables("IT_BUKRS", SELECTION, text="Company codes (blank: all)"),
    tables("IT_PARTNER", SELECTION, text="Business partners (blank: all)"),
    tables("ET_LOG", FKKRA_TRANSF_LOG, text="Per source item type"),
    tables("ET_UNITS", FKKRA_TRANSF_UNIT, text="Units queued for RAR"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Transfer revenue accounting items to RAR (FP_RAI_TRANSF; ours)"))
def fkk_rai_transfer(ctx: CallContext, SEL_TO: str, TESTRUN: str,
                     IT_SRCDOC_TYPE: list[dict[str, Any]], IT_BUKRS: list[dict[str, Any]],
                     IT_PARTNER: list[dict[str, Any]], ET_LOG: list[dict[str, Any]],
                     ET_UNITS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                     ) -> dict[str, Any]:
    problems = Problems(ctx)
    selection = _selection(ctx, SEL_TO, IT_SRCDOC_TYPE, IT_BUKRS, IT_PARTNER, problems)
    answer = {"IT_SRCDOC_TYPE": IT_SRCDOC_TYPE, "IT_BUKRS": IT_BUKRS,
              "IT_PARTNER": IT_PARTNER, "ET_LOG": ET_LOG, "ET_UNITS": ET_UNITS,
              "RETURN": RETURN}
    if problems:
        RETURN[:] = problems.rows
        return answer
    test = TESTRUN.upper() == "X"
    try:
        log = transfer.run(ctx, ra_settings(ctx), selection, test)
    except NumberRangeError as error:  # the group being written is rolled back
        ctx.rollback()
        problems.number_range(error)
        RETURN[:] = problems.rows
        return answer
    ET_LOG[:] = [{"SRCDOC_TYPE": kind, "SENT": c.sent, "UNITS": c.units,
                  "SUPERSEDED": c.superseded, "AGGREGATED": c.aggregated, "FAILED": c.failed,
                  "TAKEN": c.taken} for kind, c in log.counts.items()
                 if not selection.types or kind in selection.types]
    ET_UNITS[:] = log.units
    RETURN[:] = log.messages + ([problems.success("FKK_CI", "008")] if test else [])
    return answer
