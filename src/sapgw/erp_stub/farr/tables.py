"""RAR's tables: the inbound revenue accounting items, contracts and performance
obligations, the revenue schedule and the postings, and RAR's customizing.

SAP generates one table per RAI class, status and record type (/1RA/0<class><status>MI);
ours keep class and status as columns of one pair, FARR_D_RAI_MI / FARR_D_RAI_CO (ours).
Status as SAP's digits: 0 raw, 2 processable, 4 processed. FARR_D_CONTRACT, FARR_D_POB,
FARR_D_MAPPING, FARR_D_FULFILLMT, FARR_D_INVOICE, FARR_D_DEFITEM, FARR_D_RECON_KEY and
FARR_D_POSTING are SAP's names with a reduced set of SAP's fields; their keys are ours where
noted. Customizing tables FARR_C_* are ours (SAP keeps these settings in its IMG).
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, dec, int4, numc, quan

RAW, PROCESSABLE, PROCESSED = "0", "2", "4"
SOURCE_KEY = ("SRCDOC_COMP", "SRCDOC_LOGSYS", "SRCDOC_TYPE", "SRCDOC_ID", "TIMESTAMP_UTC")


class FARR_D_RAI_MI(ErpTable, table=True):
    """Ours: revenue accounting items, main items, of every class and status."""

    __tablename__ = "FARR_D_RAI_MI"
    SRCDOC_COMP: str = char(3, key=True)
    SRCDOC_LOGSYS: str = char(10, key=True)
    SRCDOC_TYPE: str = char(4, key=True)
    SRCDOC_ID: str = char(35, key=True)
    TIMESTAMP_UTC: Decimal = dec(15, key=True)
    RAI_CLASS: str = char(4)             # CA01 order, CA02 fulfilment, CA03 invoice
    STATUS: str = char(1)                # 0 raw, 2 processable, 4 processed
    HEADER_ID: str = char(20)
    ITEM_ID: str = char(15)
    ORIGDOC_COMP: str = char(3)
    ORIGDOC_TYPE: str = char(4)
    ORIGDOC_ID: str = char(35)
    SERVICE_TYPE: str = char(6)
    CHIND: str = char(1)
    X_ESTIMATED_QUAN: str = char(1)
    PARTNER: str = char(10)
    VKONT: str = char(12)
    VTREF: str = char(20)
    VTPOS: str = numc(6)
    SUBAP: str = char(1)
    BUKRS: str = char(4)
    BETRW: Decimal = curr(15, 2)
    WAERS: str = cuky()
    QUANTITY: Decimal = quan(18, 6)
    QUANTITY_UNIT: str = char(3)
    START_DATE: str = dats()
    END_DATE: str = dats()
    EFFECTIVE_DATE: str = dats()
    EVENT_DATE: str = dats()
    POSTING_DATE: str = dats()
    RA_REFTYPE: str = char(3)
    RA_REFID: str = char(30)
    CHRSN: str = char(2)
    INVOICE_TYPE: str = char(4)
    FINAL_INVOICE: str = char(1)
    DUE_DATE: str = dats()
    REVERSAL: str = char(1)
    MSGID: str = char(20)                # why the item is raw (blank otherwise)
    MSGNO: str = numc(3)
    REASON: str = char(220)
    CREATED_ON: str = dats()
    PROCESSED_ON: str = dats()
    CONTRACT_ID: str = char(14)          # once processed
    POB_ID: str = char(16)


class FARR_D_RAI_CO(ErpTable, table=True):
    """Ours: the conditions of a revenue accounting item."""

    __tablename__ = "FARR_D_RAI_CO"
    SRCDOC_COMP: str = char(3, key=True)
    SRCDOC_LOGSYS: str = char(10, key=True)
    SRCDOC_TYPE: str = char(4, key=True)
    SRCDOC_ID: str = char(35, key=True)
    TIMESTAMP_UTC: Decimal = dec(15, key=True)
    COND_NO: str = numc(4, key=True)     # ours: position in the call
    SERVICE_TYPE: str = char(6)
    CONDITION_TYPE: str = char(4)
    BETRW: Decimal = curr(15, 2)
    WAERS: str = cuky()
    MAIN_COND_TYPE: str = char(1)
    STATISTIC: str = char(1)
    CHIND: str = char(1)


class FARR_D_CONTRACT(ErpTable, table=True):
    """Revenue contracts."""

    __tablename__ = "FARR_D_CONTRACT"
    CONTRACT_ID: str = char(14, key=True)
    COMPANY_CODE: str = char(4)
    ACCT_PRINCIPLE: str = char(4)
    DESCRIPTION: str = char(40)
    PARTNER: str = char(10)
    REFERENCE_TYPE: str = char(3)        # ours on the contract: what bundles its items
    REFERENCE_ID: str = char(30)
    TRX_PRICE: Decimal = curr(15, 2)
    TRX_PRICE_CURK: str = cuky()
    ALLOC_DIFFER: Decimal = curr(15, 2)  # sum of the positive allocation effects
    PRICE_ADJUSTED: str = char(1)
    NUM_OF_POB: int = int4()
    CREATED_ON: str = dats()
    LAST_CHANGED_ON: str = dats()


class FARR_D_POB(ErpTable, table=True):
    """Performance obligations."""

    __tablename__ = "FARR_D_POB"
    POB_ID: str = char(16, key=True)
    CONTRACT_ID: str = char(14, index=True)
    POB_NAME: str = char(40)
    POB_TYPE: str = char(10)
    SERVICE_TYPE: str = char(6)
    COMPANY_CODE: str = char(4)
    TRX_PRICE: Decimal = curr(15, 2)     # contractual price
    SSP: Decimal = curr(15, 2)
    ALLOC_AMT: Decimal = curr(15, 2)
    ALLOC_AMT_CURK: str = cuky()
    PREVENT_ALLOC: str = char(1)         # X: not part of the allocation
    QUANTITY: Decimal = quan(18, 6)
    QUANTITY_UNIT: str = char(3)
    FULFILL_TYPE: str = char(1)          # E event-based, T time-based
    EVENT_TYPE: str = char(2)            # ours: FI fulfilment items, SD start date, VB value
    START_DATE: str = dats()
    END_DATE: str = dats()
    PRO_PERIOD: str = char(7)            # ours: YYYYPPP a prospective change applies from
    PRO_AMT_CUMULATE: Decimal = curr(15, 2)   # revenue before the prospective split
    PRO_QTY_CUMULATE: Decimal = quan(18, 6)
    SRC_TIMESTAMP: Decimal = dec(15)     # ours: the order item version applied


class FARR_D_MAPPING(ErpTable, table=True):
    """Which source item (order item) became which performance obligation."""

    __tablename__ = "FARR_D_MAPPING"
    SRCDOC_COMP: str = char(3, key=True)
    SRCDOC_LOGSYS: str = char(10, key=True)
    SRCDOC_TYPE: str = char(4, key=True)
    SRCDOC_ID: str = char(35, key=True)
    POB_ID: str = char(16)
    CONTRACT_ID: str = char(14)
    ACCT_PRINCIPLE: str = char(4)
    HEADER_ID: str = char(20)
    REFERENCE_TYPE: str = char(3)
    REFERENCE_ID: str = char(30)


class FARR_D_FULFILLMT(ErpTable, table=True):
    """Fulfilments of a performance obligation (key ours: the fulfilment item)."""

    __tablename__ = "FARR_D_FULFILLMT"
    SRCDOC_TYPE: str = char(4, key=True)
    SRCDOC_ID: str = char(35, key=True)
    POB_ID: str = char(16, index=True)
    CONTRACT_ID: str = char(14)
    EVENT_DATE: str = dats()
    GJAHR: str = numc(4)
    POPER: str = numc(3)
    REPORTED_QTY: Decimal = quan(18, 6)
    AMOUNT: Decimal = curr(15, 2)        # value of a value-based fulfilment
    WAERS: str = cuky()


class FARR_D_INVOICE(ErpTable, table=True):
    """Invoiced amounts per performance obligation (key ours: the invoice item)."""

    __tablename__ = "FARR_D_INVOICE"
    SRCDOC_TYPE: str = char(4, key=True)
    SRCDOC_ID: str = char(35, key=True)
    POB_ID: str = char(16, index=True)
    CONTRACT_ID: str = char(14)
    POSTING_DATE: str = dats()
    GJAHR: str = numc(4)
    POPER: str = numc(3)
    INV_AMT: Decimal = curr(15, 2)
    WAERS: str = cuky()
    FINAL_INVOICE: str = char(1)


class FARR_D_DEFITEM(ErpTable, table=True):
    """Deferral items: the revenue schedule, one row per POB and period (key ours; SAP keys
    by reconciliation key, condition type and deferral category)."""

    __tablename__ = "FARR_D_DEFITEM"
    POB_ID: str = char(16, key=True)
    GJAHR: str = numc(4, key=True)
    POPER: str = numc(3, key=True)
    CONTRACT_ID: str = char(14, index=True)
    REV_AMT_DELTA: Decimal = curr(15, 2)     # revenue planned for the period
    REV_QTY_DELTA: Decimal = quan(18, 6)
    INV_AMT_DELTA: Decimal = curr(15, 2)     # invoiced in the period
    REV_AMT_CATCHUP: Decimal = curr(15, 2)   # retrospective catch-up posted in the period
    REV_AMT_POSTED: Decimal = curr(15, 2)    # revenue posted by the period's run(s)
    INV_AMT_POSTED: Decimal = curr(15, 2)    # invoice correction posted by them
    AMOUNT_CURK: str = cuky()
    RECON_KEY: str = char(14)                # the latest run that posted the period


class FARR_D_RECON_KEY(ErpTable, table=True):
    """Reconciliation keys: one per contract and posting run, YYYYPPP + counter."""

    __tablename__ = "FARR_D_RECON_KEY"
    CONTRACT_ID: str = char(14, key=True)
    RECON_KEY: str = char(14, key=True)
    COMPANY_CODE: str = char(4)
    ACCT_PRINCIPLE: str = char(4)
    GJAHR: str = numc(4)
    POPER: str = numc(3)
    STATUS: str = char(1)                    # C closed (posted)
    LIAB_ASSET_FLAG: str = char(2)           # CA contract asset, CL contract liability
    NET_POSITION: Decimal = curr(15, 2)      # ours: recognised - invoiced, cumulative
    RUNID: str = numc(10)


class FARR_D_POSTING(ErpTable, table=True):
    """Postings of a revenue posting run (key ours: without condition type and GUID)."""

    __tablename__ = "FARR_D_POSTING"
    RECON_KEY: str = char(14, key=True)
    CONTRACT_ID: str = char(14, key=True)
    POB_ID: str = char(16, key=True)         # blank for the contract's CA/CL lines
    POST_CAT: str = char(2, key=True)        # RV, UR, IC, DR, CA, CL
    SHKZG: str = char(1, key=True)           # S debit, H credit
    COMPANY_CODE: str = char(4)
    ACCT_PRINCIPLE: str = char(4)
    GJAHR: str = numc(4)
    POPER: str = numc(3)
    BETRW: Decimal = curr(15, 2)
    WAERS: str = cuky()
    RUNID: str = numc(10)


class FARR_D_POST_PERIOD(ErpTable, table=True):
    """Ours: the last period a posting run posted, per company code (periods in order)."""

    __tablename__ = "FARR_D_POST_PERIOD"
    COMPANY_CODE: str = char(4, key=True)
    GJAHR: str = numc(4)
    POPER: str = numc(3)


class FARR_C_COMPANY(ErpTable, table=True):
    """Ours: company codes revenue accounting knows, with their accounting principle."""

    __tablename__ = "FARR_C_COMPANY"
    COMPANY_CODE: str = char(4, key=True)
    ACCT_PRINCIPLE: str = char(4)
    WAERS: str = cuky()
    TEXT: str = char(40)


class FARR_C_SRCTY(ErpTable, table=True):
    """Ours: source item types and the RAI class they belong to."""

    __tablename__ = "FARR_C_SRCTY"
    SRCDOC_TYPE: str = char(4, key=True)
    RAI_CLASS: str = char(4)
    TEXT: str = char(40)


class FARR_C_REFTYPE(ErpTable, table=True):
    """Ours: reference types that bundle items into one revenue contract."""

    __tablename__ = "FARR_C_REFTYPE"
    REFERENCE_TYPE: str = char(3, key=True)
    TEXT: str = char(40)


class FARR_C_CONDTYPE(ErpTable, table=True):
    """Ours: condition types and their role (P price, S standalone selling price)."""

    __tablename__ = "FARR_C_CONDTYPE"
    CONDITION_TYPE: str = char(4, key=True)
    COND_ROLE: str = char(1)
    TEXT: str = char(40)


class FARR_C_POBTYPE(ErpTable, table=True):
    """Ours: performance obligation type per service type (SAP: POB types + BRF+ rules)."""

    __tablename__ = "FARR_C_POBTYPE"
    SERVICE_TYPE: str = char(6, key=True)
    POB_TYPE: str = char(10)
    FULFILL_TYPE: str = char(1)          # E event-based, T time-based
    EVENT_TYPE: str = char(2)            # FI fulfilment items, SD fulfilled at start date
    DEFAULT_TERM: str = numc(3)          # months a time-based POB without end date runs
    TEXT: str = char(40)


class FARR_C_CHRSN(ErpTable, table=True):
    """Ours: change reasons and whether a change with them is retrospective."""

    __tablename__ = "FARR_C_CHRSN"
    CHRSN: str = char(2, key=True)
    RETROSPECTIVE: str = char(1)         # X: retrospective (catch-up); blank: prospective
    TEXT: str = char(40)


CUSTOMIZING = (FARR_C_COMPANY, FARR_C_SRCTY, FARR_C_REFTYPE, FARR_C_CONDTYPE, FARR_C_POBTYPE,
               FARR_C_CHRSN)
DATA = (FARR_D_RAI_MI, FARR_D_RAI_CO, FARR_D_CONTRACT, FARR_D_POB, FARR_D_MAPPING,
        FARR_D_FULFILLMT, FARR_D_INVOICE, FARR_D_DEFITEM, FARR_D_RECON_KEY, FARR_D_POSTING,
        FARR_D_POST_PERIOD)
