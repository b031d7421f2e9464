"""Failure injection: rules that make calls fail (or answer late) on purpose, marked as
injected wherever the failure shows (docs/FAULTS.md)."""

from sapgw.gateway.faults.rules import KINDS, FaultRule, FaultRuleError
from sapgw.gateway.faults.store import Faults, UnknownFault

__all__ = ["KINDS", "FaultRule", "FaultRuleError", "Faults", "UnknownFault"]
