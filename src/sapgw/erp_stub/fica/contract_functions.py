"""FKK_VT_MAINTAIN (ours): create or change a provider contract over RFC, as CRM's
replication and FP_VT1/FP_VT2 do; SAP's inbound interface for it is not public.

The structures are ours, their fields SAP's (DFKK_VT_H / DFKK_VT_I / DFKK_VT_ST). Every
problem is answered in RETURN and nothing is saved while there is one; the contract is
written in the caller's LUW (BAPI_TRANSACTION_COMMIT, or the end of the tRFC unit the CRM
middleware sends). VT_CHANGES answers the item versions the save wrote and what changed.
With the save come the revenue accounting order items of the changed RA-relevant items
(order_items.py), passed through event 8205 (event_8205.py) before they are written.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fica import contracts, event_8205, order_items
from sapgw.erp_stub.fica.master_data import RFC_USER, group
from sapgw.erp_stub.fica.returns import Problems
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.numbers import NumberRangeError
from sapgw.rfc.ddic import CHAR, CUKY, DEC, NUMC, Elementary, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

TIMESTAMP = DEC(15)
AMOUNT = Elementary("CURR", 15, 2)

FKK_VT_H_API = structure(
    "FKK_VT_H_API", ("VTKEY", CHAR(20), "Provider contract (blank: internal number)"),
    ("GPART", CHAR(10), "Business partner"), ("VTBEZ", CHAR(40), "Name"),
    ("VTALT", CHAR(40), "Key in the external system"),
    ("VTBEG", TIMESTAMP, "Start (UTC timestamp)"), ("VTEND", TIMESTAMP, "End (UTC timestamp)"),
    ("BUKRS", CHAR(4), "Company code"), ("VTCAT", CHAR(1), "Category (blank provider contract)"))
FKK_VT_I_API = structure(
    "FKK_VT_I_API", ("VTPOS", NUMC(6), "Item"),
    ("VALFR", TIMESTAMP, "Valid from"), ("VALTO", TIMESTAMP, "Valid to (0: unlimited)"),
    ("VKONT", CHAR(12), "Contract account"), ("BUKRS", CHAR(4), "Company code"),
    ("SPART", CHAR(2), "Division"), ("PRDNR", CHAR(40), "Product"),
    ("VTITT", CHAR(40), "Item text"), ("QUANTITY", Elementary("QUAN", 13, 3), "Quantity"),
    ("QUANTITY_UNIT", CHAR(3), "Unit"), ("RAREL", CHAR(1), "X: relevant for RA"),
    ("RA_REFTYPE", CHAR(3), "RA reference type"), ("RA_REFID", CHAR(30), "RA reference ID"),
    ("TRPRC", AMOUNT, "Transaction price per period"),
    ("TRPRC_TOTAL", AMOUNT, "Total transaction price"), ("TRPRC_CURR", CUKY, "Its currency"),
    ("TRPRC_FREQ_UNIT", CHAR(3), "Recurrence period unit"),
    ("TRPRC_FREQ_DURATION", NUMC(3), "Recurrence period length"),
    ("SSPRC", AMOUNT, "Standalone selling price per period"),
    ("SSPRC_TOTAL", AMOUNT, "Total standalone selling price"),
    ("SSPRC_CURR", CUKY, "Its currency (blank: TRPRC_CURR)"),
    ("CHRSN", CHAR(2), "Change reason"),
    ("RECURR_SERVICE_TYPE", CHAR(6), "Service type for recurring charges"),
    ("VALFROM_CTRTERM", TIMESTAMP, "Contract term from"),
    ("VALTO_CTRTERM", TIMESTAMP, "Contract term to"))
FKK_VT_ST_API = structure(
    "FKK_VT_ST_API", ("VTPOS", NUMC(6), "Item"),
    ("SERVICE_TYPE", CHAR(6), "Additional service type"))
FKK_VT_CHANGE = structure(
    "FKK_VT_CHANGE", ("VTPOS", NUMC(6), "Item"), ("VERSN", NUMC(4), "Version written"),
    ("CHIND", CHAR(1), "I created, U changed"),
    ("CHANGED_FIELDS", CHAR(255), "Fields that changed"))


def _enriched(ctx: CallContext, contract: contracts.Contract,
              saved: list[contracts.SavedItem], testrun: bool, problems: Problems
              ) -> order_items.Records:
    """The order items of the save, through event 8205: simulation, then (no test run) for
    real; a failing module is answered and nothing is saved."""
    records = order_items.contract_order_items(ctx, contract, saved)
    try:
        return event_8205.before_save(ctx, records, saved, testrun)
    except event_8205.EventError as error:
        problems.error("FKK_CI", error.number, *error.variables, parameter=contracts.ITEMS)
        return order_items.Records()


@group.function(interface("FKK_VT_MAINTAIN", [
    importing("VT_HEADER", FKK_VT_H_API, optional=False, text="Contract header"),
    importing("TESTRUN", CHAR(1), text="X: check only, save nothing"),
    exporting("VTKEY", CHAR(20), "The provider contract saved"),
    exporting("VTVRS", NUMC(6), "Its version after the save"),
    tables("VT_ITEMS", FKK_VT_I_API, text="Items created or changed"),
    tables("VT_SERVICE_TYPES", FKK_VT_ST_API, text="Additional service types of the items"),
    tables("VT_CHANGES", FKK_VT_CHANGE, text="Item versions written"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Provider contract: create or change (FP_VT1/FP_VT2; ours)"))
def fkk_vt_maintain(ctx: CallContext, VT_HEADER: dict[str, Any], TESTRUN: str,
                    VT_ITEMS: list[dict[str, Any]], VT_SERVICE_TYPES: list[dict[str, Any]],
                    VT_CHANGES: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                    ) -> dict[str, Any]:
    problems = Problems(ctx)
    contract = contracts.check(ctx, VT_HEADER, VT_ITEMS, VT_SERVICE_TYPES, problems)
    saved: list[contracts.SavedItem] = []
    records = order_items.Records()
    changed = False
    if not problems and not contract.vtkey and TESTRUN != "X":
        try:
            contract.vtkey = ctx.numbers.next("FKK_VT")
        except NumberRangeError as error:
            problems.number_range(error, contracts.HEADER)
    if not problems:
        saved = order_items.renewals(ctx, contract.vtkey, contracts.changes(ctx, contract))
        records = _enriched(ctx, contract, saved, TESTRUN == "X", problems)
    if not problems and TESTRUN != "X":
        changed = contracts.save(ctx, contract, saved, RFC_USER)
        if records:
            order_items.write(ctx, records)
    version = ""
    if problems:
        RETURN[:] = problems.rows
    elif TESTRUN == "X":
        RETURN[:] = [problems.success("FKK_CI", "008")]
    elif not changed:
        RETURN[:] = [problems.success("FKK_CI", "011", contract.vtkey)]
        version = contract.existing["VTVRS"] if contract.existing else ""
    else:
        old = int(contract.existing["VTVRS"]) if contract.existing else 0
        version = f"{old + 1:06d}"
        RETURN[:] = [problems.success("FKK_CI", "010", contract.vtkey, version)]
        if records:
            RETURN.append(problems.success("FKK_CI", "055", len(records.mi),
                                           len(records.co)))
    VT_CHANGES[:] = [{"VTPOS": item.vtpos, "VERSN": item.version, "CHIND": item.chind,
                      "CHANGED_FIELDS": ",".join(item.changed_fields)[:255]}
                     for item in saved]
    return {"VTKEY": contract.vtkey if version else "", "VTVRS": version or "000000",
            "VT_ITEMS": VT_ITEMS, "VT_SERVICE_TYPES": VT_SERVICE_TYPES,
            "VT_CHANGES": VT_CHANGES, "RETURN": RETURN}

