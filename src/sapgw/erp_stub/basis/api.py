"""What other applications may use of basis: the ALE inbound interface of IDOC_INPUT_*
functions (segments in, messages and status out) and units of measure (T006)."""

from sapgw.erp_stub.basis.ale import InSegment, Messages, inbound_interface, run_inbound
from sapgw.erp_stub.basis.units import Unit, unit, unit_by_iso

__all__ = ["InSegment", "Messages", "Unit", "inbound_interface", "run_inbound", "unit",
           "unit_by_iso"]
