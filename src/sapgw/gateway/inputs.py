"""Input checked at the door: one sentence naming the field and what was expected.

Every surface (REST, CLI, monitor pages) checks what a person typed through these functions,
so a filter value that cannot match is an error listing the valid ones (never an empty list),
and keys are ALPHA-converted as SAP's screens do (`1` finds order `000000000001`).
`InvalidInput` is a `ValueError`: REST answers it 400 `{"error": "BAD_REQUEST", "message"}`,
the CLI exits 2 with the message, a page shows it in its error banner.
"""

from __future__ import annotations

from collections.abc import Iterable

from sapgw.bdoc.states import BDocState


class InvalidInput(ValueError):
    """A value a person gave that cannot work; the message says which field and what fits."""

    def __init__(self, field: str, value: object, expected: str) -> None:
        super().__init__(f"{field}: {value!r} is not valid; {expected}")
        self.field, self.value, self.expected = field, value, expected


def one_of(field: str, value: str, valid: Iterable[str]) -> str:
    """`value` (case-insensitive) if it is one of `valid`, else InvalidInput listing them."""
    choices = list(valid)
    upper = value.strip().upper()
    for choice in choices:
        if choice.upper() == upper:
            return choice
    raise InvalidInput(field, value, f"valid values: {', '.join(choices)}")


def states(field: str, value: str | None) -> str | None:
    """A comma-separated list of BDoc states (`E06` or `E04,E06`), each checked; None stays."""
    if value is None or not value.strip():
        return None
    valid = [s.value for s in BDocState]
    names = [s.strip() for s in value.split(",") if s.strip()]
    unknown = [s for s in names if s.upper() not in valid]
    if unknown:
        raise InvalidInput(field, ",".join(unknown), "BDoc states are " + ", ".join(valid))
    return ",".join(s.upper() for s in names)


def alpha(value: str, length: int) -> str:
    """SAP's ALPHA conversion exit on input: a purely numeric value gets its leading zeros
    up to the field's length (`1` -> `000000000001` for AUFNR); anything else is unchanged,
    upper case (CHAR keys are typed in upper case)."""
    stripped = value.strip()
    if stripped.isdigit() and len(stripped) <= length:
        return stripped.zfill(length)
    return stripped.upper()


def whole_number(field: str, value: str, low: int, high: int) -> int:
    """An integer from `low` to `high` (rows, limits), or InvalidInput saying so."""
    try:
        number = int(value.strip())
    except ValueError:
        raise InvalidInput(field, value, f"a whole number from {low} to {high}") from None
    if not low <= number <= high:
        raise InvalidInput(field, value, f"a whole number from {low} to {high}")
    return number
