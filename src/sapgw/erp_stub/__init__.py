"""The ERP stub: a kernel (functions, LUW, number ranges, clock, table buffer) and its applications.

`sapgw.erp_stub` is the import path a `type = local` destination loads: `create_system`
builds an `ErpSystem` from settings, with the applications of `applications.APPLICATIONS`.
"""

from sapgw.erp_stub.applications import APPLICATIONS, create_system
from sapgw.erp_stub.kernel.system import ErpSystem

__all__ = ["APPLICATIONS", "ErpSystem", "create_system"]
