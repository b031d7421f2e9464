"""What other applications may use of settlement: generate an order's settlement rule from a
settlement profile and strategy sequence (CRM's controlling integration), and ask whether an
object has one."""

from sapgw.erp_stub.settlement.errors import SettlementError
from sapgw.erp_stub.settlement.rules import generate_rule, has_rule

__all__ = ["SettlementError", "generate_rule", "has_rule"]
