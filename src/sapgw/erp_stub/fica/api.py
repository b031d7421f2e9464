"""What other applications may use of FI-CA: business partners, contract accounts and
provider contracts (read), the revenue accounting customizing and posting-area
determination."""

from sapgw.erp_stub.fica.contracts import contract_items, current_header, item_versions
from sapgw.erp_stub.fica.customizing import RaSettings, ServiceType, ra_settings, service_type
from sapgw.erp_stub.fica.master_data import account_partner, contract_account, partner
from sapgw.erp_stub.fica.posting_areas import Determined, PostingAreaError, determine

__all__ = ["Determined", "PostingAreaError", "RaSettings", "ServiceType", "account_partner",
           "contract_account", "contract_items", "current_header", "determine",
           "item_versions", "partner", "ra_settings", "service_type"]
