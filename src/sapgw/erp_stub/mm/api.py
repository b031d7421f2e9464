"""What other applications may use of MM: plants (with their company code), storage
locations and the material master (MARA, MARC) by ALPHA-converted material number."""

from sapgw.erp_stub.mm.control import Plant, plant, storage_location
from sapgw.erp_stub.mm.materials import in_plant, material, matnr

__all__ = ["Plant", "in_plant", "material", "matnr", "plant", "storage_location"]
