"""Failure injection: rules that make calls fail (or answer late) on purpose, marked as
injected wherever the failure shows (docs/FAULTS.md).

`Faults` and `UnknownFault` (the store, with its tables) load on first use: the CLI's parser
imports `faults.cli` for every command, and the store's tables cost `sapgw serve` 0.3 s
before it listened (issue 15)."""

from typing import Any

from sapgw.gateway.faults.rules import KINDS, FaultRule, FaultRuleError

__all__ = ["KINDS", "FaultRule", "FaultRuleError", "Faults", "UnknownFault"]


def __getattr__(name: str) -> Any:
    if name in ("Faults", "UnknownFault"):
        from sapgw.gateway.faults import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
