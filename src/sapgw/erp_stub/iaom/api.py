"""What other applications may use of IAOM: account assignment objects by business key, and
the controlling scenario of a business scenario (read and maintained)."""

from sapgw.erp_stub.iaom.assignments import lookup, register
from sapgw.erp_stub.iaom.scenarios import (
    EXISTING_OBJECT,
    SINGLE_OBJECT,
    Controlling,
    Rule,
    determine,
    rules,
    set_rules,
    set_scenario,
)

__all__ = ["EXISTING_OBJECT", "SINGLE_OBJECT", "Controlling", "Rule", "determine", "lookup",
           "register", "rules", "set_rules", "set_scenario"]
