"""FARR_RAI_TRANS (raw -> processable: the checks again, per source document) and
FARR_RAI_PROC (processable -> processed: contracts, POBs, fulfilments, invoices), SAP's
transaction names; the RFC functions FARR_RAI_TRANSFER and FARR_RAI_PROCESS are ours.

Processing order: order items (by version), then fulfilment items, then invoice items.
- An order item whose source item RAR has not mapped yet becomes a POB of the contract of its
  reference type and ID in its company code (a new contract when there is none); the POB's
  contractual price is the sum of its price conditions (role P, not statistical), its SSP
  the sum of its SSP conditions; an item with an estimated quantity is a value-based POB
  outside the allocation (ours). Added to a contract stored before, it is a contract
  modification.
- A newer version of a mapped order item changes its POB (price, SSP, quantity, dates): a
  contract modification. With a retrospective change reason (FARR_C_CHRSN) every period is
  recomputed and the difference to what was posted is caught up in the next posting run;
  otherwise prospectively from the period of EFFECTIVE_DATE. A version with another
  reference ID (a renewal) opens a POB in the contract of that reference, starting at the
  effective date. A version older than the one applied is marked processed and ignored.
- A fulfilment or invoice item goes to the POB of its order item (ORIGDOC): the POB mapped
  from <ORIGDOC_ID>/<SERVICE_TYPE> if there is one (an additional service type of the
  contract item), else the one POB of that contract with the item's service type, else the
  order item's own POB (ours).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.farr import checks, customizing, schedule
from sapgw.erp_stub.farr.contracts import ZERO, Contracts
from sapgw.erp_stub.farr.inbound import ready_order_items
from sapgw.erp_stub.farr.tables import (
    FARR_D_RAI_CO,
    FARR_D_RAI_MI,
    PROCESSABLE,
    PROCESSED,
    RAW,
)
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("FARR_PROC")
CLASS_ORDER = {"CA01": 0, "CA02": 1, "CA03": 2}
CONTRACT_ROW = structure("FARR_S_CONTRACT_ID", ("CONTRACT_ID", CHAR(14), "Revenue contract"))


def _items(ctx: CallContext, status: str, bukrs: str) -> tuple[
        list[dict[str, Any]], dict[tuple[Any, ...], list[dict[str, Any]]]]:
    mi = FARR_D_RAI_MI.__table__  # type: ignore[attr-defined]
    co = FARR_D_RAI_CO.__table__  # type: ignore[attr-defined]
    query = select(mi).where(mi.c.STATUS == status)
    if bukrs:
        query = query.where(mi.c.BUKRS == bukrs)
    with ctx.read() as conn:
        items = [dict(row) for row in conn.execute(query).mappings()]
        conditions: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        if items:
            for row in conn.execute(select(co).where(co.c.SRCDOC_ID.in_(
                    {i["SRCDOC_ID"] for i in items})).order_by(co.c.COND_NO)).mappings():
                conditions[checks.key_of(row)].append(dict(row))
    items.sort(key=lambda i: (CLASS_ORDER.get(i["RAI_CLASS"], 9), i["TIMESTAMP_UTC"],
                              i["SRCDOC_TYPE"], i["SRCDOC_ID"]))
    return items, conditions


def _key(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in ("SRCDOC_COMP", "SRCDOC_LOGSYS", "SRCDOC_TYPE",
                                          "SRCDOC_ID", "TIMESTAMP_UTC")}


def transfer(ctx: CallContext, bukrs: str) -> tuple[int, int]:
    """Raw items checked again, per source document: (checked, now processable)."""
    items, conditions = _items(ctx, RAW, bukrs)
    orders = [item for item in items if item["RAI_CLASS"] == checks.ORDER]
    first = checks.unit_reasons(ctx, orders, conditions, lambda *_: True, set())
    ready = {(i["SRCDOC_COMP"], i["SRCDOC_TYPE"], i["SRCDOC_ID"])
             for n, i in enumerate(orders) if n not in first} | ready_order_items(ctx, items)
    reasons = checks.unit_reasons(ctx, items, conditions, lambda *origin: origin in ready,
                                  set())
    for index, item in enumerate(items):
        reason = reasons.get(index)
        ctx.update(FARR_D_RAI_MI, _key(item), {"STATUS": RAW if reason else PROCESSABLE,
                                              **checks.reason_fields(reason)})
    return len(items), len(items) - len(reasons)


def _price(ctx: CallContext, item: dict[str, Any], conditions: list[dict[str, Any]]
           ) -> tuple[Decimal, Decimal, bool]:
    """(contractual price, SSP, has a price condition) of an order item."""
    price = ssp = ZERO
    priced = False
    for condition in conditions:
        role = customizing.condition_role(ctx, condition["CONDITION_TYPE"])
        if role == customizing.SSP:
            ssp += condition["BETRW"]
        elif role == customizing.PRICE and condition["STATISTIC"] != "X":
            price += condition["BETRW"]
            priced = True
    return (price if priced else item["BETRW"]), ssp, priced


def _sign(item: dict[str, Any]) -> int:
    return -1 if item["REVERSAL"] == "X" else 1


def _default_end(kind: Any, item: dict[str, Any], start: str) -> str:
    """An order item without END_DATE: a time-based POB runs its type's default term from
    the item's start (customizing.default_end); any other ends at its start."""
    if kind.FULFILL_TYPE == schedule.TIME and item["X_ESTIMATED_QUAN"] != "X":
        return customizing.default_end(kind, item["START_DATE"] or start) or start
    return start


