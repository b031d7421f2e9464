"""The interfaces of BAPI_ACT_PRICE_CHECK_AND_POST and BAPI_CTR_GETACTIVITYPRICES (SE37), and
the check of a planning period range, apart from the handlers in `price_bapis`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sapgw.erp_stub.co.prices import PERIODS
from sapgw.rfc.ddic import CHAR, CUKY, DEC, NUMC, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

if TYPE_CHECKING:
    from sapgw.erp_stub.co.bapi_support import Problems

PRICE = DEC(23, 4)   # BAPICURR: amounts in BAPIs
PRICE_UNIT = DEC(5, 0)

BAPIPLNHDR = structure(
    "BAPIPLNHDR",
    ("CO_AREA", CHAR(4), "Controlling area"), ("FISC_YEAR", NUMC(4), "Fiscal year"),
    ("PERIOD_FROM", NUMC(3), "From period"), ("PERIOD_TO", NUMC(3), "To period"),
    ("VERSION", CHAR(3), "Plan version (000)"), ("DOC_HDR_TX", CHAR(50), "Header text"),
    ("PLAN_CURRTYPE", CHAR(1), "Planning currency: C controlling area currency"),
)
BAPIACPSTRU = structure(
    "BAPIACPSTRU",
    ("OBJECT_INDEX", NUMC(6), "Row of OBJECT"), ("VALUE_INDEX", NUMC(6), "Row of the values"),
    ("ATTRIB_INDEX", NUMC(6), "Row of CONTRL (not used)"),
)
BAPIACPOBJ = structure(
    "BAPIACPOBJ",
    ("OBJECT_INDEX", NUMC(6), "Object index"), ("COSTCENTER", CHAR(10), "Cost center"),
    ("ACTTYPE", CHAR(6), "Activity type"),
)
BAPIACPTOT = structure(
    "BAPIACPTOT",
    ("VALUE_INDEX", NUMC(6), "Value index"), ("PRICE_FIX", PRICE, "Fixed price"),
    ("DIST_KEY_PRICE_FIX", CHAR(4), "Distribution key, fixed price (1)"),
    ("PRICE_VAR", PRICE, "Variable price"),
    ("DIST_KEY_PRICE_VAR", CHAR(4), "Distribution key, variable price (1)"),
    ("PRICE_UNIT", PRICE_UNIT, "Price unit"), ("CURRENCY", CUKY, "Currency"),
)
BAPIACPVAL = structure(
    "BAPIACPVAL",
    ("VALUE_INDEX", NUMC(6), "Value index"),
    *((f"PRICE_FIX_PER{p:02d}", PRICE, f"Fixed price, period {p}") for p in PERIODS),
    *((f"PRICE_VAR_PER{p:02d}", PRICE, f"Variable price, period {p}") for p in PERIODS),
    *((f"PRICE_UNIT_PER{p:02d}", PRICE_UNIT, f"Price unit, period {p}") for p in PERIODS),
    ("CURRENCY", CUKY, "Currency"),
)
BAPIACTPRICES = structure(   # ours: SAP's structure name of ACTPRICES is not public
    "BAPIACTPRICES",
    ("CO_AREA", CHAR(4), "Controlling area"), ("FISC_YEAR", NUMC(4), "Fiscal year"),
    ("VERSION", CHAR(3), "Version"), ("COSTCENTER", CHAR(10), "Cost center"),
    ("ACTTYPE", CHAR(6), "Activity type"), ("PERIOD", NUMC(3), "Period"),
    ("PRICE_CCURR_FIX", PRICE, "Fixed price, controlling area currency"),
    ("PRICE_CCURR_VAR", PRICE, "Variable price, controlling area currency"),
    ("PRICE_UNIT", PRICE_UNIT, "Price unit"),
    ("CURR_COAREA", CUKY, "Controlling area currency"),
)

CHECK_AND_POST_INTERFACE = interface("BAPI_ACT_PRICE_CHECK_AND_POST", [
    importing("HEADER_INFO", BAPIPLNHDR, optional=False, text="Planning header"),
    importing("DELTA", CHAR(1), text="X: add to the prices planned"),
    importing("TESTRUN", CHAR(1), text="X: check only, post nothing"),
    tables("IDX_STRUCTURE", BAPIACPSTRU, optional=False, text="Object and value rows"),
    tables("OBJECT", BAPIACPOBJ, optional=False, text="Cost center / activity type"),
    tables("PER_VALUE", BAPIACPVAL, text="Prices per period"),
    tables("TOT_VALUE", BAPIACPTOT, text="One price for all periods"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Plan activity prices (KP26)")

ACTPRICES_INTERFACE = interface("BAPI_CTR_GETACTIVITYPRICES", [
    importing("COAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("FISCYEAR", NUMC(4), optional=False, text="Fiscal year"),
    importing("VERSION", CHAR(3), default="000", text="Plan version"),
    importing("COSTCENTERFROM", CHAR(10), text="Cost centers from"),
    importing("COSTCENTERTO", CHAR(10), text="Cost centers to"),
    importing("COSTCENTERGRP", CHAR(15), text="Cost center group (not supported)"),
    importing("ACTTYPEFROM", CHAR(6), text="Activity types from"),
    importing("ACTTYPETO", CHAR(6), text="Activity types to"),
    importing("ACTTYPEGRP", CHAR(15), text="Activity type group (not supported)"),
    importing("PERIODFROM", NUMC(3), text="From period (blank: 1)"),
    importing("PERIODTO", NUMC(3), text="To period (blank: PERIODFROM, or 16)"),
    tables("ACTPRICES", BAPIACTPRICES, text="Planned prices per period"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Planned activity prices of cost centers")


def period_range(low: str, high: str, problems: Problems, parameter: str
                 ) -> tuple[int, int] | None:
    """(first, last) period, both 1..16 and in order, or None with the problem reported."""
    first, last = int(low), int(high)
    if first not in PERIODS or last not in PERIODS or last < first:
        problems.error("KP", "910", low, high, parameter=parameter,
                       field="PERIOD_FROM" if first not in PERIODS else "PERIOD_TO")
        return None
    return first, last
