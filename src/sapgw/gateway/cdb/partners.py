"""The CDB's partner data handler: a BUPA_MAIN or VEND_MAIN BDoc saved into the CDB.

CRM's flow saves a partner's BDoc into the CDB in the same transaction that decides its
state and writes its outbound LUWs (`flow.engine`): a BDoc from the ERP (delta download
R3AD_, or an initial/request load R3AI_/R3AR_, flow context MI0) and a BDoc from CRM (upload
to the ERP, MO1) alike. A BDoc that fails validation or mapping writes nothing here.

`save_partner(conn, bdoc_type, data, bdoc_id=, created_at=)` is the one way in: it finds
the partner by its ERP number (CRMM_BUT_CUSTNO / CRMM_BUT_VENDNO), else by HEADER.PARTNER,
else creates it with the ERP number as partner number (SAP's "same number" setting); then
it replaces the partner's general data, address, roles, company code and sales/purchasing
data of the role. Later wins: a change made (ERP: HEADER.CHANGED_AT, CRM: the BDoc's
creation) before the one the CDB holds (CHANGED_AT) is not applied, and the BDoc's log
says so; both stay in SMW01 and the key's document flow.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from sapgw.gateway.cdb.tables import (
    BUT000,
    BUT020,
    BUT100,
    CRMM_BUT_BUKRS,
    CRMM_BUT_CUSTNO,
    CRMM_BUT_SALES,
    CRMM_BUT_VENDNO,
)
from sapgw.gateway.inputs import alpha

P = BUT000.__table__  # type: ignore[attr-defined]
A = BUT020.__table__  # type: ignore[attr-defined]
R = BUT100.__table__  # type: ignore[attr-defined]
C = CRMM_BUT_CUSTNO.__table__  # type: ignore[attr-defined]
V = CRMM_BUT_VENDNO.__table__  # type: ignore[attr-defined]
K = CRMM_BUT_BUKRS.__table__  # type: ignore[attr-defined]
S = CRMM_BUT_SALES.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RoleData:
    """How a BDoc type's role is kept: its number field, number mapping, account type,
    BP roles (company code data, sales/purchasing data) and the segment of its area rows."""

    name: str
    number_field: str
    mapping: Any
    mapping_field: str
    koart: str
    roles: tuple[str, str]
    area_segment: str
    area_keys: tuple[str, ...]


ROLES = {
    "BUPA_MAIN": RoleData("customer", "KUNNR", C, "CUSTOMER_NO", "D", ("FLCU00", "FLCU01"),
                          "SALES", ("VKORG", "VTWEG", "SPART")),
    "VEND_MAIN": RoleData("vendor", "LIFNR", V, "VENDOR_NO", "K", ("FLVN00", "FLVN01"),
                          "PURCHASING", ("EKORG",)),
}
COMPANY_FIELDS = ("AKONT", "ZTERM", "ZUAWA", "BUSAB", "SPERR", "LOEVM", "MAHNA", "MANSP")


@dataclass(frozen=True)
class Saved:
    """What the CDB did with a BDoc: the partner, and whether the data was applied."""

    partner: str
    applied: bool
    message: str


def number(value: str) -> str:
    """An ERP customer/vendor number as stored (ALPHA: numeric ones with leading zeros)."""
    return alpha(value, 10)


def _utc(moment: datetime) -> datetime:
    """A stored moment as aware UTC (SQLite hands them back naive)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _changed_at(header: dict[str, Any], created_at: datetime) -> datetime:
    """When the change was made at its source: the ERP's save time the delta carries
    (HEADER.CHANGED_AT), else the BDoc's creation in CRM."""
    stamp = str(header.get("CHANGED_AT") or "").strip()
    if stamp:
        try:
            return datetime.strptime(stamp, "%Y%m%d%H%M%S.%f").replace(tzinfo=UTC)
        except ValueError:
            pass  # validated as CHAR only: an unreadable stamp counts as received now
    return _utc(created_at)


