"""What other applications may use of MM: plants (with their company code) and storage
locations."""

from sapgw.erp_stub.mm.control import Plant, plant, storage_location

__all__ = ["Plant", "plant", "storage_location"]