def _order_item(ctx: CallContext, state: Contracts, item: dict[str, Any],
                conditions: list[dict[str, Any]]) -> tuple[str, str]:
    key = _source_key(item)
    price, ssp, _ = _price(ctx, item, conditions)
    kind = customizing.pob_type(ctx, item["SERVICE_TYPE"])
    estimated = item["X_ESTIMATED_QUAN"] == "X"
    start = item["START_DATE"] or item["EFFECTIVE_DATE"] or ctx.clock.now().strftime("%Y%m%d")
    values = {
        "TRX_PRICE": ZERO if estimated else price * _sign(item), "SSP": ssp,
        "QUANTITY": item["QUANTITY"] or Decimal(1), "QUANTITY_UNIT": item["QUANTITY_UNIT"],
        "START_DATE": start, "END_DATE": item["END_DATE"] or _default_end(kind, item, start),
        "SRC_TIMESTAMP": item["TIMESTAMP_UTC"]}
    retro = customizing.retrospective(ctx, item["CHRSN"])
    change_period = schedule.period_of(item["EFFECTIVE_DATE"] or start)
    mapped = state.mapped(key)
    reference = (item["RA_REFTYPE"], item["RA_REFID"])
    if mapped is not None and (mapped["REFERENCE_TYPE"], mapped["REFERENCE_ID"]) == reference:
        pob = state.pobs[mapped["POB_ID"]]
        if item["TIMESTAMP_UTC"] <= pob["SRC_TIMESTAMP"]:
            return pob["CONTRACT_ID"], pob["POB_ID"]  # an older version: nothing to change
        if estimated:
            values.pop("TRX_PRICE")
        if retro:
            state.unsplit(pob["CONTRACT_ID"])
        else:
            state.split(pob["CONTRACT_ID"], change_period)
        pob.update(values)
        return pob["CONTRACT_ID"], pob["POB_ID"]
    if mapped is not None:  # a renewal: the POB of the new reference starts at the change
        values["START_DATE"] = max(start, item["EFFECTIVE_DATE"])
    contract_id = state.find(item["BUKRS"], *reference) or state.create(item)
    if any(p["POB_ID"] in state.existing_pobs for p in state.pobs_of(contract_id)):
        if retro:
            state.unsplit(contract_id)
        else:
            state.split(contract_id, change_period)
    pob = state.add_pob(contract_id, {
        **values, "POB_NAME": f"{item['SRCDOC_ID']} {item['SERVICE_TYPE']}"[:40],
        "POB_TYPE": kind.POB_TYPE, "SERVICE_TYPE": item["SERVICE_TYPE"],
        "COMPANY_CODE": item["BUKRS"], "ALLOC_AMT_CURK": item["WAERS"],
        "PREVENT_ALLOC": "X" if estimated else "", "FULFILL_TYPE": kind.FULFILL_TYPE,
        "EVENT_TYPE": schedule.VALUE_BASED if estimated else kind.EVENT_TYPE})
    state.map(key, pob, item["HEADER_ID"])
    return contract_id, pob["POB_ID"]


def _source_key(item: dict[str, Any]) -> tuple[str, ...]:
    """The source item an order item's POB is mapped from."""
    return item["SRCDOC_COMP"], item["SRCDOC_LOGSYS"], item["SRCDOC_TYPE"], item["SRCDOC_ID"]


