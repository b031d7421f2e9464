"""CO-PA: costing-based profitability analysis (operating concern S001)."""
