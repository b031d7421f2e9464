"""The ERP displays FB03, KO03, IAOMC and CJ20N, read over RFC as any SAP client would.

The gateway never looks into the ERP's database: documents and orders come through
RFC_READ_TABLE (BKPF/BSEG, AUFK/COEP), assignments through IAOM_ASSIGNMENT_GET and projects
through BAPI_PROJECT_GETINFO. Each view takes an `RfcConnection` and returns plain dicts, or
None when the ERP has no such object. Keys are checked before they go into an Open SQL
condition; a malformed key raises `ValueError` with the reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sapgw.rfc.connection import RfcConnection

_ALPHA = re.compile(r"^\d+$")


def read_table(conn: RfcConnection, table: str, fields: list[str], where: list[str],
               rowcount: int = 0) -> list[dict[str, str]]:
    """RFC_READ_TABLE rows as dicts; `where` holds one OPTIONS row per condition part.

    Packed numbers arrive with the sign behind them (`250.00-`): it is moved to the front.
    """
    result = conn.call("RFC_READ_TABLE", QUERY_TABLE=table, DELIMITER="|", ROWCOUNT=rowcount,
                       FIELDS=[{"FIELDNAME": f} for f in fields],
                       OPTIONS=[{"TEXT": text} for text in where])
    names = [f["FIELDNAME"] for f in result["FIELDS"]]
    rows = []
    for line in result["DATA"]:
        values = [v.strip() for v in line["WA"].split("|")]
        values += [""] * (len(names) - len(values))  # DATA lines come right-trimmed
        rows.append({name: _signed(value) for name, value in zip(names, values, strict=False)})
    return rows


def _signed(value: str) -> str:
    if value.endswith("-") and value[:-1].replace(".", "", 1).isdigit():
        return "-" + value[:-1]
    return value


def key(value: str, name: str, length: int, *, alpha: bool = False) -> str:
    """A key field checked for an Open SQL literal; `alpha` pads digits as SAP's ALPHA exit."""
    value = value.strip().upper()
    if not value or len(value) > length or "'" in value:
        raise ValueError(f"{name} must be 1 to {length} characters without quotes, "
                         f"not {value!r}")
    return value.zfill(length) if alpha and _ALPHA.match(value) else value


def alpha_head(value: str, length: int) -> str:
    """A composite key `<number>/<item>` (IAOM's CRMFM key: fund usage/item) with ALPHA on its
    numeric head: `1791/10` -> `00000000000000001791/10`, as the fund usage number is NUMC."""
    head, slash, tail = value.strip().partition("/")
    if slash and head.isdigit() and len(head) <= length:
        return f"{head.zfill(length)}/{tail}"
    return value.strip()


def _year(value: str) -> str:
    if not re.fullmatch(r"\d{4}", value.strip()):
        raise ValueError(f"GJAHR must be a year of four digits, not {value!r}")
    return value.strip()


# -- FB03 ----------------------------------------------------------------------------------------
BKPF_FIELDS = ["BUKRS", "BELNR", "GJAHR", "BLART", "BLDAT", "BUDAT", "MONAT", "USNAM", "XBLNR",
               "BKTXT", "WAERS", "AWTYP", "AWKEY", "STBLG", "XREVERSAL"]
BSEG_FIELDS = ["BUZEI", "BSCHL", "KOART", "SHKZG", "WRBTR", "HKONT", "KUNNR", "LIFNR", "KOSTL",
               "AUFNR", "PROJK", "PRCTR", "SGTXT", "ZUONR"]


def fi_document(conn: RfcConnection, bukrs: str, belnr: str, gjahr: str
                ) -> dict[str, Any] | None:
    """An FI document (BKPF) with its line items (BSEG) and debit and credit totals."""
    where = [f"BUKRS = '{key(bukrs, 'BUKRS', 4)}'",
             f"AND BELNR = '{key(belnr, 'BELNR', 10, alpha=True)}'",
             f"AND GJAHR = '{_year(gjahr)}'"]
    headers = read_table(conn, "BKPF", BKPF_FIELDS, where)
    if not headers:
        return None
    lines = read_table(conn, "BSEG", BSEG_FIELDS, where)
    for line in lines:
        line["WRBTR"] = Decimal(line["WRBTR"] or "0")
    debit = sum((x["WRBTR"] for x in lines if x["SHKZG"] == "S"), Decimal("0.00"))
    credit = sum((x["WRBTR"] for x in lines if x["SHKZG"] == "H"), Decimal("0.00"))
    return {**headers[0], "lines": lines, "debit": debit, "credit": credit}


def fi_documents_by_reference(conn: RfcConnection, xblnr: str) -> list[dict[str, str]]:
    """FI document headers whose reference (XBLNR) is `xblnr`, e.g. a fund posting id."""
    return read_table(conn, "BKPF", BKPF_FIELDS, [f"XBLNR = '{key(xblnr, 'XBLNR', 16)}'"])


# -- KO03 ----------------------------------------------------------------------------------------
AUFK_FIELDS = ["AUFNR", "AUART", "AUTYP", "KTEXT", "BUKRS", "KOKRS", "WAERS", "OBJNR", "ERDAT",
               "PHAS1"]
COEP_FIELDS = ["KOKRS", "BELNR", "BUZEI", "GJAHR", "PERIO", "KSTAR", "WKGBTR", "WTGBTR",
               "TWAER", "BEKNZ", "SGTXT", "WRTTP", "VRGNG", "PAROB"]


