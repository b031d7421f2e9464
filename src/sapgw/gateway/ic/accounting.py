"""The Accounting Interaction Center (ours, after SAP's AIC): find a partner by company code
in the CDB, read its accounting facts from the ERP over RFC, launch ERP transactions and
record each launch as a service request.

- `search`: partners of the CDB with company code data in a company code (crmm_but_bukrs),
  narrowed by name, partner or ERP number, city; customers and vendors alike.
- `facts`: the customer's open items (BAPI_AR_ACC_GETOPENITEMS), balance at today
  (BAPI_AR_ACC_GETKEYDATEBALANCE) and the documents of the last 90 days
  (BAPI_AR_ACC_GETSTATEMENT), read from the ERP as any RFC client would.
- `launch`: a transaction of the launcher (launcher.toml: FB03, FBL5N, FD10N) with the
  partner's customer number and company code gives the page to open, and a service request
  (CRMD_ORDERADM_H-like, process type SRVR) carrying the ERP context: transaction, user,
  customer, company code, document. An unknown transaction, a partner not in the CDB or not
  in the company code are refused with `IcError` before anything is written.

The pages and REST routes are in `accounting_pages.py`. Service request numbers are the next
after the highest (ours: CRM's number range for one-order documents is not built).
"""

from __future__ import annotations

import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import func, insert, or_, select

from sapgw.gateway.cdb.partners import A, C, K, P, V
from sapgw.gateway.cdb.tables import CRMD_ORDERADM_H

if TYPE_CHECKING:
    from sapgw.gateway.runtime import Gateway

SR = CRMD_ORDERADM_H.__table__  # type: ignore[attr-defined]
LAUNCHER = Path(__file__).with_name("launcher.toml")
RECENT_DAYS = 90


class IcError(ValueError):
    """A request the Accounting IC refuses, in a sentence naming the field."""


@dataclass(frozen=True)
class Target:
    """A launch transaction: text, page URL pattern, fields the launch must bring."""

    transaction: str
    text: str
    url: str
    requires: tuple[str, ...] = ()


@cache
def targets(path: Path = LAUNCHER) -> Mapping[str, Target]:
    """The launcher's transactions, read from its TOML file once per process (as the loads'
    objects.toml): the file ships with the package, so every request sees the same."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return MappingProxyType({code: Target(code, spec.get("text", ""), spec["url"],
                                          tuple(spec.get("requires", ())))
                             for code, spec in data.items()})


def search(gw: Gateway, bukrs: str, name: str = "", number: str = "", city: str = "",
           limit: int = 100) -> list[dict[str, Any]]:
    """Partners with data in company code `bukrs` (required), with their ERP numbers."""
    bukrs = bukrs.strip().upper()
    if not bukrs:
        raise IcError("Company code (bukrs) is required: the Accounting IC searches "
                      "partners by company code")
    query = (select(P.c.PARTNER, P.c.NAME_ORG1, A.c.CITY1, A.c.COUNTRY, K.c.KOART,
                    K.c.AKONT, K.c.ZTERM, K.c.MAHNA, C.c.CUSTOMER_NO, V.c.VENDOR_NO)
             .select_from(K.join(P, P.c.PARTNER == K.c.PARTNER)
                          .outerjoin(A, A.c.PARTNER == P.c.PARTNER)
                          .outerjoin(C, C.c.PARTNER_GUID == P.c.PARTNER_GUID)
                          .outerjoin(V, V.c.PARTNER_GUID == P.c.PARTNER_GUID))
             .where(K.c.BUKRS == bukrs).order_by(P.c.PARTNER, K.c.KOART).limit(limit))
    if name.strip():
        query = query.where(func.lower(P.c.NAME_ORG1).like(f"%{name.strip().lower()}%"))
    if city.strip():
        query = query.where(func.lower(A.c.CITY1).like(f"%{city.strip().lower()}%"))
    if number.strip():
        wanted = number.strip()
        padded = wanted.zfill(10) if wanted.isdigit() else wanted.upper()
        query = query.where(or_(P.c.PARTNER == padded, C.c.CUSTOMER_NO == padded,
                                V.c.VENDOR_NO == padded))
    with gw.db.read() as conn:
        rows = conn.execute(query).mappings().all()
    return [{"partner": r["PARTNER"], "name": r["NAME_ORG1"], "city": r["CITY1"] or "",
             "country": r["COUNTRY"] or "", "bukrs": bukrs,
             "role": "customer" if r["KOART"] == "D" else "vendor",
             "erp_number": (r["CUSTOMER_NO"] if r["KOART"] == "D" else r["VENDOR_NO"]) or "",
             "akont": r["AKONT"], "zterm": r["ZTERM"], "mahna": r["MAHNA"]} for r in rows]


def partner(gw: Gateway, partner_no: str, bukrs: str) -> dict[str, Any]:
    """The partner as a customer in the company code, or IcError naming what is missing."""
    wanted = partner_no.strip()
    wanted = wanted.zfill(10) if wanted.isdigit() else wanted.upper()
    found = [p for p in search(gw, bukrs, number=wanted) if p["partner"] == wanted]
    if not found:
        raise IcError(f"Business partner {wanted or '(blank)'} has no company code data for "
                      f"company code {bukrs.strip().upper() or '(blank)'} in the CDB")
    customer = next((p for p in found if p["role"] == "customer"), None)
    if customer is None or not customer["erp_number"]:
        raise IcError(f"Business partner {wanted} is no customer in company code {bukrs}: "
                      "the accounting views read customer accounts")
    return customer


def facts(gw: Gateway, partner_no: str, bukrs: str) -> dict[str, Any]:
    """Open items, balance and recent documents of the partner's customer account (RFC)."""
    found = partner(gw, partner_no, bukrs)
    today = gw.clock.today()
    account = {"COMPANYCODE": found["bukrs"], "CUSTOMER": found["erp_number"]}
    conn = gw.destination(gw.settings.rfc_destination or "ERP")
    try:
        items = conn.call("BAPI_AR_ACC_GETOPENITEMS", **account,
                          KEYDATE=today.strftime("%Y%m%d"))
        balance = conn.call("BAPI_AR_ACC_GETKEYDATEBALANCE", **account,
                            KEYDATE=today.strftime("%Y%m%d"))
        recent = conn.call("BAPI_AR_ACC_GETSTATEMENT", **account,
                           DATE_FROM=(today - timedelta(days=RECENT_DAYS)).strftime("%Y%m%d"),
                           DATE_TO=today.strftime("%Y%m%d"))
    finally:
        conn.close()
    for answer in (items, balance, recent):
        if answer["RETURN"].get("TYPE") in ("E", "A"):
            raise IcError(f"ERP: {answer['RETURN']['MESSAGE']} "
                          f"({answer['RETURN']['CODE']})")
    documents: dict[tuple[str, str], dict[str, Any]] = {}
    for line in recent["LINEITEMS"]:
        documents.setdefault((line["FISC_YEAR"], line["DOC_NO"]), line)
    return {"partner": found, "open_items": items["LINEITEMS"],
            "balances": balance["KEYBALANCE"],
            "documents": sorted(documents.values(),
                                key=lambda d: (d["PSTNG_DATE"], d["DOC_NO"]), reverse=True)}


