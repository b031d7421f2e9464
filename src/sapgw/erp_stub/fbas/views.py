"""Typed records derived from buffered tables, kept while the table buffer holds the same rows.

The posting path asks for the same company code and G/L accounts thousands of times a
second; building their records from the buffered rows each time cost more than the rest of
the look-up. A view keeps the records it built together with the buffer and the buffer's
generation they came from; when the buffer loads or drops a table (a DDLOG change), or
another ERP system's buffer asks (several systems in one process), the view starts again
empty. The generation is read before the rows, so a change while the view is built makes
the next call build again. The state is swapped in one assignment, so threads never see
records of other rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sapgw.erp_stub.kernel.context import CallContext

Rows = Mapping[tuple[Any, ...], Any]


class View:
    def __init__(self, *models: Any) -> None:
        self.models = models
        # (buffer, its generation, the models' rows, the records built from them)
        self._state: tuple[Any, int, tuple[Rows, ...], dict[Any, Any]] = (None, -1, (), {})

    def get(self, ctx: CallContext, key: Any, build: Callable[..., Any]) -> Any:
        """The record for `key`, built once by `build(*rows of the models)`.

        The hot path compares the buffer and its generation (the posting path calls this
        several times per document); only after a change are the tables read again
        (`ctx.buffered`, which loads a table not yet held)."""
        buffer = ctx.system.buffer
        held, generation, sources, records = self._state
        if held is buffer and generation == buffer.generation:
            try:
                return records[key]
            except KeyError:
                record = records[key] = build(*sources)
                return record
        generation = buffer.generation
        sources = tuple(ctx.buffered(model).rows() for model in self.models)
        records = {}
        self._state = (buffer, generation, sources, records)
        record = records[key] = build(*sources)
        return record
