"""CO documents: one COBK header and its COEP line items, in the caller's LUW.

FI calls `post_line_items` for the CO-relevant lines of an accounting document (VRGNG COIN,
reference back to the FI document); other applications use it for their own CO postings
(e.g. activity allocation RKL with sender and receiver lines). Values follow CO's sign
convention: + debit (BEKNZ S), - credit (BEKNZ H). The period is the posting date's period in
the controlling area's fiscal year variant (TKA01-LMONA). The same LUW adds every line to the
totals COSP/COSS (`co.totals`), so they always equal the sum of the line items.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.co import totals
from sapgw.erp_stub.co.master_data import controlling_area
from sapgw.erp_stub.co.tables import COBK, COEP
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext

ACTUAL_VALUE_TYPE, ACTUAL_VERSION, STANDARD_LEDGER = "04", "000", "00"


@dataclass(frozen=True)
class CoLine:
    """One CO line item: object, cost element, signed value in CO area currency."""

    objnr: str                        # OR<AUFNR>, PR<PSPNR>, KS<KOKRS><KOSTL> …
    kstar: str                        # cost element (primary: the G/L account)
    amount: Decimal                   # controlling area currency, + debit / - credit
    amount_tc: Decimal | None = None  # transaction currency; None: same as amount
    currency_tc: str = ""             # transaction currency key; blank: CO area currency
    text: str = ""
    bukrs: str = ""
    ref_item: str = "000"             # BUZEI of the reference document
    parob: str = ""                   # partner object of an allocation
    uspob: str = ""                   # origin object (sender cost center / activity type)
    quantity: Decimal | None = None   # MEGBTR/MBGBTR, signed like the amount
    unit: str = ""                    # MEINH/MEINB
    beknz: str = ""                   # blank: S/H by the sign; A = settlement (KOAO credit)


@dataclass(frozen=True)
class CoReference:
    """The document a CO document comes from (COBK REFBT/REFBN/REFBK/REFGJ/AWTYP/AWKEY)."""

    refbt: str = "R"                  # R accounting document, K cost accounting …
    refbn: str = ""
    refbk: str = ""
    refgj: str = ""
    awtyp: str = ""
    awkey: str = ""


def post_line_items(ctx: CallContext, *, kokrs: str, budat: str, lines: list[CoLine],
                    vrgng: str = "COIN", reference: CoReference | None = None,
                    bldat: str = "", text: str = "", usnam: str = "",
                    value_type: str = ACTUAL_VALUE_TYPE) -> str:
    """Register a CO document (COBK + COEP) in the caller's LUW; returns its BELNR.

    The number comes from range RK_BELEG per controlling area; fiscal year and period come
    from the controlling area's fiscal year variant. Raises KeyError for an unknown
    controlling area and ValueError for a document without lines.
    """
    area = controlling_area(ctx, kokrs)
    if area is None:
        raise KeyError(f"controlling area {kokrs}")
    if not lines:
        raise ValueError("a CO document needs at least one line item")
    ref = reference or CoReference()
    year, period = fbas.fiscal_period(ctx, area.LMONA, budat)
    gjahr, perio = f"{year:04d}", f"{period:03d}"
    belnr = ctx.numbers.next("RK_BELEG", kokrs, "01")
    ctx.insert(COBK, {
        "KOKRS": kokrs, "BELNR": belnr, "GJAHR": gjahr, "VRGNG": vrgng, "BUDAT": budat,
        "BLDAT": bldat or budat, "CPUDT": ctx.clock.now().strftime("%Y%m%d"), "USNAM": usnam,
        "BLTXT": text[:50], "VERSN": ACTUAL_VERSION, "PERAB": perio, "PERBI": perio,
        "REFBT": ref.refbt, "REFBN": ref.refbn, "REFBK": ref.refbk,
        "REFGJ": ref.refgj or "0000", "AWTYP": ref.awtyp, "AWKEY": ref.awkey,
        "KWAER": area.WAERS, "LOGSYSTEM": ctx.logical_system,
    })
    coep = [{
        "KOKRS": kokrs, "BELNR": belnr, "BUZEI": f"{number:03d}", "GJAHR": gjahr,
        "PERIO": perio, "LEDNR": STANDARD_LEDGER, "WRTTP": value_type,
        "VERSN": ACTUAL_VERSION, "VRGNG": vrgng, "OBJNR": line.objnr, "KSTAR": line.kstar,
        "WKGBTR": line.amount, "WOGBTR": line.amount, "OWAER": area.WAERS,
        "WTGBTR": line.amount if line.amount_tc is None else line.amount_tc,
        "TWAER": line.currency_tc or area.WAERS,
        "BEKNZ": line.beknz or ("S" if line.amount >= 0 else "H"),
        "BUKRS": line.bukrs, "SGTXT": line.text[:50], "REFBZ": line.ref_item,
        "PAROB": line.parob, "USPOB": line.uspob, "HRKFT": "",
        "MEGBTR": line.quantity or Decimal(0), "MBGBTR": line.quantity or Decimal(0),
        "MEINH": line.unit, "MEINB": line.unit,
    } for number, line in enumerate(lines, start=1)]
    ctx.insert(COEP, coep)
    totals.register(ctx, coep)
    return belnr


def line_items(ctx: CallContext, objnr: str, gjahr: str | None = None
               ) -> list[dict[str, Any]]:
    """KSB1/KOB1-like: the committed COEP lines of one CO object, optionally of one year."""
    table = COEP.__table__  # type: ignore[attr-defined]
    query = select(table).where(table.c.OBJNR == objnr)
    if gjahr is not None:
        query = query.where(table.c.GJAHR == gjahr)
    with ctx.read() as conn:
        rows = conn.execute(query.order_by(table.c.KOKRS, table.c.BELNR, table.c.BUZEI)
                            ).mappings().all()
    return [dict(row) for row in rows]
