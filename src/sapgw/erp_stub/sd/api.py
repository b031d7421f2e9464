"""What other applications may use of SD: sales documents and their document flow, read,
and the simulation of a delivery with its goods issue (before the two BAPIs post them)."""

from sapgw.erp_stub.sd.documents import document_flow, sales_document, sales_items
from sapgw.erp_stub.sd.goods_issue import simulate as simulate_delivery

__all__ = ["document_flow", "sales_document", "sales_items", "simulate_delivery"]
