"""Billing documents posted: VBRK/VBRP, the document flow VBFA, the billing status, and the
accounting document through BAPI_ACC_DOCUMENT_POST in the same LUW.

The accounting document (AWTYP VBRK, AWKEY = the billing document number, document type
TVFK-BLART) debits the payer on its reconciliation account (KNB1-AKONT) with the billing
document's net value and credits each item's value to its revenue account; an item with an
internal order carries it as account assignment, so FI's CO interface posts the revenue to the
order as a CO line item (COIN, negative: a credit). Output tax is not built. The document is
checked (BAPI_ACC_DOCUMENT_CHECK) before the billing document number is drawn.

Items without an internal order transfer to CO-PA at billing (record type F, in the same
LUW): one line item each, characteristics from the billing document (customer, material,
billing type, sales order and item, company code, plant, sales area), PR00 and VPRS (the
item's cost, VBRP-WAVWR, copied from the sales document item) through KE4I into their value
fields (revenue, cost of sales), reference RBELN/RPOSN = the billing item. Items with an
internal order do not: their revenue reaches CO-PA when the order is settled (record type C).

At commit, the billing status of each item moves from A to C in the statement that checks it
is still A: a second LUW billing the same item terminates (VF 904) and writes nothing. The
billing that bills a sales document's last open item sets FNBL on its internal orders.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, update

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import update_terminated, update_terminated_by
from sapgw.erp_stub.sd import documents
from sapgw.erp_stub.sd.billing import INVOICE, ORDER_CATEGORY, Invoice
from sapgw.erp_stub.sd.documents import FULLY_BILLED, NOT_BILLED
from sapgw.erp_stub.sd.sales_orders import PRICE
from sapgw.erp_stub.sd.tables import VBFA, VBRK, VBRP, VBUK, VBUP
from sapgw.rfc.structures import errors

CHECK_KEY = "$"          # OBJ_KEY while the number is not drawn yet (as MM does)
PROFITABILITY_RECORD_TYPE = "F"   # CO-PA record type of billing data
COST = "VPRS"                     # cost condition (statistical): cost of sales in CO-PA


def post(ctx: CallContext, invoices: list[Invoice], usnam: str, testrun: bool
         ) -> tuple[list[str], list[dict[str, Any]]]:
    """FI check of every invoice, then numbers, FI documents and the SD writes; (VBELNs,
    errors)."""
    accounting = [_accounting(ctx, invoice, usnam) for invoice in invoices]
    for params in accounting:
        if params is not None:
            failed = errors(ctx.call("BAPI_ACC_DOCUMENT_CHECK", **params)["RETURN"])
            if failed:
                return [], failed
    if testrun:
        return [], []
    numbers: list[str] = []
    for invoice, params in zip(invoices, accounting, strict=True):
        vbeln = ctx.numbers.next("RV_BELEG", "", invoice.kind.numki)
        if params is not None:
            params["DOCUMENTHEADER"].update(OBJ_KEY=vbeln, REF_DOC_NO=vbeln)
            failed = errors(ctx.call("BAPI_ACC_DOCUMENT_POST", **params)["RETURN"])
            if failed:  # checked a moment ago: only a number range can fail here
                raise update_terminated_by(failed[-1])
        _register(ctx, invoice, vbeln, usnam, posted=params is not None)
        numbers.append(vbeln)
    _final_billing(ctx, invoices)
    return numbers, []


def _final_billing(ctx: CallContext, invoices: list[Invoice]) -> None:
    """FNBL on the internal orders that carry a sales document's revenue once this call
    bills its last open item: results analysis then expects no further revenue and cancels
    WIP and reserves (reference/controlling.md §6.5)."""
    billed = {(entry.item["VBELN"], entry.item["POSNR"])
              for invoice in invoices for entry in invoice.items}
    for vbeln in sorted({document for document, _ in billed}):
        items = documents.sales_items(ctx, vbeln)
        still_open = [item for item in items if item["FKSAA"] == NOT_BILLED
                      and (vbeln, item["POSNR"]) not in billed]
        if not still_open:
            for aufnr in sorted({item["AUFNR"] for item in items if item["AUFNR"]}):
                co.set_status(ctx, f"OR{aufnr}", "FNBL")


def _accounting(ctx: CallContext, invoice: Invoice, usnam: str) -> dict[str, Any] | None:
    """BAPI_ACC_DOCUMENT_POST parameters of one invoice; None when nothing has a value."""
    valued = [entry for entry in invoice.items if entry.item["NETWR"]]
    if not valued:
        return None
    order, waerk = invoice.order, invoice.order["WAERK"]
    gl, amounts = [], [{"ITEMNO_ACC": f"{1:010d}", "CURRENCY": waerk,
                        "AMT_DOCCUR": invoice.netwr}]
    for number, entry in enumerate(valued, start=2):
        item = entry.item
        line = {"ITEMNO_ACC": f"{number:010d}", "GL_ACCOUNT": entry.account,
                "COMP_CODE": invoice.bukrs, "ITEM_TEXT": item["ARKTX"][:50],
                "ALLOC_NMBR": item["VBELN"]}
        if item["AUFNR"]:
            line["ORDERID"] = item["AUFNR"]
        gl.append(line)
        amounts.append({"ITEMNO_ACC": f"{number:010d}", "CURRENCY": waerk,
                        "AMT_DOCCUR": -item["NETWR"]})
    return {
        "DOCUMENTHEADER": {
            "OBJ_TYPE": "VBRK", "OBJ_KEY": CHECK_KEY, "OBJ_SYS": ctx.logical_system,
            "BUS_ACT": "SD00", "USERNAME": usnam, "COMP_CODE": invoice.bukrs,
            "DOC_DATE": invoice.fkdat, "PSTNG_DATE": invoice.fkdat,
            "DOC_TYPE": invoice.kind.blart, "REF_DOC_NO": CHECK_KEY,
            "HEADER_TXT": f"Billing {order['VBELN']}"},
        "ACCOUNTRECEIVABLE": [{"ITEMNO_ACC": f"{1:010d}", "CUSTOMER": order["KUNNR"],
                               "COMP_CODE": invoice.bukrs, "ALLOC_NMBR": order["VBELN"]}],
        "ACCOUNTGL": gl, "CURRENCYAMOUNT": amounts}


def _register(ctx: CallContext, invoice: Invoice, vbeln: str, usnam: str, posted: bool
              ) -> None:
    order = invoice.order
    company = fbas.company_code(ctx, invoice.bukrs)
    year, period = (fbas.fiscal_period(ctx, company.PERIV, invoice.fkdat)
                    if company is not None else (int(invoice.fkdat[:4]), 0))
    now = ctx.clock.now()
    erdat, erzet = now.strftime("%Y%m%d"), now.strftime("%H%M%S")
    ctx.insert(VBRK, {
        "VBELN": vbeln, "FKART": invoice.kind.fkart, "VBTYP": INVOICE, "WAERK": order["WAERK"],
        "VKORG": order["VKORG"], "VTWEG": order["VTWEG"], "SPART": order["SPART"],
        "FKDAT": invoice.fkdat, "GJAHR": f"{year:04d}", "POPER": f"{period:03d}",
        "KTGRD": invoice.ktgrd, "BUKRS": invoice.bukrs, "NETWR": invoice.netwr,
        "RFBSK": "C" if posted else "", "KUNRG": order["KUNNR"], "KUNAG": order["KUNNR"],
        "XBLNR": vbeln, "ERNAM": usnam, "ERDAT": erdat, "ERZET": erzet})
    items, flows = [], []
    for number, entry in enumerate(invoice.items, start=1):
        item, posnr = entry.item, f"{number * 10:06d}"
        items.append({
            "VBELN": vbeln, "POSNR": posnr, "FKIMG": item["KWMENG"], "VRKME": item["VRKME"],
            "NETWR": item["NETWR"], "WAVWR": item["WAVWR"], "MATNR": item["MATNR"],
            "ARKTX": item["ARKTX"],
            "PSTYV": item["PSTYV"], "WERKS": item["WERKS"], "AUBEL": item["VBELN"],
            "AUPOS": item["POSNR"], "VGBEL": item["VBELN"], "VGPOS": item["POSNR"],
            "VGTYP": ORDER_CATEGORY, "AUFNR": item["AUFNR"], "SAKN1": entry.account,
            "ERDAT": erdat})
        flows.append({
            "VBELV": item["VBELN"], "POSNV": item["POSNR"], "VBELN": vbeln, "POSNN": posnr,
            "VBTYP_N": INVOICE, "VBTYP_V": ORDER_CATEGORY, "RFMNG": item["KWMENG"],
            "MEINS": item["VRKME"], "RFWRT": item["NETWR"], "WAERS": item["WAERK"],
            "MATNR": item["MATNR"], "ERDAT": erdat, "ERZET": erzet})
        ctx.task(mark_billed(item["VBELN"], item["POSNR"]))
    ctx.insert(VBRP, items)
    ctx.insert(VBFA, flows)
    if company is not None and company.KOKRS:
        _to_profitability_analysis(ctx, invoice, company.KOKRS, vbeln, usnam)


def _to_profitability_analysis(ctx: CallContext, invoice: Invoice, kokrs: str, vbeln: str,
                               usnam: str) -> None:
    """CO-PA line items (record type F) of the items without an internal order, when the
    controlling area has an operating concern (checked in `billing.check`)."""
    if copa.concern_of(ctx, kokrs) is None:
        return
    order = invoice.order
    for number, entry in enumerate(invoice.items, start=1):
        item, posnr = entry.item, f"{number * 10:06d}"
        if item["AUFNR"] or not item["NETWR"]:
            continue
        characteristics = {
            "KNDNR": order["KUNNR"], "ARTNR": item["MATNR"], "FKART": invoice.kind.fkart,
            "KAUFN": item["VBELN"], "KDPOS": item["POSNR"], "BUKRS": invoice.bukrs,
            "WERKS": item["WERKS"], "VKORG": order["VKORG"], "VTWEG": order["VTWEG"],
            "SPART": order["SPART"]}
        try:
            copa.post_conditions(ctx, kokrs=kokrs, record_type=PROFITABILITY_RECORD_TYPE,
                                 budat=invoice.fkdat, characteristics=characteristics,
                                 conditions=[(PRICE, item["NETWR"]), (COST, item["WAVWR"])],
                                 reference={"RBELN": vbeln, "RPOSN": posnr},
                                 currency=order["WAERK"], usnam=usnam)
        except copa.CopaError as error:  # checked before numbering: customizing changed
            raise update_terminated(error.msg_class, error.number, *error.variables[:2],
                                    message=error.message) from error


def mark_billed(vbeln: str, posnr: str) -> Task:
    """Update task: item status A -> C, then the header's FKSAK (C when no item is left
    open, else B). Another LUW that billed the item first makes this one terminate."""
    items = VBUP.__table__  # type: ignore[attr-defined]
    header = VBUK.__table__  # type: ignore[attr-defined]

    def run(conn: Connection) -> None:
        result = conn.execute(update(items).where(
            items.c.VBELN == vbeln, items.c.POSNR == posnr, items.c.FKSAA == NOT_BILLED)
            .values(FKSAA=FULLY_BILLED))
        if result.rowcount != 1:
            raise update_terminated("VF", "904", vbeln, posnr)
        still_open = conn.execute(select(func.count()).select_from(items).where(
            items.c.VBELN == vbeln, items.c.FKSAA == NOT_BILLED)).scalar()
        conn.execute(update(header).where(header.c.VBELN == vbeln)
                     .values(FKSAK=FULLY_BILLED if not still_open else "B"))

    return run
