"""SD documents in SAP's tables: sales documents (VBAK, VBAP, VBEP, statuses VBUK/VBUP),
billing documents (VBRK, VBRP) and the document flow between them (VBFA).

Keys and field names are SAP's (ECC, before S/4HANA moved the statuses into VBAK/VBAP);
the fields are those the stub fills. Amounts are exact Decimals in the document currency
WAERK, quantities in the sales unit VRKME.
"""

from __future__ import annotations

from decimal import Decimal

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, dec, numc, quan, tims


class VBAK(ErpTable, table=True):
    """Sales document header."""

    __tablename__ = "VBAK"
    VBELN: str = char(10, key=True)      # sales document
    ERDAT: str = dats()
    ERZET: str = tims()
    ERNAM: str = char(12)
    AUDAT: str = dats()                  # document date
    VBTYP: str = char(1)                 # document category (C order)
    AUART: str = char(4)                 # sales document type
    NETWR: Decimal = curr(15, 2)         # net value in WAERK
    WAERK: str = cuky()
    VKORG: str = char(4)
    VTWEG: str = char(2)
    SPART: str = char(2)
    VDATU: str = dats()                  # requested delivery date
    BSTNK: str = char(20)                # customer purchase order number
    BSTDK: str = dats()                  # its date
    KUNNR: str = char(10)                # sold-to party
    BUKRS_VF: str = char(4)              # company code to be billed


class VBAP(ErpTable, table=True):
    """Sales document item."""

    __tablename__ = "VBAP"
    VBELN: str = char(10, key=True)
    POSNR: str = numc(6, key=True)
    MATNR: str = char(18)
    ARKTX: str = char(40)                # item text
    PSTYV: str = char(4)                 # item category
    KWMENG: Decimal = quan(15, 3)        # order quantity in VRKME
    VRKME: str = char(3)                 # sales unit
    NETPR: Decimal = curr(11, 2)         # net price per KPEIN KMEIN
    KPEIN: Decimal = dec(5)              # price unit
    KMEIN: str = char(3)                 # unit of the price
    NETWR: Decimal = curr(15, 2)         # net value (KWMENG x price, rounded per item)
    WAVWR: Decimal = curr(13, 2)         # cost: VPRS, statistical (standard price x KWMENG)
    WAERK: str = cuky()
    WERKS: str = char(4)
    AUFNR: str = char(12)                # account assignment: internal order
    ERDAT: str = dats()
    ERNAM: str = char(12)


class VBEP(ErpTable, table=True):
    """Sales document schedule line."""

    __tablename__ = "VBEP"
    VBELN: str = char(10, key=True)
    POSNR: str = numc(6, key=True)
    ETENR: str = numc(4, key=True)
    EDATU: str = dats()                  # schedule line date
    WMENG: Decimal = quan(15, 3)         # order quantity
    VRKME: str = char(3)


class VBUK(ErpTable, table=True):
    """Sales document header status."""

    __tablename__ = "VBUK"
    VBELN: str = char(10, key=True)
    FKSAK: str = char(1)                 # order-related billing: A not yet, B partly, C fully
    GBSTK: str = char(1)                 # overall processing status


class VBUP(ErpTable, table=True):
    """Sales document item status."""

    __tablename__ = "VBUP"
    VBELN: str = char(10, key=True)
    POSNR: str = numc(6, key=True)
    FKSAA: str = char(1)                 # order-related billing: A not yet, C fully billed
    GBSTA: str = char(1)                 # overall processing status


class VBRK(ErpTable, table=True):
    """Billing document header."""

    __tablename__ = "VBRK"
    VBELN: str = char(10, key=True)      # billing document
    FKART: str = char(4)                 # billing type
    VBTYP: str = char(1)                 # document category (M invoice)
    WAERK: str = cuky()
    VKORG: str = char(4)
    VTWEG: str = char(2)
    SPART: str = char(2)
    FKDAT: str = dats()                  # billing date
    GJAHR: str = numc(4)                 # fiscal year of the accounting document
    POPER: str = numc(3)                 # its posting period
    KTGRD: str = char(2)                 # customer account assignment group
    BUKRS: str = char(4)
    NETWR: Decimal = curr(15, 2)
    RFBSK: str = char(1)                 # posting status: C accounting document created
                                         # (found by AWTYP VBRK, AWKEY = VBELN in BKPF)
    KUNRG: str = char(10)                # payer
    KUNAG: str = char(10)                # sold-to party
    XBLNR: str = char(16)                # reference (the billing document number)
    ERNAM: str = char(12)
    ERDAT: str = dats()
    ERZET: str = tims()


