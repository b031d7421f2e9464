"""The customizing a customer or vendor is maintained in: organisational units and account
groups, in SAP's tables (key fields and the fields the stub uses), buffered.

- TVKO/TVKOT sales organisations (OVX5) with their company code and currency; TVTA the sales
  areas (OVXG: sales organisation / distribution channel / division) KNVV rows may be
  created in.
- T024E purchasing organisations (OX08) with their company code; LFM1 rows hang under them.
- T077D/T077X customer and T077K/T077Y vendor account groups (OBD2/OBD3) with the number
  range interval NUMKR of object DEBITOR/KREDITOR.

Whether a group's partners bring their own number is, as in SAP, a property of its interval
(NRIV-EXTERNIND of the kernel's number ranges), not of the group. TVTA carries only its key
(SAP's TVTA has reference and grouping fields the stub does not use).
"""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, cuky


class TVKO(ErpTable, table=True):
    """Sales organisations."""

    __tablename__ = "TVKO"
    VKORG: str = char(4, key=True)       # sales organisation
    WAERS: str = cuky()                  # statistics currency
    BUKRS: str = char(4)                 # company code of the sales organisation


class TVKOT(ErpTable, table=True):
    """Sales organisation texts."""

    __tablename__ = "TVKOT"
    SPRAS: str = char(1, key=True)
    VKORG: str = char(4, key=True)
    VTEXT: str = char(20)


class TVTA(ErpTable, table=True):
    """Sales areas: the distribution channels and divisions of a sales organisation."""

    __tablename__ = "TVTA"
    VKORG: str = char(4, key=True)
    VTWEG: str = char(2, key=True)       # distribution channel
    SPART: str = char(2, key=True)       # division


class T024E(ErpTable, table=True):
    """Purchasing organisations."""

    __tablename__ = "T024E"
    EKORG: str = char(4, key=True)       # purchasing organisation
    EKOTX: str = char(20)                # description
    BUKRS: str = char(4)                 # company code (blank: cross-company)


class T077D(ErpTable, table=True):
    """Customer account groups."""

    __tablename__ = "T077D"
    KTOKD: str = char(4, key=True)       # account group
    NUMKR: str = char(2)                 # number range interval of object DEBITOR


class T077X(ErpTable, table=True):
    """Customer account group texts."""

    __tablename__ = "T077X"
    SPRAS: str = char(1, key=True)
    KTOKD: str = char(4, key=True)
    TXT30: str = char(30)


class T077K(ErpTable, table=True):
    """Vendor account groups."""

    __tablename__ = "T077K"
    KTOKK: str = char(4, key=True)       # account group
    NUMKR: str = char(2)                 # number range interval of object KREDITOR


class T077Y(ErpTable, table=True):
    """Vendor account group texts."""

    __tablename__ = "T077Y"
    SPRAS: str = char(1, key=True)
    KTOKK: str = char(4, key=True)
    TXT30: str = char(30)


CUSTOMIZING = (TVKO, TVKOT, TVTA, T024E, T077D, T077X, T077K, T077Y)
