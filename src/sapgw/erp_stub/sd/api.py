"""What other applications may use of SD: sales documents and their document flow, read."""

from sapgw.erp_stub.sd.documents import document_flow, sales_document, sales_items

__all__ = ["document_flow", "sales_document", "sales_items"]
