"""Revenue accounting transfer records in SAP's tables: main items DFKKRA_RAI_MI and their
conditions DFKKRA_RAI_CO, kept until FP_RAI_TRANSF sends them (SENTDATE/SENTTIME/SENTTS
blank until then), and the customer event modules TFKFBC (event 8205).

Source item types (SRCDOC_TYPE, check table TFK_RA_SRCTY): CAOI order item from a contract
item is SAP's; CABO (one-off charge), CAFI (fulfilment) and CAIN (invoice) are ours. Fields
ours beside SAP's: CHRSN (the change reason copied from the contract item), RA_REFTYPE/
RA_REFID on the main item (SAP has them on DFKKBIXBIT_RAI and the contract item), and
SUPERSEDED_BY: FP_RAI_TRANSF sends only the newest version of a contract item; an older
version not yet sent gets the RAI_ID of the version sent instead and is never sent.
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, dec, numc, quan, tims

CONTRACT_ITEM, ONE_OFF, FULFILMENT, INVOICE = "CAOI", "CABO", "CAFI", "CAIN"


class DFKKRA_RAI_MI(ErpTable, table=True):
    """Transfer records for revenue accounting: main items."""

    __tablename__ = "DFKKRA_RAI_MI"
    RAI_ID: str = char(20, key=True)
    SRCDOC_COMP: str = char(3)           # source component (CA)
    SRCDOC_LOGSYS: str = char(10)
    SRCDOC_TYPE: str = char(4)           # CAOI, CABO, CAFI, CAIN
    SRCDOC_ID: str = char(35)
    TIMESTAMP_UTC: Decimal = dec(15)     # version of the source item
    HEADER_ID: str = char(20)            # the source document (provider contract, …)
    ITEM_ID: str = char(15)
    ORIGDOC_TYPE: str = char(4)          # the order item a fulfilment/invoice belongs to
    ORIGDOC_ID: str = char(35)
    SERVICE_TYPE: str = char(6)
    CHIND: str = char(1)                 # U changed, I inserted by event 8205
    X_ESTIMATED_QUAN: str = char(1)      # X: RAR determines quantity and price
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
    START_DATE: str = dats()             # performance obligation from/to
    END_DATE: str = dats()
    EFFECTIVE_DATE: str = dats()         # of a contract change
    EVENT_DATE: str = dats()             # fulfilment event
    POSTING_DATE: str = dats()
    RA_REFTYPE: str = char(3)
    RA_REFID: str = char(30)
    CHRSN: str = char(2)
    INVOICE_TYPE: str = char(4)          # invoice items: ours, the FI-CA document type (IN)
    FINAL_INVOICE: str = char(1)         # invoice items: X, the contract item's last bill
    DUE_DATE: str = dats()               # invoice items: net due date (DFKKINVDOC_H-FAEDN)
    REVERSAL: str = char(1)              # X: a reversal (fulfilment items of reversed BITs)
    CRDATE: str = dats()
    CRTIME: str = tims()
    SENTDATE: str = dats()               # transferred to RAR (blank: not yet)
    SENTTIME: str = tims()
    SENTTS: Decimal = dec(15)
    SUPERSEDED_BY: str = char(20)        # ours: a newer version was sent instead (never sent)


class DFKKRA_RAI_CO(ErpTable, table=True):
    """Transfer records for revenue accounting: conditions of a main item."""

    __tablename__ = "DFKKRA_RAI_CO"
    RAI_ID: str = char(20, key=True)
    UUID: str = char(32, key=True)       # ours: RAI_ID + counter (SAP: a RAW 16 GUID)
    SRCDOC_TYPE: str = char(4)
    SRCDOC_ID: str = char(35)
    TIMESTAMP_UTC: Decimal = dec(15)
    SERVICE_TYPE: str = char(6)
    CONDITION_TYPE: str = char(4)
    BETRW: Decimal = curr(15, 2)
    WAERS: str = cuky()
    MAIN_COND_TYPE: str = char(1)        # X: the main pricing condition
    STATISTIC: str = char(1)             # X: statistical (the SSP)
    CHIND: str = char(1)


class DFKKBIXBIT_RAI(ErpTable, table=True):
    """Transfer records for billable items: one per revenue-accounting-relevant billable
    item; RAI_ID names its order item (one-off charge, CABO) or, once aggregated, its
    fulfilment item (CAFI; blank until then)."""

    __tablename__ = "DFKKBIXBIT_RAI"
    SRCTATYPE: str = char(5, key=True)
    SRCTAID: str = char(22, key=True)
    BITPACKUUID: str = char(32, key=True)
    BITPACKCNO: str = numc(8, key=True)
    UUID: str = char(32, key=True)       # ours: "1" (one record per billable item)
    RAI_ID: str = char(20)
    SRCDOC_TYPE: str = char(4)           # CABO one-off order item, CAFI fulfilment
    SERVICE_TYPE: str = char(6)
    BITCAT: str = char(4)
    BUKRS: str = char(4)
    GPART: str = char(10)
    VKONT: str = char(12)
    VTREF: str = char(20)
    VTPOS: str = numc(6)
    SUBAP: str = char(1)
    BIT_QUANTITY: Decimal = quan(15, 3)
    BIT_QTY_UNIT: str = char(3)
    BIT_AMOUNT: Decimal = curr(15, 2)
    BIT_CURR: str = cuky()
    BITDATE: str = dats()
    BITTIME: str = tims()
    ORIGDOC_TYPE: str = char(4)          # the contract item's order item (CAOI)
    ORIGDOC_ID: str = char(35)
    RA_REFTYPE: str = char(3)
    RA_REFID: str = char(30)
    REVERSAL: str = char(1)
    CRDATE: str = dats()
    CRTIME: str = tims()


class TFKFBC(ErpTable, table=True):
    """Customer event modules per FI-CA event (SAP: a function module; here a Python
    callable named `module:function`, ours)."""

    __tablename__ = "TFKFBC"
    FBEVE: str = char(4, key=True)       # event (8205)
    APPLK: str = char(1, key=True)
    FUNCN: str = char(120)               # the callable


RAI_RECORDS = (DFKKRA_RAI_MI, DFKKRA_RAI_CO, DFKKBIXBIT_RAI)
