"""The ERP stub: a kernel (functions, LUW, number ranges, clock, customizing) and its applications.

`sapgw.erp_stub` is the import path a `type = local` destination loads: `create_system`
builds an `ErpSystem` from settings.
"""

from sapgw.erp_stub.kernel.system import ErpSystem, create_system

__all__ = ["ErpSystem", "create_system"]
