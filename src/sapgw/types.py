"""The shapes everything passes around: RFC calls, LUWs, identifiers.

Kept tiny on purpose; the gateway, the adapters and the ERP stub compose through these.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

Params = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RfcCall:
    """One function module call: its name and its parameters (pyrfc's `call(name, **params)`)."""

    function: str
    params: Params = field(default_factory=dict)

    def to_json(self) -> list[Any]:
        return [self.function, self.params]

    @classmethod
    def from_json(cls, raw: list[Any]) -> RfcCall:
        function, params = raw
        return cls(str(function), dict(params))


def new_bdoc_id() -> str:
    """A BDoc message id: a GUID as 32 upper-case hex characters (SMW3_BDOC-BDOC_ID)."""
    return uuid.uuid4().hex.upper()


def new_tid() -> str:
    """A tRFC transaction id: 24 upper-case hex characters, as RfcGetTransactionID gives."""
    return uuid.uuid4().hex[:24].upper()


def is_tid(value: object) -> bool:
    """24 ASCII letters or digits (a TID travels in HTTP headers and URL paths)."""
    return isinstance(value, str) and len(value) == 24 and value.isascii() and value.isalnum()
