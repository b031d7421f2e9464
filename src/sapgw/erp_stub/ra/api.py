"""What other applications may use of results analysis: the cumulative RA data of an order
(COSB) and the categories, for settlement to FI and to receivers."""

from sapgw.erp_stub.ra.customizing import fi_versions
from sapgw.erp_stub.ra.results import RA_VALUE_TYPE, cumulative
from sapgw.erp_stub.ra.tables import ra_totals_table
from sapgw.erp_stub.ra.valuation import BALANCE_SHEET, INCOME, Category

__all__ = ["BALANCE_SHEET", "INCOME", "RA_VALUE_TYPE", "Category", "cumulative", "fi_versions",
           "ra_totals_table"]
