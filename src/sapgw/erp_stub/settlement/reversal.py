"""Reversal of an order's settlement (KO88 "Reverse"): the last settlement of a period undone.

SAP reverses settlements backwards: only the order's last settlement document that is not
reversed, and only when no later period was settled after it (KD 931). The reversal is a
settlement document of its own (AUAK-STFLG, AUAK-STBEL the reversed document; the reversed
one gets STOKZ and STBEL the reversal) with the reversed document's receiver segments (AUAA)
at the opposite sign, posted on the reversed document's posting date:
- the FI document of the RA data: the same accounts at the opposite sign (a new FI document,
  AWTYP AUAK, AWKEY the reversal; ours: FI's own reversal link BKPF-STBLG is not set);
- the CO document: the order's credit and a cost center's debit back (VRGNG KOAO);
- the CO-PA line item of a profitability segment: the same segment and PA transfer
  structure at the opposite sign (record type C);
- COSBD: the RA data the reversed document settled (ZAUA_RA) taken back under the RA
  version it was settled from (ZAUA_RA-VERSN, not today's customizing), so the next
  settlement sends the same values again. Without RA the delta comes from AUAA, which the
  reversal's mirrored segments bring back to what was settled before.
Everything is checked before anything is registered (the FI document first, CO-PA refuses
before it registers); all in the caller's LUW.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.settlement import customizing, ra_settled
from sapgw.erp_stub.settlement.documents import (
    SETTLEMENT,
    FiLine,
    ReceiverLine,
    co_document,
    fi_document,
    post_fi,
    to_segment,
)
from sapgw.erp_stub.settlement.errors import SettlementError
from sapgw.erp_stub.settlement.outcome import log, present
from sapgw.erp_stub.settlement.rules import SEGMENT, rule
from sapgw.erp_stub.settlement.tables import AUAA, AUAK

GL = "SK"
_AUAK: Any = AUAK.__table__  # type: ignore[attr-defined]
_AUAA: Any = AUAA.__table__  # type: ignore[attr-defined]


def reverse(ctx: CallContext, aufnr: str, *, gjahr: int, period: int, test: bool = False,
            usnam: str = "") -> co.RunOutcome:
    """Reverse the order's last settlement of the period (see the module); registered in
    the caller's LUW unless `test` or an error. LINES show the reversal's segments."""
    outcome = co.RunOutcome(aufnr)
    say = log(ctx, outcome)
    order = co.order(ctx, aufnr)
    if order is None:
        say("E", "904", aufnr, field_name="ORDERID")
        return outcome
    outcome.aufnr = order["AUFNR"]
    year, perio = f"{gjahr:04d}", f"{period:03d}"
    documents = _open_documents(ctx, order["OBJNR"])
    in_period = [doc for doc in documents if (doc["GJAHR"], doc["PERIO"]) == (year, perio)]
    if not in_period:
        say("E", "930", order["AUFNR"], perio, year, field_name="ORDERID")
        return outcome
    later = [doc for doc in documents if (doc["GJAHR"], doc["PERIO"]) > (year, perio)]
    if later:
        say("E", "931", order["AUFNR"], later[-1]["PERIO"], later[-1]["GJAHR"], perio, year)
        return outcome
    original = in_period[-1]
    segments = _segments(ctx, original["BELNR"])
    say("S", "007", original["BELNR"], order["AUFNR"], perio, year, original["BUDAT"])
    fi_params = _fi_document(ctx, order, original, segments, usnam)
    shown = [{"KONTY": s["KONTY"], "RECEIVER": s["EMPGE"], "KSTAR": s["KSTAR"],
              "SOURCE": s["SKSTAR"], "AMOUNT": -s["WKGBTR"], "CURRENCY": s["WAERS"]}
             for s in segments]
    if not present(ctx, outcome, say, fi_params, shown, order, test):
        return outcome
    outcome.belnr = belnr = ctx.numbers.next("AUAK", "", "01")
    lines = [ReceiverLine(s["KONTY"], s["EMPGE"], s["KSTAR"], -s["WKGBTR"])
             for s in segments if s["KONTY"] != GL]
    to_copa = [line for line in lines if line.konty == SEGMENT]
    try:
        pa_belnr = _to_segment(ctx, order, original, to_copa, belnr, usnam) \
            if to_copa and original["PABELNR"] else ""
    except (copa.CopaError, SettlementError) as refused:
        outcome.messages.append(refused.bapiret2(system=ctx.logical_system))
        return outcome
    awkey = post_fi(ctx, fi_params, belnr) if fi_params is not None else ""
    co_belnr = co_document(
        ctx, order, lines=lines, budat=original["BUDAT"], usnam=usnam,
        line_text=f"Reversal {belnr} of {original['BELNR']}",
        reference=co.CoReference("A", belnr, order["BUKRS"], original["GJAHR"], "AUAK",
                                 belnr),
        text=f"Reversal of settlement {original['BELNR']}") \
        if lines and original["BELCO"] else ""
    _register(ctx, order, original, segments, belnr, co_belnr, awkey, pa_belnr, usnam)
    say("S", "008", original["BELNR"], belnr, order["AUFNR"])
    return outcome


def _open_documents(ctx: CallContext, objnr: str) -> list[dict[str, Any]]:
    """The order's settlement documents that are neither reversed nor reversals, in order."""
    query = (select(_AUAK).where(_AUAK.c.OBJNR == objnr, _AUAK.c.STFLG == "",
                                 _AUAK.c.STOKZ == "")
             .order_by(_AUAK.c.GJAHR, _AUAK.c.PERIO, _AUAK.c.BELNR))
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def _segments(ctx: CallContext, belnr: str) -> list[dict[str, Any]]:
    with ctx.read() as conn:
        return [dict(row) for row in conn.execute(
            select(_AUAA).where(_AUAA.c.BELNR == belnr).order_by(_AUAA.c.LFDNR)).mappings()]


