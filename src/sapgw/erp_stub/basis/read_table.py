"""(being written)"""

from sapgw.erp_stub.kernel.registry import FunctionGroup

group = FunctionGroup("BASIS")
