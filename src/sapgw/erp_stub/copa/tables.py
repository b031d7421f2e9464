"""The operating concern S001's generated tables (costing-based): CE4S001, the segment table
(characteristic combination -> profitability segment number PAOBJNR), and CE1S001, the actual
line items (reference/controlling.md §8).

SAP generates these per operating concern (CE1xxxx, CE4xxxx) from its characteristics (KEA5)
and value fields (KEA6); this system has the one demo operating concern S001 with a fixed set
of characteristics and value fields, so the tables are declared here. Which value fields
exist and what they mean is data (ZCOPA_VALFLD); the columns VV010 … are ours.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import UniqueConstraint

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky, curr, dats, numc, tims

# Characteristic -> length (all CHAR but KDPOS, NUMC 6): CE4S001 and CE1S001 carry them all.
CHARACTERISTICS: dict[str, int] = {
    "KNDNR": 10, "ARTNR": 18, "FKART": 4, "KAUFN": 10, "KDPOS": 6, "AUFNR": 12,
    "BUKRS": 4, "KOKRS": 4, "WERKS": 4, "VKORG": 4, "VTWEG": 2, "SPART": 2, "PRCTR": 10,
}
# Value field columns of CE1S001 (texts and meaning: ZCOPA_VALFLD, co-pa demo.toml).
VALUE_FIELDS = ("VV010", "VV020", "VV140", "VV150", "VV160", "VV170")
# Reference fields a caller may fill: the sending document and item, the settled order.
REFERENCE_FIELDS: dict[str, int] = {"RBELN": 10, "RPOSN": 6, "RKAUFNR": 12}


class CE4S001(ErpTable, table=True):
    """Profitability segments of S001: one number per characteristic combination."""

    __tablename__ = "CE4S001"
    __table_args__: ClassVar[tuple[Any, ...]] = (
        UniqueConstraint(*CHARACTERISTICS, name="CE4S001_COMBINATION"),)
    PAOBJNR: str = numc(10, key=True)
    KNDNR: str = char(10)                # customer
    ARTNR: str = char(18)                # product (material)
    FKART: str = char(4)                 # billing type
    KAUFN: str = char(10)                # sales order
    KDPOS: str = numc(6)                 # sales order item
    AUFNR: str = char(12)                # order
    BUKRS: str = char(4)
    KOKRS: str = char(4)
    WERKS: str = char(4)
    VKORG: str = char(4)
    VTWEG: str = char(2)
    SPART: str = char(2)
    PRCTR: str = char(10)
    HZDAT: str = dats()                  # created on
    USNAM: str = char(12)


class CE1S001(ErpTable, table=True):
    """Actual line items of S001, key as SAP's CE1 tables (PALEDGER … BELNR, POSNR)."""

    __tablename__ = "CE1S001"
    PALEDGER: str = char(2, key=True)    # currency type: 01 operating concern currency
    VRGAR: str = char(1, key=True)       # record type
    VERSI: str = char(3, key=True)       # plan version, blank for actual data
    PERIO: str = numc(7, key=True)       # YYYYPPP
    PAOBJNR: str = numc(10, key=True)    # profitability segment (CE4S001)
    PASUBNR: str = numc(4, key=True)     # segment change number, 0001
    BELNR: str = char(10, key=True)      # line item document (number range COPA_IST)
    POSNR: str = numc(6, key=True)
    PLIKZ: str = char(1)                 # 0 actual, 1 plan
    GJAHR: str = numc(4)
    PERDE: str = numc(3)
    BUDAT: str = dats()
    CPUDT: str = dats()
    CPUTM: str = tims()
    USNAM: str = char(12)
    REC_WAERS: str = cuky()              # currency of the values
    RBELN: str = char(10)                # reference document (billing document …)
    RPOSN: str = numc(6)                 # reference item
    RKAUFNR: str = char(12)              # sending order (settlement)
    KNDNR: str = char(10)
    ARTNR: str = char(18)
    FKART: str = char(4)
    KAUFN: str = char(10)
    KDPOS: str = numc(6)
    AUFNR: str = char(12)
    BUKRS: str = char(4)
    KOKRS: str = char(4)
    WERKS: str = char(4)
    VKORG: str = char(4)
    VTWEG: str = char(2)
    SPART: str = char(2)
    PRCTR: str = char(10)
    VV010: Decimal = curr(15, 2)
    VV020: Decimal = curr(15, 2)
    VV140: Decimal = curr(15, 2)
    VV150: Decimal = curr(15, 2)
    VV160: Decimal = curr(15, 2)
    VV170: Decimal = curr(15, 2)
