"""Typed records derived from buffered tables, kept while the table buffer holds the same rows.

The posting path asks for the same company code and G/L accounts thousands of times a
second; building their records from the buffered rows each time cost more than the rest of
the look-up. A view keeps the records it built together with the identity of the row
dictionaries they came from; when the buffer drops and reloads one of those tables (a DDLOG
change, another ERP system in the same process), the identities differ and the view starts
again empty. The state is swapped in one assignment, so threads never see records of other
rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sapgw.erp_stub.kernel.context import CallContext

Rows = Mapping[tuple[Any, ...], Any]


class View:
    def __init__(self, *models: Any) -> None:
        self.models = models
        self._state: tuple[tuple[Rows, ...], dict[Any, Any]] = ((), {})

    def get(self, ctx: CallContext, key: Any, build: Callable[..., Any]) -> Any:
        """The record for `key`, built once by `build(*rows of the models)`."""
        sources = tuple(ctx.buffered(model).rows() for model in self.models)
        state = self._state
        known, records = state
        if len(known) != len(sources) or any(a is not b for a, b in zip(
                known, sources, strict=True)):
            records = {}
            self._state = (sources, records)
        try:
            return records[key]
        except KeyError:
            record = records[key] = build(*sources)
            return record
