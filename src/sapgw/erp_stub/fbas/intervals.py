"""The period intervals of a T001B row as plain values: is a period open, open or close one.

A T001B row holds at most two intervals of (fiscal year, period); a period is open when it
lies in either. Closing a period in the middle of an interval splits it in two; opening one
next to an interval extends it. What cannot be said with two intervals is refused, as OB52
cannot store it either. Periods run 1..`last` (posting periods plus special periods).
"""

from __future__ import annotations

from dataclasses import dataclass

Period = tuple[int, int]          # (fiscal year, period)
Interval = tuple[Period, Period]  # first and last open period, both included


class IntervalError(ValueError):
    """The open periods after the change do not fit T001B's two intervals."""


@dataclass(frozen=True)
class OpenPeriods:
    intervals: tuple[Interval, ...]
    last: int = 16

    @classmethod
    def of_row(cls, row: object, last: int = 16) -> OpenPeriods:
        """The intervals of a T001B row (an interval with year 0000 is empty)."""
        intervals = []
        for n in ("1", "2"):
            low = (int(getattr(row, "FRYE" + n)), int(getattr(row, "FRPE" + n)))
            high = (int(getattr(row, "TOYE" + n)), int(getattr(row, "TOPE" + n)))
            if low[0] and high[0] and low <= high:
                intervals.append((low, high))
        return cls(tuple(intervals), last)

    def is_open(self, year: int, period: int) -> bool:
        return any(low <= (year, period) <= high for low, high in self.intervals)

    def close(self, year: int, period: int) -> OpenPeriods:
        """Without (year, period); unchanged if it was not open."""
        target = (year, period)
        result: list[Interval] = []
        for low, high in self.intervals:
            if not low <= target <= high:
                result.append((low, high))
                continue
            if low < target:
                result.append((low, self._before(target)))
            if target < high:
                result.append((self._after(target), high))
        return self._fitted(result)

    def open(self, year: int, period: int) -> OpenPeriods:
        """With (year, period) open; next to an interval it extends (and may join) it."""
        target = (year, period)
        if self.is_open(year, period):
            return self
        result = [*self.intervals, (target, target)]
        return self._fitted(result)

    def _fitted(self, intervals: list[Interval]) -> OpenPeriods:
        merged: list[Interval] = []
        for low, high in sorted(intervals):
            if merged and low <= self._after(merged[-1][1]):
                merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
            else:
                merged.append((low, high))
        if len(merged) > 2:
            raise IntervalError(", ".join(f"{a[0]}/{a[1]:03d}-{b[0]}/{b[1]:03d}"
                                          for a, b in merged))
        return OpenPeriods(tuple(merged), self.last)

    def _before(self, period: Period) -> Period:
        year, number = period
        return (year, number - 1) if number > 1 else (year - 1, self.last)

    def _after(self, period: Period) -> Period:
        year, number = period
        return (year, number + 1) if number < self.last else (year + 1, 1)

    def fields(self) -> dict[str, str]:
        """FRYE1..TOPE2 of a T001B row (an unused interval is all zeros)."""
        values: dict[str, str] = {}
        for n, interval in enumerate((*self.intervals, None, None)[:2], start=1):
            (fy, fp), (ty, tp) = interval or ((0, 0), (0, 0))
            values.update({f"FRYE{n}": f"{fy:04d}", f"FRPE{n}": f"{fp:03d}",
                           f"TOYE{n}": f"{ty:04d}", f"TOPE{n}": f"{tp:03d}"})
        return values
