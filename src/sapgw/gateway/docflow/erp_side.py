"""The ERP's half of the document flow, read over RFC as the monitor's ERP displays are.

The gateway never looks into the ERP's database (and never imports the stub): LUWs come from
the ERP's ARFCRSTATE (the TIDs it executed) and TRFCQOUT (what it still has to send), queue
states from TRFC_GET_QUEUE_INFO_DETAILS (its SMQ1), documents through RFC_READ_TABLE and
the display BAPIs (`monitor.erp_views`). The same code reads an ERP in this process and one
behind `sapgw erp serve`.

Which documents a BDoc produced is the scenario's answer (`links`: a display transaction and
its input fields); this module reads each transaction's object, with what it leads to
(IAOMC: the assignment, then its order or WBS element). `READERS` maps the transactions; a
scenario that links a new transaction adds its reader here, and until then the flow names
the link without reading it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from sapgw.gateway.docflow.model import sap_moment, text_moment
from sapgw.gateway.monitor.erp_views import iaom_assignment, internal_order, key, read_table
from sapgw.rfc.connection import RfcConnection


@dataclass
class ErpObject:
    """An object read in the ERP, with the objects it leads to (`children`)."""

    object_type: str
    object_id: str
    text: str
    status: str = ""
    at: datetime | None = None
    date_only: bool = False
    link: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    children: list[ErpObject] = field(default_factory=list)


def _dated(obj: ErpObject, date: str, time: str = "") -> ErpObject:
    obj.at, obj.date_only = sap_moment(date, time)
    return obj


def _or(field_name: str, values: list[str]) -> list[str]:
    """OPTIONS rows `F = 'a' OR F = 'b' …`, one value a row (a literal may not wrap)."""
    return [f"{'OR ' if i else ''}{field_name} = '{v}'" for i, v in enumerate(values)]


# -- LUWs and queues -------------------------------------------------------------------------
def executed_units(conn: RfcConnection, tids: list[str]) -> dict[str, dict[str, str]]:
    """ARFCRSTATE rows of these TIDs: the units the ERP ran (EXECUTED, CONFIRMD)."""
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(tids), 50):
        chunk = [key(t, "ARFCTID", 24) for t in tids[start:start + 50]]
        fields = ["ARFCTID", "ARFCSTATE", "ARFCQNAME", "ARFCDATUM", "ARFCUZEIT"]
        for row in read_table(conn, "ARFCRSTATE", fields, _or("ARFCTID", chunk)):
            found[row["ARFCTID"]] = row
    return found


def outbound_luws(conn: RfcConnection, queue: str = "", tid: str = "") -> list[dict[str, Any]]:
    """TRFCQOUT rows (LUWs the ERP has not delivered yet) of a queue, or with a TID."""
    where = ([f"QNAME = '{key(queue, 'QNAME', 24)}'"] if queue
             else [f"ARFCTID = '{key(tid, 'ARFCTID', 24)}'"])
    rows = read_table(conn, "TRFCQOUT", ["QCOUNT", "QNAME", "DEST", "ARFCTID", "QTIME"], where)
    return [{**row, "at": text_moment(row["QTIME"])} for row in rows]


def queue_state(conn: RfcConnection, queue: str) -> dict[str, Any] | None:
    """The ERP's SMQ1 row of one outbound queue (TRFC_GET_QUEUE_INFO_DETAILS), if it exists."""
    rows = conn.call("TRFC_GET_QUEUE_INFO_DETAILS", QNAME=key(queue, "QNAME", 24))["QVIEW"]
    return dict(rows[0]) if rows else None


# -- documents -------------------------------------------------------------------------------
BKPF_FIELDS = ["BUKRS", "BELNR", "GJAHR", "BLART", "BUDAT", "CPUDT", "CPUTM", "XBLNR", "BKTXT",
               "WAERS", "AWTYP", "AWKEY", "STBLG", "XREVERSAL"]


