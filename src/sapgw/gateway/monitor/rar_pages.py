"""Revenue contracts as a web page (SAP: FARR_CONTR_MON / the contract management apps):
each contract with its POBs, their allocation and revenue schedule, and its reconciliation
keys, read over RFC from the RAR system (FARR_CONTRACT_READ, ours) as `sapgw rar` does.

The gateway sees RAR only through its destination (`[destination RAR]`), so the page works
for RAR in this process and for one served on its own port.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from sapgw.gateway.inputs import InvalidInput, alpha
from sapgw.gateway.monitor.pages import _e, _gw, _page, _row, _table
from sapgw.gateway.rfc.destinations import UnknownDestination
from sapgw.rfc.errors import RFCError

router = APIRouter(tags=["monitor pages"], include_in_schema=False)
TITLE = "Revenue contracts (RAR): POBs, allocation, revenue schedule"


@router.get("/rar/contracts", response_class=HTMLResponse)
def rar_contracts(request: Request, contract: str = "", bukrs: str = "") -> HTMLResponse:
    form = (f'<form method="get" action="/rar/contracts"><label>Contract <input name="contract" '
            f'value="{_e(contract)}" size="14"></label> <label>Company code <input '
            f'name="bukrs" value="{_e(bukrs)}" size="4"></label> <button>Display</button> '
            '<a href="/rar/contracts">clear</a></form>')
    try:
        if len(contract.strip()) > 14:
            raise InvalidInput("contract", contract.strip(), "at most 14 characters")
        key = alpha(contract, 14) if contract.strip() else ""
    except InvalidInput as exc:
        return _page(request, TITLE, form, status=400, error=str(exc))
    gw = _gw(request)
    try:
        conn = gw.destination("RAR")
    except UnknownDestination as exc:
        return _page(request, TITLE, form, status=404, error=str(exc))
    try:
        data = conn.call("FARR_CONTRACT_READ", IV_BUKRS=bukrs.strip().upper(),
                         IV_CONTRACT_ID=key)
    except RFCError as exc:
        return _page(request, TITLE, form, status=502, error=f"RAR not reachable: {exc}")
    finally:
        conn.close()
    if key and not data["ET_CONTRACTS"]:
        return _page(request, TITLE, form, status=404,
                     error=f"revenue contract {key} does not exist")
    return _page(request, TITLE, form + _contracts(data))


def _contracts(data: dict[str, Any]) -> str:
    pobs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pob in data["ET_POBS"]:
        pobs[pob["CONTRACT_ID"]].append(pob)
    schedule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in data["ET_DEFITEMS"]:
        schedule[row["POB_ID"]].append(row)
    keys: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in data["ET_RECON_KEYS"]:
        keys[row["CONTRACT_ID"]].append(row)
    if not data["ET_CONTRACTS"]:
        return "<p>No revenue contracts.</p>"
    parts = []
    for c in data["ET_CONTRACTS"]:
        parts.append(
            f"<h2>Contract {_e(c['CONTRACT_ID'])} · {_e(c['REFERENCE_TYPE'])} "
            f"{_e(c['REFERENCE_ID'])} · company code {_e(c['COMPANY_CODE'])} · partner "
            f"{_e(c['PARTNER'])}</h2><p>Transaction price {_e(c['TRX_PRICE'])} "
            f"{_e(c['TRX_PRICE_CURK'])}, allocation effect {_e(c['ALLOC_DIFFER'])}</p>")
        parts.append(_table(
            ["POB", "Service type", "Fulfilment", "Qty", "Price", "SSP", "Allocated", "Effect",
             "Start", "End", "Schedule"],
            (_row(_e(p["POB_ID"]), _e(p["SERVICE_TYPE"]),
                  _e(f"{p['FULFILL_TYPE']} {p['EVENT_TYPE']}"), _e(p["QUANTITY"]),
                  _e(p["TRX_PRICE"]), _e(p["SSP"]), _e(p["ALLOC_AMT"]),
                  _e(_minus(p["ALLOC_AMT"], p["TRX_PRICE"])), _e(p["START_DATE"]),
                  _e(p["END_DATE"]), _schedule(schedule[p["POB_ID"]]))
             for p in pobs[c["CONTRACT_ID"]]), "no performance obligations"))
        if keys[c["CONTRACT_ID"]]:
            parts.append(_table(["Reconciliation key", "Period", "Position", "Net"], (
                _row(_e(k["RECON_KEY"]), _e(f"{k['POPER']}/{k['GJAHR']}"),
                     _e(k["LIAB_ASSET_FLAG"]), _e(k["NET_POSITION"]))
                for k in keys[c["CONTRACT_ID"]]), ""))
    return "".join(parts)


def _schedule(rows: list[dict[str, Any]]) -> str:
    return "<br>".join(f"{_e(r['POPER'])}/{_e(r['GJAHR'])}: {_e(r['REV_AMT_DELTA'])}"
                       + (f" (invoiced {_e(r['INV_AMT_DELTA'])})"
                          if str(r["INV_AMT_DELTA"]) not in ("0", "0.00") else "")
                       for r in rows)


def _minus(a: Any, b: Any) -> str:
    from decimal import Decimal

    return str(Decimal(str(a)) - Decimal(str(b)))
