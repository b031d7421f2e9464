"""The Interaction Center for Automotive: the vehicle-oriented view of an IC agent.

CRM 4.0's Automotive IC (reference/domain.md §8) adds to the customer-oriented view a view
of the individual vehicle: found by VIN, internal number or customer, shown with its
configuration, history, dealer and end customer, and the CRM documents it is assigned to.
Here it reads the CDB's individual objects (`gateway/cdb/iobjects.py`), which VMS fills
through CRMV/CRMS, never the ERP. Pages and REST share the reads; both sit behind [auth]
(role display) as every monitor route does.

    GET /ic/automotive?vin=&vehicle=&customer=      search page
    GET /ic/automotive/vehicles/{key}               the vehicle view (key: VIN, number, GUID)
    GET /api/ic/automotive/vehicles?vin=&vehicle=&customer=&limit=
    GET /api/ic/automotive/vehicles/{key}           404 {"error", "message"} when unknown
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse

from sapgw.gateway import inputs
from sapgw.gateway.cdb import iobjects
from sapgw.gateway.inputs import InvalidInput
from sapgw.gateway.monitor.cockpit_pages import _fields
from sapgw.gateway.monitor.pages import (
    _e,
    _gw,
    _not_found,
    _page,
    _row,
    _table,
    bad_input,
)
from sapgw.gateway.runtime import Gateway

router = APIRouter(tags=["Automotive IC"])
pages = APIRouter(include_in_schema=False)
TITLE = "Interaction Center for Automotive"
VIN_PART = re.compile(r"[A-Z0-9]{1,35}")
PARTNER_TEXT = {"DEALER": "Dealer", "ENDCUST": "End customer"}


def criteria(vin: str, vehicle: str, customer: str) -> dict[str, str]:
    """The search criteria checked at the door: VIN (or its start), internal number, customer
    (number or part of the name)."""
    vin = vin.strip().upper()
    if vin and not VIN_PART.fullmatch(vin):
        raise InvalidInput("VIN", vin, "letters and digits, up to 35 (or the VIN's start)")
    vehicle = vehicle.strip()
    if vehicle and not (vehicle.isdigit() and len(vehicle) <= 10):
        raise InvalidInput("vehicle", vehicle, "the internal vehicle number, up to 10 digits")
    customer = customer.strip()
    return {"vin": vin, "vhcle": inputs.alpha(vehicle, 10) if vehicle else "",
            "customer": customer[:35]}


def search(gw: Gateway, limit: int = 100, **found_by: str) -> list[dict[str, Any]]:
    with gw.db.read() as conn:
        return [_plain(row) for row in iobjects.search(conn, limit=limit, **found_by)]


def vehicle(gw: Gateway, key: str) -> dict[str, Any]:
    """The vehicle view's data; LookupError (404) when the CDB does not know the vehicle."""
    with gw.db.read() as conn:
        found = iobjects.vehicle(conn, key.strip())
    if found is None:
        raise LookupError(f"No individual object (vehicle) {key.strip()} in the CDB: VMS has "
                          "not sent it (action CRMV) or the BAdI VLC_CRM_INTEGRATOR held it back")
    return _plain(found)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat().replace("+00:00", "Z") if isinstance(v, datetime) else v)
            for k, v in row.items()}


# -- REST ----------------------------------------------------------------------------------
@router.get("/api/ic/automotive/vehicles")
async def api_search(request: Request, vin: str = Query("", description="VIN or its start"),
                     vehicle_number: str = Query("", alias="vehicle",
                                                 description="internal vehicle number"),
                     customer: str = Query("", description="customer number or name"),
                     limit: int = Query(100, ge=1, le=1000)) -> dict[str, Any]:
    """Vehicles (individual objects) by VIN, internal number or customer."""
    found_by = criteria(vin, vehicle_number, customer)
    return {"items": await run_in_threadpool(search, _gw(request), limit, **found_by)}


@router.get("/api/ic/automotive/vehicles/{key}")
async def api_vehicle(request: Request, key: str) -> dict[str, Any]:
    """One vehicle with configuration, partners, event history and CRM documents."""
    return await run_in_threadpool(vehicle, _gw(request), key)


# -- pages ---------------------------------------------------------------------------------
def _form(vin: str = "", number: str = "", customer: str = "") -> str:
    return ('<form method="get" action="/ic/automotive">'
            f'<label>VIN <input name="vin" value="{_e(vin)}" size="20"></label> '
            f'<label>Vehicle number <input name="vehicle" value="{_e(number)}" size="10">'
            f'</label> <label>Customer (number or name) <input name="customer" '
            f'value="{_e(customer)}" size="20"></label> <button>Search</button></form>')


