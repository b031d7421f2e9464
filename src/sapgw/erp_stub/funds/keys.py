"""The CRMFM business key: how a fund usage item is named in IAOM and in FI line items."""

from __future__ import annotations

SCENARIO = "CRMFM"  # IAOM business scenario of CRM Funds Management


def business_key(fu_id: str, item_id: str) -> str:
    """Fund usage ID with leading zeros (20 digits) / item ID without: 00000000000000001791/10."""
    return f"{fu_id.strip().zfill(20)}/{item_id.strip().lstrip('0') or '0'}"