def internal_order(conn: RfcConnection, aufnr: str) -> dict[str, Any] | None:
    """An internal order (AUFK) with its CO line items (COEP) and totals by cost element.

    COEP values are signed (+ debit, - credit), so a total is the plain sum.
    """
    number = key(aufnr, "AUFNR", 12, alpha=True)
    orders = read_table(conn, "AUFK", AUFK_FIELDS, [f"AUFNR = '{number}'"])
    if not orders:
        return None
    order = orders[0]
    items = read_table(conn, "COEP", COEP_FIELDS, [f"OBJNR = '{order['OBJNR']}'"])
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for item in items:
        item["WKGBTR"] = Decimal(item["WKGBTR"] or "0")
        item["WTGBTR"] = Decimal(item["WTGBTR"] or "0")
        totals[item["KSTAR"]] += item["WKGBTR"]
    return {**order, "items": items,
            "totals": [{"KSTAR": k, "WKGBTR": totals[k]} for k in sorted(totals)],
            "total": sum(totals.values(), Decimal("0.00")),
            "periods": order_totals(conn, order["OBJNR"])}


WKG_FIELDS = [f"WKG{period:03d}" for period in range(1, 17)]


def order_totals(conn: RfcConnection, objnr: str) -> list[dict[str, Any]]:
    """Actual totals (WRTTP 04) by cost element and period from COSP (external) and COSS
    (internal postings), as KO03's report reads them: {GJAHR, PERIO, KSTAR, COSP, COSS, WKG},
    zero periods left out, in year, period and cost element order."""
    summed: dict[tuple[str, str, str], dict[str, Decimal]] = {}
    for table in ("COSP", "COSS"):
        rows = read_table(conn, table, ["GJAHR", "KSTAR", *WKG_FIELDS],
                          [f"OBJNR = '{key(objnr, 'OBJNR', 22)}'", "AND WRTTP = '04'"])
        for row in rows:
            for period, name in enumerate(WKG_FIELDS, start=1):
                value = Decimal(row[name] or "0")
                if value:
                    cell = summed.setdefault((row["GJAHR"], f"{period:03d}", row["KSTAR"]), {
                        "COSP": Decimal("0.00"), "COSS": Decimal("0.00")})
                    cell[table] += value
    return [{"GJAHR": year, "PERIO": period, "KSTAR": kstar, **cell,
             "WKG": cell["COSP"] + cell["COSS"]}
            for (year, period, kstar), cell in sorted(summed.items())]


# -- IAOMC ---------------------------------------------------------------------------------------
def iaom_assignment(conn: RfcConnection, scenario: str, ext_object_id: str
                    ) -> dict[str, Any] | None:
    """The CO object behind a business scenario's key (IAOM_ASSIGNMENT_GET)."""
    result = conn.call("IAOM_ASSIGNMENT_GET",
                       BUS_SCENARIO_ID=key(scenario, "BUS_SCENARIO_ID", 16),
                       EXT_OBJECT_ID=key(alpha_head(ext_object_id, 20), "EXT_OBJECT_ID",
                                         34))
    if any(row.get("TYPE") in ("E", "A") for row in result.get("RETURN", [])):
        return None
    return dict(result["ES_ASSIGNMENT"])


# -- CJ20N ---------------------------------------------------------------------------------------
def project(conn: RfcConnection, pspid: str) -> dict[str, Any] | None:
    """A project definition with its WBS elements (BAPI_PROJECT_GETINFO)."""
    result = conn.call("BAPI_PROJECT_GETINFO",
                       PROJECT_DEFINITION=key(pspid, "PROJECT_DEFINITION", 24))
    if result.get("RETURN", {}).get("TYPE") in ("E", "A"):
        return None
    return {**result["E_PROJECT_DEFINITION"],
            "wbs_elements": [dict(w) for w in result["E_WBS_ELEMENT_TABLE"]]}


# -- does it exist? --------------------------------------------------------------------------------
def exists(conn: RfcConnection, transaction: str, params: dict[str, str]) -> bool:
    """Whether the object a display transaction's link names is in the ERP: a failed BDoc's
    links are shown only for what it really produced. A key that cannot be read is absent."""
    try:
        if transaction == "FB03":
            if params.get("xblnr"):
                docs = fi_documents_by_reference(conn, params["xblnr"])
                return any(d["BUKRS"] == params.get("bukrs", d["BUKRS"]) for d in docs)
            return fi_document(conn, params.get("bukrs", ""), params.get("belnr", ""),
                               params.get("gjahr", "")) is not None
        if transaction == "KO03":
            number = key(params.get("aufnr", ""), "AUFNR", 12, alpha=True)
            return bool(read_table(conn, "AUFK", ["AUFNR"], [f"AUFNR = '{number}'"], 1))
        if transaction == "IAOMC":
            return iaom_assignment(conn, params.get("scenario", ""),
                                   params.get("key", "")) is not None
        if transaction == "CJ20N":
            return project(conn, params.get("project", "")) is not None
        if transaction == "CRMSRV":  # monitor/crmsrv_pages.py
            number = key(params.get("object_id", ""), "OBJECT_ID", 10, alpha=True)
            return bool(read_table(conn, "CRMSRV_DOCS", ["OBJECT_ID"],
                                   [f"OBJECT_ID = '{number}'"], 1))
    except ValueError:
        return False
    raise ValueError(f"no display for transaction {transaction}")
