"""What other applications may use of FI: accounting documents by key and by reference."""

from sapgw.erp_stub.fi.documents import document, find_by_awkey, find_by_reference, obj_key

__all__ = ["document", "find_by_awkey", "find_by_reference", "obj_key"]
