"""What other applications may use of the customer/vendor master: a partner's account in a
company code (FI posts to it) and the organisational units partners are maintained in."""

from sapgw.erp_stub.masterdata.accounts import PartnerAccount, partner_account
from sapgw.erp_stub.masterdata.organization import (
    PurchasingOrganization,
    SalesArea,
    SalesOrganization,
    purchasing_organization,
    sales_area,
    sales_organization,
)

__all__ = ["PartnerAccount", "PurchasingOrganization", "SalesArea", "SalesOrganization",
           "partner_account", "purchasing_organization", "sales_area", "sales_organization"]
