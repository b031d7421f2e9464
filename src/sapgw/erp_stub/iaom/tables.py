"""IAOM tables: IAOM_ASSIGNMENTS (business scenario + external object key -> CO object) and
the controlling scenarios (IAOM_BUS_SCEN, IAOM_SCEN_RULES: customizing, ours)."""

from __future__ import annotations

from sapgw.erp_stub.kernel.tables import ErpTable, char, dats, numc


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


class IAOM_BUS_SCEN(ErpTable, table=True):
    """Controlling scenario of a business scenario (ours: IAOM1's tables are not public):
    the default controlling type and order type of the objects its keys get."""

    __tablename__ = "IAOM_BUS_SCEN"
    BUS_SCENARIO_ID: str = char(16, key=True)
    TEXT: str = char(40)
    CONTROLLING_TYPE: str = char(1)             # S single object (order), T existing object
    AUART: str = char(4)                        # order type of CRM-generated orders


class IAOM_SCEN_RULES(ErpTable, table=True):
    """Rules of a controlling scenario by expense type, in RULE_NO order, first match wins
    (ours: the stand-in for the BAdI IAOM_BUSINESS_SCENAR). Blank fields keep the default."""

    __tablename__ = "IAOM_SCEN_RULES"
    BUS_SCENARIO_ID: str = char(16, key=True)
    RULE_NO: str = numc(3, key=True)
    EXPENSE_TYPE: str = char(10)
    CONTROLLING_TYPE: str = char(1)
    AUART: str = char(4)
