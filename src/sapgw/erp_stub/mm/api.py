"""What other applications may use of MM: plants (with their company code), storage
locations and the material master (MARA, MARC) by ALPHA-converted material number, and a
material's standard price (MBEW) and stock (MARD), as committed."""

from sapgw.erp_stub.mm.control import Plant, plant, storage_location
from sapgw.erp_stub.mm.materials import in_plant, material, matnr, standard_price, stock

__all__ = ["Plant", "in_plant", "material", "matnr", "plant", "standard_price", "stock",
           "storage_location"]
