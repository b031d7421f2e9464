"""PA transfer structures (KEI1 for settlement, KEI2 for direct postings): cost elements to
value fields (reference/controlling.md §8).

A structure has assignment lines (TKB9C); each line takes cost element ranges of a
controlling area (TKB9G VALMIN..VALMAX) into one value field of the operating concern
(TKB9D). SAP requires it complete and unique: every cost element that can reach CO-PA is in
exactly one line. `value_fields` maps amounts in CO's sign (+ debit, - credit) to value
fields: revenue elements (category 11) arrive with inverted sign, so revenue is positive in
its value field, costs stay positive. Each amount is rounded half up at the operating
concern currency's decimals before it is added (per line, as every posting here).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa.concern import Concern
from sapgw.erp_stub.copa.concern import value_fields as concern_fields
from sapgw.erp_stub.copa.customizing import TKB9A, TKB9D, TKB9G
from sapgw.erp_stub.copa.errors import CopaError
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import round_amount

REVENUE_CATEGORY = "11"                  # reaches CO-PA with inverted sign
NOT_TO_COPA = frozenset({"90"})          # statistical balance sheet elements: never settled


def structure(ctx: CallContext, ersch: str) -> Any:
    """TKB9A of the structure; KE 906 when it is not defined."""
    row = ctx.buffered(TKB9A).get(ersch)
    if row is None:
        raise CopaError("KE", "906", ersch, field="STRUCTURE")
    return row


def assignment(ctx: CallContext, ersch: str, kokrs: str, kstar: str) -> str:
    """The assignment line (ERZUO) holding the cost element: KE 907 none, KE 909 several."""
    lines = sorted({row.ERZUO for row in ctx.buffered(TKB9G).where(ERSCH=ersch, KOKRS=kokrs)
                    if row.VALMIN <= kstar <= (row.VALMAX or row.VALMIN)})
    if not lines:
        raise CopaError("KE", "907", kstar, ersch, kokrs, field="COST_ELEMENT")
    if len(lines) > 1:
        raise CopaError("KE", "909", kstar, ersch, "/".join(lines), field="COST_ELEMENT")
    return lines[0]


def value_fields(ctx: CallContext, concern: Concern, kokrs: str, ersch: str,
                 amounts: Iterable[tuple[str, Decimal]], on_date: str) -> dict[str, Decimal]:
    """The amounts (cost element, CO-sign amount) summed per value field, signs as CO-PA
    shows them. Raises CopaError for the first cost element that cannot be mapped."""
    structure(ctx, ersch)
    fields = concern_fields(ctx, concern.erkrs)
    values: dict[str, Decimal] = {}
    for kstar, amount in amounts:
        kstar = alpha(str(kstar), 10)
        element = co.cost_element(ctx, kokrs, kstar, on_date)
        if element is None:
            raise CopaError("KE", "908", kstar, kokrs, on_date, field="COST_ELEMENT")
        erzuo = assignment(ctx, ersch, kokrs, kstar)
        target = ctx.buffered(TKB9D).get(ersch, erzuo, concern.erkrs)
        if target is None or target.FIENM not in fields:
            raise CopaError("KE", "918", target.FIENM if target else "-", ersch, erzuo,
                            field="STRUCTURE")
        value = round_amount(Decimal(amount), concern.decimals)
        if element.KATYP == REVENUE_CATEGORY:
            value = -value
        values[target.FIENM] = values.get(target.FIENM, Decimal(0)) + value
    return values


def check_structure(ctx: CallContext, ersch: str, kokrs: str, on_date: str
                    ) -> list[CopaError]:
    """KEI1's check: every cost element of the area valid on the date (but statistical
    category 90) in exactly one assignment line. Answers every problem found."""
    try:
        structure(ctx, ersch)
    except CopaError as error:
        return [error]
    listed = ctx.call("BAPI_COSTELEM_GETLIST", CONTROLLINGAREA=kokrs, DATE=on_date)
    problems: list[CopaError] = []
    for element in listed["COSTELEMENTLIST"]:
        if element["CELEM_CATEGORY"] in NOT_TO_COPA:
            continue
        try:
            assignment(ctx, ersch, kokrs, element["COST_ELEM"])
        except CopaError as error:
            problems.append(error)
    return problems
