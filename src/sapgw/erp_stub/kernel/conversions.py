"""Conversion exits every application uses (ALPHA), in the kernel so that no application
imports another for them."""

from __future__ import annotations


def alpha(value: str, width: int) -> str:
    """Conversion exit ALPHA: numeric keys get leading zeros, others stay as they are."""
    return value.zfill(width) if value.isdigit() else value
