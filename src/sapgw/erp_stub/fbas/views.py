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

from sapgw.erp_stub.kernel.buffer import table_of
from sapgw.erp_stub.kernel.context import CallContext

Rows = Mapping[tuple[Any, ...], Any]


class View:
    def __init__(self, *models: Any) -> None:
        self.models = models
        self.names = tuple(table_of(model).name for model in models)
        self._state: tuple[tuple[Rows, ...], dict[Any, Any]] = ((), {})

    def get(self, ctx: CallContext, key: Any, build: Callable[..., Any]) -> Any:
        """The record for `key`, built once by `build(*rows of the models)`.

        The hot path asks the buffer directly for each table's loaded rows (a dictionary
        look-up per model, as the posting path calls this per line); only a table not yet
        loaded goes through `ctx.buffered`, which reads it."""
        loaded = ctx.system.buffer.loaded_named
        known, records = self._state
        if known:
            for name, rows in zip(self.names, known, strict=True):
                if loaded(name) is not rows:
                    break
            else:
                try:
                    return records[key]
                except KeyError:
                    record = records[key] = build(*known)
                    return record
        sources = tuple(ctx.buffered(model).rows() for model in self.models)
        records = {}
        self._state = (sources, records)
        record = records[key] = build(*sources)
        return record
