"""What other applications may use of the customer/vendor master: a partner's account in a
company code (FI posts to it), a customer's sales data in a sales area (SD sells to it) and
the organisational units partners are maintained in."""

from sapgw.erp_stub.masterdata.accounts import (
    CustomerSalesData,
    PartnerAccount,
    customer_sales_data,
    partner_account,
)
from sapgw.erp_stub.masterdata.organization import (
    PurchasingOrganization,
    SalesArea,
    SalesOrganization,
    purchasing_organization,
    sales_area,
    sales_organization,
)

__all__ = ["CustomerSalesData", "PartnerAccount", "PurchasingOrganization", "SalesArea",
           "SalesOrganization", "customer_sales_data", "partner_account",
           "purchasing_organization", "sales_area", "sales_organization"]
