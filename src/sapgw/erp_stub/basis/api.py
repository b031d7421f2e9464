"""What other applications may use of basis: the ALE inbound interface of IDOC_INPUT_*
functions (segments in, messages and status out)."""

from sapgw.erp_stub.basis.ale import InSegment, Messages, inbound_interface, run_inbound

__all__ = ["InSegment", "Messages", "inbound_interface", "run_inbound"]
