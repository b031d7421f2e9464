"""Helpers of the FI-CA → RAR proof (issue 11): the public calls a CRM system, a charging
system and an operator make, and the IFRS 15 arithmetic of fica_rar.md §7 written out again
from the formulas, independently of `erp_stub/farr`, so that the tests compare RAR's figures
with figures computed from the inputs.

Formulas (fica_rar.md §7.1, with the emulator's documented choices of docs/RAR.md):
- ALLOC_i = TP × SSP_i / ΣSSP, half up at 2 decimals; the rounding residue goes to the POB
  with the largest unrounded allocation, the last one on ties (§7.4); a POB without an SSP
  takes its price as SSP; value-based usage (estimated quantity) keeps its own price.
- time-based revenue: ALLOC / number of months (START..END), half up, each month; the last
  month takes the residue; one-off charges: all in the month of their date; usage: the
  amounts consumed in the month.
- NET per contract and period end = cumulative revenue − cumulative invoiced; > 0 contract
  asset, < 0 contract liability.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

from sapgw.clock import Clock
from sapgw.gateway.runtime import Gateway

CENT = Decimal("0.01")
ZERO = Decimal(0)


# -- the public calls -------------------------------------------------------------------------
def rfc(http: httpx.Client, function: str, **params: Any) -> dict[str, Any]:
    """One JSON RFC call (functions that commit themselves)."""
    response = http.post(f"/sap/bc/rfc/{function}", json=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def in_session(http: httpx.Client, function: str, **params: Any) -> dict[str, Any]:
    """A BAPI and BAPI_TRANSACTION_COMMIT in one JSON RFC session (one LUW)."""
    opened = http.post(f"/sap/bc/rfc/{function}", headers={"sap-contextid-accept": "header"},
                       json=params)
    assert opened.status_code == 200, opened.text
    http.post("/sap/bc/rfc/BAPI_TRANSACTION_COMMIT", json={}, headers={
        "sap-contextid": opened.headers["sap-contextid"], "sap-contextid-close": "X"})
    return dict(opened.json())


def master_data(http: httpx.Client) -> tuple[str, str]:
    gpart = str(in_session(http, "BAPI_BUPA_CREATE_FROM_DATA", PARTNERCATEGORY="2",
                           CENTRALDATAORGANIZATION={"NAME1": "Telco Customer GmbH"}
                           )["BUSINESSPARTNER"])
    vkont = str(in_session(http, "BAPI_CTRACCONTRACTACCOUNT_CR1",
                           CTRACHEADERIN={"ACCT_CAT": "01"},
                           CTRACPARTNERDETAILIN={"BUSPARTNER": gpart,
                                                 "STANDARD_COMP_CODE": "1000",
                                                 "ACCT_DETERM_ID": "01"}
                           )["CONTRACTACCOUNTOUT"])
    return gpart, vkont


def contract_bdoc(contract_id: str, gpart: str, items: list[dict[str, Any]],
                  service_types: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A CRM_PROVCONTRACT BDoc as CRM sends it (docs/BDOC_TYPES.md)."""
    return {"type": "CRM_PROVCONTRACT", "sender": "CRM", "data": {
        "HEADER": {"CONTRACT_ID": contract_id, "PARTNER": gpart, "DESCRIPTION": "Bundle",
                   "COMP_CODE": "1000", "VALID_FROM": "2026-12-01"},
        "ITEMS": items, "SERVICE_TYPES": service_types or []}}


def contract_item(no: str, vkont: str, total: str, start: str, end: str, ssp: str = "",
                  **more: str) -> dict[str, Any]:
    item = {"ITEM_NO": no, "PRODUCT": f"P{no}", "CONTRACT_ACCOUNT": vkont,
            "VALID_FROM": start, "VALID_TO": end, "RA_RELEVANT": "X",
            "SERVICE_TYPE": "RECFEE", "TOTAL_PRICE": total, "CURRENCY": "EUR", **more}
    if ssp:
        item["TOTAL_SSP"] = ssp
    return item


