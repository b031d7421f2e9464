"""BAPI_INTERNALORDER_CREATE (reference/wire.md §4.4) on top of `co.orders.create_order`.

The master data structures declare the fields this system stores (the public listing of
BAPI2075_7 is incomplete, names beyond these are UNSURE). Settlement rules are refused rather
than dropped: there is no settlement rule table (COBRB) here.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.co.master_data import (
    controlling_area,
    order_type,
)
from sapgw.erp_stub.co.orders import create_order
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.messages import bapiret2
from sapgw.erp_stub.kernel.registry import FunctionGroup
from sapgw.rfc.ddic import CHAR, CUKY, DATS, DEC, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

group = FunctionGroup("CO")

MASTER_DATA = "I_MASTER_DATA"

BAPI2075_7 = structure(
    "BAPI2075_7",
    ("ORDER_TYPE", CHAR(4), "Order type"),
    ("ORDER_NAME", CHAR(40), "Description"),
    ("CO_AREA", CHAR(4), "Controlling area"),
    ("COMP_CODE", CHAR(4), "Company code"),
    ("RES_ANAL_KEY", CHAR(6), "Results analysis key (AUFK-ABGSL; field name ours)"),
)

BAPI2075_2 = structure(
    "BAPI2075_2",
    ("ORDER", CHAR(12), "Order number"),
    ("ORDER_TYPE", CHAR(4), "Order type"),
    ("ORDER_NAME", CHAR(40), "Description"),
    ("CO_AREA", CHAR(4), "Controlling area"),
    ("COMP_CODE", CHAR(4), "Company code"),
    ("CURRENCY", CUKY, "Order currency"),
    ("OBJECT_NO", CHAR(22), "Object number (OR + order number)"),
    ("CREATED_ON", DATS, "Created on"),
)

BAPI2075_6 = structure(
    "BAPI2075_6",
    ("SETTL_TYPE", CHAR(3), "Settlement type (FUL, PER)"),
    ("SOURCE", CHAR(3), "Source assignment"),
    ("PERCENTAGE", DEC(5, 2), "Percentage"),
    ("EQUIV_NUMBER", DEC(10, 0), "Equivalence number"),
    ("AMOUNT", DEC(23, 4), "Amount"),
    ("COSTCENTER", CHAR(10), "Receiver cost center"),
    ("ORDERID", CHAR(12), "Receiver order"),
    ("WBS_ELEMENT", CHAR(24), "Receiver WBS element"),
    ("GL_ACCOUNT", CHAR(10), "Receiver G/L account"),
)

BAPIPAREX = structure(
    "BAPIPAREX",
    ("STRUCTURE", CHAR(30)), ("VALUEPART1", CHAR(240)), ("VALUEPART2", CHAR(240)),
    ("VALUEPART3", CHAR(240)), ("VALUEPART4", CHAR(240)),
)


@group.function(interface("BAPI_INTERNALORDER_CREATE", [
    importing(MASTER_DATA, BAPI2075_7, optional=False, text="Order master data"),
    importing("TESTRUN", CHAR(1), text="X: check only, create nothing"),
    exporting("E_MASTER_DATA", BAPI2075_2, "Master data of the created order"),
    exporting("ORDERID", CHAR(12), "Order number"),
    tables("SRULES", BAPI2075_6, text="Settlement rules"),
    tables("EXTENSIONIN", BAPIPAREX, text="Customer enhancements (no BAdI active)"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Create an internal order"))
def bapi_internalorder_create(ctx: CallContext, I_MASTER_DATA: dict[str, Any], TESTRUN: str,
                              SRULES: list[dict[str, Any]], EXTENSIONIN: list[dict[str, Any]],
                              RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    master, problems = check_master_data(ctx, I_MASTER_DATA)
    if SRULES:
        problems.append(bapiret2("E", "KO", "903", parameter="SRULES", row=1,
                                 system=ctx.logical_system))
    result: dict[str, Any] = {"SRULES": SRULES, "EXTENSIONIN": EXTENSIONIN}
    if problems:
        RETURN[:] = problems
    elif TESTRUN == "X":
        RETURN[:] = [bapiret2("S", "KO", "497", system=ctx.logical_system)]
    else:
        aufnr = create_order(ctx, order_type=master["ORDER_TYPE"], text=master["ORDER_NAME"],
                             company_code=master["COMP_CODE"],
                             controlling_area=master["CO_AREA"],
                             ra_key=master.get("RES_ANAL_KEY", ""))
        RETURN[:] = [bapiret2("S", "KO", "107", aufnr, system=ctx.logical_system)]
        exported = {name: value for name, value in master.items() if name != "RES_ANAL_KEY"}
        result.update(ORDERID=aufnr, E_MASTER_DATA={**exported, "ORDER": aufnr})
    result["RETURN"] = RETURN
    return result


def check_master_data(ctx: CallContext, data: dict[str, Any]
                      ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The order's master data completed (company code, currency) and every problem.

    CO knows a company code by its assignment to a controlling area (TKA02); the order's
    currency is the controlling area's, which CO postings require to be the company code's.
    """
    problems: list[dict[str, Any]] = []

    def error(number: str, *variables: str, field: str) -> None:
        problems.append(bapiret2("E", "KO", number, *variables, parameter=MASTER_DATA,
                                 field=field, system=ctx.logical_system))

    auart, kokrs = data["ORDER_TYPE"], data["CO_AREA"]
    if not auart:
        error("904", "ORDER_TYPE", MASTER_DATA, field="ORDER_TYPE")
    elif order_type(ctx, auart) is None:
        error("901", auart, field="ORDER_TYPE")
    if not kokrs:
        error("904", "CO_AREA", MASTER_DATA, field="CO_AREA")
    elif controlling_area(ctx, kokrs) is None:
        error("905", kokrs, field="CO_AREA")
    bukrs = data["COMP_CODE"] or _only_company_code(ctx, kokrs)
    company = fbas.company_code(ctx, bukrs) if bukrs else None
    if not bukrs:
        error("904", "COMP_CODE", MASTER_DATA, field="COMP_CODE")
    elif company is None:
        problems.append(bapiret2("E", "F5", "165", bukrs, parameter=MASTER_DATA,
                                 field="COMP_CODE", system=ctx.logical_system))
    elif not company.KOKRS:
        error("906", bukrs, field="COMP_CODE")
    elif kokrs and company.KOKRS != kokrs:
        error("902", bukrs, kokrs, field="COMP_CODE")
    master = {**data, "COMP_CODE": bukrs,
              "CURRENCY": company.WAERS if company else ""}
    return master, problems


def _only_company_code(ctx: CallContext, kokrs: str) -> str:
    """The company code of a controlling area that has exactly one, else blank."""
    codes = fbas.company_codes(ctx, kokrs) if kokrs else []
    return codes[0] if len(codes) == 1 else ""
