"""ZMB51_LIST (ours): material document list like transaction MB51.

MB51 lists material document items (MSEG with MKPF's posting date) by material, plant,
movement type, order and posting date range; every selection is optional and the newest
documents come first, as MB51 shows them. A selection naming something that does not exist
(material, plant, movement type) or a date range that ends before it starts is answered with
an E row naming the field, and no list; an empty list is answered with M7 916 (type S).
The list is read committed, like any report.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.mm import materials
from sapgw.erp_stub.mm.control import movement_type, plant
from sapgw.erp_stub.mm.tables import MKPF, MSEG

FIELDS = ("MBLNR", "MJAHR", "ZEILE", "BWART", "MATNR", "WERKS", "LGORT", "SHKZG", "MENGE",
          "MEINS", "DMBTR", "WAERS", "AUFNR", "KOSTL", "KUNNR", "SGTXT")


def selection_errors(ctx: CallContext, material: str, werks: str, bwart: str,
                     date_from: str, date_to: str) -> list[dict[str, Any]]:
    """An E row for each selection that cannot select anything."""
    rows = []

    def error(number: str, *variables: str, field: str) -> None:
        rows.append(bapiret2("E", "M7", number, *variables, parameter=field, field=field,
                             system=ctx.logical_system))

    if material and materials.material(ctx, materials.matnr(material)) is None:
        error("901", materials.matnr(material), field="MATERIAL")
    if werks and plant(ctx, werks) is None:
        error("902", werks, field="PLANT")
    if bwart and movement_type(ctx, bwart) is None:
        error("905", bwart, field="MOVE_TYPE")
    if date_from and date_to and date_from > date_to:
        error("915", date_from, date_to, field="DATE_TO")
    return rows


def material_documents(ctx: CallContext, material: str = "", werks: str = "", bwart: str = "",
                       aufnr: str = "", date_from: str = "", date_to: str = ""
                       ) -> list[dict[str, Any]]:
    """MSEG items with MKPF-BUDAT/USNAM, newest first; blank selections select all."""
    items = MSEG.__table__  # type: ignore[attr-defined]
    header = MKPF.__table__  # type: ignore[attr-defined]
    query = (select(*(items.c[name] for name in FIELDS), header.c.BUDAT, header.c.USNAM,
                    header.c.XBLNR)
             .select_from(items.join(header, (header.c.MBLNR == items.c.MBLNR)
                                     & (header.c.MJAHR == items.c.MJAHR))))
    if material:
        query = query.where(items.c.MATNR == materials.matnr(material))
    if werks:
        query = query.where(items.c.WERKS == werks)
    if bwart:
        query = query.where(items.c.BWART == bwart)
    if aufnr:
        query = query.where(items.c.AUFNR == alpha(aufnr, 12))
    if date_from:
        query = query.where(header.c.BUDAT >= date_from)
    if date_to:
        query = query.where(header.c.BUDAT <= date_to)
    query = query.order_by(header.c.BUDAT.desc(), items.c.MJAHR.desc(), items.c.MBLNR.desc(),
                           items.c.ZEILE)
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