def fi_documents(conn: RfcConnection, where: list[str]) -> list[ErpObject]:
    """FI documents (BKPF) with their debit total (BSEG); linked to FB03."""
    found = []
    for doc in read_table(conn, "BKPF", BKPF_FIELDS, where):
        lines = read_table(conn, "BSEG", ["BUZEI", "SHKZG", "WRBTR"], [
            f"BUKRS = '{doc['BUKRS']}'", f"AND BELNR = '{doc['BELNR']}'",
            f"AND GJAHR = '{doc['GJAHR']}'"])
        debit = sum((Decimal(x["WRBTR"] or "0") for x in lines if x["SHKZG"] == "S"),
                    Decimal("0.00"))
        status = ("reversed by " + doc["STBLG"] if doc["XREVERSAL"] == "1" and doc["STBLG"]
                  else "reversal" if doc["XREVERSAL"] == "2" else "posted")
        found.append(_dated(ErpObject(
            "BKPF", f"{doc['BUKRS']} {doc['BELNR']} {doc['GJAHR']}",
            f"FI document {doc['BELNR']} type {doc['BLART']}, posting date {doc['BUDAT']}, "
            f"reference {doc['XBLNR'] or '-'}, {debit} {doc['WAERS']}", status=status,
            link="/fb03?" + urlencode({"bukrs": doc["BUKRS"], "belnr": doc["BELNR"],
                                       "gjahr": doc["GJAHR"]}),
            details={**doc, "debit": str(debit)}), doc["CPUDT"], doc["CPUTM"]))
    return found


def read_fb03(conn: RfcConnection, params: Mapping[str, str]) -> list[ErpObject]:
    """By reference (bukrs + xblnr, a fund posting) or by number (bukrs, belnr, gjahr)."""
    bukrs = key(params.get("bukrs", ""), "BUKRS", 4)
    if params.get("belnr"):
        return fi_documents(conn, [f"BUKRS = '{bukrs}'",
                                   f"AND BELNR = '{key(params['belnr'], 'BELNR', 10, alpha=True)}'",
                                   f"AND GJAHR = '{key(params.get('gjahr', ''), 'GJAHR', 4)}'"])
    return fi_documents(conn, [f"BUKRS = '{bukrs}'",
                               f"AND XBLNR = '{key(params.get('xblnr', ''), 'XBLNR', 16)}'"])


def fi_by_sender(conn: RfcConnection, awtyp: str, awkey: str) -> list[ErpObject]:
    """The FI document a sender document produced (BKPF-AWTYP/AWKEY, as RW 605 names it)."""
    return fi_documents(conn, [f"AWTYP = '{key(awtyp, 'AWTYP', 5)}'",
                               f"AND AWKEY = '{key(awkey, 'AWKEY', 20)}'"])


def read_ko03(conn: RfcConnection, params: Mapping[str, str]) -> list[ErpObject]:
    order = internal_order(conn, params.get("aufnr", ""))
    if order is None:
        return []
    return [_dated(ErpObject(
        "AUFK", order["AUFNR"].lstrip("0"),
        f"internal order {order['AUFNR'].lstrip('0')} ({order['AUART']}) {order['KTEXT']}: "
        f"{len(order['items'])} CO line items, {order['total']} {order['WAERS']}",
        status="released" if order["PHAS1"] == "X" else "created",
        link="/ko03?" + urlencode({"aufnr": order["AUFNR"].lstrip("0")}),
        details={k: str(v) for k, v in order.items() if k not in ("items", "totals")}),
        order["ERDAT"])]


