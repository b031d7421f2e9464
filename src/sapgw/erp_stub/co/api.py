"""What other applications may use of CO: internal orders and CO line items."""

from sapgw.erp_stub.co.orders import create_order, order
from sapgw.erp_stub.co.postings import CoLine, CoReference, post_line_items

__all__ = ["CoLine", "CoReference", "create_order", "order", "post_line_items"]
