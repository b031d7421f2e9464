"""One injectable clock for the gateway and the ERP, so date-dependent results are reproducible."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta


class Clock:
    """Wall-clock time, optionally shifted or frozen (`sapgw erp clock set 2026-12-31`)."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen_at = frozen_at
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """The current time in UTC, timezone-aware."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return datetime.now(UTC) + self._offset

    def today(self) -> date:
        return self.now().date()

    def set(self, moment: datetime | date) -> None:
        """Move the clock to `moment`; it keeps running from there unless frozen."""
        if not isinstance(moment, datetime):
            moment = datetime(moment.year, moment.month, moment.day, 12, 0, tzinfo=UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = moment
            else:
                self._offset = moment - datetime.now(UTC)

    def freeze(self) -> None:
        now = self.now()
        with self._lock:
            self._frozen_at = now

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None
