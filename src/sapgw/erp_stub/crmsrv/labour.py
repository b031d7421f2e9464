"""Labour and expense items of a confirmation: they need the employee (CATS, HR master).

Not in this system yet: the CATS application (CATSDB, PA0001) is being built; until it is,
a confirmation with labour or expense items is refused with IAOM_CRMSRV 123 and posts
nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sapgw.erp_stub.crmsrv.returns import Messages
from sapgw.erp_stub.kernel.context import CallContext

if TYPE_CHECKING:
    from sapgw.erp_stub.crmsrv.confirmations import Confirmation

ITEMS = "IT_ITEMS"


def collect(ctx: CallContext, confirmation: Confirmation, row: int, item: dict[str, Any],
            aufnr: str, kind: str, text: str, messages: Messages) -> None:
    messages.error("IAOM_CRMSRV", "123", kind, item["NUMBER_INT"], parameter=ITEMS, row=row,
                   field="ITM_TYPE")


def post(ctx: CallContext, confirmation: Confirmation, messages: Messages
         ) -> list[dict[str, Any]]:
    """Nothing to post: no time sheet rows are collected without CATS."""
    return []
