"""CO totals in SAP's shape: COSP (external postings) and COSS (internal postings).

One row per object, fiscal year, value type, version, cost element, origin, business
transaction, debit/credit indicator, transaction currency and period block (PERBL) — COSS
adds the partner object (PAROB) and the origin object (USPOB), COSP the trading partner and
partner business area — with the values of the periods side by side: WTG001..WTG016
(transaction currency), WOG001..WOG016 (object currency), WKG001..WKG016 (controlling area
currency) and MEG001..MEG016 (quantity, unit MEINH). reference/controlling.md §2.5.

The period columns are generated (64 per table, as SAP's DDIC has them) rather than typed
out. PERBL is always `016` here: one block of 16 periods (12 + 4 special periods), which is
the only block SAP's standard fiscal year variants need; SAP's value for it is not sourced.
"""

from __future__ import annotations

import types
from decimal import Decimal
from typing import Any

from sapgw.erp_stub.kernel.tables import ErpTable, char, curr, numc, quan

PERIODS = range(1, 17)
PERIOD_BLOCK = "016"
# Value field prefixes: transaction, object, controlling area currency; quantity.
AMOUNT_PREFIXES = ("WTG", "WOG", "WKG")
QUANTITY_PREFIX = "MEG"
VALUE_PREFIXES = (*AMOUNT_PREFIXES, QUANTITY_PREFIX)

# Key fields after the client (MANDT is not emulated), in SAP's order.
COSP_KEY = ("LEDNR", "OBJNR", "GJAHR", "WRTTP", "VERSN", "KSTAR", "HRKFT", "VRGNG", "VBUND",
            "PARGB", "BEKNZ", "TWAER", "PERBL")
COSS_KEY = ("LEDNR", "OBJNR", "GJAHR", "WRTTP", "VERSN", "KSTAR", "HRKFT", "VRGNG", "PAROB",
            "USPOB", "BEKNZ", "TWAER", "PERBL")

_KEY_FIELDS: dict[str, Any] = {
    "LEDNR": lambda: char(2, key=True), "OBJNR": lambda: char(22, key=True),
    "GJAHR": lambda: numc(4, key=True), "WRTTP": lambda: char(2, key=True),
    "VERSN": lambda: char(3, key=True), "KSTAR": lambda: char(10, key=True),
    "HRKFT": lambda: char(14, key=True), "VRGNG": lambda: char(4, key=True),
    "VBUND": lambda: char(6, key=True), "PARGB": lambda: char(4, key=True),
    "PAROB": lambda: char(22, key=True), "USPOB": lambda: char(22, key=True),
    "BEKNZ": lambda: char(1, key=True), "TWAER": lambda: char(5, key=True),
    "PERBL": lambda: numc(3, key=True),
}


def value_field(prefix: str, period: int) -> str:
    """The column of a period: value_field('WKG', 11) -> 'WKG011'."""
    return f"{prefix}{period:03d}"


VALUE_FIELDS = tuple(value_field(prefix, period) for prefix in VALUE_PREFIXES
                     for period in PERIODS)


def _totals_table(name: str, key: tuple[str, ...], doc: str) -> type[ErpTable]:
    """An ErpTable class with the key fields, the 64 period value fields and MEINH."""
    def body(namespace: dict[str, Any]) -> None:
        annotations: dict[str, Any] = {}
        for field in key:
            namespace[field], annotations[field] = _KEY_FIELDS[field](), str
        for field in VALUE_FIELDS:
            namespace[field] = quan(15, 3) if field.startswith(QUANTITY_PREFIX) else curr(15, 2)
            annotations[field] = Decimal
        namespace["MEINH"], annotations["MEINH"] = char(3), str
        namespace.update(__tablename__=name, __doc__=doc, __module__=__name__,
                         __qualname__=name, __annotations__=annotations)

    return types.new_class(name, (ErpTable,), {"table": True}, body)


COSP = _totals_table("COSP", COSP_KEY, "CO object: cost totals for external postings.")
COSS = _totals_table("COSS", COSS_KEY, "CO object: cost totals for internal postings.")
