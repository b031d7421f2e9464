"""Direct postings to a profitability segment from FI, MM and CATS (record type B).

A G/L line, a goods issue or an activity allocation may name a profitability segment
(PAOBJNR, CE4S001) as its account assignment instead of a cost center or order. In
costing-based CO-PA the segment is no CO object of cost accounting (EO objects exist in
account-based CO-PA only, reference/controlling.md §1.4): the sender's side stays in FI or CO,
the segment's side is one CE1S001 line item of record type B, its characteristics those of
the segment, its value fields from the controlling area's PA transfer structure for direct
postings (KEI2; ours: the first structure of usage D that has assignment lines for the area).
`check` answers what `post` would refuse, so a caller checks every line before it registers
anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sapgw.erp_stub.copa import transfer
from sapgw.erp_stub.copa.concern import required_concern
from sapgw.erp_stub.copa.customizing import TKB9A, TKB9G
from sapgw.erp_stub.copa.errors import CopaError
from sapgw.erp_stub.copa.postings import post_by_cost_element
from sapgw.erp_stub.copa.segments import characteristics_of
from sapgw.erp_stub.copa.tables import CHARACTERISTICS
from sapgw.erp_stub.kernel.context import CallContext

DIRECT_POSTING = "B"                     # record type of direct postings from FI/MM
DIRECT_USAGE = "D"                       # TKB9A-USAGE of KEI2 structures (ours)


def direct_structure(ctx: CallContext, kokrs: str) -> str:
    """KEI2: the PA transfer structure of direct postings in the controlling area; KE 919
    when there is none."""
    for row in sorted(ctx.buffered(TKB9A).where(USAGE=DIRECT_USAGE), key=lambda r: r.ERSCH):
        if ctx.buffered(TKB9G).where(ERSCH=row.ERSCH, KOKRS=kokrs):
            return str(row.ERSCH)
    raise CopaError("KE", "919", kokrs, field="KOKRS")


def segment_characteristics(ctx: CallContext, paobjnr: str) -> dict[str, str] | None:
    """The characteristics of an existing segment (CE4S001), None for an unknown number."""
    row = characteristics_of(ctx, str(paobjnr).zfill(10)) if str(paobjnr).strip("0") else None
    if row is None:
        return None
    return {name: str(row[name]) for name in CHARACTERISTICS}


def existing_segment(ctx: CallContext, paobjnr: str, kokrs: str | None = None
                     ) -> dict[str, str]:
    """The characteristics of the segment an account assignment names (PROFIT_SEGM_NO):
    CopaError KE 920 when there is no such segment, KE 921 when it belongs to another
    controlling area than `kokrs` (not checked without one)."""
    found = segment_characteristics(ctx, paobjnr)
    if found is None:
        raise CopaError("KE", "920", paobjnr, field="PROFIT_SEGM_NO")
    if kokrs is not None and found["KOKRS"] and found["KOKRS"] != kokrs:
        raise CopaError("KE", "921", paobjnr, found["KOKRS"], kokrs, field="PROFIT_SEGM_NO")
    return found


def check(ctx: CallContext, *, kokrs: str, paobjnr: str, kstar: str, budat: str) -> None:
    """Raise the CopaError `post` would raise for this segment and cost element: KE 901 no
    operating concern, KE 920/921 unknown segment or one of another controlling area
    (`existing_segment`), KE 919 no KEI2 structure, KE 907/908/909 cost element not
    mapped."""
    concern = required_concern(ctx, kokrs)
    existing_segment(ctx, paobjnr, kokrs)
    transfer.value_fields(ctx, concern, kokrs, direct_structure(ctx, kokrs),
                          [(kstar, Decimal(0))], budat)


def post(ctx: CallContext, *, kokrs: str, paobjnr: str, budat: str,
         amounts: Iterable[tuple[str, Decimal]], reference: dict[str, str] | None = None,
         usnam: str = "") -> str:
    """One CE1S001 line item of record type B on the segment, (cost element, CO-sign
    amount) pairs through the KEI2 structure; returns its BELNR. Raises CopaError before
    registering anything."""
    amounts = list(amounts)
    for kstar, _ in amounts:
        check(ctx, kokrs=kokrs, paobjnr=paobjnr, kstar=kstar, budat=budat)
    characteristics = segment_characteristics(ctx, paobjnr) or {}
    return post_by_cost_element(ctx, kokrs=kokrs, record_type=DIRECT_POSTING, budat=budat,
                                characteristics=characteristics, amounts=amounts,
                                structure=direct_structure(ctx, kokrs), reference=reference,
                                usnam=usnam)
