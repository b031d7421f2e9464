"""PS tables: PROJ (project definitions) and PRPS (WBS elements)."""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, numc


class PROJ(ErpTable, table=True):
    __tablename__ = "PROJ"
    PSPNR: str = numc(8, key=True)       # internal project number
    PSPID: str = char(24, index=True)    # project definition (external key)
    POST1: str = char(40)                # description
    VBUKR: str = char(4)                 # company code
    VKOKR: str = char(4)                 # controlling area
    PLFAZ: str = dats()                  # start
    PLSEZ: str = dats()                  # finish
    OBJNR: str = char(22)                # object number 'PD' + PSPNR
    ERDAT: str = dats()


class PRPS(ErpTable, table=True):
    __tablename__ = "PRPS"
    PSPNR: str = numc(8, key=True)       # internal WBS element number
    POSID: str = char(24, index=True)    # WBS element (external key)
    POST1: str = char(40)
    PSPHI: str = numc(8, index=True)     # project it belongs to (PROJ-PSPNR)
    PBUKR: str = char(4)
    PKOKR: str = char(4)
    OBJNR: str = char(22)                # object number 'PR' + PSPNR
    ERDAT: str = dats()
