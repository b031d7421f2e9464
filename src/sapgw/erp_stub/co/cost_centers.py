"""Cost centers over RFC: BAPI_COSTCENTER_CREATEMULTIPLE, _GETDETAIL1, _GETLIST1 (KS01/KS03).

SAP's parameter and structure names (BAPI0012_CCINPUTLIST, BAPI0012_CCOUTPUTLIST,
BAPI0012_CCLIST), with the fields this system stores. Rows go to CSKS (one per validity
period) and CSKT (texts). A cost center's company code must be assigned to the controlling
area (TKA02); its currency defaults to the controlling area's. Not built: cost center
categories are not checked against TKA05, hierarchy areas not against the standard hierarchy,
CHANGEMULTIPLE.
"""

from __future__ import annotations

from typing import Any

from sapgw.erp_stub.co.bapi_support import (
    BAPI0015_10,
    Problems,
    check_area,
    language,
    master_group,
    test_run_or_saved,
    texts,
    validity,
)
from sapgw.erp_stub.co.master_data import company_codes_of, controlling_area_of, overlapping
from sapgw.erp_stub.co.master_data import cost_center as valid_cost_center
from sapgw.erp_stub.co.master_tables import CSKS, CSKT
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.money import currency_decimals
from sapgw.rfc.ddic import CHAR, CUKY, DATS, structure
from sapgw.rfc.interface import exporting, importing, interface, tables
from sapgw.rfc.structures import BAPIRET2

LIST = "COSTCENTERLIST"
_COMMON = (
    ("COSTCENTER", CHAR(10), "Cost center"), ("VALID_FROM", DATS, "Valid from"),
    ("VALID_TO", DATS, "Valid to"), ("PERSON_IN_CHARGE", CHAR(20), "Person responsible"),
    ("PERSON_IN_CHARGE_USER", CHAR(12), "User responsible"),
    ("DEPARTMENT", CHAR(12), "Department"), ("COSTCENTER_TYPE", CHAR(1), "Category"),
    ("COSTCTR_HIER_GRP", CHAR(12), "Standard hierarchy area"),
    ("COMP_CODE", CHAR(4), "Company code"), ("BUS_AREA", CHAR(4), "Business area"),
    ("CURRENCY", CUKY, "Currency"), ("PROFIT_CTR", CHAR(10), "Profit center"),
    ("NAME", CHAR(20), "Name"), ("DESCRIPT", CHAR(40), "Description"),
    ("FUNC_AREA_LONG", CHAR(16), "Functional area"),
)
BAPI0012_CCINPUTLIST = structure("BAPI0012_CCINPUTLIST", *_COMMON)
BAPI0012_CCOUTPUTLIST = structure("BAPI0012_CCOUTPUTLIST",
                                  ("CO_AREA", CHAR(4), "Controlling area"), *_COMMON)
BAPI0012_CCLIST = structure(
    "BAPI0012_CCLIST", ("CO_AREA", CHAR(4), "Controlling area"),
    ("COSTCENTER", CHAR(10), "Cost center"), ("VALID_FROM", DATS, "Valid from"),
    ("VALID_TO", DATS, "Valid to"), ("NAME", CHAR(20), "Name"),
    ("DESCRIPT", CHAR(40), "Description"), ("COMP_CODE", CHAR(4), "Company code"),
)


