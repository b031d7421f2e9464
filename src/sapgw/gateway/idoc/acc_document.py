"""FI documents of the ERP as ACC_DOCUMENT03 IDocs (BD10-like: select, build, send once).

The documents are read over RFC like from any SAP system: RFC_READ_TABLE on BKPF (company
code, posting date range) and BSEG (per document), PRPS for the external key of a WBS
element. Each document becomes one IDoc per outbound partner profile of message type
ACC_DOCUMENT, mapped back onto the fields of BAPI_ACC_DOCUMENT_POST that the receiver posts
with (reference/wire.md §3.5): BKPF -> E1BPACHE09, a G/L line -> E1BPACGL09, a customer
line -> E1BPACAR09, a vendor line -> E1BPACAP09, and its amounts -> E1BPACCR09 (CURR_TYPE 00
document currency, 10 local currency when it differs; credits with SAP's trailing minus).

Table `idoc_sent_fi` records which document went to which partner in the same transaction
that stores the IDoc, so a second run, or two at once, never sends a document twice.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, and_, func, insert, or_, select
from sqlmodel import Field

from sapgw.gateway.store.tables import GatewayTable
from sapgw.rfc.connection import RfcConnection

MESTYP = "ACC_DOCUMENT"
BKPF_FIELDS = ("BUKRS", "BELNR", "GJAHR", "BLART", "BLDAT", "BUDAT", "MONAT", "USNAM",
               "XBLNR", "BKTXT", "WAERS", "HWAER", "AWTYP", "AWKEY", "AWSYS", "GLVOR")
BSEG_FIELDS = ("BUZEI", "KOART", "SHKZG", "WRBTR", "DMBTR", "HKONT", "KUNNR", "LIFNR",
               "KOSTL", "AUFNR", "PROJK", "PRCTR", "SGTXT", "ZUONR", "MWSKZ", "VALUT")
ITEM_SEGMENTS = {"S": "E1BPACGL09", "D": "E1BPACAR09", "K": "E1BPACAP09"}
SEGMENT_ORDER = ("E1BPACGL09", "E1BPACAR09", "E1BPACAP09")


class IdocSentFi(GatewayTable, table=True):
    """Which FI document was sent to which partner, in which IDoc (BD10's memory)."""

    __tablename__ = "idoc_sent_fi"
    BUKRS: str = Field(primary_key=True, max_length=4)
    BELNR: str = Field(primary_key=True, max_length=10)
    GJAHR: str = Field(primary_key=True, max_length=4)
    RCVPRT: str = Field(primary_key=True, max_length=2)
    RCVPRN: str = Field(primary_key=True, max_length=10)
    DOCNUM: str = Field(max_length=16)
    sent_at: datetime


SENT = IdocSentFi.__table__  # type: ignore[attr-defined]


@dataclass
class FiDocument:
    header: dict[str, str]
    items: list[dict[str, str]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.header["BUKRS"], self.header["BELNR"], self.header["GJAHR"]


def read_documents(erp: RfcConnection, company_code: str, from_date: str, to_date: str = "",
                   skip: Container[tuple[str, str, str]] = ()) -> list[FiDocument]:
    """BKPF of a company code posted from `from_date` (to `to_date`), with their BSEG lines;
    the lines of the documents in `skip` (sent already) are not read."""
    where = [f"BUKRS = {_literal(company_code)}", f"AND BUDAT >= {_literal(from_date)}"]
    if to_date:
        where.append(f"AND BUDAT <= {_literal(to_date)}")
    documents = [FiDocument(h) for h in read_table(erp, "BKPF", BKPF_FIELDS, where)]
    wbs: dict[str, str] = {}
    for doc in documents:
        if doc.key in skip:
            continue
        bukrs, belnr, gjahr = doc.key
        doc.items = read_table(erp, "BSEG", BSEG_FIELDS, [
            f"BUKRS = {_literal(bukrs)}", f"AND BELNR = {_literal(belnr)}",
            f"AND GJAHR = {_literal(gjahr)}"])
        for item in doc.items:
            projk = item["PROJK"]
            if projk.strip("0") and projk not in wbs:
                found = read_table(erp, "PRPS", ("POSID",), [f"PSPNR = {_literal(projk)}"])
                wbs[projk] = found[0]["POSID"] if found else projk
            item["WBS_ELEMENT"] = wbs.get(projk, "")
    return documents


def read_table(erp: RfcConnection, table: str, fields: tuple[str, ...],
               where: list[str]) -> list[dict[str, str]]:
    """RFC_READ_TABLE rows cut at the offsets it answers; packed numbers with a leading sign."""
    result = erp.call("RFC_READ_TABLE", QUERY_TABLE=table,
                      FIELDS=[{"FIELDNAME": name} for name in fields],
                      OPTIONS=[{"TEXT": line} for line in where])
    layout = [(f["FIELDNAME"], int(f["OFFSET"]), int(f["LENGTH"]), f["TYPE"])
              for f in result["FIELDS"]]
    rows = []
    for line in result["DATA"]:
        wa = line["WA"]
        row = {}
        for name, offset, length, kind in layout:
            value = wa[offset:offset + length].strip()
            row[name] = _signed(value) if kind == "P" else value
        rows.append(row)
    return rows


def segments(doc: FiDocument) -> list[tuple[str, dict[str, str]]]:
    """The ACC_DOCUMENT03 segments of one FI document, in the type's segment order."""
    h = doc.header
    result: list[tuple[str, dict[str, str]]] = [("E1BPACHE09", {
        "OBJ_TYPE": h["AWTYP"], "OBJ_KEY": h["AWKEY"], "OBJ_SYS": h["AWSYS"],
        "BUS_ACT": h["GLVOR"], "USERNAME": h["USNAM"], "HEADER_TXT": h["BKTXT"],
        "COMP_CODE": h["BUKRS"], "DOC_DATE": h["BLDAT"], "PSTNG_DATE": h["BUDAT"],
        "FISC_YEAR": h["GJAHR"], "FIS_PERIOD": h["MONAT"], "DOC_TYPE": h["BLART"],
        "REF_DOC_NO": h["XBLNR"]})]
    items = sorted(doc.items, key=lambda i: (
        SEGMENT_ORDER.index(ITEM_SEGMENTS.get(i["KOART"], "E1BPACGL09")), i["BUZEI"]))
    result += [(ITEM_SEGMENTS.get(i["KOART"], "E1BPACGL09"), _item(i)) for i in items]
    for item in items:
        itemno = item["BUZEI"].zfill(10)
        sign = -1 if item["SHKZG"] == "H" else 1
        result.append(("E1BPACCR09", {"ITEMNO_ACC": itemno, "CURR_TYPE": "00",
                                      "CURRENCY": h["WAERS"],
                                      "AMT_DOCCUR": _sap_amount(sign * Decimal(item["WRBTR"]))}))
        if h["HWAER"] and h["HWAER"] != h["WAERS"]:
            result.append(("E1BPACCR09", {
                "ITEMNO_ACC": itemno, "CURR_TYPE": "10", "CURRENCY": h["HWAER"],
                "AMT_DOCCUR": _sap_amount(sign * Decimal(item["DMBTR"]))}))
    return [(name, {k: v for k, v in values.items() if v}) for name, values in result]


def _item(item: dict[str, str]) -> dict[str, str]:
    """One line's BAPI fields: the partner, texts, and at most one CO object (as the BAPI
    wants it); the profit center only when no CO object derives it."""
    values = {"ITEMNO_ACC": item["BUZEI"].zfill(10), "ITEM_TEXT": item["SGTXT"],
              "ALLOC_NMBR": item["ZUONR"], "TAX_CODE": item["MWSKZ"]}
    koart = item["KOART"]
    if koart == "D":
        values["CUSTOMER"] = item["KUNNR"]
    elif koart == "K":
        values["VENDOR_NO"] = item["LIFNR"]
    else:
        values["GL_ACCOUNT"] = item["HKONT"]
        if item["VALUT"].strip("0"):
            values["VALUE_DATE"] = item["VALUT"]
        co = (("WBS_ELEMENT", item["WBS_ELEMENT"]) if item["WBS_ELEMENT"]
              else ("ORDERID", item["AUFNR"]) if item["AUFNR"]
              else ("COSTCENTER", item["KOSTL"]) if item["KOSTL"] else None)
        if co is not None:
            values[co[0]] = co[1]
            return values
    values["PROFIT_CTR"] = item["PRCTR"]
    return values


def mark_sent(conn: Connection, doc: FiDocument, rcvprt: str, rcvprn: str, docnum: str,
              now: datetime) -> None:
    """Record the document as sent to the partner in the IDoc's transaction. A concurrent
    run that sent it first makes this fail with IntegrityError, which rolls the IDoc back."""
    bukrs, belnr, gjahr = doc.key
    conn.execute(insert(SENT).values(BUKRS=bukrs, BELNR=belnr, GJAHR=gjahr, RCVPRT=rcvprt,
                                     RCVPRN=rcvprn, DOCNUM=docnum, sent_at=now))


def sent_to_all(conn: Connection, company_code: str, partners: list[tuple[str, str]]
                ) -> set[tuple[str, str, str]]:
    """Documents of a company code already sent to every one of the (RCVPRT, RCVPRN)."""
    wanted = set(partners)
    if not wanted:
        return set()
    query = (select(SENT.c.BELNR, SENT.c.GJAHR)
             .where(SENT.c.BUKRS == company_code,
                    or_(*(and_(SENT.c.RCVPRT == t, SENT.c.RCVPRN == n) for t, n in wanted)))
             .group_by(SENT.c.BELNR, SENT.c.GJAHR).having(func.count() == len(wanted)))
    return {(company_code, belnr, gjahr) for belnr, gjahr in conn.execute(query)}


def already_sent(conn: Connection, doc: FiDocument, rcvprt: str, rcvprn: str) -> bool:
    bukrs, belnr, gjahr = doc.key
    return conn.execute(select(SENT.c.DOCNUM).where(
        SENT.c.BUKRS == bukrs, SENT.c.BELNR == belnr, SENT.c.GJAHR == gjahr,
        SENT.c.RCVPRT == rcvprt, SENT.c.RCVPRN == rcvprn)).first() is not None


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _signed(value: str) -> str:
    """RFC_READ_TABLE writes packed numbers with a trailing sign (`100.00-`): -> `-100.00`."""
    return "-" + value[:-1].strip() if value.endswith("-") else value


def _sap_amount(amount: Decimal) -> str:
    """IDoc amount text: SAP's trailing minus for negative values (`350.00-`)."""
    return f"{abs(amount):f}" + ("-" if amount < 0 else "")
