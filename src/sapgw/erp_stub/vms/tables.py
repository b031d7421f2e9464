"""Tables of the Vehicle Management System (VMS, package ISAUTO_VLC).

SAP's names where they are public (reference/domain.md §8): VLCVEHICLE with VGUID (CHAR22,
the vehicle GUID, internal key), VHCLE (CHAR10, internal vehicle number) and VLC_MATNR (the
model, a material); VLCHISTORY (the vehicle's action history); CVLC04 (action matrix: action
control CNTRL, old status STATU_OLD, action AKTION -> new status STATU_NEW, CHECKENTRY).
Ours, labelled in docs/ERP_STUB.md "VMS": the VIN field name VHVIN (SAP's is UNSURE), the
status, partner and order fields of VLCVEHICLE, VLCCONFIG (SAP keeps the configuration in
variant configuration behind CUOBJ), CVLC01 as the table of "Define Actions" with the CRM
relevance indicator CRMREL, and VLC_BADI (the active implementation of VLC_CRM_INTEGRATOR, a
stand-in for SXC_EXIT).
"""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, numc, tims


class VLCVEHICLE(ErpTable, table=True):
    """A vehicle: its identity, model, configuration object, status and partners."""

    __tablename__ = "VLCVEHICLE"
    VGUID: str = char(22, key=True)          # vehicle GUID (internal key)
    VHCLE: str = char(10, index=True)        # internal vehicle number (number range VLCVEHICLE)
    VHVIN: str = char(35, index=True)        # vehicle identification number (name UNSURE)
    VLC_MATNR: str = char(18)                # model: the unconfigured vehicle type (MARA)
    CNTRL: str = char(4)                     # action control (CVLC04)
    PRIMSTAT: str = char(4)                  # primary status (ours: field name)
    SECSTAT: str = char(4)                   # secondary status (ours)
    DEALER: str = char(10)                   # dealer: a customer (KNA1), ours
    ENDCUST: str = char(10)                  # end customer (KNA1), ours
    CRM_ORDER: str = char(10)                # the CRM sales document assigned (CRMS), ours
    ERNAM: str = char(12)
    ERDAT: str = dats()
    AENAM: str = char(12)
    AEDAT: str = dats()


class VLCCONFIG(ErpTable, table=True):
    """The vehicle's configuration: characteristic values (ours; SAP: CUOBJ, UNSURE)."""

    __tablename__ = "VLCCONFIG"
    VGUID: str = char(22, key=True)
    ATNAM: str = char(30, key=True)          # characteristic
    ATWRT: str = char(30)                    # value


class VLCHISTORY(ErpTable, table=True):
    """One action executed on a vehicle, with date, time and user."""

    __tablename__ = "VLCHISTORY"
    VGUID: str = char(22, key=True)
    HISTNR: str = numc(6, key=True)          # running number per vehicle (ours)
    AKTION: str = char(4)
    STATU_OLD: str = char(4)
    STATU_NEW: str = char(4)
    ERDAT: str = dats()
    ERZEIT: str = tims()
    ERNAM: str = char(12)
    CRM_ORDER: str = char(10)                # CRMS: the CRM sales document
    CRM_SENT: str = char(1)                  # X: the action sent the vehicle to CRM


class CVLC01(ErpTable, table=True):
    """Define Actions (ours: SAP's table name is not public) with the "CRM Rel." indicator."""

    __tablename__ = "CVLC01"
    AKTION: str = char(4, key=True)
    TEXT: str = char(40)
    CRMREL: str = char(1)                    # X: CRM relevant, VLC_CRM_INTEGRATOR runs


class CVLC04(ErpTable, table=True):
    """The action matrix: which action may run in which status, and the status it leaves."""

    __tablename__ = "CVLC04"
    CNTRL: str = char(4, key=True)
    STATU_OLD: str = char(4, key=True)       # blank: a vehicle being created
    AKTION: str = char(4, key=True)
    STATU_NEW: str = char(4)
    CHECKENTRY: str = char(1)


class CVLC02(ErpTable, table=True):
    """Vehicle status texts (ours: SAP's status table name is not public)."""

    __tablename__ = "CVLC02"
    STATU: str = char(4, key=True)
    TEXT: str = char(40)


class VLC_BADI(ErpTable, table=True):
    """Active BAdI implementations (ours, for SXC_EXIT): BAdI -> "package.module:name"."""

    __tablename__ = "VLC_BADI"
    EXIT_NAME: str = char(30, key=True)
    CALLABLE: str = char(120)
