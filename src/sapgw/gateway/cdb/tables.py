"""The CDB's business partner tables: CRM's consolidated database of replicated partners.

CRM keeps a business partner in BUT000 (PARTNER, PARTNER_GUID, names, grouping BU_GROUP),
its address via BUT020/ADRC, its roles in BUT100 (RLTYP: FLCU00 FI customer, FLCU01 customer
with sales data, FLVN00 FI vendor, FLVN01 vendor with purchasing data) and the ERP customer
number in CRMM_BUT_CUSTNO (PARTNER_GUID -> CUSTOMER_NO) (reference/domain.md §3.4).
Table and field names are CRM's, in lower case for the table as every gateway table; what
CRM keeps elsewhere or not publicly is ours and says so:

- but020 carries the address fields itself (CRM: ADRC, keyed by ADDRNUMBER).
- crmm_but_vendno (ours): the vendor counterpart of CRMM_BUT_CUSTNO.
- crmm_but_bukrs and crmm_but_sales (ours): company code data (with dunning) and sales area
  or purchasing organization data per partner and role, as the AIC cookbook's enhancement
  replicates them with the partner.
- CHANGED_AT / CHANGED_BDOC on but000 (ours): the BDoc whose data the CDB holds, and when
  it was created, so a later change wins over an older one processed after it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from sapgw.gateway.store.tables import GatewayTable


class BUT000(GatewayTable, table=True):
    __tablename__ = "but000"
    __table_args__ = (Index("ix_but000_guid", "PARTNER_GUID", unique=True),)
    PARTNER: str = Field(primary_key=True, max_length=10)
    PARTNER_GUID: str = Field(max_length=32)
    TYPE: str = Field(default="2", max_length=1)          # 1 person, 2 organization
    BU_GROUP: str = Field(default="", max_length=4)       # grouping (number range)
    BU_SORT1: str = Field(default="", max_length=20)      # search term
    NAME_ORG1: str = Field(default="", max_length=40)
    NAME_ORG2: str = Field(default="", max_length=40)
    NAME_ORG3: str = Field(default="", max_length=40)
    NAME_ORG4: str = Field(default="", max_length=40)
    XDELE: str = Field(default="", max_length=1)          # archiving flag (ERP LOEVM)
    CRDAT: str = Field(default="", max_length=8)
    CHDAT: str = Field(default="", max_length=8)
    CHANGED_AT: datetime | None = None                     # ours
    CHANGED_BDOC: str = Field(default="", max_length=32)   # ours


class BUT020(GatewayTable, table=True):
    __tablename__ = "but020"
    PARTNER: str = Field(primary_key=True, max_length=10)
    ADDRNUMBER: str = Field(primary_key=True, max_length=10)
    STREET: str = Field(default="", max_length=60)
    POST_CODE1: str = Field(default="", max_length=10)
    CITY1: str = Field(default="", max_length=40, index=True)
    REGION: str = Field(default="", max_length=3)
    COUNTRY: str = Field(default="", max_length=3)
    LANGU: str = Field(default="", max_length=1)


class BUT100(GatewayTable, table=True):
    __tablename__ = "but100"
    PARTNER: str = Field(primary_key=True, max_length=10)
    RLTYP: str = Field(primary_key=True, max_length=6)


class CRMM_BUT_CUSTNO(GatewayTable, table=True):
    __tablename__ = "crmm_but_custno"
    PARTNER_GUID: str = Field(primary_key=True, max_length=32)
    CUSTOMER_NO: str = Field(max_length=10, index=True, unique=True)


class CRMM_BUT_VENDNO(GatewayTable, table=True):
    __tablename__ = "crmm_but_vendno"
    PARTNER_GUID: str = Field(primary_key=True, max_length=32)
    VENDOR_NO: str = Field(max_length=10, index=True, unique=True)


class CRMM_BUT_BUKRS(GatewayTable, table=True):
    """Company code data of a partner in a role (D customer, K vendor), with dunning data."""

    __tablename__ = "crmm_but_bukrs"
    __table_args__ = (Index("ix_crmm_but_bukrs_bukrs", "BUKRS", "PARTNER"),)
    PARTNER: str = Field(primary_key=True, max_length=10)
    KOART: str = Field(primary_key=True, max_length=1)
    BUKRS: str = Field(primary_key=True, max_length=4)
    AKONT: str = Field(default="", max_length=10)          # reconciliation account
    ZTERM: str = Field(default="", max_length=4)           # terms of payment
    ZUAWA: str = Field(default="", max_length=3)
    BUSAB: str = Field(default="", max_length=2)
    SPERR: str = Field(default="", max_length=1)
    LOEVM: str = Field(default="", max_length=1)
    MAHNA: str = Field(default="", max_length=4)           # dunning procedure
    MANSP: str = Field(default="", max_length=1)           # dunning block


class CRMM_BUT_SALES(GatewayTable, table=True):
    """Sales area data (customer: VKORG/VTWEG/SPART) or purchasing data (vendor: EKORG)."""

    __tablename__ = "crmm_but_sales"
    PARTNER: str = Field(primary_key=True, max_length=10)
    KOART: str = Field(primary_key=True, max_length=1)
    VKORG: str = Field(primary_key=True, max_length=4)     # or EKORG for a vendor
    VTWEG: str = Field(primary_key=True, default="", max_length=2)
    SPART: str = Field(primary_key=True, default="", max_length=2)
    WAERS: str = Field(default="", max_length=5)
    ZTERM: str = Field(default="", max_length=4)
    KTGRD: str = Field(default="", max_length=2)
    LOEVM: str = Field(default="", max_length=1)


class CRMD_ORDERADM_H(GatewayTable, table=True):
    """A service request (one-order header, CRMD_ORDERADM_H's key fields) created from a
    transaction launch in the Accounting IC; the ERP context fields are ours (SAP keeps
    them in the SR's reference objects and texts)."""

    __tablename__ = "crmd_orderadm_h"
    GUID: str = Field(primary_key=True, max_length=32)
    OBJECT_ID: str = Field(max_length=10, unique=True)
    PROCESS_TYPE: str = Field(default="SRVR", max_length=4)   # service request
    DESCRIPTION: str = Field(default="", max_length=40)
    POSTING_DATE: str = Field(default="", max_length=8)
    CREATED_BY: str = Field(default="", max_length=12)
    CREATED_AT: datetime | None = None
    PARTNER: str = Field(default="", max_length=10, index=True)
    ERP_TCODE: str = Field(default="", max_length=20)          # ours: the ERP context
    ERP_USER: str = Field(default="", max_length=12)
    ERP_CUSTOMER: str = Field(default="", max_length=10)
    ERP_BUKRS: str = Field(default="", max_length=4)
    ERP_OBJECT: str = Field(default="", max_length=40)         # e.g. the FB03 document
