"""What other applications may use of MM: plants (with their company code), storage
locations and the material master (MARA, MARC) by ALPHA-converted material number, a
material's standard price (MBEW) and stock (MARD), as committed, and the posting of a goods
movement by another application's transaction (the delivery's goods issue, 601 by VL02N)."""

from sapgw.erp_stub.mm.control import Plant, plant, storage_location, storage_locations
from sapgw.erp_stub.mm.goods_movements import post_for_transaction
from sapgw.erp_stub.mm.materials import in_plant, material, matnr, standard_price, stock

__all__ = ["Plant", "in_plant", "material", "matnr", "plant", "post_for_transaction",
           "standard_price", "stock", "storage_location", "storage_locations"]
