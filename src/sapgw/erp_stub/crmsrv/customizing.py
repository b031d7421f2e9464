"""Reading the CRM Service controlling customizing (all buffered tables).

IAOM_CRMSRV_CTP and IAOM_CRMSRV_CSC are determined by transaction type and service
organisation: the entry of the service organisation wins over the generic one (blank), and of
those the one with the latest valid-from date on or before the document's date. The order
type rule is the BAdI IAOM_BUSINESS_SCENAR's method CHANGE_ORDER_TYPE: the implementation
named in CRMSRV_BADI, a Python callable `change_order_type(header, order_type) -> str`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Row

from sapgw.erp_stub.crmsrv.tables import (
    CRMC_CATS_CO,
    CRMSRV_BADI,
    CRMSRV_ITMCAT,
    CRMSRV_KALV,
    CRMSRV_TOOL,
    IAOM_CRMSRV_CSC,
    IAOM_CRMSRV_CTP,
)
from sapgw.erp_stub.kernel.context import CallContext

SINGLE_OBJECT, MASS_OBJECT = "01", "02"
TRANSACTION_LEVEL, ITEM_LEVEL = "0001", "0002"
LABOUR, TOOL, EXPENSE, PART, SALES = "LABOUR", "TOOL", "EXPENSE", "PART", "SALES"
KINDS = (LABOUR, TOOL, EXPENSE, PART, SALES)
DEFAULT_ORDER_TYPE = "SAPS"
ORDER_TYPE_BADI = "IAOM_BUSINESS_SCENAR"

OrderTypeRule = Callable[[Mapping[str, Any], str], str]


def controlling_type(ctx: CallContext, process_type: str, service_org: str, on: str
                     ) -> Row[Any] | None:
    """The IAOM_CRMSRV_CTP entry of a transaction type, or None."""
    return _determine(ctx.buffered(IAOM_CRMSRV_CTP).where(PROCESS_TYPE_CTP=process_type),
                      "SERVICE_ORG_CTP", service_org, on)


def controlling_scenario(ctx: CallContext, process_type: str, service_org: str, on: str
                         ) -> Row[Any] | None:
    """The IAOM_CRMSRV_CSC entry of a transaction type, or None."""
    return _determine(ctx.buffered(IAOM_CRMSRV_CSC).where(PROCESS_TYPE_CSC=process_type),
                      "SERVICE_ORG_CSC", service_org, on)


def _determine(rows: list[Row[Any]], org_field: str, service_org: str, on: str
               ) -> Row[Any] | None:
    valid = [row for row in rows if row.VALID_FROM <= on
             and getattr(row, org_field) in (service_org, "")]
    valid.sort(key=lambda row: (getattr(row, org_field) == service_org, row.VALID_FROM))
    return valid[-1] if valid else None


def item_category(ctx: CallContext, itm_type: str) -> Row[Any] | None:
    return ctx.buffered(CRMSRV_ITMCAT).get(itm_type)


def cats_derivation(ctx: CallContext, itm_type: str, service_type: str = "",
                    valuation_type: str = "") -> Row[Any] | None:
    """CRMC_CATS_CO: the most specific entry (service type, valuation type, then blank)."""
    table = ctx.buffered(CRMC_CATS_CO)
    for key in ((itm_type, service_type, valuation_type), (itm_type, service_type, ""),
                (itm_type, "", "")):
        row = table.get(*key)
        if row is not None:
            return row
    return None


def tool(ctx: CallContext, product_id: str) -> Row[Any] | None:
    return ctx.buffered(CRMSRV_TOOL).get(product_id)


def costing_variant(ctx: CallContext, klvar: str) -> Row[Any] | None:
    return ctx.buffered(CRMSRV_KALV).get(klvar)


def order_type_rule(ctx: CallContext) -> tuple[str, OrderTypeRule] | None:
    """The active implementation of CHANGE_ORDER_TYPE: (its name, the callable), or None.
    Raises ValueError when the configured name cannot be imported."""
    row = ctx.buffered(CRMSRV_BADI).get(ORDER_TYPE_BADI)
    if row is None or not row.CALLABLE:
        return None
    return row.CALLABLE, load_callable(row.CALLABLE)


def load_callable(path: str) -> OrderTypeRule:
    """"package.module:function" -> the function (ValueError when it is not there)."""
    module_name, _, name = path.partition(":")
    try:
        found = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ValueError(f"cannot load {path}: {exc}") from exc
    if not callable(found):
        raise ValueError(f"{path} is not callable")
    return found  # type: ignore[no-any-return]