def _fi_document(ctx: CallContext, order: dict[str, Any], original: dict[str, Any],
                 segments: list[dict[str, Any]], usnam: str) -> dict[str, Any] | None:
    """The reversed FI document's lines at the opposite sign, or None without one."""
    gl = [s for s in segments if s["KONTY"] == GL]
    if not gl or not original["AWKEY"]:
        return None
    found = rule(ctx, order["OBJNR"])
    profile = customizing.profile(ctx, found[0]["APROF"]) if found is not None else None
    lines = [FiLine(line["EMPGE"], -line["WKGBTR"], line["WAERS"],
                    f"Reversal {line['KSTAR']} order {order['AUFNR']}") for line in gl]
    return fi_document(
        ctx, bukrs=order["BUKRS"], aufnr=order["AUFNR"], lines=lines,
        budat=original["BUDAT"], doc_type=profile.BLART if profile is not None else "SA",
        header_text=f"Reversal {original['BELNR']}", usnam=usnam)


def _to_segment(ctx: CallContext, order: dict[str, Any], original: dict[str, Any],
                lines: list[ReceiverLine], belnr: str, usnam: str) -> str:
    """The opposite CO-PA line item, through the PA transfer structure of the order's rule
    as it is now."""
    found = rule(ctx, order["OBJNR"])
    return to_segment(ctx, order, paobjnr=lines[0].receiver,
                      structure=found[0]["ERSCH"] if found is not None else None,
                      lines=lines, budat=original["BUDAT"], belnr=belnr, usnam=usnam)


def _register(ctx: CallContext, order: dict[str, Any], original: dict[str, Any],
              segments: list[dict[str, Any]], belnr: str, co_belnr: str, awkey: str,
              pa_belnr: str, usnam: str) -> None:
    ctx.insert(AUAK, {"BELNR": belnr, "KOKRS": original["KOKRS"], "OBJNR": original["OBJNR"],
                      "GJAHR": original["GJAHR"], "PERIO": original["PERIO"],
                      "BUDAT": original["BUDAT"], "VRGNG": SETTLEMENT, "BELCO": co_belnr,
                      "AWKEY": awkey, "PABELNR": pa_belnr,
                      "CPUDT": ctx.clock.now().strftime("%Y%m%d"), "USNAM": usnam,
                      "STFLG": "X", "STOKZ": "", "STBEL": original["BELNR"]})
    if segments:
        ctx.insert(AUAA, [{**segment, "BELNR": belnr, "WKGBTR": -segment["WKGBTR"]}
                          for segment in segments])
    ctx.update(AUAK, {"BELNR": original["BELNR"]}, {"STOKZ": "X", "STBEL": belnr})
    versn, taken = ra_settled.taken_by(ctx, original["BELNR"])
    if taken:
        ra_settled.register_taken(
            ctx, belnr=belnr, objnr=original["OBJNR"], versn=versn, year=original["GJAHR"],
            period=int(original["PERIO"]), currency=order["WAERS"],
            changes={key: -value for key, value in taken.items()})

