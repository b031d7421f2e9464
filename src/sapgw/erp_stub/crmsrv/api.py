"""What other applications may use of the CRM Service integration: the controlling object
and sales document a CRM service document got, and the IAOM business scenario's name."""

from sapgw.erp_stub.crmsrv.documents import SCENARIO, business_key
from sapgw.erp_stub.crmsrv.log import document

__all__ = ["SCENARIO", "business_key", "document"]
