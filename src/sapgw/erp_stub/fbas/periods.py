"""OB52 over RFC: closing and opening posting periods (T001B), seen by every process.

SAP maintains T001B with transaction OB52 and offers no RFC function for it; ours is
FI_POSTING_PERIODS_MAINTAIN (docs/ERP_STUB.md). It closes or opens one period for an account
type of the company code's posting period variant, so a test suite can set up its own
periods. The change is registered in the caller's LUW (BAPI_TRANSACTION_COMMIT writes it);
T001B is buffered, so the commit's DDLOG row makes every process drop its copy.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.fbas.intervals import IntervalError, OpenPeriods
from sapgw.erp_stub.fbas.lookups import ACTUAL, ALL_ACCOUNT_TYPES, company_code, last_period
from sapgw.erp_stub.fbas.tables import T001B
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.erp_stub.kernel.tables import ddic_columns
from sapgw.rfc.ddic import CHAR, NUMC, structure
from sapgw.rfc.interface import importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("FBAS")

CLOSE, OPEN = "C", "O"

T001B_ROW = structure("T001B", *((name, ddic, name) for name, ddic in
                                 ddic_columns(T001B.__table__)))  # type: ignore[attr-defined]


def change_posting_period(ctx: CallContext, bukrs: str, year: int, period: int, action: str,
                          account_type: str = ALL_ACCOUNT_TYPES, testrun: bool = False
                          ) -> list[dict[str, Any]]:
    """Close (C) or open (O) one period; every problem as a RETURN row, else one success row.

    Registered in the caller's LUW (nothing with `testrun`): commit to make it count.
    """
    errors: list[dict[str, Any]] = []
    if action not in (CLOSE, OPEN):
        errors.append(bapiret2("E", "F5", "715", action, parameter="ACTION", field="ACTION"))
    company = company_code(ctx, bukrs)
    if company is None:
        return [*errors, bapiret2("E", "F5", "165", bukrs, parameter="COMP_CODE",
                                  field="COMP_CODE")]
    last = last_period(ctx, company.PERIV)
    if not 1 <= period <= last:
        errors.append(bapiret2("E", "F5", "711", f"{period:03d}", company.PERIV,
                               parameter="PERIOD", field="PERIOD"))
    if not 1 <= year <= 9999:
        errors.append(bapiret2("E", "F5", "716", year, parameter="FISC_YEAR",
                               field="FISC_YEAR"))
    key = {"RRCTY": ACTUAL, "BUKRS": company.OPVAR, "MKOAR": account_type, "BKONT": ""}
    row = ctx.buffered(T001B).get(*key.values())
    if row is None:
        errors.append(bapiret2("E", "F5", "710", company.OPVAR, account_type,
                               parameter="ACCOUNT_TYPE", field="ACCOUNT_TYPE"))
    if errors or row is None:
        return errors
    before = OpenPeriods.of_row(row, last)
    try:
        after = before.close(year, period) if action == CLOSE else before.open(year, period)
    except IntervalError:
        return [bapiret2("E", "F5", "712", f"{period:03d}", year, company.OPVAR,
                         parameter="PERIOD", field="PERIOD")]
    if not testrun and after != before:
        ctx.update(T001B, key=key, values=after.fields())
    number = "713" if action == CLOSE else "714"
    return [bapiret2("S", "F5", number, f"{period:03d}", year, company.OPVAR)]


def close_posting_period(ctx: CallContext, bukrs: str, year: int, period: int,
                         account_type: str = ALL_ACCOUNT_TYPES) -> list[dict[str, Any]]:
    return change_posting_period(ctx, bukrs, year, period, CLOSE, account_type)


def open_posting_period(ctx: CallContext, bukrs: str, year: int, period: int,
                        account_type: str = ALL_ACCOUNT_TYPES) -> list[dict[str, Any]]:
    return change_posting_period(ctx, bukrs, year, period, OPEN, account_type)


@group.function(interface("FI_POSTING_PERIODS_MAINTAIN", [
    importing("COMP_CODE", CHAR(4), optional=False, text="Company code"),
    importing("FISC_YEAR", NUMC(4), optional=False, text="Fiscal year"),
    importing("PERIOD", NUMC(3), optional=False, text="Posting period"),
    importing("ACTION", CHAR(1), optional=False, text="C close, O open"),
    importing("ACCOUNT_TYPE", CHAR(1), default=ALL_ACCOUNT_TYPES,
              text="Account type (+ all, D, K, S, ...)"),
    importing("TESTRUN", CHAR(1), text="X: check only, change nothing"),
    tables("PERIODS", T001B_ROW, text="The variant's T001B rows as committed"),
    tables("RETURN", BAPIRET2),
], text="OB52: close or open a posting period (ours)"))
def fi_posting_periods_maintain(ctx: CallContext, COMP_CODE: str, FISC_YEAR: str, PERIOD: str,
                                ACTION: str, ACCOUNT_TYPE: str, TESTRUN: str,
                                PERIODS: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                                ) -> dict[str, Any]:
    RETURN.extend(change_posting_period(ctx, COMP_CODE, int(FISC_YEAR), int(PERIOD), ACTION,
                                        ACCOUNT_TYPE or ALL_ACCOUNT_TYPES, TESTRUN == "X"))
    company = company_code(ctx, COMP_CODE)
    if company is not None:
        PERIODS.extend(row._asdict() for row in ctx.buffered(T001B).where(
            RRCTY=ACTUAL, BUKRS=company.OPVAR))
    return {"PERIODS": PERIODS, "RETURN": RETURN}
