"""Plain-text tables for the CLI: the SMW01/SMQ1 lists a person reads in a terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def render(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
           empty: str = "(no entries)") -> str:
    """Rows as an aligned table; columns are (key, heading) pairs."""
    if not rows:
        return empty
    cells = [[_text(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(len(heading), *(len(c[i]) for c in cells))
              for i, (_, heading) in enumerate(columns)]
    lines = ["  ".join(h.ljust(w) for (_, h), w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip()
              for cell in cells]
    return "\n".join(lines)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)