def launch(gw: Gateway, transaction: str, partner_no: str, bukrs: str, user: str,
           fields: dict[str, str] | None = None) -> dict[str, Any]:
    """Launch `transaction` for the partner: the page to open and the service request."""
    known = targets()
    code = transaction.strip().upper()
    target = known.get(code)
    if target is None:
        raise IcError(f"Transaction launcher: {code or '(blank)'} is not configured as a "
                      f"launch transaction; configured: {', '.join(sorted(known))}")
    found = partner(gw, partner_no, bukrs)
    values = {k.upper(): str(v).strip() for k, v in (fields or {}).items()}
    missing = [name for name in target.requires if not values.get(name)]
    if missing:
        raise IcError(f"Transaction {code} needs {', '.join(missing)} (e.g. the document "
                      "from the partner's recent documents)")
    values.update(BUKRS=found["bukrs"], KUNNR=found["erp_number"], PARTNER=found["partner"])
    url = target.url.format(**{k: quote(v) for k, v in values.items()})
    obj = "/".join(values[n] for n in target.requires)
    now = gw.clock.now()
    with gw.db.write() as conn:
        highest = conn.execute(select(func.max(SR.c.OBJECT_ID))).scalar()
        object_id = f"{int(highest or 0) + 1:010d}"
        row = {"GUID": uuid.uuid4().hex.upper(), "OBJECT_ID": object_id, "PROCESS_TYPE": "SRVR",
               "DESCRIPTION": f"{code}: {target.text}"[:40],
               "POSTING_DATE": now.strftime("%Y%m%d"), "CREATED_BY": user[:12],
               "CREATED_AT": now, "PARTNER": found["partner"], "ERP_TCODE": code,
               "ERP_USER": user[:12], "ERP_CUSTOMER": found["erp_number"],
               "ERP_BUKRS": found["bukrs"], "ERP_OBJECT": obj}
        conn.execute(insert(SR).values(**row))
    return {"url": url, "service_request": _sr(row)}


def service_requests(gw: Gateway, partner_no: str = "", limit: int = 50
                     ) -> list[dict[str, Any]]:
    """Service requests, newest first, of one partner or all."""
    query = select(SR).order_by(SR.c.OBJECT_ID.desc()).limit(limit)
    if partner_no.strip():
        wanted = partner_no.strip()
        query = query.where(SR.c.PARTNER == (wanted.zfill(10) if wanted.isdigit() else wanted))
    with gw.db.read() as conn:
        return [_sr(dict(r)) for r in conn.execute(query).mappings()]


def _sr(row: dict[str, Any]) -> dict[str, Any]:
    return {"object_id": row["OBJECT_ID"], "process_type": row["PROCESS_TYPE"],
            "description": row["DESCRIPTION"], "posting_date": row["POSTING_DATE"],
            "created_by": row["CREATED_BY"], "partner": row["PARTNER"],
            "transaction": row["ERP_TCODE"], "erp_user": row["ERP_USER"],
            "customer": row["ERP_CUSTOMER"], "bukrs": row["ERP_BUKRS"],
            "erp_object": row["ERP_OBJECT"]}
