"""Individual objects (IObjects) in the CDB: the vehicles VMS sends, as CRM models them.

In CRM a vehicle from VMS becomes an individual object "Vehicle" (reference/domain.md §8): a
product of type IOBJ (COMM_PRODUCT) in an object family (SAP's leasing example uses 0311
Vehicle) and a category, with set types for its attributes, relationships (PROREFS: the
reference product, here the VMS model; partner relationships to the dealer and the end
customer) and its event history. The tables here are that, flattened and ours
(docs/IC.md "Automotive IC"): one row per IObject with the vehicle set type's attributes,
and one table each for configuration, partners, events and the CRM sales documents the
vehicle is assigned to.

`save_vehicle` runs in the flow of a CRM_VEHICLE BDoc (MI0), in its transaction: the
IObject is written together with the BDoc's state, or not at all. Scope V (CRMV and other
actions sending the complete vehicle) replaces configuration and partners and adds or
updates events; scope S (CRMS) adds the sales document assignment and its event. BDocs of
one vehicle run in order (queue R3AD_VEHICLE<number>, flow queue CSAVEHI<number>), so the
last action wins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlmodel import Field

from sapgw.gateway.store.tables import GatewayTable

PRODUCT_TYPE = "IOBJ"
OBJECT_FAMILY = "0311"            # Vehicle (SAP's leasing example; ours for VMS vehicles)
CATEGORY = "VEHICLE"              # ours
REFERENCE = "PROREFS"             # relationship type: reference product (the model)
COMPLETE, ORDER = "V", "S"


class IObject(GatewayTable, table=True):
    """An individual object (COMM_PRODUCT + the vehicle set type, ours)."""

    __tablename__ = "cdb_iobject"
    product_guid: str = Field(primary_key=True, max_length=22)   # = VMS VGUID
    product_id: str = Field(max_length=40, index=True)           # = VIN
    product_type: str = Field(default=PRODUCT_TYPE, max_length=4)
    object_family: str = Field(default=OBJECT_FAMILY, max_length=4)
    category_id: str = Field(default=CATEGORY, max_length=20)
    description: str = Field(default="", max_length=40)
    vhcle: str = Field(max_length=10, index=True)                # VMS internal number
    vin: str = Field(max_length=35, index=True)
    ref_product: str = Field(default="", max_length=18)          # PROREFS: the model
    cntrl: str = Field(default="", max_length=4)
    primary_status: str = Field(default="", max_length=4)
    secondary_status: str = Field(default="", max_length=4)
    last_action: str = Field(default="", max_length=4)
    logsys: str = Field(default="", max_length=10)               # the sending ERP
    created_at: datetime
    changed_at: datetime
    last_bdoc: str = Field(default="", max_length=32)


class IObjectConfig(GatewayTable, table=True):
    """Configuration: characteristic values."""

    __tablename__ = "cdb_iobject_config"
    product_guid: str = Field(primary_key=True, max_length=22)
    atnam: str = Field(primary_key=True, max_length=30)
    atwrt: str = Field(default="", max_length=30)


class IObjectPartner(GatewayTable, table=True):
    """Partner relationships of the IObject (dealer, end customer)."""

    __tablename__ = "cdb_iobject_partner"
    product_guid: str = Field(primary_key=True, max_length=22)
    partner_fct: str = Field(primary_key=True, max_length=10)    # DEALER, ENDCUST (ours)
    partner: str = Field(max_length=10, index=True)              # ERP customer number
    name: str = Field(default="", max_length=35)
    city: str = Field(default="", max_length=35)


class IObjectEvent(GatewayTable, table=True):
    """The event history: one VMS action each."""

    __tablename__ = "cdb_iobject_event"
    product_guid: str = Field(primary_key=True, max_length=22)
    event_no: str = Field(primary_key=True, max_length=6)        # VLCHISTORY-HISTNR
    action: str = Field(max_length=4)
    status_old: str = Field(default="", max_length=4)
    status_new: str = Field(default="", max_length=4)
    event_date: str = Field(default="", max_length=8)
    event_time: str = Field(default="", max_length=6)
    user: str = Field(default="", max_length=12)
    crm_order: str = Field(default="", max_length=10)


class IObjectOrder(GatewayTable, table=True):
    """CRM sales documents the vehicle is assigned to (CRMS)."""

    __tablename__ = "cdb_iobject_order"
    product_guid: str = Field(primary_key=True, max_length=22)
    object_id: str = Field(primary_key=True, max_length=10)      # CRM transaction number
    assigned_on: str = Field(default="", max_length=8)
    action: str = Field(default="", max_length=4)
    bdoc_id: str = Field(default="", max_length=32)


_IOBJ = IObject.__table__  # type: ignore[attr-defined]
_CONFIG = IObjectConfig.__table__  # type: ignore[attr-defined]
_PARTNER = IObjectPartner.__table__  # type: ignore[attr-defined]
_EVENT = IObjectEvent.__table__  # type: ignore[attr-defined]
_ORDER = IObjectOrder.__table__  # type: ignore[attr-defined]


def save_vehicle(conn: Connection, bdoc_id: str, data: dict[str, Any], now: datetime) -> str:
    """Write the validated CRM_VEHICLE data into the IObject tables; answer the log text."""
    header = data["HEADER"]
    guid = header["VGUID"]
    values = {"product_id": header["VHVIN"], "vhcle": header["VHCLE"], "vin": header["VHVIN"],
              "ref_product": header["VLC_MATNR"], "cntrl": header["CNTRL"],
              "primary_status": header["PRIMSTAT"], "secondary_status": header["SECSTAT"],
              "last_action": header["AKTION"], "logsys": header["SENDER"],
              "changed_at": now, "last_bdoc": bdoc_id}
    if header["DESCRIPTION"]:
        values["description"] = header["DESCRIPTION"]
    exists = conn.execute(select(_IOBJ.c.product_guid).where(
        _IOBJ.c.product_guid == guid)).first() is not None
    if exists:
        conn.execute(update(_IOBJ).where(_IOBJ.c.product_guid == guid).values(**values))
    else:
        conn.execute(insert(_IOBJ).values(product_guid=guid, created_at=now, **values))
    if header["SCOPE"] == COMPLETE:
        conn.execute(delete(_CONFIG).where(_CONFIG.c.product_guid == guid))
        rows = [{"product_guid": guid, "atnam": c["ATNAM"], "atwrt": c["ATWRT"]}
                for c in data.get("CONFIG", [])]
        if rows:
            conn.execute(insert(_CONFIG), rows)
        conn.execute(delete(_PARTNER).where(_PARTNER.c.product_guid == guid))
        partners = [{"product_guid": guid, "partner_fct": p["PARTNER_FCT"],
                     "partner": p["PARTNER"], "name": p["NAME1"], "city": p["ORT01"]}
                    for p in data.get("PARTNERS", [])]
        if partners:
            conn.execute(insert(_PARTNER), partners)
    events = data.get("HISTORY", [])
    for event in events:
        _save_event(conn, guid, event)
    order = header["CRM_ORDER"]
    if order and conn.execute(select(_ORDER.c.object_id).where(
            _ORDER.c.product_guid == guid, _ORDER.c.object_id == order)).first() is None:
        conn.execute(insert(_ORDER).values(
            product_guid=guid, object_id=order, assigned_on=now.strftime("%Y%m%d"),
            action=header["AKTION"], bdoc_id=bdoc_id))
    what = "created" if not exists else "updated"
    return (f"Individual object {header['VHVIN']} (vehicle {header['VHCLE'].lstrip('0')}, "
            f"family {OBJECT_FAMILY}) {what} in the CDB by action {header['AKTION']}: "
            f"{len(events)} event(s)" + (f", assigned to CRM document {order}" if order else ""))


def _save_event(conn: Connection, guid: str, event: dict[str, Any]) -> None:
    values = {"action": event["AKTION"], "status_old": event["STATU_OLD"],
              "status_new": event["STATU_NEW"], "event_date": event["ERDAT"],
              "event_time": event["ERZEIT"], "user": event["ERNAM"],
              "crm_order": event["CRM_ORDER"]}
    key = (_EVENT.c.product_guid == guid, _EVENT.c.event_no == event["HISTNR"])
    if conn.execute(select(_EVENT.c.event_no).where(*key)).first() is None:
        conn.execute(insert(_EVENT).values(product_guid=guid, event_no=event["HISTNR"],
                                           **values))
    else:
        conn.execute(update(_EVENT).where(*key).values(**values))


# -- reads for the Interaction Center --------------------------------------------------------
def search(conn: Connection, vin: str = "", vhcle: str = "", customer: str = "",
           limit: int = 100) -> list[dict[str, Any]]:
    """IObjects by VIN (or its start), VMS number, or customer (number or name, as dealer or
    end customer); newest change first."""
    query = select(_IOBJ).order_by(_IOBJ.c.changed_at.desc(), _IOBJ.c.vin).limit(limit)
    if vin:
        query = query.where(_IOBJ.c.vin.like(vin.upper().replace("%", "") + "%"))
    if vhcle:
        query = query.where(_IOBJ.c.vhcle == vhcle)
    if customer:
        term = customer.strip()
        match = (_PARTNER.c.partner == term.zfill(10) if term.isdigit()
                 else _PARTNER.c.name.ilike(f"%{term.replace('%', '')}%"))
        query = query.where(_IOBJ.c.product_guid.in_(
            select(_PARTNER.c.product_guid).where(match)))
    found = [dict(row) for row in conn.execute(query).mappings()]
    partners = _partners(conn, [row["product_guid"] for row in found])
    for row in found:
        row["partners"] = partners.get(row["product_guid"], [])
    return found


def vehicle(conn: Connection, key: str) -> dict[str, Any] | None:
    """One IObject by GUID, VIN or VMS number, with configuration, partners, events and
    orders; None when the CDB does not have it."""
    number = key.zfill(10) if key.isdigit() and len(key) <= 10 else key
    row = conn.execute(select(_IOBJ).where(
        (_IOBJ.c.product_guid == key) | (_IOBJ.c.vin == key.upper())
        | (_IOBJ.c.vhcle == number))).mappings().first()
    if row is None:
        return None
    guid = row["product_guid"]
    found = dict(row)
    found["config"] = [dict(r) for r in conn.execute(select(_CONFIG).where(
        _CONFIG.c.product_guid == guid).order_by(_CONFIG.c.atnam)).mappings()]
    found["partners"] = _partners(conn, [guid]).get(guid, [])
    found["events"] = [dict(r) for r in conn.execute(select(_EVENT).where(
        _EVENT.c.product_guid == guid).order_by(_EVENT.c.event_no.desc())).mappings()]
    found["orders"] = [dict(r) for r in conn.execute(select(_ORDER).where(
        _ORDER.c.product_guid == guid).order_by(_ORDER.c.object_id)).mappings()]
    return found


def _partners(conn: Connection, guids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    if not guids:
        return found
    for row in conn.execute(select(_PARTNER).where(_PARTNER.c.product_guid.in_(guids))
                            .order_by(_PARTNER.c.partner_fct)).mappings():
        found.setdefault(row["product_guid"], []).append(dict(row))
    return found
