"""Money: currencies (TCURC/TCURX) and Decimal amounts rounded half-up at their decimals.

Every amount FI posts goes through `round_amount`, so that a document balances on exactly the
values it stores. The kernel owns the currency tables because every application needs them;
the data set's `[currencies.XYZ] decimals = 3` adds or overrides a currency.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.kernel.tables import ErpTable, char, int4

if TYPE_CHECKING:
    from sapgw.erp_stub.kernel.context import CallContext

# Currencies every system knows (TCURC), with their decimals where not 2 (TCURX).
CURRENCY_DECIMALS: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "DKK": 2, "SEK": 2, "NOK": 2, "PLN": 2,
    "CZK": 2, "CAD": 2, "AUD": 2, "CNY": 2, "INR": 2, "JPY": 0, "KRW": 0, "KWD": 3,
}


class TCURC(ErpTable, table=True):
    """Currency codes."""

    __tablename__ = "TCURC"
    WAERS: str = char(5, key=True)
    ISOCD: str = char(3)


class TCURX(ErpTable, table=True):
    """Decimal places of currencies: only those that do not have 2 (SAP's rule)."""

    __tablename__ = "TCURX"
    CURRKEY: str = char(5, key=True)
    CURRDEC: int = int4()


def currency_rows(data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """TCURC and TCURX rows of the built-in currencies and the data set's `currencies`."""
    decimals = dict(CURRENCY_DECIMALS)
    decimals.update({code: int(spec.get("decimals", 2)) for code, spec in data.items()})
    return ([{"WAERS": code, "ISOCD": code[:3]} for code in decimals],
            [{"CURRKEY": code, "CURRDEC": places} for code, places in decimals.items()
             if places != 2])


def currency_decimals(ctx: CallContext, currency: str) -> int | None:
    """The currency's number of decimals, or None if the currency is not defined."""
    if ctx.buffered(TCURC).get(currency) is None:
        return None
    exception = ctx.buffered(TCURX).get(currency)
    return 2 if exception is None else int(exception.CURRDEC)


def round_amount(amount: Decimal, decimals: int) -> Decimal:
    """Round half-up to `decimals` places (2.005 -> 2.01, -2.005 -> -2.01)."""
    return amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
