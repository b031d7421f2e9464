"""Money: Decimal amounts rounded half-up at their currency's decimals (TCURX-like).

Every amount FI posts goes through `round_amount`, so that a document balances on exactly the
values it stores. Customizing may add or override currencies in a `currencies` table
(`[currencies.XYZ] decimals = 3`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sapgw.erp_stub.kernel.customizing import Customizing

# Decimals of the currencies the stub knows without customizing (TCURC/TCURX).
CURRENCY_DECIMALS: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "DKK": 2, "SEK": 2, "NOK": 2, "PLN": 2,
    "CZK": 2, "CAD": 2, "AUD": 2, "CNY": 2, "INR": 2, "JPY": 0, "KRW": 0, "KWD": 3,
}


def currency_decimals(customizing: Customizing, currency: str) -> int | None:
    """The currency's number of decimals, or None if the currency is not defined."""
    entry = customizing.entry("currencies", currency)
    if entry is not None:
        return int(entry.get("decimals", 2))
    return CURRENCY_DECIMALS.get(currency)


def round_amount(amount: Decimal, decimals: int) -> Decimal:
    """Round half-up to `decimals` places (2.005 -> 2.01, -2.005 -> -2.01)."""
    return amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