def save_partner(conn: Connection, bdoc_type: str, data: dict[str, Any], *, bdoc_id: str,
                 created_at: datetime) -> Saved:
    """Save one validated BUPA_MAIN/VEND_MAIN BDoc's partner in the CDB (caller's transaction)."""
    role = ROLES[bdoc_type]
    header = data["HEADER"]
    erp_no = number(header[role.number_field])
    created = _changed_at(header, created_at)
    partner, guid = _find(conn, role, erp_no, header)
    current = conn.execute(select(P.c.CHANGED_AT, P.c.CHANGED_BDOC).where(
        P.c.PARTNER == partner)).first() if partner else None
    if current is not None and current.CHANGED_AT is not None and \
            _utc(current.CHANGED_AT) > created:
        return Saved(partner, False, (
            f"CDB: business partner {partner} not changed: it holds the later BDoc "
            f"{current.CHANGED_BDOC} ({role.name} {erp_no}); this older change is kept in "
            "SMW01 only"))
    today = created.strftime("%Y%m%d")
    general = {"BU_GROUP": header.get("BU_GROUP", ""), "BU_SORT1": header.get("SORTL", ""),
               "NAME_ORG1": header.get("NAME1", ""), "NAME_ORG2": header.get("NAME2", ""),
               "NAME_ORG3": header.get("NAME3", ""), "NAME_ORG4": header.get("NAME4", ""),
               "XDELE": header.get("LOEVM", ""), "CHDAT": today, "CHANGED_AT": created,
               "CHANGED_BDOC": bdoc_id}
    if current is None:
        partner = partner or number(header.get("PARTNER") or erp_no)
        guid = guid or (header.get("PARTNER_GUID") or uuid.uuid4().hex).upper()
        conn.execute(insert(P).values(PARTNER=partner, PARTNER_GUID=guid, TYPE="2",
                                      CRDAT=today, **general))
    else:
        conn.execute(update(P).where(P.c.PARTNER == partner).values(**general))
    if conn.execute(select(role.mapping.c.PARTNER_GUID).where(
            role.mapping.c.PARTNER_GUID == guid)).first() is None:
        conn.execute(insert(role.mapping).values(PARTNER_GUID=guid,
                                                 **{role.mapping_field: erp_no}))
    _address(conn, partner, header)
    company = data.get("COMPANY") or []
    area = data.get(role.area_segment) or []
    _replace(conn, K, partner, role.koart, [
        {"BUKRS": row["BUKRS"], **{f: row.get(f, "") for f in COMPANY_FIELDS}}
        for row in company])
    _replace(conn, S, partner, role.koart, [_area(role, row) for row in area])
    wanted = {role.roles[0]} if company else set()
    wanted |= {role.roles[1]} if area else set()
    have = set(conn.execute(select(R.c.RLTYP).where(R.c.PARTNER == partner)).scalars())
    for rltyp in sorted(wanted - have):
        conn.execute(insert(R).values(PARTNER=partner, RLTYP=rltyp))
    codes = ", ".join(row["BUKRS"] for row in company) or "none"
    return Saved(partner, True, f"CDB: business partner {partner} saved ({role.name} "
                                f"{erp_no}, company codes {codes})")


def _find(conn: Connection, role: RoleData, erp_no: str, header: dict[str, Any]
          ) -> tuple[str, str]:
    """(PARTNER, PARTNER_GUID) of the partner the BDoc is about, or ("", "") if new."""
    found = conn.execute(select(P.c.PARTNER, P.c.PARTNER_GUID).join(
        role.mapping, role.mapping.c.PARTNER_GUID == P.c.PARTNER_GUID).where(
        role.mapping.c[role.mapping_field] == erp_no)).first()
    if found is None and header.get("PARTNER"):
        found = conn.execute(select(P.c.PARTNER, P.c.PARTNER_GUID).where(
            P.c.PARTNER == number(header["PARTNER"]))).first()
    if found is None and not header.get("PARTNER"):
        found = conn.execute(select(P.c.PARTNER, P.c.PARTNER_GUID).where(
            P.c.PARTNER == erp_no)).first()
    return (found.PARTNER, found.PARTNER_GUID) if found else ("", "")


def _address(conn: Connection, partner: str, header: dict[str, Any]) -> None:
    values = {"STREET": header.get("STRAS", ""), "POST_CODE1": header.get("PSTLZ", ""),
              "CITY1": header.get("ORT01", ""), "REGION": header.get("REGIO", ""),
              "COUNTRY": header.get("LAND1", ""), "LANGU": header.get("SPRAS", "")}
    conn.execute(delete(A).where(A.c.PARTNER == partner))
    conn.execute(insert(A).values(PARTNER=partner, ADDRNUMBER=partner, **values))


def _area(role: RoleData, row: dict[str, Any]) -> dict[str, str]:
    keys = [row.get(k, "") for k in role.area_keys] + ["", ""]
    return {"VKORG": keys[0], "VTWEG": keys[1], "SPART": keys[2],
            "WAERS": row.get("WAERS", ""), "ZTERM": row.get("ZTERM", ""),
            "KTGRD": row.get("KTGRD", ""), "LOEVM": row.get("LOEVM", "")}


def _replace(conn: Connection, table: Any, partner: str, koart: str,
             rows: list[dict[str, Any]]) -> None:
    conn.execute(delete(table).where(and_(table.c.PARTNER == partner, table.c.KOART == koart)))
    if rows:
        conn.execute(insert(table), [{"PARTNER": partner, "KOART": koart, **row}
                                     for row in rows])
