"""The demo implementation of BAdI IAOM_BUSINESS_SCENAR, method CHANGE_ORDER_TYPE (ours).

SAP creates the internal orders of CRM service documents with order type SAPS unless an
implementation of this BAdI derives another one from the CRM transaction type (seed 001,
"Internal Order type"). The demo's service contracts get order type ZSC1, with its own
number range; everything else keeps the type it was given. It is configured in CRMSRV_BADI
(crmsrv/demo.toml) and can be replaced there by any callable of the same signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CONTRACT_ORDER_TYPE = {"SC": "ZSC1"}


def change_order_type(header: Mapping[str, Any], order_type: str) -> str:
    """The order type of the controlling object of a document with this header."""
    return CONTRACT_ORDER_TYPE.get(str(header.get("PROCESS_TYPE", "")), order_type)
