"""Tables of the CRM Service controlling integration (package IAOM_CRMSERVICE).

SAP's: IAOM_CRMSRV_CTP (controlling type and level per transaction type), IAOM_CRMSRV_CSC
(controlling scenario per transaction type) and CRMC_CATS_CO (activity type and cost element
by item category, service type and valuation type), with the key fields
reference/controlling.md §9.2/§9.3 lists; the data fields beyond the public ones are ours
(docs/ERP_STUB.md, "CRM Service to Controlling"). Ours entirely: the item categories' kinds
(CRMSRV_ITMCAT), the tools' cost center and activity type (CRMSRV_TOOL; SAP's IMG node
"Determine Cost Center and Activity Type for Tool" has no public table name), the costing
variants' valuation (CRMSRV_KALV), the BAdI implementations (CRMSRV_BADI, a stand-in for
SXC_EXIT) and the log of the documents transferred (CRMSRV_DOCS).
"""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, numc


class IAOM_CRMSRV_CTP(ErpTable, table=True):
    """Controlling type determination: per transaction type (and service org, blank: any)."""

    __tablename__ = "IAOM_CRMSRV_CTP"
    PROCESS_TYPE_CTP: str = char(4, key=True)
    SERVICE_ORG_CTP: str = char(14, key=True)
    VALID_FROM: str = dats(key=True)
    CO_TYPE: str = char(2)          # 01 single-object, 02 mass-object (ours: SAP's values UNSURE)
    CO_LEVEL: str = numc(4)         # 0001 transaction (header), 0002 item (ours)
    CO_REFERENCE: str = char(1)     # X: a referring document posts to its predecessor's object


class IAOM_CRMSRV_CSC(ErpTable, table=True):
    """Controlling scenario determination: costing variant, RA key, settlement profile,
    strategy sequence, and (ours) the revenue element of the plan and the SD document that
    bills the service."""

    __tablename__ = "IAOM_CRMSRV_CSC"
    PROCESS_TYPE_CSC: str = char(4, key=True)
    SERVICE_ORG_CSC: str = char(14, key=True)
    VALID_FROM: str = dats(key=True)
    KLVAR: str = char(4)            # costing variant of the unit cost estimate
    ABGSL: str = char(6)            # results analysis key
    AUFPAR: str = char(7)           # settlement profile
    STRATSEQ: str = char(8)         # strategy sequence of the settlement rule (SAPCRM)
    AUART: str = char(4)            # order type before the BAdI (blank: SAPS)
    REV_KSTAR: str = char(10)       # revenue element of the planned revenue (ours)
    SD_AUART: str = char(4)         # sales document type billing the service (ours)
    VTWEG: str = char(2)            # its distribution channel (ours)
    SPART: str = char(2)            # its division (ours)
    ERSCH: str = char(2)            # ours, not read: mass-object controlling takes CO-PA's
                                    # KEI2 structure (kept: older databases have the column)


class CRMC_CATS_CO(ErpTable, table=True):
    """Derivation of attendance type, activity type and cost element (IMG: Time Sheet
    Integration)."""

    __tablename__ = "CRMC_CATS_CO"
    CRM_ITEM_TYPE: str = char(4, key=True)
    CRM_SRV_TYPE: str = char(4, key=True)
    CRMT_VAL_TYPE: str = char(6, key=True)
    CATS_AWART: str = char(4)
    CATSCO_KOKRS: str = char(4)
    CATSCO_LSTAR: str = char(6)
    CATSCO_KSTAR: str = char(10)


class CRMSRV_ITMCAT(ErpTable, table=True):
    """What an item category is (ours): LABOUR service product, TOOL, EXPENSE, PART service
    part, SALES sales item; the plant and storage location parts are taken from."""

    __tablename__ = "CRMSRV_ITMCAT"
    ITM_TYPE: str = char(4, key=True)
    KIND: str = char(8)
    TEXT: str = char(40)
    WERKS: str = char(4)
    LGORT: str = char(4)


class CRMSRV_TOOL(ErpTable, table=True):
    """Cost center and activity type of a tool product (ours)."""

    __tablename__ = "CRMSRV_TOOL"
    PRODUCT_ID: str = char(40, key=True)
    KOKRS: str = char(4)
    KOSTL: str = char(10)
    LSTAR: str = char(6)


class CRMSRV_KALV(ErpTable, table=True):
    """Costing variant of the unit cost estimate (ours, for TCK01/TCK05): the cost center
    whose planned activity prices value planned labour, the plan version of those prices and
    the cost element of material items (valued at the standard price, MBEW-STPRS)."""

    __tablename__ = "CRMSRV_KALV"
    KLVAR: str = char(4, key=True)
    TEXT: str = char(40)
    LABOUR_KOSTL: str = char(10)
    VERSN: str = char(3)
    MAT_KSTAR: str = char(10)


class CRMSRV_BADI(ErpTable, table=True):
    """Active BAdI implementations (ours, for SXC_EXIT): BAdI definition -> the Python
    callable "package.module:function" that implements it."""

    __tablename__ = "CRMSRV_BADI"
    EXIT_NAME: str = char(30, key=True)
    CALLABLE: str = char(120)


class CRMSRV_DOCS(ErpTable, table=True):
    """CRM service documents transferred (ours): the controlling object, sales document
    and posting documents each got, so a document sent again posts nothing twice."""

    __tablename__ = "CRMSRV_DOCS"
    OBJECT_ID: str = char(10, key=True)
    PROCESS_TYPE: str = char(4)
    OBJECT_NO: str = char(22)       # OR<AUFNR>; blank for mass-object controlling
    VBELN: str = char(10)           # sales document billing it (orders, contracts)
    BUKRS: str = char(4)
    KOKRS: str = char(4)
    PREDECESSOR: str = char(10)
    ERDAT: str = dats()