def _link(row: dict[str, Any]) -> str:
    return f'<a href="/ic/automotive/vehicles/{quote(row["vin"])}">{_e(row["vin"])}</a>'


def _customer_link(partner: dict[str, Any]) -> str:
    href = "/ic/automotive?" + urlencode({"customer": partner["partner"].lstrip("0")})
    return (f'<a href="{_e(href)}">{_e(partner["partner"].lstrip("0"))}</a> '
            f'{_e(partner["name"])}, {_e(partner["city"])}')


@pages.get("/ic/automotive", response_class=HTMLResponse)
def search_page(request: Request, vin: str = "", vehicle_number: str = Query(
        "", alias="vehicle"), customer: str = "") -> HTMLResponse:
    try:
        found_by = criteria(vin, vehicle_number, customer)
    except InvalidInput as exc:
        return bad_input(request, str(exc))
    form = _form(vin, vehicle_number, customer)
    rows = search(_gw(request), **found_by)
    partners = {r["vin"]: {p["partner_fct"]: p for p in r["partners"]} for r in rows}
    table = _table(
        ["VIN", "Vehicle", "Model", "Description", "Status", "Dealer", "End customer",
         "Changed"],
        (_row(_link(r), _e(r["vhcle"].lstrip("0")), _e(r["ref_product"]),
              _e(r["description"]), _e(r["primary_status"]),
              *(_customer_link(partners[r["vin"]][f]) if f in partners[r["vin"]] else ""
                for f in ("DEALER", "ENDCUST")), _e(r["changed_at"][:19]))
         for r in rows), "no vehicle matches")
    return _page(request, TITLE, f"{form}<h2>Vehicles ({len(rows)})</h2>{table}")


@pages.get("/ic/automotive/vehicles/{key}", response_class=HTMLResponse)
def vehicle_page(request: Request, key: str) -> HTMLResponse:
    try:
        found = vehicle(_gw(request), key)
    except LookupError as exc:
        return _not_found(request, str(exc), _form(vin=key))
    return _page(request, f"Vehicle {found['vin']} · {TITLE}", _form() + _render(found))


def _render(v: dict[str, Any]) -> str:
    identity = _fields([
        ("VIN", v["vin"]), ("Vehicle number (VMS)", v["vhcle"].lstrip("0")),
        ("Description", v["description"]), ("Model (PROREFS)", v["ref_product"]),
        ("Primary status", v["primary_status"]), ("Secondary status", v["secondary_status"]),
        ("Last action", v["last_action"]), ("Individual object", v["product_guid"]),
        ("Object family / category", f"{v['object_family']} Vehicle / {v['category_id']}"),
        ("Sent by", v["logsys"]), ("Changed", v["changed_at"][:19])])
    last = (f'<p>Last update: BDoc <a href="/smw01/{_e(v["last_bdoc"])}">'
            f'{_e(v["last_bdoc"])}</a> (SMW01)</p>')
    config = _table(["Characteristic", "Value"],
                    (_row(_e(c["atnam"]), _e(c["atwrt"])) for c in v["config"]),
                    "no configuration sent")
    partners = _table(["Relationship", "Customer"],
                      (_row(_e(PARTNER_TEXT.get(p["partner_fct"], p["partner_fct"])),
                            _customer_link(p)) for p in v["partners"]),
                      "no partner relationships sent")
    orders = _table(["CRM document", "Assigned on", "Action", "BDoc"], (_row(
        f'<a href="/flow?key={quote(o["object_id"].lstrip("0"))}">'
        f'{_e(o["object_id"].lstrip("0"))}</a>', _e(_date(o["assigned_on"])),
        _e(o["action"]), f'<a href="/smw01/{_e(o["bdoc_id"])}">{_e(o["bdoc_id"][:8])}…</a>')
        for o in v["orders"]), "not assigned to a CRM document")
    events = _table(["No.", "Action", "Status", "Date", "Time", "User", "CRM document"], (_row(
        _e(e["event_no"].lstrip("0")), _e(e["action"]),
        _e(f"{e['status_old'] or '-'} → {e['status_new']}"), _e(_date(e["event_date"])),
        _e(_time(e["event_time"])), _e(e["user"]), _e(e["crm_order"].lstrip("0")))
        for e in v["events"]), "no history sent")
    return (f"<h2>Vehicle</h2>{identity}{last}<h2>Dealer and end customer</h2>{partners}"
            f"<h2>Configuration</h2>{config}<h2>CRM documents</h2>{orders}"
            f"<h2>History</h2>{events}")


def _date(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 else value


def _time(value: str) -> str:
    return f"{value[:2]}:{value[2:4]}:{value[4:6]}" if len(value) == 6 else value