def read_wbs(conn: RfcConnection, posid: str) -> list[ErpObject]:
    """A WBS element (PRPS) and the project it belongs to (PROJ), linked to CJ20N."""
    found = []
    for wbs in read_table(conn, "PRPS", ["PSPNR", "POSID", "POST1", "PSPHI", "ERDAT"],
                          [f"POSID = '{key(posid, 'POSID', 24)}'"]):
        projects = read_table(conn, "PROJ", ["PSPID"], [f"PSPNR = '{wbs['PSPHI']}'"])
        project = projects[0]["PSPID"] if projects else ""
        found.append(_dated(ErpObject(
            "PRPS", wbs["POSID"], f"WBS element {wbs['POSID']} {wbs['POST1']} of project "
            f"{project or '?'}", link="/cj20n?" + urlencode({"project": project}) if project
            else "", details=wbs), wbs["ERDAT"]))
    return found


def read_iaomc(conn: RfcConnection, params: Mapping[str, str]) -> list[ErpObject]:
    """The IAOM assignment of a business key and the CO object behind it."""
    scenario, ext_key = params.get("scenario", ""), params.get("key", "")
    found = iaom_assignment(conn, scenario, ext_key)
    if found is None:
        return []
    assignment = _dated(ErpObject(
        "IAOM_ASSIGNMENTS", f"{scenario} {ext_key}",
        f"account assignment of {scenario} {ext_key}: CO object {found['OBJECT_NO']} "
        f"(controlling type {found['CONTROLLING_TYPE']})",
        link="/iaomc?" + urlencode({"scenario": scenario, "key": ext_key}),
        details=found), found["ERDAT"])
    if found["OBJECT_NO"].startswith("OR") and found.get("AUFNR"):
        assignment.children = read_ko03(conn, {"aufnr": found["AUFNR"]})
    elif found["OBJECT_NO"].startswith("PR") and found.get("POSID"):
        assignment.children = read_wbs(conn, found["POSID"])
    return [assignment]


def read_cj20n(conn: RfcConnection, params: Mapping[str, str]) -> list[ErpObject]:
    project = params.get("project", "")
    rows = read_table(conn, "PROJ", ["PSPNR", "PSPID", "POST1", "VBUKR", "ERDAT"],
                      [f"PSPID = '{key(project, 'PSPID', 24)}'"])
    found = []
    for row in rows:
        wbs = read_table(conn, "PRPS", ["POSID"], [f"PSPHI = '{row['PSPNR']}'"])
        found.append(_dated(ErpObject(
            "PROJ", row["PSPID"], f"project {row['PSPID']} {row['POST1']}, company code "
            f"{row['VBUKR']}, {len(wbs)} WBS element(s)",
            link="/cj20n?" + urlencode({"project": row["PSPID"]}),
            details={**row, "wbs_elements": [w["POSID"] for w in wbs]}), row["ERDAT"]))
    return found


def read_xd03(conn: RfcConnection, params: Mapping[str, str]) -> list[ErpObject]:
    """The customer master record (KNA1) with its company codes (KNB1); no page of its own."""
    kunnr = key(params.get("kunnr", ""), "KUNNR", 10, alpha=True)
    found = []
    for row in read_table(conn, "KNA1", ["KUNNR", "NAME1", "ORT01", "KTOKD", "ERDAT", "LOEVM"],
                          [f"KUNNR = '{kunnr}'"]):
        company = read_table(conn, "KNB1", ["BUKRS"], [f"KUNNR = '{kunnr}'"])
        codes = ", ".join(c["BUKRS"] for c in company) or "none"
        found.append(_dated(ErpObject(
            "KNA1", row["KUNNR"], f"customer {row['KUNNR']} {row['NAME1']}, {row['ORT01']} "
            f"(account group {row['KTOKD']}; company codes {codes})",
            status="marked for deletion" if row["LOEVM"] == "X" else "",
            details=row), row["ERDAT"]))
    return found


Reader = Callable[[RfcConnection, Mapping[str, str]], list[ErpObject]]
READERS: dict[str, Reader] = {"FB03": read_fb03, "KO03": read_ko03, "IAOMC": read_iaomc,
                              "CJ20N": read_cj20n, "XD03": read_xd03}
