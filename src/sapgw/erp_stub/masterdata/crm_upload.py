"""CRM_UPLOAD_TRIGGER: the ERP side of CRM's upload of a business partner (R3AU queues).

CRM's R/3 adapter maps a BUPA_MAIN (customer role) or VEND_MAIN (vendor role) BDoc into
container rows and sends them as qRFC in queue R3AUBUPA<partner> / R3AUVEND<partner>; the
ERP's CRM_UPLOAD_TRIGGER (reference/domain.md §3.4: "R/3 side of upload") creates or changes
the customer or vendor. The AIC cookbook's enhancement sends the company code data with the
partner, so one upload carries general data (KNA1/LFA1), company code data (KNB1/LFB1), the
dunning data of each company code (KNB5/LFB5) and sales area data (KNVV) or purchasing data
(LFM1).

The rows go through the same customer/vendor maintenance as DEBMAS/CREMAS (`maintain`: account
group, number in the group's external interval, reconciliation account a balance sheet
account of the company code, sales area and currency defined), as a replacing IDoc (MSGFN
005): levels that exist are replaced, new ones created. The dunning procedure must be one of
T047A. Every problem is answered in RETURN (TYPE E), so the tRFC unit is rolled back:
nothing of the partner is written, and the queue stops in SYSFAIL with the message.

The upload does not send a delta back to CRM (the plug-in knows the change came from CRM);
a change made in the ERP afterwards does (`crm_delta`). Interface ours, in the shape of
BAPI_CRM_SAVE: HEADER (OBJNAME BUPA_MAIN or VEND_MAIN, OBJKEY the number), BAPISTRUCTURES
(TABNAME + DATA, DATA a JSON object of the row's fields), RETURN (BAPIRET2).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sapgw.erp_stub.basis.api import InSegment, Messages
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.masterdata import change_documents, crm_delta, dunning
from sapgw.erp_stub.masterdata.functions import CUSTOMER, VENDOR
from sapgw.erp_stub.masterdata.maintenance import PartnerKind, maintain
from sapgw.rfc.ddic import CHAR, STRING, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("CRMU")
UPLOAD = "CRM_UPLOAD_TRIGGER"  # CDHDR-TCODE of the changes an upload makes

BAPICRMDH1 = structure(
    "BAPICRMDH1",
    ("OBJNAME", CHAR(20), "Adapter object (R3AC1), e.g. BUPA_MAIN"),
    ("OBJCLASS", CHAR(20), "Object class, e.g. BUPA"),
    ("LOAD_TYPE", CHAR(1), "U upload"),
    ("SENDER", CHAR(10), "Logical system of the sending CRM"),
    ("OBJKEY", CHAR(40), "Key of the object sent"),
    ("CHANGED_AT", CHAR(21), "When CRM saved the change, UTC YYYYMMDDhhmmss[.ffffff] (ours)"),
    ("BDOC_ID", CHAR(32), "The BDoc sent, for the answer to CRM (ours)"),
)
BAPIMTCS = structure(
    "BAPIMTCS",
    ("TABNAME", CHAR(30), "Table the row belongs to (KNA1, KNB1, ...)"),
    ("DATA", STRING, "The row: a JSON object of its fields (ours; SAP: fixed width)"),
)


class Target:
    """What an object of the upload becomes: the partner kind and its tables by level."""

    def __init__(self, kind: PartnerKind, general: str, company: str, dunning_table: str,
                 area: str, dunning_model: type, delta_object: str) -> None:
        self.kind = kind
        self.delta_object = delta_object
        self.tables = {"general": general, "company": company, "dunning": dunning_table,
                       "area": area}
        self.dunning_model = dunning_model


TARGETS = {
    "BUPA_MAIN": Target(CUSTOMER, "KNA1", "KNB1", "KNB5", "KNVV", dunning.KNB5,
                        crm_delta.CUSTOMER_OBJECT),
    "VEND_MAIN": Target(VENDOR, "LFA1", "LFB1", "LFB5", "LFM1", dunning.LFB5,
                        crm_delta.VENDOR_OBJECT),
}


@group.function(interface("CRM_UPLOAD_TRIGGER", [
    importing("HEADER", BAPICRMDH1, optional=False, text="Object sent (ours: BAPICRMDH1)"),
    tables("BAPISTRUCTURES", BAPIMTCS, optional=False, text="Container rows (BAPIMTCS)"),
    tables("RETURN", BAPIRET2, text="Messages (out)"),
], text="Receive a business partner from CRM (upload: customer or vendor, company codes)"))
def crm_upload_trigger(ctx: CallContext, **p: Any) -> dict[str, Any]:
    messages = Messages(ctx.logical_system)
    objname = p["HEADER"]["OBJNAME"].strip().upper()
    target = TARGETS.get(objname)
    if target is None:
        messages.error("F2", "923", objname, ", ".join(TARGETS))
        return {"RETURN": messages.rows}
    rows = _rows(p["BAPISTRUCTURES"], messages)
    if messages.failed:
        return {"RETURN": messages.rows}
    segments, dunning_rows = _segments(target, rows, messages)
    if messages.failed:
        return {"RETURN": messages.rows}
    for row in dunning_rows:
        if row.get("MAHNA") and not dunning.procedure_exists(ctx, row["MAHNA"]):
            messages.error("F2", "924", row["MAHNA"], row.get("BUKRS", ""), field="MAHNA")
    if messages.failed:
        return {"RETURN": messages.rows}
    if _older_than_erp_change(ctx, target, p["HEADER"], segments, messages):
        return {"RETURN": messages.rows}
    number = maintain(ctx, target.kind, segments, messages, UPLOAD)
    if number:
        for row in dunning_rows:
            dunning.register(ctx, target.dunning_model, target.kind.number_field, number,
                             row.get("BUKRS", ""),
                             {f: row.get(f, "") for f in dunning.DUNNING_FIELDS})
    return {"RETURN": [{**r, "PARAMETER": "BAPISTRUCTURES" if r["PARAMETER"] == "IDOC_DATA"
                        else r["PARAMETER"]} for r in messages.rows]}


def _rows(structures: list[dict[str, Any]], messages: Messages
          ) -> list[tuple[str, dict[str, str]]]:
    """The container rows decoded: (table, fields), in the order sent."""
    decoded: list[tuple[str, dict[str, str]]] = []
    for number, row in enumerate(structures, 1):
        table = str(row.get("TABNAME", "")).strip().upper()
        try:
            data = json.loads(row.get("DATA") or "{}")
        except json.JSONDecodeError:
            data = None
        if not isinstance(data, dict):
            messages.error("F2", "925", str(number), table)
            continue
        decoded.append((table, {k.upper(): str(v or "").strip() for k, v in data.items()}))
    return decoded


def _segments(target: Target, rows: list[tuple[str, dict[str, str]]], messages: Messages
              ) -> tuple[list[InSegment], list[dict[str, str]]]:
    """A replacing IDoc (MSGFN 005) of the general data and its levels, plus the dunning rows."""
    kind = target.kind
    general = [fields for table, fields in rows if table == target.tables["general"]]
    if len(general) != 1:
        messages.error("F2", "926", target.tables["general"], str(len(general)))
        return [], []
    root = dict(general[0])
    root[kind.number_field] = alpha(root.get(kind.number_field, ""), 10)
    segments = [InSegment(kind.general.segment, "000001", "000000", 1, {**root, "MSGFN": "005"})]
    levels = {target.tables["company"]: kind.company, target.tables["area"]: kind.area}
    dunning_rows: list[dict[str, str]] = []
    for number, (table, fields) in enumerate(rows, 1):
        if table in levels:
            segments.append(InSegment(levels[table].segment, f"{len(segments) + 1:06d}",
                                      "000001", number, {**fields, "MSGFN": "005"}))
        elif table == target.tables["dunning"]:
            dunning_rows.append(fields)
        elif table != target.tables["general"]:
            messages.error("F2", "927", table, ", ".join(target.tables.values()))
    company_codes = {s.get("BUKRS") for s in segments if s.segnam == kind.company.segment}
    for row in dunning_rows:
        if row.get("BUKRS", "") not in company_codes:
            messages.error("F5", kind.not_in_company, root[kind.number_field],
                           row.get("BUKRS", ""), field="BUKRS")
    return segments, dunning_rows


def _older_than_erp_change(ctx: CallContext, target: Target, header: dict[str, Any],
                           segments: list[InSegment], messages: Messages) -> bool:
    """Later wins: an upload whose change in CRM (HEADER-CHANGED_AT) is older than the
    newest change document the ERP wrote itself for the partner (not one of an upload) is
    not applied; W F2 928 names both times, and CRM gets it as the BDoc's answer."""
    changed_at = _stamp(str(header.get("CHANGED_AT") or ""))
    number = segments[0].get(target.kind.number_field)
    if changed_at is None or not number:
        return False
    objectclas = change_documents.OBJECT_CLASS[target.kind.number_field]
    latest = change_documents.latest_change(ctx, objectclas, number, excluding_tcode=UPLOAD)
    if latest is None or latest[0] <= changed_at.replace(microsecond=0):
        return False
    shown = "%Y-%m-%d %H:%M:%S UTC"
    messages.add("W", "F2", "928", target.kind.name, number, changed_at.strftime(shown),
                 f"{latest[0].strftime(shown)} ({latest[1]})")
    bdoc_id = str(header.get("BDOC_ID") or "").strip()
    if bdoc_id:
        answer_to_crm(ctx, bdoc_id, target.delta_object, number, messages.rows)
    return True


def _stamp(value: str) -> datetime | None:
    """HEADER-CHANGED_AT as a UTC time; None when blank (an upload without a time is
    applied, as before change documents)."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def answer_to_crm(ctx: CallContext, bdoc_id: str, objname: str, number: str,
                  rows: list[dict[str, Any]]) -> None:
    """The ERP's answer to an upload (CRM_UPLOAD_ANSWER, ours): its messages, sent to CRM
    as qRFC after this LUW in the partner's delta queue (R3AD_CUSTOME<number>), so that
    SMW01 shows them in the BDoc's log."""
    dest = crm_delta.destination(ctx, objname)
    if dest is None:
        return
    ctx.call_in_background_task(
        "CRM_UPLOAD_ANSWER", destination=dest, queue=crm_delta.queue_name(ctx, objname, number),
        BDOC_ID=bdoc_id, RETURN=[dict(row) for row in rows])