def _origin_keys(item: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The mappings a fulfilment or invoice item's POB is found by: its order item's
    additional service type <ORIGDOC_ID>/<SERVICE_TYPE>, and the order item itself."""
    comp, kind, ident = checks.origin_of(item)
    base = (comp, item["SRCDOC_LOGSYS"], kind)
    return (*base, f"{ident}/{item['SERVICE_TYPE']}"), (*base, ident)


def resolve(state: Contracts, item: dict[str, Any]) -> dict[str, Any] | None:
    """The POB a fulfilment or invoice item belongs to (see the module)."""
    own_key, origin_key = _origin_keys(item)
    own = state.mapped(own_key)
    if own is not None:
        return state.pobs[own["POB_ID"]]
    origin = state.mapped(origin_key)
    if origin is None:
        return None
    same = [p for p in state.pobs_of(origin["CONTRACT_ID"])
            if p["SERVICE_TYPE"] == item["SERVICE_TYPE"]]
    return same[0] if len(same) == 1 else state.pobs[origin["POB_ID"]]


def process(ctx: CallContext, bukrs: str) -> tuple[int, set[str], list[dict[str, Any]]]:
    """Process every processable item: (items processed, contracts, warnings)."""
    items, conditions = _items(ctx, PROCESSABLE, bukrs)
    state, warnings, done = Contracts(ctx), [], 0
    state.read_mappings(key for item in items for key in (
        (_source_key(item),) if item["RAI_CLASS"] == checks.ORDER else _origin_keys(item)))
    today = ctx.clock.now().strftime("%Y%m%d")
    for item in items:
        rows = conditions.get(checks.key_of(item), [])
        if item["RAI_CLASS"] == checks.ORDER:
            contract_id, pob_id = _order_item(ctx, state, item, rows)
        else:
            pob = resolve(state, item)
            if pob is None:
                reason = ("022", (item["SRCDOC_ID"], item["ORIGDOC_ID"]))
                ctx.update(FARR_D_RAI_MI, _key(item), {"STATUS": RAW,
                                                      **checks.reason_fields(reason)})
                warnings.append(bapiret2("W", "FARR_RAI", reason[0], *reason[1]))
                continue
            contract_id, pob_id = pob["CONTRACT_ID"], pob["POB_ID"]
            amount = (sum((c["BETRW"] for c in rows if c["STATISTIC"] != "X"), ZERO)
                      if rows else item["BETRW"]) * _sign(item)
            if item["RAI_CLASS"] == "CA02":
                date = item["EVENT_DATE"] or item["POSTING_DATE"] or today
                state.fulfil(pob, {
                    "SRCDOC_TYPE": item["SRCDOC_TYPE"], "SRCDOC_ID": item["SRCDOC_ID"],
                    "POB_ID": pob_id, "CONTRACT_ID": contract_id, "EVENT_DATE": date,
                    "GJAHR": date[:4], "POPER": "0" + date[4:6],
                    "REPORTED_QTY": item["QUANTITY"] * _sign(item), "AMOUNT": amount,
                    "WAERS": item["WAERS"]})
            else:
                date = item["POSTING_DATE"] or today
                state.invoice(pob, {
                    "SRCDOC_TYPE": item["SRCDOC_TYPE"], "SRCDOC_ID": item["SRCDOC_ID"],
                    "POB_ID": pob_id, "CONTRACT_ID": contract_id, "POSTING_DATE": date,
                    "GJAHR": date[:4], "POPER": "0" + date[4:6], "INV_AMT": amount,
                    "WAERS": item["WAERS"], "FINAL_INVOICE": item["FINAL_INVOICE"]})
        ctx.update(FARR_D_RAI_MI, _key(item), {"STATUS": PROCESSED, "PROCESSED_ON": today,
                                              "CONTRACT_ID": contract_id, "POB_ID": pob_id})
        done += 1
    state.finish()
    return done, state.touched, warnings


@group.function(interface("FARR_RAI_TRANSFER", [
    importing("IV_BUKRS", CHAR(4), text="Company code (blank: all)"),
    tables("ET_RETURN", BAPIRET2, text="Return messages"),
], text="Raw revenue accounting items to processable (FARR_RAI_TRANS; ours)"))
def farr_rai_transfer(ctx: CallContext, IV_BUKRS: str, ET_RETURN: list[dict[str, Any]]
                      ) -> dict[str, Any]:
    checked, ready = transfer(ctx, IV_BUKRS)
    ctx.commit()
    ET_RETURN[:] = [bapiret2("S", "FARR_RAI", "020", checked, ready, checked - ready)]
    return {"ET_RETURN": ET_RETURN}


@group.function(interface("FARR_RAI_PROCESS", [
    importing("IV_BUKRS", CHAR(4), text="Company code (blank: all)"),
    tables("ET_CONTRACTS", CONTRACT_ROW, text="Revenue contracts changed"),
    tables("ET_RETURN", BAPIRET2, text="Return messages"),
], text="Process revenue accounting items into contracts (FARR_RAI_PROC; ours)"))
def farr_rai_process(ctx: CallContext, IV_BUKRS: str, ET_CONTRACTS: list[dict[str, Any]],
                     ET_RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    done, contracts, warnings = process(ctx, IV_BUKRS)
    ctx.commit()
    ET_CONTRACTS[:] = [{"CONTRACT_ID": c} for c in sorted(contracts)]
    ET_RETURN[:] = [*warnings, bapiret2("S", "FARR_RAI", "021", done, len(contracts))]
    return {"ET_CONTRACTS": ET_CONTRACTS, "ET_RETURN": ET_RETURN}
