"""Costs sent from CO to profitability segments: an activity allocation (RKL) or a reposting
(RKU1) whose receiver is a segment, as CATS (CAT7) and CRM Service's mass-object
controlling post them.

In costing-based CO-PA the segment is no CO object (reference/controlling.md §1.4), so the
CO document holds the senders' credits only - the cost center/activity type's KL object or
the cost center - each with the segment EO<PAOBJNR> as partner object; each segment's debit
is a CE1S001 line item of record type B (`direct`: the KEI2 structure of the area maps the
cost element to its value field) referring to the CO document and its line (RBELN/RPOSN).
The caller checks first (CO's checks and `direct.check`); a CopaError raised here after the
CO document is registered must end the caller's LUW.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import direct
from sapgw.erp_stub.kernel.context import CallContext


@dataclass(frozen=True)
class SegmentLine:
    """One sender's credit to one segment: value in the controlling area currency and
    quantity (None for a reposting) as the segment's debit, positive; `post_to_segments`
    credits the sender with them negated."""

    sender: str                         # KL<kokrs><kostl><lstar> or the cost center's KS
    kstar: str
    value: Decimal
    paobjnr: str
    bukrs: str
    quantity: Decimal | None = None
    unit: str = ""
    text: str = ""


def post_to_segments(ctx: CallContext, *, kokrs: str, budat: str, vrgng: str,
                     lines: list[SegmentLine], reference: co.CoReference, text: str,
                     usnam: str) -> tuple[str, list[str]]:
    """Register the CO document and a CO-PA line item per line in the caller's LUW: the CO
    document's number and the line items' (see the module)."""
    belnr = co.post_line_items(
        ctx, kokrs=kokrs, budat=budat, vrgng=vrgng, usnam=usnam, reference=reference,
        text=text,
        lines=[co.CoLine(line.sender, line.kstar, -line.value, parob=f"EO{line.paobjnr}",
                         quantity=-line.quantity if line.quantity is not None else None,
                         unit=line.unit, text=line.text, bukrs=line.bukrs)
               for line in lines])
    return belnr, [direct.post(ctx, kokrs=kokrs, paobjnr=line.paobjnr, budat=budat,
                               amounts=[(line.kstar, line.value)],
                               reference={"RBELN": belnr, "RPOSN": str(number)}, usnam=usnam)
                   for number, line in enumerate(lines, start=1)]
