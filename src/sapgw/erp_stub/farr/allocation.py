"""Step 4 of IFRS 15 as RAR does it: the transaction price of a contract allocated to its
performance obligations in proportion to their standalone selling prices.

    TP       = sum of the contractual prices of the POBs taking part
    ALLOC_i  = TP x SSP_i / sum_j SSP_j, rounded half up at the currency's decimals
    EFFECT_i = ALLOC_i - TRX_PRICE_i   (the effects sum to zero per contract)

Rounding residue (ours, SAP does not publish its rule): TP minus the sum of the rounded
allocations goes to the POB with the largest unrounded allocation, the last one on ties,
so that the allocations add up to TP exactly. A POB flagged PREVENT_ALLOC (ours: every POB
whose quantity RAR estimates, i.e. variable usage) keeps its own price; a POB without an
SSP condition takes its contractual price as SSP (ours). When no SSP is positive, every POB
keeps its price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sapgw.erp_stub.kernel.money import round_amount


@dataclass(frozen=True)
class Line:
    key: str
    price: Decimal
    ssp: Decimal
    prevent: bool = False


def allocate(lines: list[Line], decimals: int = 2) -> dict[str, Decimal]:
    """The allocated amount of every line, by key."""
    taking_part = [line for line in lines if not line.prevent]
    result = {line.key: line.price for line in lines}
    total_ssp = sum((line.ssp for line in taking_part), Decimal(0))
    if not taking_part or total_ssp <= 0:
        return result
    price = sum((line.price for line in taking_part), Decimal(0))
    exact = {line.key: price * line.ssp / total_ssp for line in taking_part}
    rounded = {key: round_amount(value, decimals) for key, value in exact.items()}
    residue = price - sum(rounded.values(), Decimal(0))
    if residue:
        largest = max(exact.values())
        target = [key for key, value in exact.items() if value == largest][-1]
        rounded[target] += residue
    result.update(rounded)
    return result


def effects(lines: list[Line], allocated: dict[str, Decimal]) -> dict[str, Decimal]:
    """Allocation effect per line: allocated minus contractual price."""
    return {line.key: allocated[line.key] - line.price for line in lines}