@master_group.function(interface("BAPI_COSTCENTER_CREATEMULTIPLE", [
    importing("CONTROLLINGAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("TESTRUN", CHAR(1), text="X: check only, create nothing"),
    importing("MASTER_DATA_INACTIVE", CHAR(1), text="Not supported: must be blank"),
    importing("LANGUAGE", BAPI0015_10, text="Language of the texts"),
    tables(LIST, BAPI0012_CCINPUTLIST, optional=False, text="Cost centers to create"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Create cost centers"))
def create_multiple(ctx: CallContext, CONTROLLINGAREA: str, TESTRUN: str,
                    MASTER_DATA_INACTIVE: str, LANGUAGE: dict[str, Any],
                    COSTCENTERLIST: list[dict[str, Any]], RETURN: list[dict[str, Any]]
                    ) -> dict[str, Any]:
    problems = Problems(ctx, LIST)
    area = check_area(ctx, CONTROLLINGAREA, "CONTROLLINGAREA", problems)
    if MASTER_DATA_INACTIVE:
        problems.error("KO", "910", MASTER_DATA_INACTIVE, "MASTER_DATA_INACTIVE",
                       parameter="MASTER_DATA_INACTIVE")
    if not COSTCENTERLIST:
        problems.error("KO", "911", LIST)
    rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for number, item in enumerate(COSTCENTERLIST, start=1):
        row = _check(ctx, area, item, number, rows, problems)
        if row is not None:
            rows.append(row)
    spras = language(LANGUAGE)
    saved = [("KS", "902", (csks["KOSTL"], csks["KOKRS"])) for csks, _ in rows]
    if not problems.failed and TESTRUN != "X":
        today = ctx.clock.today().strftime("%Y%m%d")
        for csks, text in rows:
            ctx.insert(CSKS, {**csks, "ERSDA": today})
            ctx.insert(CSKT, {**text, "SPRAS": spras})
    test_run_or_saved(problems, TESTRUN, len(COSTCENTERLIST), saved)
    RETURN[:] = problems.rows
    return {LIST: COSTCENTERLIST, "RETURN": RETURN}


def _check(ctx: CallContext, area: Any, item: dict[str, Any], row: int,
           accepted: list[tuple[dict[str, Any], dict[str, Any]]], problems: Problems
           ) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The CSKS and CSKT rows of one list row, or None with its problems reported."""
    kostl = alpha(item["COSTCENTER"], 10)
    for field in ("COSTCENTER", "NAME", "PERSON_IN_CHARGE", "COSTCENTER_TYPE"):
        if not item[field]:
            problems.required(field, row)
    dates = validity(item, row, problems)
    if area is None or not kostl or dates is None:
        return None
    kokrs, (datab, datbi) = area.KOKRS, dates
    existing = overlapping(ctx.buffered(CSKS).where(KOKRS=kokrs, KOSTL=kostl), datab, datbi)
    if existing is not None:
        problems.error("KS", "901", kostl, kokrs, existing.DATAB, existing.DATBI, row=row,
                       field="COSTCENTER")
    if any(other["KOSTL"] == kostl and other["DATAB"] <= datbi and datab <= other["DATBI"]
           for other, _ in accepted):
        problems.error("KS", "903", kostl, LIST, row=row, field="COSTCENTER")
    bukrs = _company_code(ctx, kokrs, item["COMP_CODE"], row, problems)
    waers = item["CURRENCY"] or area.WAERS
    if currency_decimals(ctx, waers) is None:
        problems.error("KO", "908", waers, row=row, field="CURRENCY")
    csks = {"KOKRS": kokrs, "KOSTL": kostl, "DATBI": datbi, "DATAB": datab, "BUKRS": bukrs,
            "GSBER": item["BUS_AREA"], "KOSAR": item["COSTCENTER_TYPE"],
            "VERAK": item["PERSON_IN_CHARGE"], "VERAK_USE": item["PERSON_IN_CHARGE_USER"],
            "WAERS": waers, "ABTEI": item["DEPARTMENT"], "KHINR": item["COSTCTR_HIER_GRP"],
            "PRCTR": item["PROFIT_CTR"], "FUNC_AREA": item["FUNC_AREA_LONG"],
            "OBJNR": f"KS{kokrs}{kostl}"}
    text = {"KOKRS": kokrs, "KOSTL": kostl, "DATBI": datbi, "KTEXT": item["NAME"],
            "LTEXT": item["DESCRIPT"] or item["NAME"]}
    return csks, text


def _company_code(ctx: CallContext, kokrs: str, bukrs: str, row: int, problems: Problems
                  ) -> str:
    """The cost center's company code: given and assigned to the area, or the area's only one."""
    if not bukrs:
        codes = company_codes_of(ctx, kokrs)
        if len(codes) != 1:
            problems.required("COMP_CODE", row)
            return ""
        return codes[0]
    assigned = controlling_area_of(ctx, bukrs)
    if not assigned:
        problems.error("KO", "906", bukrs, row=row, field="COMP_CODE")
    elif assigned != kokrs:
        problems.error("KO", "902", bukrs, kokrs, row=row, field="COMP_CODE")
    return bukrs


@master_group.function(interface("BAPI_COSTCENTER_GETDETAIL1", [
    importing("CONTROLLINGAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("COSTCENTER", CHAR(10), optional=False, text="Cost center"),
    importing("KEYDATE", DATS, text="Key date (blank: today)"),
    importing("LANGUAGE", BAPI0015_10, text="Language of the texts"),
    exporting("COSTCENTERDETAIL", BAPI0012_CCOUTPUTLIST, "Cost center master data"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Cost center master data on a key date"))
def get_detail(ctx: CallContext, CONTROLLINGAREA: str, COSTCENTER: str, KEYDATE: str,
               LANGUAGE: dict[str, Any], RETURN: list[dict[str, Any]]) -> dict[str, Any]:
    problems = Problems(ctx, "")
    kostl = alpha(COSTCENTER, 10)
    result: dict[str, Any] = {}
    if check_area(ctx, CONTROLLINGAREA, "CONTROLLINGAREA", problems) is not None:
        csks = valid_cost_center(ctx, CONTROLLINGAREA, kostl, KEYDATE or None)
        if csks is None:
            problems.error("KI", "100", kostl, CONTROLLINGAREA, parameter="COSTCENTER")
        else:
            found_texts = texts(ctx, CSKT, language(LANGUAGE), [kostl], ("KOSTL", "DATBI"),
                                KOKRS=CONTROLLINGAREA)
            result["COSTCENTERDETAIL"] = _output(csks, found_texts.get((kostl, csks.DATBI)))
    RETURN[:] = problems.rows
    result["RETURN"] = RETURN
    return result


@master_group.function(interface("BAPI_COSTCENTER_GETLIST1", [
    importing("CONTROLLINGAREA", CHAR(4), optional=False, text="Controlling area"),
    importing("DATE_FROM", DATS, text="Valid on or after (blank: any)"),
    importing("DATE_TO", DATS, text="Valid on or before (blank: any)"),
    importing("COMPANYCODE", CHAR(4), text="Company code"),
    importing("COSTCENTER_FROM", CHAR(10), text="Cost centers from"),
    importing("COSTCENTER_TO", CHAR(10), text="Cost centers to"),
    tables(LIST, BAPI0012_CCLIST, text="Cost centers found"),
    tables("RETURN", BAPIRET2, text="Return messages"),
], text="Cost centers of a controlling area"))
def get_list(ctx: CallContext, CONTROLLINGAREA: str, DATE_FROM: str, DATE_TO: str,
             COMPANYCODE: str, COSTCENTER_FROM: str, COSTCENTER_TO: str,
             COSTCENTERLIST: list[dict[str, Any]], RETURN: list[dict[str, Any]]
             ) -> dict[str, Any]:
    problems = Problems(ctx, "")
    found: list[Any] = []
    if check_area(ctx, CONTROLLINGAREA, "CONTROLLINGAREA", problems) is not None:
        low = alpha(COSTCENTER_FROM, 10) if COSTCENTER_FROM else ""
        high = alpha(COSTCENTER_TO, 10) if COSTCENTER_TO else low or "\uffff"
        found = [row for row in ctx.buffered(CSKS).where(KOKRS=CONTROLLINGAREA)
                 if low <= row.KOSTL <= high and (not COMPANYCODE or row.BUKRS == COMPANYCODE)
                 and (not DATE_FROM or row.DATBI >= DATE_FROM)
                 and (not DATE_TO or row.DATAB <= DATE_TO)]
        if not found:
            problems.add("I", "KS", "904", CONTROLLINGAREA)
    names = texts(ctx, CSKT, "", [row.KOSTL for row in found], ("KOSTL", "DATBI"),
                  KOKRS=CONTROLLINGAREA)
    COSTCENTERLIST[:] = [{
        "CO_AREA": row.KOKRS, "COSTCENTER": row.KOSTL, "VALID_FROM": row.DATAB,
        "VALID_TO": row.DATBI, "COMP_CODE": row.BUKRS,
        **_names(names.get((row.KOSTL, row.DATBI))),
    } for row in found]
    RETURN[:] = problems.rows
    return {LIST: COSTCENTERLIST, "RETURN": RETURN}




def _names(text: Any) -> dict[str, str]:
    return {"NAME": text.KTEXT if text else "", "DESCRIPT": text.LTEXT if text else ""}


def _output(csks: Any, text: Any) -> dict[str, Any]:
    return {"CO_AREA": csks.KOKRS, "COSTCENTER": csks.KOSTL, "VALID_FROM": csks.DATAB,
            "VALID_TO": csks.DATBI, "PERSON_IN_CHARGE": csks.VERAK,
            "PERSON_IN_CHARGE_USER": csks.VERAK_USE, "DEPARTMENT": csks.ABTEI,
            "COSTCENTER_TYPE": csks.KOSAR, "COSTCTR_HIER_GRP": csks.KHINR,
            "COMP_CODE": csks.BUKRS, "BUS_AREA": csks.GSBER, "CURRENCY": csks.WAERS,
            "PROFIT_CTR": csks.PRCTR, "FUNC_AREA_LONG": csks.FUNC_AREA, **_names(text)}