class VBRP(ErpTable, table=True):
    """Billing document item."""

    __tablename__ = "VBRP"
    VBELN: str = char(10, key=True)
    POSNR: str = numc(6, key=True)
    FKIMG: Decimal = quan(13, 3)         # billed quantity
    VRKME: str = char(3)
    NETWR: Decimal = curr(15, 2)
    WAVWR: Decimal = curr(13, 2)         # cost (VPRS), copied from the sales document item
    MATNR: str = char(18)
    ARKTX: str = char(40)
    PSTYV: str = char(4)
    WERKS: str = char(4)
    AUBEL: str = char(10)                # sales document
    AUPOS: str = numc(6)                 # its item
    VGBEL: str = char(10)                # reference document (order-related: the order)
    VGPOS: str = numc(6)
    VGTYP: str = char(1)                 # its document category
    AUFNR: str = char(12)                # internal order the revenue is posted to
    SAKN1: str = char(10)                # revenue account (ours here: SAP keeps it in KONV)
    ERDAT: str = dats()


class VBFA(ErpTable, table=True):
    """Sales document flow: preceding document/item -> subsequent document/item."""

    __tablename__ = "VBFA"
    VBELV: str = char(10, key=True)      # preceding document
    POSNV: str = numc(6, key=True)
    VBELN: str = char(10, key=True)      # subsequent document
    POSNN: str = numc(6, key=True)
    VBTYP_N: str = char(1, key=True)     # category of the subsequent document
    VBTYP_V: str = char(1)               # category of the preceding document
    RFMNG: Decimal = quan(15, 3)         # referenced quantity
    MEINS: str = char(3)
    RFWRT: Decimal = curr(15, 2)         # referenced value
    WAERS: str = cuky()
    MATNR: str = char(18)
    ERDAT: str = dats()
    ERZET: str = tims()


class LIKP(ErpTable, table=True):
    """Outbound delivery header. The goods movement status WBSTK is kept here, as S/4HANA
    does (ECC keeps it in VBUK)."""

    __tablename__ = "LIKP"
    VBELN: str = char(10, key=True)      # delivery
    LFART: str = char(4)                 # delivery type (LF)
    VBTYP: str = char(1)                 # document category (J delivery)
    VSTEL: str = char(4)                 # shipping point
    VKORG: str = char(4)
    KUNNR: str = char(10)                # ship-to party
    KUNAG: str = char(10)                # sold-to party
    WADAT: str = dats()                  # planned goods issue date
    WADAT_IST: str = dats()              # actual goods issue date
    WBSTK: str = char(1)                 # goods movement status: A not yet, C posted
    ERNAM: str = char(12)
    ERDAT: str = dats()
    ERZET: str = tims()


class LIPS(ErpTable, table=True):
    """Outbound delivery item."""

    __tablename__ = "LIPS"
    VBELN: str = char(10, key=True)
    POSNR: str = numc(6, key=True)
    MATNR: str = char(18)
    ARKTX: str = char(40)
    PSTYV: str = char(4)
    WERKS: str = char(4)
    LGORT: str = char(4)                 # storage location picked from
    LFIMG: Decimal = quan(13, 3)         # delivered quantity in VRKME
    VRKME: str = char(3)
    VGBEL: str = char(10, index=True)    # reference document (the sales order)
    VGPOS: str = numc(6)
    VGTYP: str = char(1)                 # its document category (C)
    AUFNR: str = char(12)                # the order item's internal order
    ERDAT: str = dats()


DOCUMENTS = (VBAK, VBAP, VBEP, VBUK, VBUP, VBRK, VBRP, VBFA, LIKP, LIPS)
