"""`FaultyConnection`: any destination's connection, with the rules applied to what passes.

`Destinations.connect` wraps every connection it opens in one (a record destination: the
connection it records, so the cassette writes the injected outcome down, marked), so calls
to the ERP from flows and queues (SMQ1), inbound RFC units (SMQ2), JSON RFC, SOAP and the
pyrfc client all see the rules. Without active rules a call costs a look at the rule
list (read at most every REFRESH_SECONDS) and runs at once.

Units keep the wrapped connection's batching (one transaction per batch) while no rule is
active; with rules active they go one by one, each under the rules.
`injected_units` names the units a fault touched (`sapgw.rfc.injected`).
"""

from __future__ import annotations

from typing import Any

from sapgw.gateway.faults.inject import Injector, Shape, Site, shape_from_description
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import RFCError
from sapgw.rfc.injected import injected_fault
from sapgw.rfc.message_line import t100_text
from sapgw.types import RfcCall

Units = list[tuple[str, list[RfcCall], str | None]]


class FaultyConnection(RfcConnection):
    def __init__(self, inner: RfcConnection, injector: Injector, destinations: tuple[str, ...],
                 timeout: float | None = None) -> None:
        self.inner = inner
        self.injector = injector
        self.site = Site(destinations, self._shape, self._text, timeout)
        self.injected_units: dict[str, str] = {}

    # -- metadata the effects need, asked of the destination itself --------------------------
    def _shape(self, function: str) -> Shape | None:
        try:
            return shape_from_description(self.inner.get_function_description(function))
        except (RFCError, KeyError, TypeError):  # e.g. a replayed system without metadata
            return None

    def _text(self, msg_class: str, number: str) -> str | None:
        return t100_text(self.inner, msg_class, number)

    # -- calls and units ---------------------------------------------------------------------
    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.injector.call(self.site, function, params,
                                  lambda: self.inner.call(function, **params))

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> str | None:
        self.injected_units = {}
        state, fault = self.injector.unit(self.site, tid, calls, queue,
                                          lambda: self.inner._submit(tid, calls, queue))
        if fault is not None:
            self.injected_units[tid] = fault
        return state  # type: ignore[no-any-return]

    def submit_units(self, units: Units) -> tuple[int, Exception | None]:
        self.injected_units = {}
        if not self.injector.faults.active():  # nothing can fire: the wrapped batch as is
            return self.inner.submit_units(units)
        for done, (tid, calls, queue) in enumerate(units):
            def run(unit: tuple[str, list[RfcCall], str | None] = (tid, calls, queue)
                    ) -> tuple[int, Exception | None]:
                return self.inner.submit_units([unit])

            try:
                (count, failure), fault = self.injector.unit(self.site, tid, calls, queue, run)
            except RFCError as exc:  # the rule's answer for this unit
                self.injected_units[tid] = injected_fault(exc) or ""
                return done, exc
            if fault is not None:  # slow: it ran late (a failure of its own is real)
                self.injected_units[tid] = fault
            if failure is not None or not count:
                return done, failure
        return len(units), None

    def _confirm(self, tid: str) -> None:
        self.inner.confirm_unit({"id": tid, "background": False, "queued": False})

    def close(self) -> None:
        if not self.closed:
            self.inner.close()
        super().close()
