"""Posting a checked document: number, BKPF/BSEG, CO line items, reversal link.

Everything is registered in the caller's LUW and written at BAPI_TRANSACTION_COMMIT (or at
the end of a tRFC unit) in one database transaction, so a document is all or nothing. Only
the document number is drawn at once, as SAP's number range buffer does.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, update

from sapgw.erp_stub.co.api import CoLine, CoReference, post_line_items
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fi.model import BKPFF, Document, Line
from sapgw.erp_stub.fi.tables import BKPF, BSEG
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import update_terminated

# Posting keys (TBSL) by account type and debit/credit.
POSTING_KEYS = {("S", "S"): "40", ("S", "H"): "50", ("D", "S"): "01", ("D", "H"): "11",
                ("K", "S"): "21", ("K", "H"): "31"}


def post(ctx: CallContext, doc: Document) -> str:
    """Register the document in the LUW; returns its OBJ_KEY (AWKEY)."""
    gjahr = f"{doc.gjahr:04d}"
    belnr = ctx.numbers.next("RF_BELEG", doc.bukrs, doc.nrrange, doc.gjahr)
    awkey = doc.awkey if doc.awtyp != BKPFF else f"{belnr}{doc.bukrs}{gjahr}"
    now = ctx.clock.now()
    header = {
        "BUKRS": doc.bukrs, "BELNR": belnr, "GJAHR": gjahr, "BLART": doc.blart,
        "BLDAT": doc.bldat, "BUDAT": doc.budat, "MONAT": f"{doc.monat:02d}",
        "CPUDT": now.strftime("%Y%m%d"), "CPUTM": now.strftime("%H%M%S"),
        "USNAM": doc.usnam, "XBLNR": doc.xblnr, "BKTXT": doc.bktxt, "WAERS": doc.waers,
        "HWAER": doc.hwaer, "AWTYP": doc.awtyp, "AWKEY": awkey, "AWSYS": doc.awsys,
        "GLVOR": doc.glvor, "TCODE": "",
    }
    if doc.reverses is not None:
        header.update(STBLG=doc.reverses["BELNR"], STJAH=doc.reverses["GJAHR"],
                      STGRD=doc.stgrd, XREVERSAL="2")
    co_lines = [CoLine(line.co.objnr, line.hkont, _value(line.dmbtr), _value(line.wrbtr),
                       doc.waers, line.text, doc.bukrs, f"{number:03d}")
                for number, line in enumerate(doc.lines, start=1)
                if line.co is not None and line.cost_element and not line.co.paobjnr]
    if co_lines:  # first: its number draw may fail, and then nothing may be registered
        post_line_items(ctx, kokrs=doc.kokrs, budat=doc.budat, lines=co_lines,
                        reference=CoReference("R", belnr, doc.bukrs, gjahr, doc.awtyp, awkey),
                        bldat=doc.bldat, text=doc.bktxt, usnam=doc.usnam)
    _to_profitability_segments(ctx, doc, belnr)
    ctx.insert(BKPF, header)
    ctx.insert(BSEG, [_bseg(doc, belnr, gjahr, number, line)
                      for number, line in enumerate(doc.lines, start=1)])
    if doc.reverses is not None:
        ctx.task(mark_reversed(doc.reverses, belnr, gjahr))
    return awkey


def _to_profitability_segments(ctx: CallContext, doc: Document, belnr: str) -> None:
    """A P&L line with a profitability segment: one CO-PA line item of record type B
    (reference RBELN/RPOSN = the FI document and line), checked with the document."""
    for number, line in enumerate(doc.lines, start=1):
        if line.co is None or not line.co.paobjnr or not line.cost_element:
            continue
        try:
            copa.post_direct(ctx, kokrs=doc.kokrs, paobjnr=line.co.paobjnr, budat=doc.budat,
                             amounts=[(line.hkont, _value(line.dmbtr))],
                             reference={"RBELN": belnr, "RPOSN": str(number)},
                             usnam=doc.usnam)
        except copa.CopaError as error:  # checked a moment ago: customizing changed
            raise update_terminated(error.msg_class, error.number, *error.variables[:2],
                                    message=error.message) from error


def _bseg(doc: Document, belnr: str, gjahr: str, number: int, line: Line) -> dict[str, Any]:
    wrbtr, dmbtr = _value(line.wrbtr), _value(line.dmbtr)
    shkzg = "S" if wrbtr > 0 else "H"
    co = line.co
    return {
        "BUKRS": doc.bukrs, "BELNR": belnr, "GJAHR": gjahr, "BUZEI": f"{number:03d}",
        "BSCHL": POSTING_KEYS[(line.koart, shkzg)], "KOART": line.koart, "SHKZG": shkzg,
        "WRBTR": abs(wrbtr), "DMBTR": abs(dmbtr), "PSWSL": doc.waers, "HKONT": line.hkont,
        "KUNNR": line.kunnr, "LIFNR": line.lifnr, "KOKRS": doc.kokrs if co else "",
        "KOSTL": co.kostl if co else "", "AUFNR": co.aufnr if co else "",
        "PROJK": co.projk if co and co.projk else "00000000", "PRCTR": line.prctr,
        "PAOBJNR": co.paobjnr if co and co.paobjnr else "0000000000",
        "SGTXT": line.text, "ZUONR": line.zuonr, "MWSKZ": line.mwskz, "VALUT": line.valut,
    }


def _value(amount: Decimal | None) -> Decimal:
    if amount is None:  # the check gives every line both amounts before posting
        raise ValueError("line item without amount")
    return amount


def mark_reversed(original: dict[str, Any], belnr: str, gjahr: str) -> Task:
    """Update task: the original names its reversal. It fails the whole commit if another
    LUW reversed the original in the meantime (ABAP's update termination)."""
    table = BKPF.__table__  # type: ignore[attr-defined]

    def run(conn: Connection) -> None:
        result = conn.execute(update(table).where(
            table.c.BUKRS == original["BUKRS"], table.c.BELNR == original["BELNR"],
            table.c.GJAHR == original["GJAHR"], table.c.STBLG == "")
            .values(STBLG=belnr, STJAH=gjahr, XREVERSAL="1"))
        if result.rowcount != 1:
            raise update_terminated("F5", "700", original["BELNR"], original["BUKRS"],
                                    original["GJAHR"])

    return run
