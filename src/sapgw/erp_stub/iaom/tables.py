"""IAOM_ASSIGNMENTS: business scenario + external object key -> CO object."""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, dats


class IAOM_ASSIGNMENTS(ErpTable, table=True):
    __tablename__ = "IAOM_ASSIGNMENTS"
    BUS_SCENARIO_ID: str = char(16, key=True)   # e.g. CRMFM
    EXT_OBJECT_ID: str = char(34, key=True)     # business key, e.g. 00000000000000001791/10
    OBJECT_NO: str = char(22)                   # CO object: OR<AUFNR> or PR<PSPNR>
    CONTROLLING_TYPE: str = char(1)             # S single object, T existing object, ...
    PROFIT_CENTRE: str = char(10)
    OBJECT_NO_SET: str = char(22)
    OBJECT_NO_REC: str = char(22)
    ERDAT: str = dats()
