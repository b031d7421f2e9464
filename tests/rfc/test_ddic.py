"""DDIC conversion of packed numbers: exact decimals, and every refusal a conversion failure
naming the field (never a bare decimal error)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapgw.rfc.ddic import CURR, DEC
from sapgw.rfc.errors import RFCLibError


def test_a_packed_number_keeps_its_decimals() -> None:
    assert CURR(23, 2).convert("1234.5", "AMT_DOCCUR") == Decimal("1234.50")
    assert DEC(31, 0).convert("9" * 31, "BIG") == Decimal("9" * 31)


@pytest.mark.parametrize(("value", "reason"), [
    ("1" * 30, "has more than 23 digits"),        # beyond the default context's precision
    ("1e80", "has more than 23 digits"),          # beyond any context's: no InvalidOperation
    (1e300, "has more than 23 digits"),           # a JSON float as large
    ("1" * 40 + ".125", "has more than 2 decimal places"),
    ("0.001", "has more than 2 decimal places"),
    ("abc", "a decimal value is required"),
])
def test_a_bad_packed_number_is_a_conversion_failure(value: object, reason: str) -> None:
    with pytest.raises(RFCLibError) as refused:
        CURR(23, 2).convert(value, "ACCOUNTGL[1]-AMT_DOCCUR")
    assert refused.value.key == "RFC_CONVERSION_FAILURE"
    assert "ACCOUNTGL[1]-AMT_DOCCUR" in refused.value.message and reason in refused.value.message
