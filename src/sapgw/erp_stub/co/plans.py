"""Plan values of a CO object (value type 01): what a unit cost estimate or a planned
revenue puts on an internal order, read back by results analysis as C(p) and R(p).

SAP keeps plan line items in COEJ and their totals in COSP/COSS with WRTTP 01; here only the
totals are written (no plan line items), in the period of the plan date, through the same
upsert as actual postings. A plan posted again for the same object, year and version replaces
the earlier one (as re-costing an order replaces its unit cost estimate). Values follow CO's
sign convention: + cost (debit), − revenue (credit, cost element category 11/12).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sapgw.erp_stub.co import totals
from sapgw.erp_stub.co.master_data import controlling_area
from sapgw.erp_stub.co.totals_tables import COSP, COSS, PERIODS, value_field
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext

PLAN_VALUE_TYPE, PLAN_VERSION = "01", "000"
_ZERO = Decimal(0)


@dataclass(frozen=True)
class PlanLine:
    """One planned value: cost element, CO-signed amount in controlling area currency, and
    for planned activity inputs the sender (PAROB, e.g. the KL object) and quantity."""

    kstar: str
    amount: Decimal
    quantity: Decimal | None = None
    unit: str = ""
    parob: str = ""                   # partner object: written to COSS, else COSP
    uspob: str = ""
    vrgng: str = ""                   # blank: RKP2 with a partner, RKP5 revenue, else RKP1

    def business_transaction(self) -> str:
        """SAP's planning transactions: RKP1 primary costs, RKP2 activity inputs, RKP5
        revenues."""
        if self.vrgng:
            return self.vrgng
        return "RKP2" if self.parob else "RKP5" if self.amount < 0 else "RKP1"


def post_plan(ctx: CallContext, *, kokrs: str, objnr: str, lines: list[PlanLine],
              plan_date: str = "", version: str = PLAN_VERSION) -> None:
    """Replace the plan of `objnr` for the fiscal year of `plan_date` (default: today) by
    `lines`, in the caller's LUW. Raises KeyError for an unknown controlling area."""
    area = controlling_area(ctx, kokrs)
    if area is None:
        raise KeyError(f"controlling area {kokrs}")
    budat = plan_date or ctx.clock.today().strftime("%Y%m%d")
    year, period = fbas.fiscal_period(ctx, area.LMONA, budat)
    gjahr = f"{year:04d}"
    for table in (COSP, COSS):
        ctx.delete(table, key={"OBJNR": objnr, "GJAHR": gjahr, "WRTTP": PLAN_VALUE_TYPE,
                               "VERSN": version})
    rows = [{
        "LEDNR": "00", "OBJNR": objnr, "GJAHR": gjahr, "WRTTP": PLAN_VALUE_TYPE,
        "VERSN": version, "KSTAR": line.kstar, "VRGNG": line.business_transaction(),
        "BEKNZ": "S" if line.amount >= 0 else "H", "TWAER": area.WAERS,
        "PERIO": f"{period:03d}", "PAROB": line.parob, "USPOB": line.uspob,
        "WKGBTR": line.amount, "WOGBTR": line.amount, "WTGBTR": line.amount,
        "MEGBTR": line.quantity or _ZERO, "MEINH": line.unit,
    } for line in lines]
    totals.register(ctx, rows)


def plan_totals(ctx: CallContext, objnr: str, version: str = PLAN_VERSION
                ) -> dict[str, Decimal]:
    """{cost element: planned value in controlling area currency} over all years and periods
    of the object's committed plan (the overall plan RA compares actuals with)."""
    summed: dict[str, Decimal] = {}
    with ctx.read() as conn:
        for model in (COSP, COSS):
            table: Any = model.__table__  # type: ignore[attr-defined]
            query = select(table).where(table.c.OBJNR == objnr,
                                        table.c.WRTTP == PLAN_VALUE_TYPE,
                                        table.c.VERSN == version)
            for row in conn.execute(query).mappings():
                value = sum((row[value_field("WKG", p)] for p in PERIODS), _ZERO)
                summed[row["KSTAR"]] = summed.get(row["KSTAR"], _ZERO) + value
    return {kstar: value for kstar, value in summed.items() if value}
