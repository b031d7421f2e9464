"""Sales documents written and read: VBAK/VBAP/VBEP with their statuses VBUK/VBUP.

`save` registers a checked order in the caller's LUW (written at COMMIT); the readers answer
committed documents, for billing and for other applications (through `sd.api`), and the
documents saved earlier in the caller's LUW (SAP's document buffer): a CRM confirmation
without predecessor creates its sales document and delivers its sales items in one LUW.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.sd.sales_orders import SalesOrder
from sapgw.erp_stub.sd.tables import VBAK, VBAP, VBEP, VBFA, VBUK, VBUP

ORDER_BILLING = "B"        # TVAP-FKREL: relevant for order-related billing
NOT_BILLED, FULLY_BILLED = "A", "C"
_CREATED = "sd.documents"   # LUW memory: VBELN -> (VBAK, VBAP rows with FKSAA), not committed
_FLOWS = "sd.flows"         # LUW memory: VBELV -> VBFA rows registered, not committed


def save(ctx: CallContext, doc: SalesOrder, usnam: str, header: dict[str, Any]) -> str:
    """Draw the number (RV_BELEG, the type's interval) and register the document; its VBELN."""
    vbeln = ctx.numbers.next("RV_BELEG", "", doc.numki)
    now = ctx.clock.now()
    erdat, erzet = now.strftime("%Y%m%d"), now.strftime("%H%M%S")
    vbak = {
        "VBELN": vbeln, "ERDAT": erdat, "ERZET": erzet, "ERNAM": usnam,
        "AUDAT": header["DOC_DATE"] or erdat, "VBTYP": "C", "AUART": doc.auart,
        "NETWR": doc.netwr, "WAERK": doc.waerk, "VKORG": doc.vkorg, "VTWEG": doc.vtweg,
        "SPART": doc.spart, "VDATU": header["REQ_DATE_H"], "BSTNK": header["PURCH_NO_C"],
        "BSTDK": header["PURCH_DATE"], "KUNNR": doc.kunnr, "BUKRS_VF": doc.bukrs}
    ctx.insert(VBAK, vbak)
    vbap = [{
        "VBELN": vbeln, "POSNR": item.posnr, "MATNR": item.matnr, "ARKTX": item.arktx[:40],
        "PSTYV": item.pstyv, "KWMENG": item.kwmeng, "VRKME": item.vrkme,
        "NETPR": item.netpr, "KPEIN": item.kpein, "KMEIN": item.kmein, "NETWR": item.netwr,
        "WAVWR": item.wavwr, "WAERK": doc.waerk, "WERKS": item.werks, "AUFNR": item.aufnr,
        "ERDAT": erdat, "ERNAM": usnam} for item in doc.items]
    ctx.insert(VBAP, vbap)
    schedules = [{"VBELN": vbeln, "POSNR": item.posnr, "ETENR": etenr,
                  "EDATU": edatu or header["REQ_DATE_H"] or erdat, "WMENG": quantity,
                  "VRKME": item.vrkme}
                 for item in doc.items for etenr, edatu, quantity in item.schedules]
    if schedules:
        ctx.insert(VBEP, schedules)
    relevant = [item for item in doc.items if item.fkrel == ORDER_BILLING]
    ctx.insert(VBUK, {"VBELN": vbeln, "FKSAK": NOT_BILLED if relevant else "",
                      "GBSTK": "A"})
    vbup = [{"VBELN": vbeln, "POSNR": item.posnr,
             "FKSAA": NOT_BILLED if item.fkrel == ORDER_BILLING else "", "GBSTA": "A"}
            for item in doc.items]
    ctx.insert(VBUP, vbup)
    billing = [{**row, "FKSAA": status["FKSAA"]}
               for row, status in zip(vbap, vbup, strict=True)]
    ctx.luw.memory.setdefault(_CREATED, {})[vbeln] = (dict(vbak), billing)
    return vbeln


def register_flows(ctx: CallContext, flows: list[dict[str, Any]]) -> None:
    """Register VBFA rows in the caller's LUW; `document_flow` answers them before COMMIT."""
    ctx.insert(VBFA, flows)
    registered = ctx.luw.memory.setdefault(_FLOWS, {})
    for flow in flows:
        registered.setdefault(flow["VBELV"], []).append(dict(flow))


def sales_document(ctx: CallContext, vbeln: str) -> dict[str, Any] | None:
    """VBAK of a sales document (VBELN with or without leading zeros), or None: one saved
    earlier in the caller's LUW, else a committed one."""
    created = ctx.luw.memory.get(_CREATED, {}).get(_vbeln(vbeln))
    if created is not None:
        return dict(created[0])
    table = VBAK.__table__  # type: ignore[attr-defined]
    with ctx.read() as conn:
        row = conn.execute(select(table).where(table.c.VBELN == _vbeln(vbeln))
                           ).mappings().first()
    return dict(row) if row else None


def sales_items(ctx: CallContext, vbeln: str) -> list[dict[str, Any]]:
    """VBAP rows of a sales document (saved earlier in the caller's LUW, or committed) with
    their billing status VBUP-FKSAA."""
    created = ctx.luw.memory.get(_CREATED, {}).get(_vbeln(vbeln))
    if created is not None:
        return [dict(row) for row in created[1]]
    items = VBAP.__table__  # type: ignore[attr-defined]
    status = VBUP.__table__  # type: ignore[attr-defined]
    query = (select(items, status.c.FKSAA)
             .select_from(items.outerjoin(status, (status.c.VBELN == items.c.VBELN)
                                          & (status.c.POSNR == items.c.POSNR)))
             .where(items.c.VBELN == _vbeln(vbeln)).order_by(items.c.POSNR))
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def document_flow(ctx: CallContext, vbeln: str) -> list[dict[str, Any]]:
    """VBFA rows whose preceding document is `vbeln` (its subsequent documents): committed
    ones and those registered earlier in the caller's LUW."""
    table = VBFA.__table__  # type: ignore[attr-defined]
    query = select(table).where(table.c.VBELV == _vbeln(vbeln)).order_by(*table.primary_key)
    with ctx.read() as conn:
        committed = [dict(row) for row in conn.execute(query).mappings()]
    pending = ctx.luw.memory.get(_FLOWS, {}).get(_vbeln(vbeln), [])
    return committed + [dict(row) for row in pending]


def _vbeln(value: str) -> str:
    return value.zfill(10) if value.isdigit() else value
