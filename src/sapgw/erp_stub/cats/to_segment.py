"""CAT7 for a record whose receiver is a profitability segment (CATSDB-PAOBJNR).

SAP's activity allocation (BAPI_ACC_ACTIVITY_ALLOC_POST with CO-PA characteristics) credits
the sender cost center/activity type and debits the segment. In costing-based CO-PA the
segment is no CO object: CO-PA's `post_to_segments` (the one path of costs from CO to a
segment, CRM Service's mass-object controlling takes it too) registers the CO document
(VRGNG RKL, reference AWTYP CATS / AWKEY the record's COUNTER) with the sender's credit
only, partner object EO<PAOBJNR>, and the debit as a CE1S001 line item of record type B.
Quantity x planned price of the work date's period / price unit, rounded half up at
the controlling area currency's decimals, posted on the work date - as for an order. The
checks are CO's (sender, activity type, its allocation cost element of category 43 as the
allocation BAPI checks it: KL 903, price, open period) and CO-PA's (segment, KEI2
assignment); with any of them failing nothing is registered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sapgw.erp_stub.co import api as co
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount

ALLOCATION = "RKL"


def allocate(ctx: CallContext, record: dict[str, Any], testrun: bool, username: str
             ) -> tuple[str, list[dict[str, Any]]]:
    """Check and (unless `testrun`) register the record's allocation to its segment in the
    caller's LUW; (CO document number, errors)."""
    kokrs, kostl, lstar = record["KOKRS"], record["SKOSTL"], record["LSTAR"]
    budat, paobjnr = record["WORKDATE"], record["PAOBJNR"]
    problems: list[dict[str, Any]] = []

    def error(msg_class: str, number: str, *variables: Any) -> None:
        problems.append(bapiret2("E", msg_class, number, *variables,
                                 system=ctx.logical_system))

    area = co.controlling_area(ctx, kokrs)
    center = co.cost_center(ctx, kokrs, kostl, budat)
    csla = co.activity_type(ctx, kokrs, lstar, budat)
    if area is None or center is None:
        error("KI", "100", kostl, kokrs)
    if csla is None:
        error("KL", "906", lstar, kokrs, budat)
    if area is None or center is None or csla is None:
        return "", problems
    if co.allocation_element(ctx, kokrs, csla, budat) is None:
        error("KL", "903", csla.VKSTA or lstar, kokrs, budat)
    year, period = fbas.fiscal_period(ctx, area.LMONA, budat)
    price = co.activity_price(ctx, kokrs, kostl, lstar, f"{year:04d}", period)
    if price is None:
        error("KI", "901", kostl, lstar, f"{year:04d}", f"{period:03d}")
    if (closed := co.closed_period(ctx, center.BUKRS, budat)) is not None:
        error("F5", "201", f"{closed[1]:03d}", closed[0])
    try:
        copa.check_direct(ctx, kokrs=kokrs, paobjnr=paobjnr, kstar=csla.VKSTA, budat=budat)
    except copa.CopaError as refused:
        problems.append(refused.bapiret2(system=ctx.logical_system))
    if problems or price is None or testrun:
        return "", problems
    decimals = currency_decimals(ctx, area.WAERS)
    hours = Decimal(record["CATSHOURS"])
    value = round_amount(price.value(hours), 2 if decimals is None else decimals)
    belnr, _ = copa.post_to_segments(
        ctx, kokrs=kokrs, budat=budat, vrgng=ALLOCATION, usnam=username,
        reference=co.CoReference("K", awtyp="CATS", awkey=record["COUNTER"]),
        text=f"CATS document {record['BELNR']}",
        lines=[copa.SegmentLine(co.kl_object(kokrs, kostl, lstar), csla.VKSTA, value,
                                paobjnr, center.BUKRS, quantity=hours, unit=record["MEINH"],
                                text=f"CATS {record['COUNTER']}")])
    return belnr, []
