"""Results analysis data in COSB (totals, WRTTP 32) and COEPB (line items of a run).

COSB holds per period the change of each RA value; the cumulative value through a period is
the sum over the earlier years and the periods up to it. A run for a period replaces that
period: its columns of the object's rows are set to the new change (rows the new result no
longer has get 0) and its earlier COEPB lines are deleted, so running KKA2 twice leaves one
result. Both are update tasks of the caller's LUW.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.ra.tables import AMOUNT_PREFIXES, COEPB, COSB, PERIODS, period_field

RA_VALUE_TYPE, LEDGER, PERIOD_BLOCK, RA_TRANSACTION = "32", "00", "016", "KABG"
Values = dict[tuple[str, str], Decimal]          # (ABKAT, KSTAR) -> value
Lines = list[tuple[tuple[str, str], Decimal]]   # ((ABKAT, KSTAR), value) in order
ZERO = Decimal(0)
_COSB = COSB.__table__  # type: ignore[attr-defined]
_COEPB = COEPB.__table__  # type: ignore[attr-defined]


def cumulative(ctx: CallContext, objnr: str, versn: str, gjahr: int, period: int,
               table: Any = _COSB) -> Values:
    """The cumulative values through the period (all earlier years, periods 1..period)."""
    query = select(table).where(table.c.OBJNR == objnr, table.c.VERSN == versn,
                                table.c.WRTTP == RA_VALUE_TYPE,
                                table.c.GJAHR <= f"{gjahr:04d}")
    summed: Values = {}
    with ctx.read() as conn:
        for row in conn.execute(query).mappings():
            last = period if int(row["GJAHR"]) == gjahr else max(PERIODS)
            value = sum((row[period_field("WKG", p)] or ZERO for p in range(1, last + 1)), ZERO)
            key = (row["ABKAT"], row["KSTAR"])
            summed[key] = summed.get(key, ZERO) + value
    return {key: value for key, value in summed.items() if value}


@dataclass(frozen=True)
class _Period:
    """One object's RA data of one period in one version: what COSB and COEPB rows share."""

    kokrs: str
    objnr: str
    versn: str
    year: str
    perio: str
    currency: str
    usnam: str
    cpudt: str

    @property
    def columns(self) -> list[str]:
        """COSB's amount columns of the period."""
        return [period_field(prefix, int(self.perio)) for prefix in AMOUNT_PREFIXES]

    def zero_totals(self, conn: Connection) -> None:
        """The period's COSB columns of every row of the object back to 0."""
        conn.execute(update(_COSB).where(_COSB.c.OBJNR == self.objnr,
                                         _COSB.c.GJAHR == self.year,
                                         _COSB.c.VERSN == self.versn)
                     .values(dict.fromkeys(self.columns, ZERO)))

    def set_total(self, conn: Connection, abkat: str, kstar: str, value: Decimal) -> None:
        """The period's COSB columns of the category's row set to `value` (a new row with
        the other periods 0 when there is none)."""
        key = {"LEDNR": LEDGER, "OBJNR": self.objnr, "GJAHR": self.year,
               "WRTTP": RA_VALUE_TYPE, "VERSN": self.versn, "ABKAT": abkat, "KSTAR": kstar,
               "HRKFT": "", "VRGNG": RA_TRANSACTION, "PAROB": "", "BEKNZ": "S", "AWKUS": "",
               "TWAER": self.currency, "PERBL": PERIOD_BLOCK}
        done = conn.execute(update(_COSB).where(*(_COSB.c[k] == v for k, v in key.items()))
                            .values(dict.fromkeys(self.columns, value)))
        if not done.rowcount:
            empty = {period_field(prefix, p): ZERO for prefix in AMOUNT_PREFIXES
                     for p in PERIODS}
            conn.execute(insert(_COSB).values(
                {**key, **empty, **dict.fromkeys(self.columns, value)}))

    def insert_lines(self, conn: Connection, belnr: str, lines: Lines) -> None:
        """The RA document's COEPB lines, one per category."""
        if not lines:
            return
        conn.execute(insert(_COEPB), [{
            "KOKRS": self.kokrs, "BELNR": belnr, "BUZEI": f"{number:03d}",
            "GJAHR": self.year, "PERIO": self.perio, "OBJNR": self.objnr,
            "WRTTP": RA_VALUE_TYPE, "VERSN": self.versn, "ABKAT": abkat, "KSTAR": kstar,
            "VRGNG": RA_TRANSACTION, "BEKNZ": "S" if value >= 0 else "H", "WKGBTR": value,
            "WTGBTR": value, "TWAER": self.currency, "CPUDT": self.cpudt,
            "USNAM": self.usnam,
        } for number, ((abkat, kstar), value) in enumerate(lines, start=1)])


def _period(ctx: CallContext, kokrs: str, objnr: str, versn: str, gjahr: int, period: int,
            currency: str, usnam: str) -> _Period:
    return _Period(kokrs, objnr, versn, f"{gjahr:04d}", f"{period:03d}", currency, usnam,
                   ctx.clock.now().strftime("%Y%m%d"))


def replace_period(ctx: CallContext, *, kokrs: str, objnr: str, versn: str, gjahr: int,
                   period: int, changes: Values, currency: str, usnam: str) -> None:
    """Write the period's changes (COSB columns, COEPB lines) replacing an earlier run's."""
    target = _period(ctx, kokrs, objnr, versn, gjahr, period, currency, usnam)
    lines = [(key, value) for key, value in sorted(changes.items()) if value]
    belnr = ctx.numbers.next("RA_BELEG", kokrs, "01") if lines else ""

    def run(conn: Connection) -> None:
        target.zero_totals(conn)
        conn.execute(delete(_COEPB).where(
            _COEPB.c.OBJNR == objnr, _COEPB.c.GJAHR == target.year,
            _COEPB.c.PERIO == target.perio, _COEPB.c.VERSN == versn))
        for (abkat, kstar), value in lines:
            target.set_total(conn, abkat, kstar, value)
        target.insert_lines(conn, belnr, lines)

    ctx.task(run)


def later_period(ctx: CallContext, objnr: str, versn: str, gjahr: int, period: int
                 ) -> tuple[int, int] | None:
    """The last (year, period) after the given one in which the object has RA data."""
    query = select(_COSB).where(_COSB.c.OBJNR == objnr, _COSB.c.VERSN == versn,
                                _COSB.c.WRTTP == RA_VALUE_TYPE,
                                _COSB.c.GJAHR >= f"{gjahr:04d}")
    found: list[tuple[int, int]] = []
    with ctx.read() as conn:
        for row in conn.execute(query).mappings():
            year = int(row["GJAHR"])
            found += [(year, p) for p in PERIODS
                      if (year, p) > (gjahr, period) and row[period_field("WKG", p)]]
    return max(found) if found else None


def cancel_period(ctx: CallContext, *, kokrs: str, objnr: str, versn: str, gjahr: int,
                  period: int, changes: Values, currency: str, usnam: str) -> str:
    """Cancel the period's result (KKA2 cancel): its COSB columns back to 0, so the
    cumulative values are the previous period's again, and its line items reversed by
    COEPB lines of opposite sign under a new RA document number (returned). A later run
    for the period replaces both (`replace_period`)."""
    target = _period(ctx, kokrs, objnr, versn, gjahr, period, currency, usnam)
    lines = [(key, -value) for key, value in sorted(changes.items()) if value]
    belnr = ctx.numbers.next("RA_BELEG", kokrs, "01")

    def run(conn: Connection) -> None:
        target.zero_totals(conn)
        target.insert_lines(conn, belnr, lines)

    ctx.task(run)
    return belnr
