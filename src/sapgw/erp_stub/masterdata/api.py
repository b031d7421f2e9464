"""What other applications may use of the customer/vendor master: a partner's account in a
company code (FI posts to it), a customer's sales data in a sales area (SD sells to it) and
the organisational units partners are maintained in; and the CRM plug-in's destination
and queue name of an object's deltas (CRMRFCPAR, CRMQNAMES), for every application that
sends to CRM."""

from sapgw.erp_stub.masterdata.accounts import (
    Customer,
    CustomerSalesData,
    PartnerAccount,
    customer,
    customer_sales_data,
    partner_account,
)
from sapgw.erp_stub.masterdata.crm_delta import destination as crm_destination
from sapgw.erp_stub.masterdata.crm_delta import queue_name as crm_queue_name
from sapgw.erp_stub.masterdata.organization import (
    PurchasingOrganization,
    SalesArea,
    SalesOrganization,
    purchasing_organization,
    sales_area,
    sales_organization,
)

__all__ = ["Customer", "CustomerSalesData", "PartnerAccount", "PurchasingOrganization", "SalesArea",
           "SalesOrganization", "crm_destination", "crm_queue_name", "customer",
           "customer_sales_data", "partner_account",
           "purchasing_organization", "sales_area", "sales_organization"]
