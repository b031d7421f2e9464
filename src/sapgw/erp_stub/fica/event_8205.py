"""FI-CA event 8205: enrich the revenue accounting transfer records of a provider contract
before they are saved, with the installation's module (TFKFBC, event 8205, APPLK C).

SAP's sample FKK_SAMPLE_8205_CLOUD_BADI gets IT_RAI_MI / IT_RAI_CO and the contract changes
IS_VT_CHANGES, is called first with IX_SIMULATION = 'X' and then for real, and answers the
rows it changed or added in ET_RAI_MI / ET_RAI_CO. Ours: the module is a Python callable
(`package.module:function` in TFKFBC-FUNCN) called with those keyword arguments (copies;
IX_SIMULATION a bool) and returning (ET_RAI_MI, ET_RAI_CO). It may change the fields of
`MI_MERGE` on main items and `CO_MERGE` on conditions (rows found by RAI_ID, and UUID); a
changed row gets CHIND U. It may add conditions (no UUID) to a main item of the call, with a
condition type of TFK_RA_CONDTYP; they get CHIND I. Anything else, or an exception, stops
the save with FKK_CI 050-054: nothing is saved and the contract can be sent again.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.fica.contracts import SavedItem
from sapgw.erp_stub.fica.customizing import CONVERGENT, condition_type
from sapgw.erp_stub.fica.order_items import Records
from sapgw.erp_stub.fica.rai_tables import TFKFBC
from sapgw.erp_stub.kernel.context import CallContext

EVENT = "8205"
# Ours, after SAP's FKKRA_RAI_MI_MERGE / FKKRA_RAI_CO_MERGE (their fields are not public).
MI_MERGE = ("START_DATE", "END_DATE", "EFFECTIVE_DATE", "QUANTITY", "QUANTITY_UNIT",
            "X_ESTIMATED_QUAN", "RA_REFTYPE", "RA_REFID")
CO_MERGE = ("BETRW", "STATISTIC")
NUMERIC = ("BETRW", "QUANTITY")
Module = Callable[..., tuple[list[dict[str, Any]], list[dict[str, Any]]]]


class EventError(Exception):
    """The module failed or answered what it may not: FKK_CI <number> with its variables."""

    def __init__(self, number: str, *variables: str) -> None:
        super().__init__(number, *variables)
        self.number = number
        self.variables = variables


def module(ctx: CallContext) -> tuple[str, Module] | None:
    """The installation's module of event 8205, or None when there is none."""
    row = ctx.buffered(TFKFBC).get(EVENT, CONVERGENT)
    if row is None or not row.FUNCN:
        return None
    path, _, name = row.FUNCN.partition(":")
    try:
        function = getattr(importlib.import_module(path), name)
    except (ImportError, AttributeError, ValueError) as error:
        raise EventError("051", row.FUNCN, str(error)[:50]) from error
    return row.FUNCN, function


def _run(ctx: CallContext, records: Records, changes: Sequence[SavedItem], simulation: bool
        ) -> Records:
    """The records after the module (unchanged without one)."""
    found = module(ctx)
    if found is None or not records:
        return records
    name, function = found
    vt_changes = [{"VTPOS": item.vtpos, "VERSN": item.version, "CHIND": item.chind,
                   "CHANGED_FIELDS": ",".join(item.changed_fields), **item.values}
                  for item in changes]
    try:
        answer = function(IT_RAI_MI=copy.deepcopy(records.mi),
                          IT_RAI_CO=copy.deepcopy(records.co),
                          IS_VT_CHANGES=copy.deepcopy(vt_changes), IX_SIMULATION=simulation)
        et_mi, et_co = answer
    except Exception as error:  # the module is the installation's code: report, never crash
        raise EventError("050", name, f"{type(error).__name__}: {error}"[:50]) from error
    return _merge(ctx, records, list(et_mi or []), list(et_co or []))


def before_save(ctx: CallContext, records: Records, changes: Sequence[SavedItem] = (),
                testrun: bool = False) -> Records:
    """The records as they are saved: the module is called first with IX_SIMULATION = 'X',
    then (unless a test run, which keeps the simulation's answer) for real, both times on
    the records as built; raises EventError, before anything is registered."""
    simulated = _run(ctx, records, changes, simulation=True)
    return simulated if testrun else _run(ctx, records, changes, simulation=False)


def _merge(ctx: CallContext, records: Records, et_mi: list[dict[str, Any]],
           et_co: list[dict[str, Any]]) -> Records:
    mi = {row["RAI_ID"]: dict(row) for row in records.mi}
    co = {(row["RAI_ID"], row["UUID"]): dict(row) for row in records.co}
    for changed in et_mi:
        row = mi.get(changed.get("RAI_ID", ""))
        if row is None:
            raise EventError("054", str(changed.get("RAI_ID", "")), "ET_RAI_MI")
        _apply(row, changed, MI_MERGE, "DFKKRA_RAI_MI")
    added: list[dict[str, Any]] = []
    for changed in et_co:
        if not changed.get("UUID"):
            added.append(_added(ctx, mi, co, added, changed))
            continue
        row = co.get((changed.get("RAI_ID", ""), changed["UUID"]))
        if row is None:
            raise EventError("054", f"{changed.get('RAI_ID', '')} {changed['UUID']}",
                             "ET_RAI_CO")
        _apply(row, changed, CO_MERGE, "DFKKRA_RAI_CO")
    return Records(list(mi.values()), [*co.values(), *added])


def _numbers(values: dict[str, Any]) -> dict[str, Any]:
    """Amounts and quantities as Decimals, however the module wrote them."""
    return {name: Decimal(str(value)) if name in NUMERIC and value is not None else value
            for name, value in values.items()}


def _apply(row: dict[str, Any], changed: dict[str, Any], allowed: tuple[str, ...],
           table: str) -> None:
    changed = _numbers(changed)
    differing = [name for name, value in changed.items() if row.get(name) != value]
    refused = [name for name in differing if name not in allowed and name != "CHIND"]
    if refused:
        raise EventError("052", refused[0], table)
    if differing:
        row.update({name: changed[name] for name in differing if name != "CHIND"})
        row["CHIND"] = "U"


def _added(ctx: CallContext, mi: dict[str, dict[str, Any]],
           co: dict[tuple[str, str], dict[str, Any]], added: list[dict[str, Any]],
           values: dict[str, Any]) -> dict[str, Any]:
    main = mi.get(values.get("RAI_ID", ""))
    if main is None:
        raise EventError("054", str(values.get("RAI_ID", "")), "ET_RAI_CO")
    values = _numbers(values)
    kschl = str(values.get("CONDITION_TYPE", ""))
    if condition_type(ctx, kschl) is None:
        raise EventError("053", kschl)
    number = sum(1 for key in co if key[0] == main["RAI_ID"]) + sum(
        1 for row in added if row["RAI_ID"] == main["RAI_ID"]) + 1
    return {"RAI_ID": main["RAI_ID"], "UUID": f"{main['RAI_ID']}/{number:04d}",
            "SRCDOC_TYPE": main["SRCDOC_TYPE"], "SRCDOC_ID": main["SRCDOC_ID"],
            "TIMESTAMP_UTC": main["TIMESTAMP_UTC"], "SERVICE_TYPE": main["SERVICE_TYPE"],
            "CONDITION_TYPE": kschl, "BETRW": values.get("BETRW") or Decimal(0),
            "WAERS": values.get("WAERS") or main["WAERS"], "MAIN_COND_TYPE": "",
            "STATISTIC": values.get("STATISTIC", ""), "CHIND": "I"}