def send_bdoc(http: httpx.Client, payload: dict[str, Any]) -> str:
    response = http.post("/api/bdocs", json=payload)
    assert response.status_code == 201, response.text
    return str(response.json()["bdoc_id"])


def billable_item(ident: str, vkont: str, vtref: str, vtpos: str, amount: str, date: str,
                  bittype: str, **more: str) -> dict[str, Any]:
    return {"SRCTATYPE": "01", "SRCTAID": ident, "SUBPROCESS": "SUBP", "BITTYPE": bittype,
            "VKONT": vkont, "VTREF": vtref, "VTPOS": vtpos, "BIT_AMOUNT": amount,
            "BIT_CURR": "EUR", "BITDATE": date, **more}


def create_bits(http: httpx.Client, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The charging system's call: /1FE/0SAP_BIT_CREATE_API over JSON RFC, committed."""
    result = in_session(http, "%2F1FE%2F0SAP_BIT_CREATE_API", IT_BIT_IT=items)
    return list(result["ET_BIT_RESULT"])


def bill_and_invoice(http: httpx.Client, vkont: str, date: str) -> dict[str, Any]:
    billed = rfc(http, "FKK_BIX_BILL_SINGLE", VKONT=vkont, DATE_TO=date)
    assert [m["TYPE"] for m in billed["RETURN"]] == ["S"], billed["RETURN"]
    invoiced = rfc(http, "FKK_INV_INVOICE_SINGLE", VKONT=vkont, BUDAT=date)
    assert [m["TYPE"] for m in invoiced["RETURN"]] == ["S"], invoiced["RETURN"]
    return invoiced


def transfer(http: httpx.Client) -> dict[str, Any]:
    """FP_RAI_TRANSF over JSON RFC (FKK_RAI_TRANSFER)."""
    result = rfc(http, "FKK_RAI_TRANSFER")
    assert all(m["TYPE"] == "S" for m in result["RETURN"]), result["RETURN"]
    return result


def sent_items(http: httpx.Client) -> list[dict[str, Any]]:
    """FI-CA's transfer records with a send date, as FARR_CHECK_CONS's IT_SENT."""
    fields = ["SRCDOC_COMP", "SRCDOC_LOGSYS", "SRCDOC_TYPE", "SRCDOC_ID", "TIMESTAMP_UTC",
              "BETRW", "SENTDATE"]
    answer = rfc(http, "RFC_READ_TABLE", QUERY_TABLE="DFKKRA_RAI_MI", DELIMITER="|",
                 FIELDS=[{"FIELDNAME": f} for f in fields])
    rows = [dict(zip(fields, (v.strip() for v in line["WA"].split("|")), strict=True))
            for line in answer["DATA"]]
    return [{**{k: row[k] for k in fields[:4]}, "TIMESTAMP_UTC": row["TIMESTAMP_UTC"],
             "BETRW": row["BETRW"]} for row in rows if row["SENTDATE"]]


# -- the gateway and RAR ------------------------------------------------------------------
def at(clock: Clock, day: str) -> None:
    clock.set(datetime(int(day[:4]), int(day[4:6]), int(day[6:]), 9, 0, tzinfo=UTC))


def rar_process(gateway: Gateway) -> None:
    """The queue to RAR, then RAR's raw → processable → processed."""
    gateway.run_until_idle()
    rar = gateway.destination("RAR")
    transferred = rar.call("FARR_RAI_TRANSFER")["ET_RETURN"]
    assert [m["TYPE"] for m in transferred] == ["S"], transferred
    processed = rar.call("FARR_RAI_PROCESS")["ET_RETURN"]
    assert all(m["TYPE"] in "SI" for m in processed), processed


def post(gateway: Gateway, month: str) -> list[dict[str, Any]]:
    result = gateway.destination("RAR").call("FARR_REVENUE_POSTING", IV_BUKRS="1000",
                                             IV_GJAHR=month[:4], IV_POPER=month[4:])
    assert [m["TYPE"] for m in result["ET_RETURN"]] == ["S"], result["ET_RETURN"]
    return list(result["ET_POSTINGS"])


def rar_state(gateway: Gateway) -> dict[str, Any]:
    return dict(gateway.destination("RAR").call("FARR_CONTRACT_READ"))


def contract_of(state: dict[str, Any], reference: str) -> str:
    [contract] = [c for c in state["ET_CONTRACTS"] if c["REFERENCE_ID"] == reference]
    return str(contract["CONTRACT_ID"])


def pobs_by_name(state: dict[str, Any], contract: str) -> dict[str, dict[str, Any]]:
    return {p["POB_NAME"]: p for p in state["ET_POBS"] if p["CONTRACT_ID"] == contract}


def schedule(state: dict[str, Any], pob_id: str) -> dict[str, Decimal]:
    """REV_AMT_DELTA per YYYYMM of one POB."""
    return {row["GJAHR"] + row["POPER"][1:]: row["REV_AMT_DELTA"]
            for row in state["ET_DEFITEMS"] if row["POB_ID"] == pob_id
            and row["REV_AMT_DELTA"]}


def latest_position(state: dict[str, Any], contract: str) -> tuple[str, Decimal]:
    keys = [k for k in state["ET_RECON_KEYS"] if k["CONTRACT_ID"] == contract]
    last = max(keys, key=lambda k: k["RECON_KEY"])
    return str(last["LIAB_ASSET_FLAG"]), abs(last["NET_POSITION"])


def totals(lines: list[dict[str, Any]], contract: str) -> dict[tuple[str, str], Decimal]:
    """Posted amount per (category, side) of one contract; debits equal credits."""
    result: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        if line["CONTRACT_ID"] == contract:
            result[(line["POST_CAT"], line["SHKZG"])] += line["BETRW"]
    debit = sum((v for (_c, side), v in result.items() if side == "S"), ZERO)
    assert debit == sum((v for (_c, side), v in result.items() if side == "H"), ZERO)
    return result


def check_cons(gateway: Gateway, http: httpx.Client) -> list[dict[str, Any]]:
    result = gateway.destination("RAR").call("FARR_CHECK_CONS", IT_SENT=sent_items(http))
    return list(result["ET_FINDINGS"])



# -- §7's formulas ----------------------------------------------------------------------------
def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def allocate(prices: list[Decimal], ssps: list[Decimal]) -> list[Decimal]:
    """Relative SSP allocation with the residue on the largest unrounded line (last on ties)."""
    total_price, total_ssp = sum(prices, ZERO), sum(ssps, ZERO)
    exact = [total_price * ssp / total_ssp for ssp in ssps]
    rounded = [half_up(value) for value in exact]
    largest = max(exact)
    target = max(i for i, value in enumerate(exact) if value == largest)
    rounded[target] += total_price - sum(rounded, ZERO)
    return rounded


def months(start: str, end: str) -> list[str]:
    """YYYYMM of every month from start to end (YYYYMMDD), both included."""
    year, month, result = int(start[:4]), int(start[4:6]), []
    while (year, month) <= (int(end[:4]), int(end[4:6])):
        result.append(f"{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def time_based(alloc: Decimal, start: str, end: str) -> dict[str, Decimal]:
    """Revenue per month: ALLOC / n half up, the residue in the last month."""
    periods = months(start, end)
    per = half_up(alloc / len(periods))
    plan = dict.fromkeys(periods, per)
    plan[periods[-1]] = alloc - per * (len(periods) - 1)
    return plan


def cumulative(plan: dict[str, Decimal], month: str) -> Decimal:
    return sum((amount for m, amount in plan.items() if m <= month), ZERO)


def position(revenue: Decimal, invoiced: Decimal) -> tuple[str, Decimal]:
    """(CA or CL, amount) of NET = revenue − invoiced (fica_rar.md §7.1)."""
    net = revenue - invoiced
    return ("CA" if net >= 0 else "CL"), abs(net)
