"""The exception settlement raises to its api callers, in SAP's message terms (class KD)."""

from __future__ import annotations

from sapgw.erp_stub.co import api as co


class SettlementError(co.ControllingError):
    """A settlement rule or run refused: message class, number, variables, field at fault."""
